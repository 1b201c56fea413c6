using System.Numerics;
using System.Numerics.Tensors;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Estimation;

/// <summary>
/// The exact log partition function <c>log Z = log Σ_{v,h} e^{−E(v,h)}</c> of a small
/// <see cref="BernoulliRbm"/>, and the exact log-probabilities it gives.
/// </summary>
/// <remarks>
/// Implementation notes. One layer is summed out analytically: with the smaller layer s of n units
/// enumerated and the other layer of m units marginalised,
/// <c>Z = Σ_s exp(cᵀs + Σ_k softplus(d_k + (sᵀR)_k))</c>, where (R, c, d) is (Wᵀ, b, a) when the
/// hidden layer is enumerated and (W, a, b) when the visible one is. The 2ⁿ states are cut into
/// blocks of 2¹⁰; within a block the low bits follow a Gray code, so each step flips one unit and
/// updates the m activations with one vector add or subtract of a row of R. Each block starts from
/// activations computed afresh in double, which bounds the float drift to 2¹⁰ updates. Each state's
/// log-weight is accumulated in double and folded into a per-block running log-sum-exp
/// (max and scaled sum), so nothing overflows when log Z is in the thousands. Blocks run in parallel
/// and are combined in block order, so the result does not depend on the number of threads.
/// </remarks>
public static class ExactPartitionFunction
{
    /// <summary>The default cap on enumerated states, 2²⁶.</summary>
    public const long DefaultStateLimit = 1L << 26;

    private const int BlockBits = 10;

    /// <summary>The number of states an exact computation enumerates: 2^min(nv, nh), or <see cref="double.PositiveInfinity"/> past 2⁶².</summary>
    public static double StateCount(BernoulliRbm rbm)
    {
        ArgumentNullException.ThrowIfNull(rbm);
        return Math.Pow(2, Math.Min(rbm.VisibleCount, rbm.HiddenCount));
    }

    /// <summary>Whether log Z of <paramref name="rbm"/> can be computed within <paramref name="stateLimit"/> states.</summary>
    public static bool IsFeasible(BernoulliRbm rbm, long stateLimit = DefaultStateLimit) =>
        StateCount(rbm) <= stateLimit;

    /// <summary>Computes log Z, or returns false when the model needs more than <paramref name="stateLimit"/> states.</summary>
    public static bool TryLogPartitionFunction(BernoulliRbm rbm, out double logZ, long stateLimit = DefaultStateLimit, int maxDegreeOfParallelism = -1)
    {
        if (!IsFeasible(rbm, stateLimit))
        {
            logZ = double.NaN;
            return false;
        }
        logZ = LogPartitionFunction(rbm, stateLimit, maxDegreeOfParallelism);
        return true;
    }

    /// <summary>Computes log Z exactly by enumerating the smaller layer.</summary>
    /// <param name="rbm">The model.</param>
    /// <param name="stateLimit">The most states to enumerate; past it the call throws.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all cores. The result is the same for any value.</param>
    /// <exception cref="ArgumentException">The model needs more than <paramref name="stateLimit"/> states.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stateLimit"/> is not positive, or the degree of parallelism is 0 or below −1.</exception>
    public static double LogPartitionFunction(BernoulliRbm rbm, long stateLimit = DefaultStateLimit, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(rbm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateLimit);
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use −1 for all cores or a positive thread count.");
        bool enumerateHidden = rbm.HiddenCount <= rbm.VisibleCount;
        int n = Math.Min(rbm.VisibleCount, rbm.HiddenCount);
        if (!IsFeasible(rbm, stateLimit))
            throw new ArgumentException(
                $"Exact log Z of a {rbm.VisibleCount}x{rbm.HiddenCount} model enumerates its {n} {(enumerateHidden ? "hidden" : "visible")} units: 2^{n} = {StateCount(rbm):G4} states, above the limit of {stateLimit:N0}. " +
                "Use a model with a smaller layer or raise the limit.", nameof(rbm));

        int m = enumerateHidden ? rbm.VisibleCount : rbm.HiddenCount;
        float[] rows = new float[(long)n * m];
        if (enumerateHidden) Transpose(rbm.Weights, rbm.VisibleCount, rbm.HiddenCount, rows);
        else rbm.Weights.CopyTo(rows);
        var problem = new Problem(rows, n, m,
            enumerateHidden ? rbm.HiddenBias.ToArray() : rbm.VisibleBias.ToArray(),
            enumerateHidden ? rbm.VisibleBias.ToArray() : rbm.HiddenBias.ToArray());
        return problem.LogSum(maxDegreeOfParallelism);
    }

    /// <summary>Exact <c>log P(v) = −F(v) − log Z</c> for each row of <paramref name="visible"/>.</summary>
    /// <param name="rbm">The model.</param>
    /// <param name="visible">Batch×nv.</param>
    /// <param name="logZ">The model's log partition function (from <see cref="LogPartitionFunction"/>).</param>
    /// <param name="logProbability">One value per row, written.</param>
    /// <exception cref="ArgumentException">Shapes do not match, or <paramref name="logZ"/> is not finite.</exception>
    public static void LogProbability(BernoulliRbm rbm, ReadOnlyMatrixView visible, double logZ, Span<double> logProbability)
    {
        ArgumentNullException.ThrowIfNull(rbm);
        if (!double.IsFinite(logZ)) throw new ArgumentException($"log Z must be finite but is {logZ}.", nameof(logZ));
        if (logProbability.Length < visible.Rows)
            throw new ArgumentException($"Destination holds {logProbability.Length} values but {visible.Rows} are needed.", nameof(logProbability));
        rbm.FreeEnergy(visible, logProbability);
        for (int i = 0; i < visible.Rows; i++) logProbability[i] = -logProbability[i] - logZ;
    }

    /// <summary>The mean exact log-likelihood <c>(1/N) Σ log P(v)</c> over the rows of <paramref name="visible"/>.</summary>
    /// <exception cref="ArgumentException">Shapes do not match, there are no rows, or <paramref name="logZ"/> is not finite.</exception>
    public static double AverageLogLikelihood(BernoulliRbm rbm, ReadOnlyMatrixView visible, double logZ)
    {
        if (visible.Rows == 0) throw new ArgumentException("The data has no rows.", nameof(visible));
        double[] lp = System.Buffers.ArrayPool<double>.Shared.Rent(visible.Rows);
        try
        {
            LogProbability(rbm, visible, logZ, lp.AsSpan(0, visible.Rows));
            double sum = 0;
            for (int i = 0; i < visible.Rows; i++) sum += lp[i];
            return sum / visible.Rows;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(lp);
        }
    }

    private static void Transpose(ReadOnlySpan<float> source, int rows, int cols, Span<float> destination)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                destination[j * rows + i] = source[i * cols + j];
    }

    /// <summary>Σ over s ∈ {0,1}ⁿ of exp(cᵀs + Σ_k softplus(d_k + (sᵀR)_k)), as a log.</summary>
    private sealed class Problem(float[] rows, int n, int m, float[] flipBias, float[] otherBias)
    {
        public double LogSum(int maxDegreeOfParallelism)
        {
            int lowBits = Math.Min(n, BlockBits);
            long blocks = 1L << (n - lowBits);
            var partial = new LogSumExp[blocks];
            var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
            Parallel.For(0L, blocks, options,
                () => new Scratch(new float[m], new double[m]),
                (block, _, scratch) =>
                {
                    partial[block] = SumBlock(block, lowBits, scratch);
                    return scratch;
                },
                _ => { });
            var total = LogSumExp.Empty;
            foreach (LogSumExp p in partial) total = total.Combine(p);
            return total.Value;
        }

        private LogSumExp SumBlock(long block, int lowBits, Scratch scratch)
        {
            float[] activations = scratch.Activations;
            double[] exact = scratch.Exact;
            // Fresh start: the high bits (the block index) fix units lowBits..n-1; low bits start at 0.
            double linear = 0;
            for (int k = 0; k < m; k++) exact[k] = otherBias[k];
            for (int u = lowBits; u < n; u++)
            {
                if (((block >> (u - lowBits)) & 1) == 0) continue;
                linear += flipBias[u];
                ReadOnlySpan<float> row = rows.AsSpan(u * m, m);
                for (int k = 0; k < m; k++) exact[k] += row[k];
            }
            for (int k = 0; k < m; k++) activations[k] = (float)exact[k];

            var acc = LogSumExp.Empty;
            acc = acc.Add(linear + Activations.SumSoftplus(activations));
            long count = 1L << lowBits;
            for (long i = 1; i < count; i++)
            {
                int unit = BitOperations.TrailingZeroCount(i);
                bool on = (((i ^ (i >> 1)) >> unit) & 1) != 0; // unit's bit in the Gray code of i
                ReadOnlySpan<float> row = rows.AsSpan(unit * m, m);
                if (on)
                {
                    TensorPrimitives.Add(activations, row, activations);
                    linear += flipBias[unit];
                }
                else
                {
                    TensorPrimitives.Subtract(activations, row, activations);
                    linear -= flipBias[unit];
                }
                acc = acc.Add(linear + Activations.SumSoftplus(activations));
            }
            return acc;
        }
    }

    /// <summary>Per-thread buffers: the float activations and their fresh double-precision start.</summary>
    private sealed record Scratch(float[] Activations, double[] Exact);

    /// <summary>A running log-sum-exp: the sum is <c>Scale · e^{Max}</c>.</summary>
    private readonly record struct LogSumExp(double Max, double Scale)
    {
        public static LogSumExp Empty => new(double.NegativeInfinity, 0);

        public double Value => Max + Math.Log(Scale);

        public LogSumExp Add(double x) =>
            x <= Max ? this with { Scale = Scale + Math.Exp(x - Max) } : new LogSumExp(x, Scale * Math.Exp(Max - x) + 1);

        public LogSumExp Combine(LogSumExp other)
        {
            if (other.Scale == 0) return this;
            if (Scale == 0) return other;
            return other.Max <= Max
                ? this with { Scale = Scale + other.Scale * Math.Exp(other.Max - Max) }
                : new LogSumExp(other.Max, other.Scale + Scale * Math.Exp(Max - other.Max));
        }
    }
}
