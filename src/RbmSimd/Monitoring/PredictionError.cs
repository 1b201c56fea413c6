using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Monitoring;

/// <summary>
/// One-step prediction error on rows <c>[v | u]</c>: the squared error per frame, <c>Σᵢ (vᵢ − v̂ᵢ)²</c> over the nv
/// generated units, averaged over the rows (the measure the RTRBM paper reports for its bouncing balls), accumulated in double.
/// </summary>
/// <remarks>
/// Predictors: a <see cref="ConditionalRbm"/> (<see cref="ConditionalPrediction.Predict"/>), copying the last frame (the
/// context's first nv values, for contexts of previous frames) and <see cref="RidgeAutoregression"/>.
/// </remarks>
public static class PredictionError
{
    private const int ChunkRows = 256;

    /// <summary>The mean squared error per frame of the model's predictions of the first <paramref name="maxRows"/> rows (−1: all).</summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">Rows <c>[v | u]</c>.</param>
    /// <param name="options">How the model predicts.</param>
    /// <param name="seed">Seed of sampled predictions (a stream that runs on through the rows, a chunk of 256 at a time).</param>
    /// <param name="maxRows">Rows to score; −1 for all.</param>
    /// <param name="maxDegreeOfParallelism">Threads; the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The rows have no rows or the wrong width.</exception>
    public static double Mean(ConditionalRbm model, IRowSource rows, PredictionOptions options, ulong seed, int maxRows = -1, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Mean<IRowSource>(model, rows, options, seed, maxRows, maxDegreeOfParallelism);
    }

    /// <summary>As the public overload, for row sources that are ref structs (the trainer's matrix rows).</summary>
    internal static double Mean<T>(ConditionalRbm model, in T rows, PredictionOptions options, ulong seed, int maxRows = -1, int maxDegreeOfParallelism = 1)
        where T : IRowSource, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        int count = Count(rows, model.VisibleCount, maxRows);
        int nv = model.FrameCount, chunk = Math.Min(ChunkRows, count);
        var buffer = new Matrix(chunk, model.VisibleCount);
        var truth = new Matrix(chunk, nv);
        var random = new RandomStream(seed);
        double sum = 0;
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            for (int r = 0; r < n; r++)
            {
                rows.CopyRow(start + r, buffer.Row(r));
                buffer.Row(r)[..nv].CopyTo(truth.Row(r));
            }
            ConditionalPrediction.Predict(model, buffer.AsView().SliceRows(0, n), options, ref random, maxDegreeOfParallelism);
            for (int r = 0; r < n; r++) sum += SquaredDistance(truth.Row(r), buffer.Row(r)[..nv]);
        }
        return sum / count;
    }

    /// <summary>
    /// The mean squared error per frame of predicting each frame by the previous one: rows <c>[v_t | v_{t−1}, …]</c>, whose
    /// context starts with the last frame (<paramref name="frameCount"/> values).
    /// </summary>
    /// <exception cref="ArgumentException">The rows have no rows, or fewer than two frames' width.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frameCount"/> is not positive.</exception>
    public static double CopyLastFrame(IRowSource rows, int frameCount, int maxRows = -1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        if (rows.ColumnCount < 2 * frameCount)
            throw new ArgumentException($"Rows of {rows.ColumnCount} values cannot hold a frame of {frameCount} and the frame before it.", nameof(rows));
        int count = Count(rows, rows.ColumnCount, maxRows);
        var row = new float[rows.ColumnCount];
        double sum = 0;
        for (int r = 0; r < count; r++)
        {
            rows.CopyRow(r, row);
            sum += SquaredDistance(row.AsSpan(0, frameCount), row.AsSpan(frameCount, frameCount));
        }
        return sum / count;
    }

    /// <summary><c>Σᵢ (xᵢ − yᵢ)²</c> in double.</summary>
    internal static double SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - y[i];
            sum += d * d;
        }
        return sum;
    }

    internal static int Count<T>(in T rows, int columns, int maxRows) where T : IRowSource, allows ref struct
    {
        if (rows.ColumnCount != columns)
            throw new ArgumentException($"The rows have {rows.ColumnCount} columns but {columns} are expected.", nameof(rows));
        int count = maxRows < 0 ? rows.RowCount : Math.Min(maxRows, rows.RowCount);
        if (count == 0) throw new ArgumentException("The data has no rows.", nameof(rows));
        return count;
    }
}
