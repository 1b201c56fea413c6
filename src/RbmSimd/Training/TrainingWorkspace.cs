using RbmSimd.Kernels;
using RbmSimd.Numerics;

namespace RbmSimd.Training;

/// <summary>
/// Every buffer one training step needs, sized once for a model shape and batch size, so a step
/// allocates nothing.
/// </summary>
/// <remarks>
/// The two phases are stacked so that one product gives the weight gradient:
/// <code>
/// Visible ((B+C)×nv) = [ V⁰ ; Vᵏ ]     Hidden ((B+C)×nh) = [ H⁰ / B ; −Hᵏ / C ]     ∇W = Visibleᵀ · Hidden
/// </code>
/// (rows B…B+C−1 hold the negative phase; the hidden rows are scaled just before the product).
/// C is the number of persistent chains under PCD and the batch's row count under CD-k.
/// </remarks>
internal sealed class TrainingWorkspace
{
    // chains: persistent chains for PCD, or 0 for CD-k (whose chains start at the batch rows).
    public TrainingWorkspace(int visibleCount, int hiddenCount, int batchSize, int chains)
    {
        BatchSize = batchSize;
        int negativeRows = Math.Max(batchSize, chains);
        Visible = new Matrix(batchSize + negativeRows, visibleCount);
        Hidden = new Matrix(batchSize + negativeRows, hiddenCount);
        ChainHidden = new Matrix(negativeRows, hiddenCount);
        Chains = chains > 0 ? new BitMatrix(chains, hiddenCount) : null;
        Gradient = new RbmGradient(visibleCount, hiddenCount);
        Velocity = new RbmGradient(visibleCount, hiddenCount);
        VisibleMean = new float[visibleCount];
        PositiveHiddenMean = new float[hiddenCount];
        Scratch = new float[Math.Max(visibleCount, hiddenCount)];
    }

    public int BatchSize { get; }

    /// <summary>[V⁰ ; Vᵏ]: the batch rows, then the negative phase's visible samples.</summary>
    public Matrix Visible { get; }

    /// <summary>[H⁰ ; Hᵏ]: P(h | V⁰), then P(h | Vᵏ).</summary>
    public Matrix Hidden { get; }

    /// <summary>The hidden sample driving the next visible sample of the negative chain.</summary>
    public Matrix ChainHidden { get; }

    /// <summary>
    /// The persistent chains' hidden states (PCD only), one bit per unit. Keeping h rather than v lets each
    /// step reuse the P(h | vᵏ) it computed anyway, instead of recomputing it from v at the next step.
    /// </summary>
    public BitMatrix? Chains { get; }

    /// <summary>The last step's gradient of the mean log-likelihood (ascent direction).</summary>
    public RbmGradient Gradient { get; }

    /// <summary>The momentum buffers (the last parameter change).</summary>
    public RbmGradient Velocity { get; }

    /// <summary>The batch mean of each visible unit (for the sparsity penalty's weight term).</summary>
    public float[] VisibleMean { get; }

    /// <summary>The batch mean of P(h | V⁰) (for the sparsity penalty).</summary>
    public float[] PositiveHiddenMean { get; }

    /// <summary>Scratch of max(nv, nh) floats.</summary>
    public float[] Scratch { get; }

    public MatrixView PositiveVisible(int rows) => Visible.AsView().SliceRows(0, rows);
    public MatrixView PositiveHidden(int rows) => Hidden.AsView().SliceRows(0, rows);
    public MatrixView NegativeVisible(int rows) => Visible.AsView().SliceRows(BatchSize, rows);
    public MatrixView NegativeHidden(int rows) => Hidden.AsView().SliceRows(BatchSize, rows);
}
