using System.Numerics.Tensors;
using RbmSimd.Data;

namespace RbmSimd.Monitoring;

/// <summary>
/// The linear baseline of sequence prediction: ridge regression of the frame on its context with an intercept,
/// <c>v̂ = c + Mᵀu</c>, fitted in double on rows <c>[v | u]</c> by minimising <c>(1/N)Σ‖v − v̂‖² + λ‖M‖²</c> (the intercept
/// is not penalised). When u is the previous n frames it is the ridge autoregressive model AR(n).
/// </summary>
/// <remarks>
/// Implementation notes. The normal equations <c>(XᵀX/N + λI′)W = XᵀY/N</c> (X the contexts with a column of ones, I′ the
/// identity without the intercept) are accumulated row by row, skipping zero context values (binary frames are mostly 0),
/// and solved by a Cholesky factorisation. λ is chosen from a grid by the error on the last rows of the training data (the
/// last sequences, for rows in sequence order), then the model is refitted on all rows. Predictions are clamped to the range
/// of the training frames (for frames in [0, 1] this can only lower the error). Every sum runs in a fixed order: the fit
/// is deterministic.
/// </remarks>
public sealed class RidgeAutoregression
{
    /// <summary>The λ grid <see cref="Fit"/> chooses from by default.</summary>
    public static IReadOnlyList<double> DefaultLambdas { get; } = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

    private readonly double[] _weights; // (nc + 1) × nv, the intercept last
    private readonly double _min, _max;

    private RidgeAutoregression(int frameCount, int contextCount, double lambda, double[] weights, double min, double max, double validationError)
    {
        FrameCount = frameCount;
        ContextCount = contextCount;
        Lambda = lambda;
        _weights = weights;
        _min = min;
        _max = max;
        ValidationError = validationError;
    }

    /// <summary>nv, the predicted values.</summary>
    public int FrameCount { get; }

    /// <summary>nc, the context values.</summary>
    public int ContextCount { get; }

    /// <summary>The λ chosen.</summary>
    public double Lambda { get; }

    /// <summary>The squared error per frame of the chosen λ on the validation rows (NaN when only one λ was tried).</summary>
    public double ValidationError { get; }

    /// <summary>
    /// Fits the model to rows <c>[v | u]</c>, choosing λ from <paramref name="lambdas"/> by the error on the last
    /// <paramref name="validationFraction"/> of the rows, then refitting on all of them.
    /// </summary>
    /// <param name="rows">Training rows, nv + nc wide.</param>
    /// <param name="frameCount">nv.</param>
    /// <param name="lambdas">Candidate values of λ (each ≥ 0); null for <see cref="DefaultLambdas"/>.</param>
    /// <param name="validationFraction">The share of rows that validates λ, in (0, 1); ignored for one candidate.</param>
    /// <param name="maxDegreeOfParallelism">Threads for the accumulation (−1: all cores); the result does not depend on it.</param>
    /// <exception cref="ArgumentException">Too few rows, no context columns, or a λ below 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or the fraction is out of range.</exception>
    public static RidgeAutoregression Fit(IRowSource rows, int frameCount, IReadOnlyList<double>? lambdas = null, double validationFraction = 0.1,
        int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        lambdas ??= DefaultLambdas;
        if (lambdas.Count == 0 || lambdas.Any(l => !(l >= 0 && double.IsFinite(l))))
            throw new ArgumentException("Give at least one λ, each finite and at least 0.", nameof(lambdas));
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must be in (0, 1).");
        int nc = rows.ColumnCount - frameCount;
        if (nc < 1) throw new ArgumentException($"Rows of {rows.ColumnCount} values leave no context after {frameCount} frame values.", nameof(rows));
        int n = rows.RowCount;
        int validation = lambdas.Count == 1 ? 0 : Math.Max(1, (int)(n * validationFraction));
        if (n - validation < 2) throw new ArgumentException($"{n} rows are too few to fit (and validate) a regression.", nameof(rows));
        int threads = maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : Math.Max(1, maxDegreeOfParallelism);

        var fit = new Moments(nc + 1, frameCount);
        var held = new Moments(nc + 1, frameCount);
        fit.Accumulate(rows, 0, n - validation, threads);
        double lambda = lambdas[0], best = double.NaN;
        if (validation > 0)
        {
            held.Accumulate(rows, n - validation, validation, threads);
            foreach (double candidate in lambdas)
            {
                var model = new RidgeAutoregression(frameCount, nc, candidate, fit.Solve(candidate), fit.Min, fit.Max, double.NaN);
                double error = model.MeanSquaredError(rows, n - validation, validation);
                if (!(error >= best)) (best, lambda) = (error, candidate);
            }
            fit.Add(held);
        }
        return new RidgeAutoregression(frameCount, nc, lambda, fit.Solve(lambda), fit.Min, fit.Max, best);
    }

    /// <summary>The prediction of the frame that follows <paramref name="context"/>.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Predict(ReadOnlySpan<float> context, Span<double> frame)
    {
        if (context.Length != ContextCount) throw new ArgumentException($"Expected {ContextCount} context values but got {context.Length}.", nameof(context));
        if (frame.Length != FrameCount) throw new ArgumentException($"Expected room for {FrameCount} values but got {frame.Length}.", nameof(frame));
        int nv = FrameCount;
        ReadOnlySpan<double> w = _weights;
        w.Slice(ContextCount * nv, nv).CopyTo(frame);
        for (int k = 0; k < ContextCount; k++)
            if (context[k] != 0f) TensorPrimitives.MultiplyAdd(w.Slice(k * nv, nv), (double)context[k], frame, frame);
        for (int i = 0; i < nv; i++) frame[i] = Math.Clamp(frame[i], _min, _max);
    }

    /// <summary>The mean squared error per frame on the first <paramref name="maxRows"/> rows (−1: all).</summary>
    /// <exception cref="ArgumentException">The rows have no rows or the wrong width.</exception>
    public double MeanSquaredError(IRowSource rows, int maxRows = -1)
    {
        int count = PredictionError.Count(rows, FrameCount + ContextCount, maxRows);
        return MeanSquaredError(rows, 0, count);
    }

    private double MeanSquaredError(IRowSource rows, int start, int count)
    {
        var row = new float[rows.ColumnCount];
        var prediction = new double[FrameCount];
        double sum = 0;
        for (int r = start; r < start + count; r++)
        {
            rows.CopyRow(r, row);
            Predict(row.AsSpan(FrameCount), prediction);
            for (int i = 0; i < FrameCount; i++)
            {
                double d = row[i] - prediction[i];
                sum += d * d;
            }
        }
        return sum / count;
    }

    /// <summary>XᵀX and XᵀY over a range of rows (upper triangle of XᵀX), the row count, and the range of the frames.</summary>
    private sealed class Moments(int p, int nv)
    {
        private readonly double[] _xx = new double[(long)p * p];
        private readonly double[] _xy = new double[(long)p * nv];
        private long _rows;

        public double Min { get; private set; } = double.PositiveInfinity;

        public double Max { get; private set; } = double.NegativeInfinity;

        public void Accumulate(IRowSource rows, int start, int count, int threads)
        {
            const int Chunk = 512;
            int nc = p - 1;
            var x = new double[Chunk * p];
            var y = new double[Chunk * nv];
            var row = new float[rows.ColumnCount];
            for (int c0 = 0; c0 < count; c0 += Chunk)
            {
                int m = Math.Min(Chunk, count - c0);
                for (int r = 0; r < m; r++)
                {
                    rows.CopyRow(start + c0 + r, row);
                    for (int i = 0; i < nv; i++)
                    {
                        y[r * nv + i] = row[i];
                        Min = Math.Min(Min, row[i]);
                        Max = Math.Max(Max, row[i]);
                    }
                    for (int k = 0; k < nc; k++) x[r * p + k] = row[nv + k];
                    x[r * p + nc] = 1;
                }
                // Row i of XᵀX and XᵀY belongs to one thread, and rows are added in order: deterministic for any thread count.
                Parallel.For(0, p, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    Span<double> xxRow = _xx.AsSpan(i * p + i, p - i), xyRow = _xy.AsSpan(i * nv, nv);
                    for (int r = 0; r < m; r++)
                    {
                        double xi = x[r * p + i];
                        if (xi == 0) continue;
                        TensorPrimitives.MultiplyAdd(x.AsSpan(r * p + i, p - i), xi, xxRow, xxRow);
                        TensorPrimitives.MultiplyAdd(y.AsSpan(r * nv, nv), xi, xyRow, xyRow);
                    }
                });
            }
            _rows += count;
        }

        public void Add(Moments other)
        {
            TensorPrimitives.Add(_xx, other._xx, _xx);
            TensorPrimitives.Add(_xy, other._xy, _xy);
            _rows += other._rows;
            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
        }

        /// <summary>W = (XᵀX/N + λI′)⁻¹ XᵀY/N by Cholesky, (nc + 1) × nv.</summary>
        public double[] Solve(double lambda)
        {
            int nc = p - 1;
            double scale = 1.0 / _rows;
            var l = new double[(long)p * p];
            for (int i = 0; i < p; i++)
                for (int j = 0; j <= i; j++)
                    l[i * p + j] = _xx[j * p + i] * scale + (i == j && i < nc ? lambda : 0);
            // Cholesky, row by row: L[i, j] = (A[i, j] − L[i, :j]·L[j, :j]) / L[j, j].
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    double s = l[i * p + j] - TensorPrimitives.Dot(l.AsSpan(i * p, j), l.AsSpan(j * p, j));
                    if (i == j)
                    {
                        // A context value that never varies (λ = 0) leaves a zero pivot: pin its weight to 0.
                        l[i * p + i] = s > 1e-12 ? Math.Sqrt(s) : double.PositiveInfinity;
                    }
                    else
                    {
                        l[i * p + j] = double.IsPositiveInfinity(l[j * p + j]) ? 0 : s / l[j * p + j];
                    }
                }
            }
            var w = new double[(long)p * nv];
            for (int i = 0; i < p; i++)
                for (int k = 0; k < nv; k++) w[i * nv + k] = _xy[i * nv + k] * scale;
            // Forward: L z = b; back: Lᵀ w = z; every right-hand side at once.
            for (int i = 0; i < p; i++)
            {
                Span<double> wi = w.AsSpan(i * nv, nv);
                for (int k = 0; k < i; k++)
                    if (l[i * p + k] != 0) TensorPrimitives.MultiplyAdd(w.AsSpan(k * nv, nv), -l[i * p + k], wi, wi);
                TensorPrimitives.Divide(wi, l[i * p + i], wi);
            }
            for (int i = p - 1; i >= 0; i--)
            {
                Span<double> wi = w.AsSpan(i * nv, nv);
                for (int k = i + 1; k < p; k++)
                    if (l[k * p + i] != 0) TensorPrimitives.MultiplyAdd(w.AsSpan(k * nv, nv), -l[k * p + i], wi, wi);
                TensorPrimitives.Divide(wi, l[i * p + i], wi);
            }
            return w;
        }
    }
}
