using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// The convolutional RBM beyond the contract suite: without pooling it is the dense RBM with tied (Toeplitz) weights, both
/// computed by the library; with pooling its exact log Z is the brute-force sum over every joint state; one training step's
/// gradient equals the reference's under the same random stream; the per-map sparsity target; a step allocates nothing.
/// </summary>
public class ConvolutionalRbmTests
{
    private const double AmbiguousMargin = 1e-4;

    internal static ConvolutionalRbm Random(ConvolutionShape shape, int pool, VisibleUnitKind units, int seed, double scale)
    {
        var random = new Random(seed);
        float[] Normal(int n) => Enumerable.Range(0, n).Select(_ =>
            (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
        return new ConvolutionalRbm(shape, pool, units, Normal(shape.FiltersLength), Normal(shape.Channels), Normal(shape.Filters));
    }

    /// <summary>The dense model with the unrolled weights and per-unit biases of <paramref name="conv"/> (no pooling).</summary>
    private static DenseRbm Unrolled(ConvolutionalRbm conv)
    {
        var naive = new NaiveConvRbm(conv);
        double[,] w = naive.Toeplitz();
        int nv = naive.Nv, nh = naive.Nh;
        var flat = new float[nv * nh];
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nh; j++) flat[i * nh + j] = (float)w[i, j];
        float[] a = Enumerable.Range(0, nv).Select(i => (float)naive.VisibleBiasOf(i)).ToArray();
        float[] b = Enumerable.Range(0, nh).Select(j => (float)naive.B[j / (naive.Oh * naive.Ow)]).ToArray();
        return conv.VisibleUnits == VisibleUnitKind.Gaussian
            ? new GaussianBernoulliRbm(nv, nh, flat, a, b, new float[nv])
            : new BernoulliRbm(nv, nh, flat, a, b);
    }

    /// <summary>Small shapes for the equivalence (the dense model has nv × nh weights).</summary>
    private static Arbitrary<(ConvolutionCase Case, bool Gaussian)> SmallCases() => Arb.From(
        from c in ConvolutionArbitraries.Cases(maxSide: 7, maxRows: 4).Generator
        from gaussian in Gen.Elements(false, true)
        select (c with { K = Math.Min(c.K, 3) }, gaussian));

    [Property(MaxTest = 60)]
    public Property WithoutPooling_EqualsTheDenseRbmWithToeplitzWeights() => Prop.ForAll(SmallCases(), t =>
    {
        (ConvolutionCase c, bool gaussian) = t;
        ConvolutionShape s = c.Shape;
        ConvolutionalRbm conv = Random(s, 1, gaussian ? VisibleUnitKind.Gaussian : VisibleUnitKind.Bernoulli, c.Seed, 0.7);
        DenseRbm dense = Unrolled(conv);
        var naive = new NaiveConvRbm(conv);
        double[,] w = naive.Toeplitz();
        int nv = s.ImageLength, nh = s.MapsLength, rows = c.Rows;
        Matrix v = gaussian ? c.Values(nv, 1) : Binary(c.Values(nv, 1));
        Matrix h = Binary(c.Values(nh, 2));

        // The two compute the same quantities by different float paths (im2col and GEMM against a dense GEMM): each is
        // within its rounding bound of the exact value, so they agree within twice the bound.
        double InputBound(int j, double[] vr)
        {
            double sum = Math.Abs(naive.B[j / s.OutputPositions]);
            for (int i = 0; i < nv; i++) sum += Math.Abs(w[i, j] * vr[i]);
            return 2 * Tolerance.DotBound(nv + 2, sum);
        }
        var hc = new Matrix(rows, nh);
        var hd = new Matrix(rows, nh);
        conv.MeanHiddens(v, hc, Temperature.One);
        dense.MeanHiddens(v, hd, Temperature.One);
        for (int r = 0; r < rows; r++)
        {
            double[] vr = ConvolutionCase.Row(v.Row(r));
            for (int j = 0; j < nh; j++)
                if (!Tolerance.Close(hd[r, j], hc[r, j], 2 * Tolerance.SigmoidAbsolute + InputBound(j, vr) / 4))
                    return false.Label($"P(h | v) row {r} unit {j}: dense {hd[r, j]}, convolutional {hc[r, j]}");
        }
        var vc = new Matrix(rows, nv);
        var vd = new Matrix(rows, nv);
        conv.MeanVisibles(h, vc, Temperature.One);
        dense.MeanVisibles(h, vd, Temperature.One);
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < nv; i++)
            {
                double sum = Math.Abs(naive.VisibleBiasOf(i));
                for (int j = 0; j < nh; j++) sum += Math.Abs(w[i, j] * h[r, j]);
                double tol = 2 * Tolerance.DotBound(nh + 4, sum) + (gaussian ? 0 : 2 * Tolerance.SigmoidAbsolute);
                if (!Tolerance.Close(vd[r, i], vc[r, i], tol)) return false.Label($"E[v | h] row {r} unit {i}: dense {vd[r, i]}, convolutional {vc[r, i]}");
            }
        var ec = new double[rows];
        var ed = new double[rows];
        conv.Energy(v, h, ec);
        dense.Energy(v, h, ed);
        var fc = new double[rows];
        var fd = new double[rows];
        conv.FreeEnergy(v, fc);
        dense.FreeEnergy(v, fd, Temperature.One);
        for (int r = 0; r < rows; r++)
        {
            // Both sum in double. The dense Gaussian model rounds each vᵢ − aᵢ to float before squaring it, and its σ = e^{z/2}
            // at z = 0 comes out of TensorPrimitives.Exp as 1.0000001, not 1: a few ε relative on every term.
            double magnitude = gaussian
                ? Enumerable.Range(0, nv).Sum(i => Math.Pow(v[r, i] - naive.VisibleBiasOf(i), 2))
                    + Enumerable.Range(0, nh).Sum(j => Math.Abs(h[r, j]) * Enumerable.Range(0, nv).Sum(i => Math.Abs(w[i, j] * v[r, i])))
                : 0;
            if (!Tolerance.Close(ed[r], ec[r], 1e-9 * (1 + Math.Abs(ed[r]) + nv + nh) + 4 * Tolerance.FloatEpsilon * magnitude))
                return false.Label($"E(v, h) row {r} ({(gaussian ? "Gaussian" : "Bernoulli")}, {s}): dense {ed[r]}, convolutional {ec[r]}");
            double[] vr = ConvolutionCase.Row(v.Row(r));
            double tol = Enumerable.Range(0, nh).Sum(j => InputBound(j, vr)) + 1e-6 * (1 + Math.Abs(fd[r]));
            if (!Tolerance.Close(fd[r], fc[r], tol)) return false.Label($"F(v) row {r}: dense {fd[r]}, convolutional {fc[r]}");
        }
        if (conv.EnumeratedUnitCount <= 14 && dense.EnumeratedUnitCount <= 14)
        {
            double zc = ExactPartitionFunction.LogPartitionFunction(conv, maxDegreeOfParallelism: 1);
            double zd = ExactPartitionFunction.LogPartitionFunction(dense, maxDegreeOfParallelism: 1);
            if (!Tolerance.Close(zd, zc, 1e-4 * (1 + Math.Abs(zd)))) return false.Label($"log Z: dense {zd}, convolutional {zc}");
        }
        return true.ToProperty().Classify(gaussian, "Gaussian").Classify(conv.EnumeratedUnitCount <= 14, "log Z compared")
            .Classify(s.FilterSize % 8 != 0, "filter not a multiple of 8").Classify(s.Filters == 1, "single map");
    });

    private static Matrix Binary(Matrix m)
    {
        Span<float> x = m.AsSpan();
        for (int i = 0; i < x.Length; i++) x[i] = x[i] > 0 ? 1f : 0f;
        return m;
    }

    public static TheoryData<int, int, int, int, int, int> PooledShapes => new()
    {
        // C, H, W, K, F, pool: hidden blocks enumerated (nv large), and visible units enumerated (nv small, many blocks).
        { 1, 3, 3, 2, 2, 2 },
        { 2, 3, 3, 1, 2, 2 },
        { 1, 2, 2, 3, 1, 2 },
        { 1, 4, 2, 1, 1, 2 },
    };

    [Theory]
    [MemberData(nameof(PooledShapes))]
    public void PooledExactLogZ_EqualsTheBruteForceSumOverEveryJointState(int c, int h, int w, int k, int f, int pool)
    {
        var s = new ConvolutionShape(c, h, w, k, f);
        ConvolutionalRbm conv = Random(s, pool, VisibleUnitKind.Bernoulli, 13 * c + 7 * h + w + 3 * k + f, 1.2);
        var naive = new NaiveConvRbm(conv);
        double library = ExactPartitionFunction.LogPartitionFunction(conv, maxDegreeOfParallelism: 1);
        double brute = naive.LogZBruteForce();
        Assert.True(Math.Abs(library - brute) <= 1e-5 * (1 + Math.Abs(brute)), $"library {library}, brute force {brute} ({conv.CreateEnumerationPlan().EnumeratedLayer} enumerated)");
        Assert.Equal(library, ExactPartitionFunction.LogPartitionFunction(conv, maxDegreeOfParallelism: 2));
    }

    [Fact]
    public void PooledExactLogZ_EnumeratesBothSides()
    {
        Assert.Equal("hidden", Random(new ConvolutionShape(1, 3, 3, 2, 2), 2, VisibleUnitKind.Bernoulli, 1, 1).CreateEnumerationPlan().EnumeratedLayer);
        Assert.Equal("visible", Random(new ConvolutionShape(1, 2, 2, 3, 1), 2, VisibleUnitKind.Bernoulli, 1, 1).CreateEnumerationPlan().EnumeratedLayer);
    }

    [Property(MaxTest = 40)]
    public Property PooledExactLogZ_MatchesTheReference_ForEitherUnits() => Prop.ForAll(
        Arb.From(from seed in Gen.Choose(0, int.MaxValue) from gaussian in Gen.Elements(false, true) from blocks in Gen.Choose(1, 3)
                 from k in Gen.Choose(1, 2) from f in Gen.Choose(1, 3) from c in Gen.Choose(1, 2)
                 select (seed, gaussian, blocks, k, f, c)),
        t =>
        {
            // Maps of 2 × 2·blocks (lower blocks for two filters), pool 2, so that the enumeration stays small.
            int width = 2 * Math.Max(1, t.blocks / t.k);
            var s = new ConvolutionShape(t.c, 2 + t.f - 1, width + t.f - 1, t.k, t.f);
            ConvolutionalRbm conv = Random(s, 2, t.gaussian ? VisibleUnitKind.Gaussian : VisibleUnitKind.Bernoulli, t.seed, 0.8);
            double expected = new NaiveConvRbm(conv).LogZ();
            double actual = ExactPartitionFunction.LogPartitionFunction(conv, maxDegreeOfParallelism: 1);
            return Tolerance.Close(expected, actual, 1e-5 * (1 + Math.Abs(expected))).Label($"{expected} vs {actual}");
        });

    // Kills: the grouped enumeration's block index decoded wrongly (rest *= radix, the loop over the high groups skipped,
    // a unit or its row taken from the wrong digit) and blocks of the wrong size (radix g − 1 in the block count). Pool 2
    // gives groups of g = 4 units and radix 5; a block holds 5⁴ states of the four low groups, so the high groups (the block
    // index) are reached only from five groups on, and the block count 5^(G − 4) is wrong for a radix of 3 only from seven.
    // The tests above have at most three groups. Same tolerance as there: each block starts from inputs computed afresh in
    // double, so the float drift does not grow with the number of blocks.
    [Theory]
    [InlineData(1, 14, false)]
    [InlineData(1, 14, true)]
    [InlineData(2, 6, false)]
    public void PooledExactLogZ_ManyBlocksOfGroups_MatchesTheReference(int k, int mapWidth, bool gaussian)
    {
        var s = new ConvolutionShape(1, 3, mapWidth + 1, k, 2);
        ConvolutionalRbm conv = Random(s, 2, gaussian ? VisibleUnitKind.Gaussian : VisibleUnitKind.Bernoulli, 31 * k + mapWidth, 0.8);
        Assert.Equal("hidden", conv.CreateEnumerationPlan().EnumeratedLayer);
        Assert.True(conv.HiddenCount / 4 >= 6, $"{conv.HiddenCount / 4} groups");
        double expected = new NaiveConvRbm(conv).LogZ();
        double actual = ExactPartitionFunction.LogPartitionFunction(conv, maxDegreeOfParallelism: 1);
        Assert.True(Tolerance.Close(expected, actual, 1e-5 * (1 + Math.Abs(expected))), $"reference {expected}, library {actual}");
        Assert.Equal(actual, ExactPartitionFunction.LogPartitionFunction(conv, maxDegreeOfParallelism: 2));
    }

    // Kills: the summed-out pooling groups shifted by their smallest input instead of their largest (Math.Max → Min). The
    // shift cancels in exact arithmetic, but e^{x − m} overflows to +∞ once an input passes about 709, as it does here with
    // a hidden bias of 800; each group must still give log(1 + Σ e^x), about its largest input.
    [Fact]
    public void PooledExactLogZ_VisibleEnumerated_LargeHiddenInputs_StayFinite()
    {
        var s = new ConvolutionShape(1, 2, 2, 3, 1);
        var conv = new ConvolutionalRbm(s, 2, VisibleUnitKind.Bernoulli, [0.5f, -0.25f, 0.75f], [0.1f], [800f, 790f, -5f]);
        Assert.Equal("visible", conv.CreateEnumerationPlan().EnumeratedLayer);
        double expected = new NaiveConvRbm(conv).LogZ();
        double actual = ExactPartitionFunction.LogPartitionFunction(conv, maxDegreeOfParallelism: 1);
        Assert.True(Tolerance.Close(expected, actual, 1e-5 * (1 + Math.Abs(expected))), $"reference {expected}, library {actual}");
    }

    [Property(MaxTest = 60)]
    public Property OneStepGradient_MatchesTheReference_UnderTheSameRandomStream() => Prop.ForAll(
        Arb.From(from c in ConvolutionArbitraries.Cases(maxSide: 8, maxRows: 5).Generator
                 from pool in Gen.Elements(1, 2)
                 from persistent in Gen.Elements(false, true)
                 from gaussian in Gen.Elements(false, true)
                 select (c, pool, persistent, gaussian)),
        t =>
        {
            (ConvolutionCase c, int pool, bool persistent, bool gaussian) = t;
            // The pool must divide the maps: grow the image by one where it does not.
            ConvolutionShape s = c.Shape;
            if (pool == 2) s = new ConvolutionShape(s.Channels, s.Height + s.OutputHeight % 2, s.Width + s.OutputWidth % 2, s.Filters, s.FilterSize);
            ConvolutionalRbm conv = Random(s, pool, gaussian ? VisibleUnitKind.Gaussian : VisibleUnitKind.Bernoulli, c.Seed, 0.5);
            var naive = new NaiveConvRbm(conv);
            int k = 1 + c.Seed % 2;
            var options = new TrainingOptions { BatchSize = c.Rows, CdSteps = k, Persistent = persistent, PersistentChains = persistent ? 1 + c.Seed % 4 : 0, Seed = (ulong)c.Seed };
            var trainer = new RbmTrainer(conv, options);
            Matrix batch = c.Values(s.ImageLength, 5);
            if (!gaussian)
            {
                Span<float> x = batch.AsSpan();
                for (int i = 0; i < x.Length; i++) x[i] = (x[i] + 1) / 2;
            }
            double[][] rows = Enumerable.Range(0, c.Rows).Select(r => ConvolutionCase.Row(batch.Row(r))).ToArray();
            double[][]? chains = trainer.PersistentChains is { } m ? Enumerable.Range(0, m.Rows).Select(r => ConvolutionCase.Row(m.Row(r))).ToArray() : null;

            ParameterSet gradient = conv.Parameters.CreateZeros();
            var random = new RandomStream((ulong)c.Seed).Derive(99);
            RandomStream referenceRandom = random;
            trainer.ComputeGradient(batch, ref random, gradient);
            double margin = double.PositiveInfinity;
            var (dFilters, da, db, newChains) = naive.Gradient(rows, k, chains, ref referenceRandom, ref margin);
            if (margin < AmbiguousMargin) return true.When(false);
            if (random.Position != referenceRandom.Position) return false.Label($"draws: library {random.Position}, reference {referenceRandom.Position}");

            // Sums over positions of products of probabilities and visible values: each probability within the float
            // bound of its input (all inputs are O(scale·patch)); the tolerance scales with the number of summed terms.
            double magnitude = naive.Filters.Sum(Math.Abs) + naive.A.Sum(Math.Abs) + naive.B.Sum(Math.Abs);
            double perTerm = 2 * Tolerance.SigmoidAbsolute + Tolerance.DotBound(s.PatchLength + s.Filters * s.FilterSize * s.FilterSize + 2, magnitude * 4);
            double scaleOfV = gaussian ? 6 : 1;
            double tolW = 4 * s.OutputPositions * perTerm * scaleOfV + Tolerance.DotBound(2 * c.Rows * s.OutputPositions, s.OutputPositions * scaleOfV * 2);
            double tolB = 4 * s.OutputPositions * perTerm + Tolerance.DotBound(2 * c.Rows * s.OutputPositions, s.OutputPositions * 2);
            double tolA = Tolerance.DotBound(2 * c.Rows * s.Height * s.Width, s.Height * s.Width * scaleOfV * 2) + (gaussian ? 8 * s.Height * s.Width * perTerm : 0);
            for (int i = 0; i < dFilters.Length; i++)
                if (!Tolerance.Close(dFilters[i], gradient[ConvolutionalRbm.FiltersName].Span[i], tolW))
                    return false.Label($"dW[{i}]: {dFilters[i]} vs {gradient[ConvolutionalRbm.FiltersName].Span[i]} (tol {tolW})");
            for (int i = 0; i < da.Length; i++)
                if (!Tolerance.Close(da[i], gradient[ConvolutionalRbm.VisibleBiasName].Span[i], tolA))
                    return false.Label($"da[{i}]: {da[i]} vs {gradient[ConvolutionalRbm.VisibleBiasName].Span[i]}");
            for (int i = 0; i < db.Length; i++)
                if (!Tolerance.Close(db[i], gradient[ConvolutionalRbm.HiddenBiasName].Span[i], tolB))
                    return false.Label($"db[{i}]: {db[i]} vs {gradient[ConvolutionalRbm.HiddenBiasName].Span[i]}");
            if (trainer.PersistentChains is { } advanced)
                for (int r = 0; r < advanced.Rows; r++)
                    for (int j = 0; j < conv.HiddenCount; j++)
                        if (advanced[r, j] != newChains[r][j]) return false.Label($"chain {r} unit {j}");
            return true.ToProperty().Classify(pool == 2, "pooled").Classify(persistent, "PCD").Classify(gaussian, "Gaussian").Classify(k > 1, "k > 1");
        });

    [Fact]
    public void Sparsity_TargetsEachMapsMeanActivation()
    {
        // One step with and without the penalty from the same stream: the data phase's hidden statistic moves by
        // cost·(q − p) per unit, q the map's running mean after one step, (1 − λ)·(the map's mean activation) + λ·p.
        var s = new ConvolutionShape(1, 6, 6, 2, 3);
        ConvolutionalRbm conv = Random(s, 2, VisibleUnitKind.Bernoulli, 3, 0.8);
        var data = new Matrix(5, s.ImageLength);
        new RandomStream(4).NextSingles(data.AsSpan());
        const float Target = 0.05f, Cost = 0.3f, Decay = 0.9f;
        ParameterSet Gradient(TrainingOptions o)
        {
            var trainer = new RbmTrainer(conv.Clone(), o);
            ParameterSet g = conv.Parameters.CreateZeros();
            var random = new RandomStream(8);
            trainer.ComputeGradient(data, ref random, g);
            return g;
        }
        var plain = new TrainingOptions { BatchSize = 5, Seed = 2 };
        ParameterSet without = Gradient(plain), with = Gradient(plain with { SparsityTarget = Target, SparsityCost = Cost, SparsityDecay = Decay });
        var h = new Matrix(5, s.MapsLength);
        conv.MeanHiddens(data, h);
        var naive = new NaiveConvRbm(conv);
        for (int k = 0; k < s.Filters; k++)
        {
            double mean = 0;
            for (int r = 0; r < 5; r++)
                for (int p = 0; p < s.OutputPositions; p++) mean += h[r, k * s.OutputPositions + p];
            mean /= 5.0 * s.OutputPositions;
            double q = Decay * Target + (1 - Decay) * mean;
            double expectedShift = -Cost * (q - Target) * s.OutputPositions;
            double actualShift = with[ConvolutionalRbm.HiddenBiasName].Span[k] - without[ConvolutionalRbm.HiddenBiasName].Span[k];
            Assert.True(Math.Abs(expectedShift - actualShift) < 1e-5, $"map {k}: bias gradient moved by {actualShift}, expected {expectedShift}");
        }
        Assert.NotNull(naive);
    }

    [Fact]
    public void TrainingStep_AllocatesNothing_InASteadyState()
    {
        var s = new ConvolutionShape(1, 12, 12, 4, 5);
        foreach (bool persistent in new[] { false, true })
        {
            ConvolutionalRbm conv = Random(s, 2, VisibleUnitKind.Bernoulli, 5, 0.1);
            var trainer = new RbmTrainer(conv, new TrainingOptions { BatchSize = 16, Persistent = persistent, MaxDegreeOfParallelism = 1, SparsityTarget = 0.1f, SparsityCost = 0.1f });
            var batch = new Matrix(16, s.ImageLength);
            new RandomStream(1).NextSingles(batch.AsSpan());
            for (int i = 0; i < 5; i++) trainer.Step(batch);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) trainer.Step(batch);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{(persistent ? "PCD" : "CD")}: {allocated} bytes in 10 steps");
        }
    }

    [Fact]
    public void PooledMeans_AreOneMinusEachBlocksOffProbability_AndHiddenFromPooledSpreadsThem()
    {
        var s = new ConvolutionShape(2, 7, 9, 3, 4);
        ConvolutionalRbm conv = Random(s, 2, VisibleUnitKind.Bernoulli, 9, 0.6);
        var naive = new NaiveConvRbm(conv);
        var v = new Matrix(3, s.ImageLength);
        new RandomStream(2).NextSingles(v.AsSpan());
        var pooled = new Matrix(3, conv.PooledCount);
        conv.MeanPooled(v, pooled, maxDegreeOfParallelism: 2);
        for (int r = 0; r < 3; r++)
        {
            double[] vr = ConvolutionCase.Row(v.Row(r));
            int b = 0;
            foreach (int[] block in naive.Blocks())
            {
                double off = Math.Exp(-NaiveRbm.LogSumExp(block.Select(u => naive.HiddenInput(vr, u)).Append(0.0)));
                Assert.True(Math.Abs(1 - off - pooled[r, b++]) < 1e-5);
            }
        }
        var hidden = new Matrix(3, conv.HiddenCount);
        conv.HiddenFromPooled(pooled, hidden);
        for (int r = 0; r < 3; r++)
        {
            int b = 0;
            foreach (int[] block in naive.Blocks())
            {
                foreach (int u in block) Assert.Equal(pooled[r, b] / 4, hidden[r, u], 6);
                b++;
            }
        }
    }

    [Fact]
    public void BadArguments_AreArgumentExceptions()
    {
        var s = new ConvolutionShape(1, 5, 5, 2, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionalRbm.CreateRandom(s, 3, VisibleUnitKind.Bernoulli, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConvolutionalRbm.CreateRandom(s, 0, VisibleUnitKind.Bernoulli, 1));
        Assert.Throws<ArgumentException>(() => ConvolutionalRbm.CreateRandom(default, 1, VisibleUnitKind.Bernoulli, 1));
        Assert.Throws<ArgumentException>(() => new ConvolutionalRbm(s, 2, VisibleUnitKind.Bernoulli, new float[7], new float[1], new float[2]));
        Assert.Throws<ArgumentException>(() => new ConvolutionalRbm(s, 2, VisibleUnitKind.Bernoulli, new float[8], [float.NaN], new float[2]));
        Assert.Throws<ArgumentException>(() => ConvolutionalRbm.CreateRandom(s, 2, VisibleUnitKind.Bernoulli, 1, data: new Dataset(new Matrix(2, 24))));
        ConvolutionalRbm conv = ConvolutionalRbm.CreateRandom(s, 2, VisibleUnitKind.Bernoulli, 1);
        Assert.Throws<ArgumentException>(() => conv.MeanHiddens(new Matrix(2, 25), new Matrix(2, 31)));
        Assert.Throws<ArgumentException>(() => conv.MeanVisibles(new Matrix(2, 32), new Matrix(3, 25)));
        Assert.Throws<ArgumentException>(() => conv.AverageOverSharedHiddenUnits(new float[31]));
    }
}
