using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Cli;

/// <summary>The result of <see cref="ChainSampler.Run"/>: the chains' last visible states and the probabilities they were drawn from.</summary>
/// <param name="Samples">Binary v after the last step, one chain per row.</param>
/// <param name="Probabilities">P(v = 1 | h) of the last step, one chain per row (what pictures show: less noisy than <paramref name="Samples"/>).</param>
internal sealed record ChainSamples(Matrix Samples, Matrix Probabilities);

/// <summary>Runs independent Gibbs chains of a model, from random or data starts, for the sample pictures and <c>rbm sample</c>.</summary>
internal static class ChainSampler
{
    /// <summary>Rows of independent fair coin flips: starts that know nothing about the data.</summary>
    public static Matrix RandomStarts(int count, int visibleCount, ulong seed)
    {
        var starts = new Matrix(count, visibleCount);
        var random = new RandomStream(seed).Derive(0x5747A275UL);
        Span<float> values = starts.AsSpan();
        for (int i = 0; i < values.Length; i++) values[i] = random.NextUInt64() >> 63 == 0 ? 0f : 1f;
        return starts;
    }

    /// <summary>Rows at the model's visible means when no hidden unit is on (for Gaussian units: the visible biases, per unit).</summary>
    public static Matrix BiasStarts(IRbm model, int count)
    {
        ArgumentNullException.ThrowIfNull(model);
        var starts = new Matrix(count, model.VisibleCount);
        model.MeanVisibles(new Matrix(count, model.HiddenCount), starts, Temperature.One, maxDegreeOfParallelism: -1);
        return starts;
    }

    /// <summary>
    /// <paramref name="count"/> rows spread evenly over <paramref name="data"/> (rows 0, n/count, 2n/count, …), so that
    /// ordered data sets (digits sorted by class) still give varied examples; fewer when the data has fewer rows.
    /// </summary>
    public static Matrix DataStarts(IRowSource data, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.RowCount;
        if (n == 0) throw new ArgumentException("The data has no rows to start chains from.", nameof(data));
        count = Math.Min(count, n);
        var starts = new Matrix(count, data.ColumnCount);
        for (int r = 0; r < count; r++) data.CopyRow((int)((long)r * n / count), starts.Row(r));
        return starts;
    }

    /// <summary>The generated columns of rows <c>[v | u]</c> of a conditional model (the rows themselves for other models).</summary>
    public static Matrix Frames(Matrix rows, IRbm model)
    {
        int nv = model.VisibleCount - model.ContextCount;
        var frames = new Matrix(rows.Rows, nv);
        for (int r = 0; r < rows.Rows; r++) rows.Row(r)[..nv].CopyTo(frames.Row(r));
        return frames;
    }

    /// <summary>
    /// Runs <paramref name="steps"/> full Gibbs steps v → h → v from each row of <paramref name="starts"/> (left unchanged).
    /// The chains use all cores; the result is the same bits for any number of cores.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The starts' width is not the model's visible count.</exception>
    public static ChainSamples Run(IRbm model, Matrix starts, int steps, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1, "--steps");
        if (starts.Cols != model.VisibleCount)
            throw new ArgumentException($"The chains' starts have {starts.Cols} columns but the model has {model.VisibleCount} visible units.");
        Matrix visible = starts.Clone();
        var hidden = new Matrix(starts.Rows, model.HiddenCount);
        var probabilities = new Matrix(starts.Rows, model.VisibleCount);
        var random = new RandomStream(seed).Derive(0x6A1B5UL);
        GibbsChain.FromVisible(model, visible, hidden, probabilities, steps, ref random, Temperature.One, maxDegreeOfParallelism: -1);
        return new ChainSamples(visible, probabilities);
    }
}
