using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Model;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Estimation;

/// <summary>
/// Exact log Z where the enumeration spans more than one Gray-code block of 2¹⁰ states (more than 10
/// units in the smaller layer), with varied weights, against the double reference that sums the other
/// layer out; and its argument contract.
/// </summary>
public class ExactPartitionFunctionReferenceTests
{
    /// <summary>
    /// A model whose smaller layer has <paramref name="N"/> units (11 to 14 here, so units 10 and up are
    /// the block's high bits) and whose other layer has <paramref name="M"/> ≥ N.
    /// </summary>
    public sealed record WideCase(int N, int M, bool EnumerateHidden, double Scale, int Seed)
    {
        // The library enumerates the hidden layer when nh ≤ nv, so a visible enumeration needs M > N.
        public int Nv => EnumerateHidden ? M : N;
        public int Nh => EnumerateHidden ? N : M;
        public BernoulliRbm CreateModel() => new RbmCase(Nv, Nh, 1, Scale, Seed).CreateModel();
    }

    public static Arbitrary<WideCase> WideCases()
    {
        Gen<WideCase> gen =
            from n in Gen.Choose(11, 14)
            from extra in Gen.Choose(0, 10)
            from hidden in Gen.Elements(true, false)
            from scale in Gen.Elements(0.3, 1.0, 2.0)
            from seed in Gen.Choose(0, int.MaxValue)
            select new WideCase(n, n + (hidden ? extra : Math.Max(extra, 1)), hidden, scale, seed);
        return Arb.From(gen, Shrink);
    }

    private static IEnumerable<WideCase> Shrink(WideCase c)
    {
        // Keep N ≥ 11: below that everything fits in one block and the case stops testing what it is for.
        if (c.N > 11) yield return c with { N = 11, M = Math.Max(c.M - (c.N - 11), c.EnumerateHidden ? 11 : 12) };
        int minM = c.EnumerateHidden ? c.N : c.N + 1;
        if (c.M > minM) yield return c with { M = minM };
        if (c.Scale > 1) yield return c with { Scale = 1 };
    }

    // Kills: the start of a block uses the wrong weight row for the high units (rows.AsSpan(u * m, m) → u / m).
    [Property(MaxTest = 20)]
    public Property LogZ_MoreThanTenUnitsInTheSmallerLayer_MatchesReference() => Prop.ForAll(WideCases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        var naive = new NaiveRbm(rbm);
        double expected = c.EnumerateHidden ? NaivePartitionFunction.LogZEnumeratingHidden(naive) : NaivePartitionFunction.LogZEnumeratingVisible(naive);
        double actual = ExactPartitionFunction.LogPartitionFunction(rbm, maxDegreeOfParallelism: 1);
        double tol = ExactPartitionFunctionTests.LogZTolerance(naive);
        return Tolerance.Close(expected, actual, tol)
            .Label($"reference {expected}, exact {actual}, tolerance {tol}")
            .Classify(c.EnumerateHidden, "hidden layer enumerated")
            .Classify(!c.EnumerateHidden, "visible layer enumerated");
    });

    // Kills: rows.AsSpan(u * m, m) → u / m, with 64 blocks (every high bit pattern) in both orientations.
    [Theory]
    [InlineData(16, 20, true, 1.0, 17)]
    [InlineData(16, 19, false, 1.0, 18)]
    [InlineData(11, 11, true, 2.0, 19)]   // nv = nh: the hidden layer is the one enumerated
    public void LogZ_SixteenUnitsEnumerated_MatchesReference(int n, int m, bool enumerateHidden, double scale, int seed)
    {
        var c = new WideCase(n, m, enumerateHidden, scale, seed);
        BernoulliRbm rbm = c.CreateModel();
        var naive = new NaiveRbm(rbm);
        double expected = NaivePartitionFunction.LogZ(naive);
        double actual = ExactPartitionFunction.LogPartitionFunction(rbm, maxDegreeOfParallelism: 1);
        Assert.True(Tolerance.Close(expected, actual, ExactPartitionFunctionTests.LogZTolerance(naive)),
            $"reference {expected}, exact {actual}, tolerance {ExactPartitionFunctionTests.LogZTolerance(naive)}");
    }

    /// <summary>
    /// Zero weights and one bias of ±1000 on a unit of the enumerated layer: states with that unit on
    /// carry e^{±1000} times the weight of the others, so the per-state and per-block maxima jump by 1000
    /// in one direction. Unit 0 flips inside every Gray-code block (the running sum's Add); unit 10 is the
    /// lowest block bit, so adjacent blocks differ (Combine); unit 11 the highest. The closed form for
    /// W = 0 is Σ softplus(a) + Σ softplus(b).
    /// </summary>
    // Kills: LogSumExp.Add or LogSumExp.Combine always taking one of its two branches, so that
    // exp(max − x) or exp(x − max) overflows to +∞ when a later term lies far on the other side.
    [Theory]
    [InlineData(true, 0, 1000f)]
    [InlineData(true, 0, -1000f)]
    [InlineData(true, 10, 1000f)]
    [InlineData(true, 10, -1000f)]
    [InlineData(true, 11, 1000f)]
    [InlineData(true, 11, -1000f)]
    [InlineData(false, 0, 1000f)]
    [InlineData(false, 0, -1000f)]
    [InlineData(false, 10, 1000f)]
    [InlineData(false, 10, -1000f)]
    [InlineData(false, 11, -1000f)]
    public void LogZ_BlocksOfVeryDifferentMagnitude_MatchClosedForm(bool enumerateHidden, int unit, float bias)
    {
        const int n = 12, m = 14;
        int nv = enumerateHidden ? m : n, nh = enumerateHidden ? n : m;
        var random = new Random(unit * 31 + (enumerateHidden ? 1 : 2));
        float[] a = Enumerable.Range(0, nv).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] b = Enumerable.Range(0, nh).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        (enumerateHidden ? b : a)[unit] = bias;
        var rbm = new BernoulliRbm(nv, nh, new float[nv * nh], a, b);
        double expected = NaivePartitionFunction.LogZWithoutWeights(a.Select(x => (double)x).ToArray(), b.Select(x => (double)x).ToArray());
        double actual = ExactPartitionFunction.LogPartitionFunction(rbm, maxDegreeOfParallelism: 1);
        double tol = ExactPartitionFunctionTests.LogZTolerance(new NaiveRbm(rbm));
        Assert.True(double.IsFinite(actual), $"log Z = {actual}");
        Assert.True(Tolerance.Close(expected, actual, tol), $"closed form {expected}, exact {actual}, tolerance {tol}");
    }

    // Kills: removing the stateLimit check (it would enumerate) and IsFeasible's ≤ becoming < (2^n = limit is allowed).
    [Fact]
    public void StateLimit_IsInclusive_AndTryReportsNaNWhenInfeasible()
    {
        var rbm = BernoulliRbm.CreateRandom(12, 11, seed: 3, weightStdDev: 0.5f);
        Assert.Equal(2048.0, ExactPartitionFunction.StateCount(rbm));
        Assert.True(ExactPartitionFunction.IsFeasible(rbm, stateLimit: 2048));
        Assert.False(ExactPartitionFunction.IsFeasible(rbm, stateLimit: 2047));
        Assert.False(ExactPartitionFunction.TryLogPartitionFunction(rbm, out double none, stateLimit: 2047));
        Assert.True(double.IsNaN(none));
        var ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunction(rbm, stateLimit: 2047));
        Assert.Equal("model", ex.ParamName);
        Assert.True(ExactPartitionFunction.TryLogPartitionFunction(rbm, out double logZ, stateLimit: 2048));
        var naive = new NaiveRbm(rbm);
        Assert.True(Tolerance.Close(NaivePartitionFunction.LogZ(naive), logZ, ExactPartitionFunctionTests.LogZTolerance(naive)));
    }

    // Kills: dropping the stateLimit or thread-count validation (ParallelOptions would reject 0 itself, naming "value").
    [Theory]
    [InlineData(0L, -1, "stateLimit")]
    [InlineData(-5L, -1, "stateLimit")]
    [InlineData(1024L, 0, "maxDegreeOfParallelism")]
    [InlineData(1024L, -2, "maxDegreeOfParallelism")]
    public void LogPartitionFunction_RejectsBadArguments_NamingThem(long stateLimit, int threads, string name)
    {
        var rbm = BernoulliRbm.CreateRandom(4, 3, seed: 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ExactPartitionFunction.LogPartitionFunction(rbm, stateLimit, threads));
        Assert.Equal(name, ex.ParamName);
        Assert.Throws<ArgumentNullException>(() => ExactPartitionFunction.LogPartitionFunction(null!));
        Assert.Throws<ArgumentNullException>(() => ExactPartitionFunction.StateCount(null!));
    }

    /// <summary>A plan of n enumerated units and m summed-out Bernoulli units with zero weights and biases.</summary>
    private static EnumerationPlan ZeroPlan(int n, int m, MarginalKind marginal = MarginalKind.Softplus) =>
        new("hidden", n, m, new float[n * m], new float[n], new float[m], marginal, marginal == MarginalKind.Softplus ? [] : new float[m], 0.0);

    // Kills: a plan's own checks removed (more than 40 enumerated units, groups that do not divide the units, a marginal
    // kind the code does not know), each of which would otherwise loop for ever, read past the rows or sum nothing.
    // The zero plan at the limits is a closed form: log Z = n·log 2 + m·log 2, or with groups of g enumerated units
    // (n/g)·log(g + 1) + m·log 2.
    [Fact]
    public void LogPartitionFunctionOfPlan_ChecksThePlan_NamingIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunctionOfPlan(ZeroPlan(41, 1)));
        Assert.Equal("plan", ex.ParamName);
        Assert.StartsWith("The plan enumerates 41 units; at most 40 can be enumerated.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunctionOfPlan(ZeroPlan(3, 2) with { EnumeratedGroupSize = 2 }));
        Assert.Equal("plan", ex.ParamName);
        Assert.StartsWith("The plan's 3 enumerated units do not form groups of 2.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunctionOfPlan(ZeroPlan(2, 3) with { MarginalGroupSize = 2 }));
        Assert.Equal("plan", ex.ParamName);
        Assert.StartsWith("The plan's 3 summed-out units do not form groups of 2.", ex.Message);
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => ExactPartitionFunction.LogPartitionFunctionOfPlan(ZeroPlan(2, 3, (MarginalKind)7)));
        Assert.Equal("plan", unknown.ParamName);
        Assert.StartsWith("Unknown marginal.", unknown.Message);
        Assert.Throws<ArgumentNullException>(() => ExactPartitionFunction.LogPartitionFunctionOfPlan(null!));

        // The summed-out layer's Σ softplus is promised to a relative 10⁻⁶ (Activations.SumSoftplus); the same bound carries
        // through the log-sum-exp over the states.
        double tol = 1e-6 * 2 * Math.Log(2) + 1e-12;
        Assert.True(Tolerance.Close(5 * Math.Log(2), ExactPartitionFunction.LogPartitionFunctionOfPlan(ZeroPlan(3, 2), 1), tol));
        Assert.True(Tolerance.Close(3 * Math.Log(3) + 2 * Math.Log(2),
            ExactPartitionFunction.LogPartitionFunctionOfPlan(ZeroPlan(6, 2) with { EnumeratedGroupSize = 2 }, 1), tol));
    }

    // Kills: the refusal of a conditional model removed or emptied: it has one Z per context, and the message points to the
    // computation that handles that (the infeasibility message that would follow says only that it is too large).
    [Fact]
    public void LogPartitionFunction_ConditionalModel_PointsToConditionalLikelihood()
    {
        ConditionalRbm model = ConditionalRbm.CreateRandom(VisibleUnitKind.Bernoulli, 4, 2, 3, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunction(model));
        Assert.Equal("model", ex.ParamName);
        Assert.StartsWith($"A {model.Kind} model has a partition function Z(u) for each context u: use ConditionalLikelihood.", ex.Message);
    }

    // Kills: the finite-log Z check removed (NaN, ±∞ would silently give NaN or ∓∞ log-probabilities).
    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void LogProbability_NonFiniteLogZ_Throws(double logZ)
    {
        var rbm = BernoulliRbm.CreateRandom(4, 3, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogProbability(rbm, new Matrix(2, 4), logZ, new double[2]));
        Assert.Equal("logZ", ex.ParamName);
        Assert.StartsWith("log Z must be finite but is ", ex.Message);
        Assert.Throws<ArgumentException>(() => ExactPartitionFunction.AverageLogLikelihood(rbm, new Matrix(2, 4), logZ));
    }

    // Kills: the destination length check removed (rows past the end would be written out of range or
    // dropped), and an exception that names a parameter the caller never passed.
    [Fact]
    public void LogProbability_ShortDestination_ThrowsNamingIt()
    {
        var rbm = BernoulliRbm.CreateRandom(4, 3, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogProbability(rbm, new Matrix(3, 4), 1.0, new double[2]));
        Assert.Equal("logProbability", ex.ParamName);
        Assert.StartsWith("Destination holds 2 values but 3 are needed.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogProbability(rbm, new Matrix(3, 5), 1.0, new double[3]));
        Assert.Equal("visible", ex.ParamName);
        Assert.Throws<ArgumentNullException>(() => ExactPartitionFunction.LogProbability(null!, new Matrix(3, 4), 1.0, new double[3]));
    }

    // Kills: AverageLogLikelihood accepting no rows (0/0 = NaN) and any slip in its mean (a dropped row,
    // a wrong divisor, +log Z), over more rows than one 64-row free-energy chunk. With 128 rows the pooled
    // buffer of log-probabilities is exactly as long as the data, so a sum that reads one row past the end
    // throws instead of adding whatever the pool left there.
    [Theory]
    [InlineData(70)]
    [InlineData(128)]
    public void AverageLogLikelihood_IsTheMeanOfReferenceLogProbabilities(int rowCount)
    {
        var rbm = new RbmCase(9, 7, 1, 1.0, 23).CreateModel();
        var naive = new NaiveRbm(rbm);
        Matrix v = new RbmCase(9, 7, rowCount, 1.0, 23).BinaryRows(9, 1);
        double logZ = NaivePartitionFunction.LogZ(naive);
        double[][] rows = Enumerable.Range(0, v.Rows).Select(r => RbmCase.Row(v, r)).ToArray();
        double expected = rows.Average(r => -naive.FreeEnergy(r) - logZ);
        double tol = rows.Max(r => BernoulliRbmPropertyTests.FreeEnergyTolerance(naive, r));
        Assert.True(Tolerance.Close(expected, ExactPartitionFunction.AverageLogLikelihood(rbm, v, logZ), tol));
        var ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.AverageLogLikelihood(rbm, new Matrix(0, 9), logZ));
        Assert.Equal("visible", ex.ParamName);
        Assert.StartsWith("The data has no rows.", ex.Message);
    }
}
