using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Training;

/// <summary>
/// CD-k (Hinton 2002): each step starts one chain at every data row, <c>Hˢ ~ H⁰</c>, and runs k Gibbs steps.
/// </summary>
public sealed class ContrastiveDivergence : INegativePhase
{
    /// <summary>Creates CD-k.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1.</exception>
    public ContrastiveDivergence(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        Steps = steps;
    }

    /// <summary>k, the Gibbs steps per update.</summary>
    public int Steps { get; }

    /// <inheritdoc/>
    public int ChainCount(int batchRows) => batchRows;

    /// <inheritdoc/>
    public void Run(IRbm model, PhaseBatch phases, MatrixView chainHidden, ref RandomStream random, int maxDegreeOfParallelism)
    {
        MatrixView start = chainHidden.SliceRows(0, phases.DataRows);
        CopyRows(phases.DataHidden, start);
        model.SampleHiddensFromMeans(start, ref random, maxDegreeOfParallelism);
        GibbsChain.FromHidden(model, start, phases.ModelVisible, phases.ModelHidden, Steps, ref random, Temperature.One, maxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public Matrix? SaveState() => null;

    /// <inheritdoc/>
    public void RestoreState(Matrix state) =>
        throw new ArgumentException("Contrastive divergence keeps no chains between steps.", nameof(state));

    internal static void CopyRows(ReadOnlyMatrixView source, MatrixView destination)
    {
        for (int r = 0; r < source.Rows; r++) source.Row(r).CopyTo(destination.Row(r));
    }
}
