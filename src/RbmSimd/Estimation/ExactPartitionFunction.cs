using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Estimation;

/// <summary>
/// The exact log partition function <c>log Z</c> of a small model of any kind, and the exact
/// log-probabilities (or log-densities, for Gaussian visible units) it gives.
/// </summary>
/// <remarks>
/// Implementation notes. The model writes Z as a sum over the 2ⁿ states of one binary layer with the other
/// layer summed or integrated out in closed form (<see cref="EnumerationPlan"/>). The states are cut into
/// blocks of 2¹⁰; within a block the low bits follow a Gray code, so each step flips one unit and updates
/// the m inputs of the other layer with one vector add or subtract of a row of R. Each block starts from
/// inputs computed afresh in double, which bounds the float drift to 2¹⁰ updates. Each state's log-weight
/// is accumulated in double and folded into a per-block running log-sum-exp (max and scaled sum), so
/// nothing overflows when log Z is in the thousands. Blocks run in parallel on fixed indices and are
/// combined in block order, so the result does not depend on the number of threads.
/// </remarks>
public static class ExactPartitionFunction
{
    /// <summary>The default cap on enumerated states, 2²⁶.</summary>
    public const long DefaultStateLimit = 1L << 26;

    /// <summary>The most units any exact computation enumerates, whatever the limit: 2⁴⁰ states already take hours.</summary>
    public const int MaxEnumeratedUnits = 40;

    private const int BlockBits = 10;

    /// <summary>The number of states an exact computation enumerates: 2 to the power of <see cref="IRbm.EnumeratedUnitCount"/>.</summary>
    public static double StateCount(IRbm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Math.Pow(2, model.EnumeratedUnitCount);
    }

    /// <summary>Whether log Z of <paramref name="model"/> can be computed within <paramref name="stateLimit"/> states.</summary>
    /// <remarks>False for a conditional model (<see cref="IRbm.ContextCount"/> above 0), whose partition function depends on its context: see <see cref="ConditionalLikelihood"/>.</remarks>
    public static bool IsFeasible(IRbm model, long stateLimit = DefaultStateLimit) =>
        model.ContextCount == 0 && model.EnumeratedUnitCount <= MaxEnumeratedUnits && StateCount(model) <= stateLimit;

    /// <summary>Computes log Z, or returns false when the model needs more than <paramref name="stateLimit"/> states.</summary>
    public static bool TryLogPartitionFunction(IRbm model, out double logZ, long stateLimit = DefaultStateLimit, int maxDegreeOfParallelism = -1)
    {
        if (!IsFeasible(model, stateLimit))
        {
            logZ = double.NaN;
            return false;
        }
        logZ = LogPartitionFunction(model, stateLimit, maxDegreeOfParallelism);
        return true;
    }

    /// <summary>Computes log Z exactly by enumerating one layer.</summary>
    /// <param name="model">The model.</param>
    /// <param name="stateLimit">The most states to enumerate; past it the call throws.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all cores. The result is the same for any value.</param>
    /// <exception cref="ArgumentException">The model needs more than <paramref name="stateLimit"/> states (or more than 2⁴⁰).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stateLimit"/> is not positive, or the degree of parallelism is 0 or below −1.</exception>
    public static double LogPartitionFunction(IRbm model, long stateLimit = DefaultStateLimit, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateLimit);
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (model.ContextCount > 0)
            throw new ArgumentException($"A {model.Kind} model has a partition function Z(u) for each context u: use ConditionalLikelihood.", nameof(model));
        if (!IsFeasible(model, stateLimit))
            throw new ArgumentException(InfeasibleMessage(model, stateLimit), nameof(model));
        return LogPartitionFunctionOfPlan(model.CreateEnumerationPlan(), threads);
    }

    /// <summary>
    /// Computes <c>Constant + log Σ_s exp(sᵀc + M(x(s)))</c> exactly for a plan (a model's, or a conditional model's for one
    /// context), enumerating all 2ⁿ states.
    /// </summary>
    /// <param name="plan">The plan; at most <see cref="MaxEnumeratedUnits"/> enumerated units.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; −1 for all cores. The result is the same for any value.</param>
    /// <exception cref="ArgumentException">The plan enumerates more than <see cref="MaxEnumeratedUnits"/> units.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The degree of parallelism is 0 or below −1.</exception>
    public static double LogPartitionFunctionOfPlan(EnumerationPlan plan, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(plan);
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (plan.EnumeratedCount > MaxEnumeratedUnits)
            throw new ArgumentException($"The plan enumerates {plan.EnumeratedCount} units; at most {MaxEnumeratedUnits} can be enumerated.", nameof(plan));
        return plan.Constant + LogSum(plan, threads);
    }

    /// <summary>Computes log Z exactly, as the <see cref="LogZEstimate"/> every estimator returns (a zero-width interval).</summary>
    /// <exception cref="ArgumentException">The model needs more than <paramref name="stateLimit"/> states.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stateLimit"/> is not positive, or the degree of parallelism is 0 or below −1.</exception>
    public static LogZEstimate Estimate(IRbm model, long stateLimit = DefaultStateLimit, int maxDegreeOfParallelism = -1)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double logZ = LogPartitionFunction(model, stateLimit, maxDegreeOfParallelism);
        return LogZEstimate.Exact(logZ, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Why a model is too large for an exact log Z, as one line.</summary>
    public static string InfeasibleMessage(IRbm model, long stateLimit)
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = model.EnumeratedUnitCount;
        string layer = model.VisibleUnits == VisibleUnitKind.Bernoulli && model.VisibleCount < model.HiddenCount ? "visible" : "hidden";
        string size = $"Exact log Z of a {model.VisibleCount}x{model.HiddenCount} model enumerates its {n} {layer} units: 2^{n} = {StateCount(model):G4} states";
        return n > MaxEnumeratedUnits
            ? $"{size}, beyond any exact computation (at most {MaxEnumeratedUnits} units). Estimate it instead (annealed importance sampling)."
            : $"{size}, above the limit of {stateLimit:N0}. Raise the limit (each doubling of the states doubles the time) or estimate it instead.";
    }

    /// <summary>Exact <c>log P(v) = −F(v) − log Z</c> for each row of <paramref name="visible"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="visible">Batch×nv.</param>
    /// <param name="logZ">The model's log partition function (from <see cref="LogPartitionFunction"/>).</param>
    /// <param name="logProbability">One value per row, written.</param>
    /// <exception cref="ArgumentException">Shapes do not match, or <paramref name="logZ"/> is not finite.</exception>
    public static void LogProbability(IRbm model, ReadOnlyMatrixView visible, double logZ, Span<double> logProbability)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!double.IsFinite(logZ)) throw new ArgumentException($"log Z must be finite but is {logZ}.", nameof(logZ));
        if (logProbability.Length < visible.Rows)
            throw new ArgumentException($"Destination holds {logProbability.Length} values but {visible.Rows} are needed.", nameof(logProbability));
        model.FreeEnergy(visible, logProbability, Temperature.One);
        for (int i = 0; i < visible.Rows; i++) logProbability[i] = -logProbability[i] - logZ;
    }

    /// <summary>The mean exact log-likelihood <c>(1/N) Σ log P(v)</c> over the rows of <paramref name="visible"/>.</summary>
    /// <exception cref="ArgumentException">Shapes do not match, there are no rows, or <paramref name="logZ"/> is not finite.</exception>
    public static double AverageLogLikelihood(IRbm model, ReadOnlyMatrixView visible, double logZ)
    {
        if (visible.Rows == 0) throw new ArgumentException("The data has no rows.", nameof(visible));
        double[] lp = ArrayPool<double>.Shared.Rent(visible.Rows);
        try
        {
            LogProbability(model, visible, logZ, lp.AsSpan(0, visible.Rows));
            double sum = 0;
            for (int i = 0; i < visible.Rows; i++) sum += lp[i];
            return sum / visible.Rows;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(lp);
        }
    }

    /// <summary><c>log Σ_s exp(sᵀc + M(x(s)))</c> over all states of the plan.</summary>
    private static double LogSum(EnumerationPlan plan, int threads)
    {
        if (plan.EnumeratedGroupSize < 1 || plan.EnumeratedCount % plan.EnumeratedGroupSize != 0)
            throw new ArgumentException($"The plan's {plan.EnumeratedCount} enumerated units do not form groups of {plan.EnumeratedGroupSize}.", nameof(plan));
        if (plan.MarginalGroupSize < 1 || plan.OtherCount % plan.MarginalGroupSize != 0)
            throw new ArgumentException($"The plan's {plan.OtherCount} summed-out units do not form groups of {plan.MarginalGroupSize}.", nameof(plan));
        return plan.Marginal switch
        {
            MarginalKind.Softplus when plan.MarginalGroupSize > 1 => LogSumOfKind(plan, new GroupedSoftplusMarginal(plan.MarginalGroupSize), threads),
            MarginalKind.Softplus => LogSumOfKind(plan, new SoftplusMarginal(), threads),
            MarginalKind.GaussianQuadratic => LogSumOfKind(plan, new QuadraticMarginal(plan.Coefficients), threads),
            _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.Marginal, "Unknown marginal."),
        };
    }

    private static double LogSumOfKind<TMarginal>(EnumerationPlan plan, TMarginal marginal, int threads) where TMarginal : struct, IMarginal =>
        plan.EnumeratedGroupSize > 1 ? GroupedLogSum(plan, marginal, threads) : LogSum(plan, marginal, threads);

    /// <summary>
    /// The sum over the (g + 1)^G states of G groups of g units with at most one on per group: each group is a digit in
    /// 0 … g (0: all off, d: unit d − 1 on). The low digits follow a reflected mixed-radix Gray code within a block (one digit
    /// moves by ±1 per step: one row of R out and one in), the high digits are the block index; as for binary units, each
    /// block starts from inputs computed afresh in double and blocks combine in order.
    /// </summary>
    private static unsafe double GroupedLogSum<TMarginal>(EnumerationPlan plan, TMarginal marginal, int threads) where TMarginal : struct, IMarginal
    {
        int g = plan.EnumeratedGroupSize, groups = plan.EnumeratedCount / g, radix = g + 1;
        int lowGroups = 1;
        while (lowGroups < groups && Math.Pow(radix, lowGroups + 1) <= 1 << BlockBits) lowGroups++;
        lowGroups = Math.Min(lowGroups, groups);
        double blockCount = Math.Pow(radix, groups - lowGroups);
        if (blockCount > int.MaxValue) throw new ArgumentException("The plan has too many states to enumerate.", nameof(plan));
        int blocks = (int)blockCount;
        var partial = new LogSumExp[blocks];
        fixed (LogSumExp* results = partial)
        {
            var body = new GroupedBlock<TMarginal>(plan, marginal, lowGroups, results);
            ChunkedParallel.For(blocks, threads, body);
        }
        return Total(partial);
    }

    /// <summary>The blocks' sums combined in block order (the same bits for any thread count).</summary>
    private static double Total(LogSumExp[] partial)
    {
        var total = LogSumExp.Empty;
        foreach (LogSumExp p in partial) total = total.Combine(p);
        return total.Value;
    }

    private static unsafe double LogSum<TMarginal>(EnumerationPlan plan, TMarginal marginal, int threads) where TMarginal : struct, IMarginal
    {
        int lowBits = Math.Min(plan.EnumeratedCount, BlockBits);
        int blocks = checked(1 << (plan.EnumeratedCount - lowBits));
        var partial = new LogSumExp[blocks];
        fixed (LogSumExp* results = partial)
        {
            var body = new Block<TMarginal>(plan, marginal, lowBits, results);
            ChunkedParallel.For(blocks, threads, body);
        }
        return Total(partial);
    }

    /// <summary>What the marginalised layer contributes, given its inputs.</summary>
    private interface IMarginal
    {
        double Sum(ReadOnlySpan<float> inputs);
    }

    private readonly struct SoftplusMarginal : IMarginal
    {
        public double Sum(ReadOnlySpan<float> inputs) => Activations.SumSoftplus(inputs);
    }

    /// <summary><c>Σ_groups log(1 + Σ_group e^{x})</c>, each group shifted by its maximum (clamped at 0), in double.</summary>
    private readonly struct GroupedSoftplusMarginal(int groupSize) : IMarginal
    {
        public double Sum(ReadOnlySpan<float> inputs)
        {
            double sum = 0;
            for (int start = 0; start < inputs.Length; start += groupSize)
            {
                ReadOnlySpan<float> group = inputs.Slice(start, groupSize);
                double m = 0;
                foreach (float x in group) m = Math.Max(m, x);
                double t = Math.Exp(-m);
                foreach (float x in group) t += Math.Exp(x - m);
                sum += m + Math.Log(t);
            }
            return sum;
        }
    }

    private readonly struct QuadraticMarginal(float[] coefficients) : IMarginal
    {
        public double Sum(ReadOnlySpan<float> inputs)
        {
            double sum = 0;
            for (int k = 0; k < inputs.Length; k++)
            {
                double x = inputs[k];
                sum += x * (0.5 * x + coefficients[k]);
            }
            return sum;
        }
    }

    /// <summary>One block of 2^lowBits states: the high bits are the block index, the low bits a Gray code.</summary>
    private readonly unsafe struct Block<TMarginal>(EnumerationPlan plan, TMarginal marginal, int lowBits, LogSumExp* results) : IChunkAction
        where TMarginal : struct, IMarginal
    {
        public void Invoke(int block)
        {
            int n = plan.EnumeratedCount, m = plan.OtherCount;
            float[] rented = ArrayPool<float>.Shared.Rent(m);
            double[] exactRented = ArrayPool<double>.Shared.Rent(m);
            try
            {
                Span<float> inputs = rented.AsSpan(0, m);
                Span<double> exact = exactRented.AsSpan(0, m);
                ReadOnlySpan<float> rows = plan.Rows, bias = plan.EnumeratedBias;
                // Fresh start: the high bits (the block index) fix units lowBits..n-1; low bits start at 0.
                double linear = 0;
                for (int k = 0; k < m; k++) exact[k] = plan.Offset[k];
                for (int u = lowBits; u < n; u++)
                {
                    if (((block >> (u - lowBits)) & 1) == 0) continue;
                    linear += bias[u];
                    ReadOnlySpan<float> row = rows.Slice(u * m, m);
                    for (int k = 0; k < m; k++) exact[k] += row[k];
                }
                for (int k = 0; k < m; k++) inputs[k] = (float)exact[k];

                var acc = LogSumExp.Empty.Add(linear + marginal.Sum(inputs));
                long count = 1L << lowBits;
                for (long i = 1; i < count; i++)
                {
                    int unit = BitOperations.TrailingZeroCount(i);
                    bool on = (((i ^ (i >> 1)) >> unit) & 1) != 0; // unit's bit in the Gray code of i
                    ReadOnlySpan<float> row = rows.Slice(unit * m, m);
                    if (on)
                    {
                        TensorPrimitives.Add(inputs, row, inputs);
                        linear += bias[unit];
                    }
                    else
                    {
                        TensorPrimitives.Subtract(inputs, row, inputs);
                        linear -= bias[unit];
                    }
                    acc = acc.Add(linear + marginal.Sum(inputs));
                }
                results[block] = acc;
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rented);
                ArrayPool<double>.Shared.Return(exactRented);
            }
        }
    }

    /// <summary>One block of the grouped enumeration: the high digits are the block index, the low ones a reflected Gray code.</summary>
    private readonly unsafe struct GroupedBlock<TMarginal>(EnumerationPlan plan, TMarginal marginal, int lowGroups, LogSumExp* results) : IChunkAction
        where TMarginal : struct, IMarginal
    {
        public void Invoke(int block)
        {
            int g = plan.EnumeratedGroupSize, groups = plan.EnumeratedCount / g, radix = g + 1, m = plan.OtherCount;
            float[] rented = ArrayPool<float>.Shared.Rent(m);
            double[] exactRented = ArrayPool<double>.Shared.Rent(m);
            try
            {
                Span<float> inputs = rented.AsSpan(0, m);
                Span<double> exact = exactRented.AsSpan(0, m);
                ReadOnlySpan<float> rows = plan.Rows, bias = plan.EnumeratedBias;
                double linear = 0;
                for (int k = 0; k < m; k++) exact[k] = plan.Offset[k];
                int rest = block;
                for (int group = lowGroups; group < groups; group++, rest /= radix)
                {
                    int digit = rest % radix;
                    if (digit == 0) continue;
                    int unit = group * g + digit - 1;
                    linear += bias[unit];
                    ReadOnlySpan<float> row = rows.Slice(unit * m, m);
                    for (int k = 0; k < m; k++) exact[k] += row[k];
                }
                for (int k = 0; k < m; k++) inputs[k] = (float)exact[k];

                var acc = LogSumExp.Empty.Add(linear + marginal.Sum(inputs));
                Span<int> digits = stackalloc int[lowGroups];
                Span<int> direction = stackalloc int[lowGroups];
                digits.Clear();
                direction.Fill(1);
                long count = (long)Math.Pow(radix, lowGroups);
                for (long step = 1; step < count; step++)
                {
                    // The lowest digit that can move on in its direction moves; the digits below it turn round.
                    int j = 0;
                    while (digits[j] + direction[j] < 0 || digits[j] + direction[j] > g)
                    {
                        direction[j] = -direction[j];
                        j++;
                    }
                    int old = digits[j], now = old + direction[j];
                    digits[j] = now;
                    if (old > 0)
                    {
                        TensorPrimitives.Subtract(inputs, rows.Slice((j * g + old - 1) * m, m), inputs);
                        linear -= bias[j * g + old - 1];
                    }
                    if (now > 0)
                    {
                        TensorPrimitives.Add(inputs, rows.Slice((j * g + now - 1) * m, m), inputs);
                        linear += bias[j * g + now - 1];
                    }
                    acc = acc.Add(linear + marginal.Sum(inputs));
                }
                results[block] = acc;
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rented);
                ArrayPool<double>.Shared.Return(exactRented);
            }
        }
    }
}
