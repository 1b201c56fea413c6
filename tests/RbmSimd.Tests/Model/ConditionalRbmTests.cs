using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// The conditional RBM against the unconditional one: with u = 0, or with A = B = 0 and any u, every operation and whole
/// training runs give the unconditional model's bits (for sparse binary rows, which take the set-bit product, and dense
/// rows; for inner dimensions beyond one GEMM block; for 1 and 3 threads; at β = 1 and tempered). And the exact
/// conditional log-likelihood against brute-force enumeration of every joint state.
/// </summary>
public class ConditionalRbmTests
{
    public static TheoryData<VisibleUnitKind, int, int, int, bool> Shapes => new()
    {
        // units, nv, nc, nh, sparse binary rows
        { VisibleUnitKind.Bernoulli, 7, 5, 9, false },
        { VisibleUnitKind.Bernoulli, 300, 40, 70, true },
        { VisibleUnitKind.Bernoulli, 300, 300, 20, false },
        { VisibleUnitKind.Gaussian, 9, 4, 6, false },
        { VisibleUnitKind.Gaussian, 280, 30, 40, false },
    };

    private static DenseRbm Frame(VisibleUnitKind units, int nv, int nh, int seed)
    {
        var c = new RbmCase(nv, nh, 1, 0.3, seed);
        BernoulliRbm b = c.CreateModel();
        if (units == VisibleUnitKind.Bernoulli) return b;
        var random = new Random(seed);
        float[] z = Enumerable.Range(0, nv).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        return new GaussianBernoulliRbm(nv, nh, b.Weights, b.VisibleBias, b.HiddenBias, z);
    }

    private static float[] Normal(int n, double scale, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(scale * (random.NextDouble() * 2 - 1))).ToArray();
    }

    /// <summary>Rows [v | u] with u zero or drawn; v binary (10 % ones) or dense (uniform, or normal for Gaussian units).</summary>
    private static Matrix Rows(VisibleUnitKind units, int rows, int nv, int nc, bool sparse, bool zeroContext, int seed)
    {
        var random = new Random(seed);
        var m = new Matrix(rows, nv + nc);
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < nv + nc; i++)
            {
                if (i >= nv && zeroContext) continue;
                m[r, i] = sparse ? (random.NextDouble() < 0.1 ? 1f : 0f)
                    : units == VisibleUnitKind.Gaussian ? (float)(2 * random.NextDouble() - 1) * 1.5f : (float)random.NextDouble();
            }
        return m;
    }

    private static Matrix Frames(Matrix rows, int nv)
    {
        var m = new Matrix(rows.Rows, nv);
        for (int r = 0; r < rows.Rows; r++) rows.Row(r)[..nv].CopyTo(m.Row(r));
        return m;
    }

    private static void SameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]), $"{what}[{i}]: {expected[i]} vs {actual[i]}");
    }

    private static void SameFrames(Matrix unconditional, Matrix conditional, int nv, string what)
    {
        for (int r = 0; r < unconditional.Rows; r++) SameBits(unconditional.Row(r), conditional.Row(r)[..nv], $"{what} row {r}");
    }

    /// <summary>Every operation of the conditional model equals the frame model's, bit for bit, under the given condition.</summary>
    private static void AssertEqualsUnconditional(VisibleUnitKind units, int nv, int nc, int nh, bool sparse, bool zeroContext)
    {
        DenseRbm frame = Frame(units, nv, nh, 3);
        float[] a = zeroContext ? Normal(nv * nc, 0.5, 4) : new float[nv * nc];
        float[] bt = zeroContext ? Normal(nc * nh, 0.5, 5) : new float[nc * nh];
        var model = new ConditionalRbm(frame, a, bt, nc);
        const int Rows_ = 23;
        Matrix rows = Rows(units, Rows_, nv, nc, sparse, zeroContext, 6);
        Matrix v = Frames(rows, nv);
        Matrix hiddenStates = new RbmCase(nh, nh, Rows_, 1, 7).BinaryRows(nh, 1);
        var baseBias = Normal(nv, 1, 8);
        foreach (int threads in new[] { 1, 3 })
        {
            foreach (Temperature t in new[] { Temperature.One, new Temperature(0.6f, baseBias) })
            {
                string at = $"{threads} threads, β {t.Beta}";
                var h1 = new Matrix(Rows_, nh);
                var h2 = new Matrix(Rows_, nh);
                frame.HiddenInputs(v, h1, t, threads);
                model.HiddenInputs(rows, h2, t, threads);
                SameBits(h1.AsSpan(), h2.AsSpan(), $"hidden inputs, {at}");
                frame.MeanHiddens(v, h1, t, threads);
                model.MeanHiddens(rows, h2, t, threads);
                SameBits(h1.AsSpan(), h2.AsSpan(), $"P(h | v), {at}");

                var back1 = new Matrix(Rows_, nv);
                Matrix back2 = rows.Clone();
                frame.MeanVisibles(hiddenStates, back1, t, threads);
                model.MeanVisibles(hiddenStates, back2, t, threads);
                SameFrames(back1, back2, nv, $"E[v | h], {at}");

                var r1 = new RandomStream(9);
                var r2 = new RandomStream(9);
                frame.SampleHiddens(v, h1, ref r1, t, threads);
                model.SampleHiddens(rows, h2, ref r2, t, threads);
                SameBits(h1.AsSpan(), h2.AsSpan(), $"h samples, {at}");
                frame.SampleVisibles(h1, back1, ref r1, t, threads);
                model.SampleVisibles(h2, back2, ref r2, t, threads);
                SameFrames(back1, back2, nv, $"v samples, {at}");
                Assert.Equal(r1.Position, r2.Position);

                var f1 = new double[Rows_];
                var f2 = new double[Rows_];
                frame.FreeEnergy(v, f1, t, threads);
                model.FreeEnergy(rows, f2, t, threads);
                Assert.Equal(f1.Select(BitConverter.DoubleToInt64Bits), f2.Select(BitConverter.DoubleToInt64Bits));
            }
            var e1 = new double[Rows_];
            var e2 = new double[Rows_];
            frame.Energy(v, hiddenStates, e1);
            model.Energy(rows, hiddenStates, e2);
            Assert.Equal(e1.Select(BitConverter.DoubleToInt64Bits), e2.Select(BitConverter.DoubleToInt64Bits));

            // One gradient from stacked phases (13 data rows, 10 model rows).
            Matrix hp = hiddenStates.Clone(), hp2 = hiddenStates.Clone();
            frame.MeanHiddens(v, hp, Temperature.One, threads);
            model.MeanHiddens(rows, hp2, Temperature.One, threads);
            ParameterSet g1 = frame.Parameters.CreateZeros(), g2 = model.Parameters.CreateZeros();
            frame.ComputeGradient(new PhaseBatch(v.Clone(), hp, 13), g1, threads);
            model.ComputeGradient(new PhaseBatch(rows.Clone(), hp2, 13), g2, threads);
            for (int p = 0; p < g1.Count; p++) SameBits(g1[p].Span, g2[p].Span, $"∇{g1[p].Name}, {threads} threads");
            if (zeroContext)
            {
                Assert.All(g2[ConditionalRbm.ContextVisibleName].Span.ToArray(), x => Assert.Equal(0f, x));
                Assert.All(g2[ConditionalRbm.ContextHiddenName].Span.ToArray(), x => Assert.Equal(0f, x));
            }
        }
    }

    // Kills: one product over [v | u] (its inner dimension splits into other GEMM blocks, and binary rows change the set-bit
    // decision), the context added before the bias, σ applied before the context, the Gaussian corrections not exactly 0.
    [Theory]
    [MemberData(nameof(Shapes))]
    public void ZeroContext_EqualsTheUnconditionalModel_BitForBit(VisibleUnitKind units, int nv, int nc, int nh, bool sparse) =>
        AssertEqualsUnconditional(units, nv, nc, nh, sparse, zeroContext: true);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ZeroContextWeights_EqualTheUnconditionalModel_BitForBit(VisibleUnitKind units, int nv, int nc, int nh, bool sparse) =>
        AssertEqualsUnconditional(units, nv, nc, nh, sparse, zeroContext: false);

    /// <summary>
    /// Training: with u = 0 (any A, B) the frame parameters follow the unconditional model's trajectory bit for bit and A and
    /// B never move (their gradients are exactly 0); with A = B = 0 held fixed (a context learning rate of 0) and any u, too.
    /// </summary>
    [Theory]
    [InlineData(VisibleUnitKind.Bernoulli, true, false)]
    [InlineData(VisibleUnitKind.Bernoulli, false, true)]
    [InlineData(VisibleUnitKind.Gaussian, true, true)]
    [InlineData(VisibleUnitKind.Gaussian, false, false)]
    public void Training_WithoutContextEffect_FollowsTheUnconditionalModel_BitForBit(VisibleUnitKind units, bool zeroContext, bool persistent)
    {
        const int nv = 12, nc = 6, nh = 8;
        DenseRbm frame = Frame(units, nv, nh, 21);
        float[] a = zeroContext ? Normal(nv * nc, 0.3, 22) : new float[nv * nc];
        float[] bt = zeroContext ? Normal(nc * nh, 0.3, 23) : new float[nc * nh];
        var model = new ConditionalRbm(frame, a, bt, nc);
        Matrix rows = Rows(units, 40, nv, nc, sparse: units == VisibleUnitKind.Bernoulli, zeroContext, 24);
        var options = new TrainingOptions
        {
            Epochs = 3, BatchSize = 7, LearningRate = 0.05f, Persistent = persistent, PersistentChains = persistent ? 5 : 0, CdSteps = 2,
            WeightDecay = 0.001f, ContextWeightDecay = 0.01f, ContextLearningRateScale = zeroContext ? 1f : 0f,
            SparsityTarget = 0.1f, SparsityCost = 0.2f, Seed = 25, MaxDegreeOfParallelism = 2,
        };
        DenseRbm unconditional = frame.Clone();
        new RbmTrainer(unconditional, options).Train(new Dataset(Frames(rows, nv)));
        new RbmTrainer(model, options).Train(new Dataset(rows));
        for (int p = 0; p < unconditional.Parameters.Count; p++)
            SameBits(unconditional.Parameters[p].Span, model.Parameters[p].Span, unconditional.Parameters[p].Name);
        // With u = 0 only the decay moves A and B: (1 − ηλ) per step, no gradient.
        if (!zeroContext)
        {
            Assert.All(model.ContextVisibleWeights.ToArray(), x => Assert.Equal(0f, x));
            Assert.All(model.ContextHiddenWeights.ToArray(), x => Assert.Equal(0f, x));
        }
    }

    /// <summary>
    /// log p(v | u) from <see cref="ConditionalLikelihood"/> against brute force: log Σ_h e^{−E(v,h|u)} − log Σ_{v',h} e^{−E(v',h|u)}
    /// over every joint state of the model given u (the reference's energy), for rows with distinct and repeated contexts;
    /// and p(· | u) sums to 1 over the visible states.
    /// </summary>
    // Kills: one log Z used for every context, the contexts' cache keyed wrongly (a repeated context gets another's log Z),
    // the dynamic biases left out of the plan (Z(0) instead of Z(u)).
    [Fact]
    public void ExactConditionalLogLikelihood_MatchesBruteForceEnumeration()
    {
        var fixture = new ModelKindFixture.Conditional(VisibleUnitKind.Bernoulli);
        var c = new RbmCase(8, 5, 6, 1.0, 51); // 4 generated units, 4 context values
        var model = (ConditionalRbm)fixture.Create(c);
        var naive = new NaiveConditionalRbm(model);
        Matrix rows = fixture.VisibleRows(c, 3);
        rows.Row(0)[4..].CopyTo(rows.Row(5)[4..]); // a repeated context
        var lp = new double[rows.Rows];
        int contexts = ConditionalLikelihood.LogProbability(model, rows, lp, maxDegreeOfParallelism: 1);
        Assert.True(contexts <= rows.Rows - 1);
        for (int r = 0; r < rows.Rows; r++)
        {
            double[] row = RbmCase.Row(rows, r);
            double[] u = naive.Context(row);
            var given = (NaiveRbm)naive.Given(u);
            double bruteForce = -given.FreeEnergyByEnumeration(naive.Frame(row)) - given.LogZBruteForce();
            Assert.True(Math.Abs(bruteForce - lp[r]) <= 1e-4 * (1 + Math.Abs(bruteForce)), $"row {r}: {bruteForce} vs {lp[r]}");
            double total = NaiveRbm.AllStates(naive.Frames).Sum(v => Math.Exp(naive.LogProbability([.. v, .. u])));
            Assert.True(Math.Abs(total - 1) < 1e-9, $"row {r}: p(· | u) sums to {total}");
        }
    }

    [Fact]
    public void Gaussian_ExactConditionalLogDensity_MatchesTheReference()
    {
        var fixture = new ModelKindFixture.Conditional(VisibleUnitKind.Gaussian);
        var c = new RbmCase(6, 4, 5, 0.5, 53);
        var model = (ConditionalRbm)fixture.Create(c);
        var naive = new NaiveConditionalRbm(model);
        Matrix rows = fixture.VisibleRows(c, 2);
        var lp = new double[rows.Rows];
        ConditionalLikelihood.LogProbability(model, rows, lp, maxDegreeOfParallelism: 1);
        for (int r = 0; r < rows.Rows; r++)
        {
            double expected = naive.LogProbability(RbmCase.Row(rows, r));
            Assert.True(Math.Abs(expected - lp[r]) <= 1e-4 * (1 + Math.Abs(expected)), $"row {r}: {expected} vs {lp[r]}");
        }
    }

    [Fact]
    public void ForContext_IsTheOrdinaryRbmWithTheDynamicBiases()
    {
        var fixture = new ModelKindFixture.Conditional(VisibleUnitKind.Gaussian);
        var c = new RbmCase(7, 3, 1, 1.0, 55);
        var model = (ConditionalRbm)fixture.Create(c);
        var naive = new NaiveConditionalRbm(model);
        double[] u = naive.Context(RbmCase.Row(fixture.VisibleRows(c, 1), 0));
        DenseRbm given = model.ForContext(u.Select(x => (float)x).ToArray());
        double[] a = naive.VisibleBias(u), b = naive.HiddenBias(u);
        for (int i = 0; i < a.Length; i++) Assert.Equal((float)a[i], given.VisibleBias[i]);
        for (int j = 0; j < b.Length; j++) Assert.Equal((float)b[j], given.HiddenBias[j]);
        Assert.Equal(model.FrameModel.Weights.ToArray(), given.Weights.ToArray());
    }

    [Fact]
    public void SingleLogZ_IsRefused_ForAConditionalModel()
    {
        ConditionalRbm model = ConditionalRbm.CreateRandom(VisibleUnitKind.Bernoulli, 4, 2, 3, seed: 1);
        Assert.False(ExactPartitionFunction.IsFeasible(model));
        Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunction(model));
        Assert.Throws<ArgumentException>(() => AnnealedImportanceSampling.Estimate(model, new AisOptions { Runs = 4, Schedule = AnnealingSchedule.Uniform(10) }));
        Assert.Throws<InvalidOperationException>(() => model.CreateEnumerationPlan());
        Assert.Throws<ArgumentException>(() => new RbmTrainer(model, new TrainingOptions { ParallelTemperingReplicas = 3 }));
    }

    [Fact]
    public void Constructor_RejectsBadShapesAndValues()
    {
        DenseRbm frame = Frame(VisibleUnitKind.Bernoulli, 3, 2, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConditionalRbm(frame, [], [], 0));
        Assert.Throws<ArgumentException>(() => new ConditionalRbm(frame, new float[5], new float[4], 2));
        Assert.Throws<ArgumentException>(() => new ConditionalRbm(frame, new float[6], new float[5], 2));
        Assert.Throws<ArgumentException>(() => new ConditionalRbm(frame, [1, 2, 3, 4, 5, float.NaN], new float[4], 2));
        var e = Assert.Throws<ArgumentException>(() => new ConditionalRbm(frame, new float[6], new float[4], 2, historyLength: 1));
        Assert.Equal("historyLength", e.ParamName);
        var model = new ConditionalRbm(frame, new float[9], new float[6], 3, historyLength: 1);
        Assert.Equal(6, model.VisibleCount);
        Assert.Throws<ArgumentException>(() => model.MeanHiddens(new Matrix(2, 5), new Matrix(2, 2), Temperature.One));
        Assert.Throws<ArgumentException>(() => model.MeanVisibles(new Matrix(2, 2), new Matrix(2, 6), new Temperature(0.5f, new float[6])));
    }
}
