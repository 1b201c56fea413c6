using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Model;

/// <summary>
/// The one block-Gibbs chain of the library: alternate draws of the visible and the hidden layer of any
/// <see cref="IRbm"/>, one chain per row, at an inverse temperature β. The trainer's negative phases, the
/// samplers of the CLI, Deep Belief Networks and the estimators all run it.
/// </summary>
/// <remarks>
/// From a hidden sample Hˢ, one step is <c>V ~ P(v | Hˢ)</c> then <c>Hˢ ~ P(h | V)</c>; the last step stops
/// after V (and, when asked, writes <c>P(h | V)</c>, the statistic contrastive divergence needs). Draws come
/// from the stream in that order, each batch addressed by position, so a chain gives the same
/// bits for any thread count.
/// </remarks>
public static class GibbsChain
{
    /// <summary>
    /// Runs <paramref name="steps"/> steps from the hidden samples in <paramref name="hiddenSample"/>:
    /// <c>V ~ P(v | Hˢ)</c>, and between steps <c>Hˢ ~ P(h | V)</c>.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="hiddenSample">In: the starting hidden states. Out: the states that drew the last V.</param>
    /// <param name="visible">Out: the last visible sample.</param>
    /// <param name="hiddenMeans">Out, unless empty: <c>P(h | V)</c> of the last visible sample.</param>
    /// <param name="steps">At least 1.</param>
    /// <param name="random">The stream the draws come from; advanced past them.</param>
    /// <param name="temperature">The inverse temperature of every conditional.</param>
    /// <param name="maxDegreeOfParallelism">Threads (−1: all cores); the result is the same for any value.</param>
    /// <param name="lastVisibleMeans">Out, unless empty: <c>E[v | Hˢ]</c> of the last step, before sampling.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public static void FromHidden(IRbm model, MatrixView hiddenSample, MatrixView visible, MatrixView hiddenMeans, int steps,
        ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1, MatrixView lastVisibleMeans = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        RequireRows(hiddenSample, visible, nameof(visible));
        if (!hiddenMeans.IsEmpty) RequireRows(hiddenSample, hiddenMeans, nameof(hiddenMeans));
        if (!lastVisibleMeans.IsEmpty) RequireRows(hiddenSample, lastVisibleMeans, nameof(lastVisibleMeans));
        for (int step = 1; step <= steps; step++)
        {
            model.MeanVisibles(hiddenSample, visible, temperature, maxDegreeOfParallelism);
            if (step == steps && !lastVisibleMeans.IsEmpty) CopyRows(visible, lastVisibleMeans);
            model.SampleVisiblesFromMeans(visible, ref random, maxDegreeOfParallelism);
            if (step < steps) model.SampleHiddens(visible, hiddenSample, ref random, temperature, maxDegreeOfParallelism);
        }
        if (!hiddenMeans.IsEmpty) model.MeanHiddens(visible, hiddenMeans, temperature, maxDegreeOfParallelism);
    }

    /// <summary>
    /// Runs <paramref name="steps"/> full steps v → h → v from the rows of <paramref name="visible"/>, in
    /// place: <c>Hˢ ~ P(h | v)</c>, then <see cref="FromHidden"/>. Zero steps leave both buffers unchanged.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="visible">In: the starting visible states. Out: the last visible sample.</param>
    /// <param name="hiddenSample">Out: the hidden states that drew the last visible sample.</param>
    /// <param name="lastVisibleMeans">Out, unless empty: <c>E[v | Hˢ]</c> of the last step, before sampling.</param>
    /// <param name="steps">At least 0.</param>
    /// <param name="random">The stream the draws come from; advanced past them.</param>
    /// <param name="temperature">The inverse temperature of every conditional.</param>
    /// <param name="maxDegreeOfParallelism">Threads (−1: all cores); the result is the same for any value.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is negative.</exception>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public static void FromVisible(IRbm model, MatrixView visible, MatrixView hiddenSample, MatrixView lastVisibleMeans, int steps,
        ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (visible.Cols != model.VisibleCount) throw new ArgumentException($"Expected {model.VisibleCount} columns but got {visible.Cols}.", nameof(visible));
        if (hiddenSample.Cols != model.HiddenCount) throw new ArgumentException($"Expected {model.HiddenCount} columns but got {hiddenSample.Cols}.", nameof(hiddenSample));
        RequireRows(visible, hiddenSample, nameof(hiddenSample));
        if (steps == 0) return;
        model.SampleHiddens(visible, hiddenSample, ref random, temperature, maxDegreeOfParallelism);
        FromHidden(model, hiddenSample, visible, default, steps, ref random, temperature, maxDegreeOfParallelism, lastVisibleMeans);
    }

    private static void RequireRows(ReadOnlyMatrixView reference, ReadOnlyMatrixView other, string name)
    {
        if (other.Rows != reference.Rows)
            throw new ArgumentException($"Expected {reference.Rows} rows (one per chain) but got {other.Rows}.", name);
    }

    private static void CopyRows(ReadOnlyMatrixView source, MatrixView destination)
    {
        for (int r = 0; r < source.Rows; r++) source.Row(r).CopyTo(destination.Row(r));
    }
}
