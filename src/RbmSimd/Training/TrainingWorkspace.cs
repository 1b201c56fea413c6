using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Training;

/// <summary>
/// Every buffer one training step needs, sized once for a model, a batch size and a chain count, so a
/// step allocates nothing.
/// </summary>
/// <remarks>
/// The two phases are stacked so that one product gives the weight gradient (see <see cref="PhaseBatch"/>):
/// <code>
/// Visible ((B+C)×nv) = [ V⁰ ; Vᵏ ]     Hidden ((B+C)×nh) = [ H⁰ ; Hᵏ ]
/// </code>
/// A batch of r ≤ B rows occupies rows 0…r−1 and its negative phase the C rows right after them, so the
/// stacked rows are always contiguous.
/// </remarks>
internal sealed class TrainingWorkspace
{
    public TrainingWorkspace(IRbm model, int batchSize, int maxChains)
    {
        BatchSize = batchSize;
        MaxChains = maxChains;
        Visible = new Matrix(batchSize + maxChains, model.VisibleCount);
        Hidden = new Matrix(batchSize + maxChains, model.HiddenCount);
        ChainHidden = new Matrix(maxChains, model.HiddenCount);
        Gradient = model.Parameters.CreateZeros();
        Velocity = model.Parameters.CreateZeros();
        HiddenMean = new float[model.HiddenCount];
    }

    public int BatchSize { get; }

    public int MaxChains { get; }

    /// <summary>[V⁰ ; Vᵏ]: the batch rows, then the negative phase's visible samples.</summary>
    public Matrix Visible { get; }

    /// <summary>[H⁰ ; Hᵏ]: P(h | V⁰), then P(h | Vᵏ).</summary>
    public Matrix Hidden { get; }

    /// <summary>One row of hidden units per chain: the sample driving the next visible sample.</summary>
    public Matrix ChainHidden { get; }

    /// <summary>The last step's gradient of the mean log-likelihood (ascent direction).</summary>
    public ParameterSet Gradient { get; }

    /// <summary>The momentum buffers (the last parameter change).</summary>
    public ParameterSet Velocity { get; }

    /// <summary>The batch mean of P(h | V⁰) (for the sparsity penalty).</summary>
    public float[] HiddenMean { get; }

    /// <summary>Where a batch of <paramref name="rows"/> rows is loaded.</summary>
    public MatrixView BatchRows(int rows) => Visible.AsView().SliceRows(0, rows);

    /// <summary>The stacked phases of a batch of <paramref name="rows"/> rows with <paramref name="chains"/> chains.</summary>
    public PhaseBatch Phases(int rows, int chains) =>
        new(Visible.AsView().SliceRows(0, rows + chains), Hidden.AsView().SliceRows(0, rows + chains), rows);
}
