using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Training;

/// <summary>
/// PCD-k (Tieleman 2008): a fixed set of chains continues from step to step, k Gibbs steps each time.
/// </summary>
/// <remarks>
/// The chains keep hidden states, as scikit-learn's BernoulliRBM does: the same Markov chain as keeping
/// Vᵏ, but the <c>P(h | Vᵏ)</c> needed to continue it is the Hᵏ the step computes anyway, so PCD costs no
/// more products than CD. The states are bits (hidden units are binary). They start as fair coin flips.
/// </remarks>
public sealed class PersistentContrastiveDivergence : INegativePhase
{
    private readonly BitMatrix _chains;

    /// <summary>Creates PCD-k with <paramref name="chains"/> chains of <paramref name="hiddenCount"/> hidden units, started from <paramref name="random"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1.</exception>
    public PersistentContrastiveDivergence(int steps, int chains, int hiddenCount, RandomStream random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chains, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenCount, 1);
        Steps = steps;
        _chains = new BitMatrix(chains, hiddenCount);
        var start = new Matrix(chains, hiddenCount);
        random.NextSingles(start.AsSpan());
        _chains.SetFromDense(start, 0.5f);
    }

    /// <summary>k, the Gibbs steps per update.</summary>
    public int Steps { get; }

    /// <summary>The number of persistent chains.</summary>
    public int Chains => _chains.Rows;

    /// <inheritdoc/>
    public int ChainCount(int batchRows) => _chains.Rows;

    /// <inheritdoc/>
    public void Run(IRbm model, PhaseBatch phases, MatrixView chainHidden, ref RandomStream random, int maxDegreeOfParallelism)
    {
        MatrixView states = chainHidden.SliceRows(0, _chains.Rows);
        _chains.CopyTo(states);
        GibbsChain.FromHidden(model, states, phases.ModelVisible, phases.ModelHidden, Steps, ref random, Temperature.One, maxDegreeOfParallelism);
        // The chains continue from hˢ ~ P(h | vᵏ), drawn now from the probabilities this step has.
        ContrastiveDivergence.CopyRows(phases.ModelHidden, states);
        model.SampleHiddensFromMeans(states, ref random, maxDegreeOfParallelism);
        _chains.SetFromDense(states, 0.5f);
    }

    /// <inheritdoc/>
    public Matrix? SaveState()
    {
        var state = new Matrix(_chains.Rows, _chains.Cols);
        _chains.CopyTo(state);
        return state;
    }

    /// <inheritdoc/>
    public void RestoreState(Matrix state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Rows != _chains.Rows || state.Cols != _chains.Cols)
            throw new ArgumentException($"The chains are {state.Rows}x{state.Cols} but PCD runs {_chains.Rows} chains of {_chains.Cols} hidden units.", nameof(state));
        _chains.SetFromDense(state, 0.5f);
    }
}
