using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// The model's documented contract through its public API: Gibbs chains and free energies against the
/// double reference, and every argument, length and range check, each with the parameter it names.
/// </summary>
public class BernoulliRbmContractTests
{
    /// <summary>Draws whose uniform lies this close to its probability are ambiguous between float and double; such cases are discarded.</summary>
    private const double AmbiguousMargin = 1e-4;

    // Kills: Gibbs running one step too many or too few (s < steps → s <= steps, s = 1), and a step
    // that skips or repeats a half (h or v) or draws from the wrong stream positions.
    [Property(MaxTest = 100)]
    public Property Gibbs_MatchesReferenceChain_AndDrawsStepsTimesRowsTimesUnits() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 20, maxRows: 8), c =>
    {
        // Moderate scales keep float and double probabilities within the ambiguity margin of each other.
        c = c with { Scale = Math.Min(c.Scale, 3) };
        int steps = c.Seed % 4;
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix v = c.BinaryRows(c.Nv, 1);
        double[][] start = Enumerable.Range(0, c.Rows).Select(r => RbmCase.Row(v, r)).ToArray();
        var h = new Matrix(c.Rows, c.Nh);
        var random = new RandomStream((ulong)c.Seed).Derive(7);
        RandomStream referenceRandom = random;
        rbm.Gibbs(v, h, steps, ref random);
        double margin = double.PositiveInfinity;
        var (expectedV, expectedH) = naive.Gibbs(start, steps, ref referenceRandom, ref margin);
        if (margin < AmbiguousMargin) return true.When(false);

        ulong draws = (ulong)(steps * c.Rows * (c.Nv + c.Nh));
        if (random.Position != draws || referenceRandom.Position != draws)
            return false.Label($"draws: library {random.Position}, reference {referenceRandom.Position}, expected {draws}");
        for (int r = 0; r < c.Rows; r++)
        {
            for (int i = 0; i < c.Nv; i++)
                if (v[r, i] != expectedV[r][i]) return false.Label($"visible row {r} unit {i}: {v[r, i]} vs {expectedV[r][i]}");
            if (expectedH is not null)
                for (int j = 0; j < c.Nh; j++)
                    if (h[r, j] != expectedH[r][j]) return false.Label($"hidden row {r} unit {j}: {h[r, j]} vs {expectedH[r][j]}");
        }
        return true.ToProperty().Classify(steps == 0, "0 steps").Classify(steps > 1, "several steps");
    });

    // Kills: removing ThrowIfNegative(steps) (a negative count would silently run no step).
    [Fact]
    public void Gibbs_RejectsNegativeStepsAndMismatchedShapes()
    {
        var rbm = BernoulliRbm.CreateRandom(5, 3, seed: 1);
        var random = new RandomStream(1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => { var r = random; rbm.Gibbs(new Matrix(2, 5), new Matrix(2, 3), -1, ref r); });
        Assert.Equal("steps", ex.ParamName);
        var shape = Assert.Throws<ArgumentException>(() => { var r = random; rbm.Gibbs(new Matrix(2, 5), new Matrix(3, 3), 1, ref r); });
        Assert.Equal("hidden", shape.ParamName);
        shape = Assert.Throws<ArgumentException>(() => { var r = random; rbm.Gibbs(new Matrix(2, 4), new Matrix(2, 3), 1, ref r); });
        Assert.Equal("visible", shape.ParamName);
    }

    /// <summary>Batches past the model's 64-row free-energy chunk: 64 itself, one past, two chunks and a ragged third.</summary>
    private static Arbitrary<RbmCase> LongBatches()
    {
        Gen<RbmCase> gen =
            from c in RbmArbitraries.Cases(maxUnits: 24).Generator
            from rows in Gen.Frequency((1, Gen.Elements(64, 65, 127, 128, 129, 200)), (2, Gen.Choose(65, 200)))
            select c with { Rows = rows };
        return Arb.From(gen, c =>
        {
            var smaller = new List<RbmCase>();
            if (c.Nv > 1) smaller.Add(c with { Nv = c.Nv / 2 });
            if (c.Nh > 1) smaller.Add(c with { Nh = c.Nh / 2 });
            if (c.Rows > 65) smaller.Add(c with { Rows = 65 });
            if (c.Scale > 1) smaller.Add(c with { Scale = 1 });
            return smaller;
        });
    }

    // Kills: FreeEnergy wrong after the first 64-row chunk (freeEnergy[start + r] → [r], SliceRows(start, …) → (0, …), a skipped row).
    [Property(MaxTest = 60)]
    public Property FreeEnergy_BatchesLongerThanOneChunk_MatchReference() => Prop.ForAll(LongBatches(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix v = c.UnitRows(c.Nv, 5);
        var f = new double[c.Rows];
        rbm.FreeEnergy(v, f);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] vr = RbmCase.Row(v, r);
            double expected = naive.FreeEnergy(vr);
            if (!Tolerance.Close(expected, f[r], BernoulliRbmPropertyTests.FreeEnergyTolerance(naive, vr)))
                return false.Label($"row {r}: {expected} vs {f[r]}");
        }
        return true.ToProperty().Classify(c.Rows % 64 != 0, "ragged last chunk");
    });

    public static TheoryData<string, int, float> NonFiniteParameters()
    {
        var data = new TheoryData<string, int, float>();
        foreach (string name in new[] { "weights", "visibleBias", "hiddenBias" })
            foreach (int index in new[] { 0, -1 }) // −1: the last entry
                foreach (float value in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
                    data.Add(name, index, value);
        return data;
    }

    // Kills: a non-finite value at index 0 accepted (bad >= 0 → bad > 0), the last index skipped, or one array left unchecked.
    [Theory]
    [MemberData(nameof(NonFiniteParameters))]
    public void Constructor_RejectsNonFiniteValueAtEitherEnd_NamingArrayAndIndex(string name, int index, float value)
    {
        const int nv = 3, nh = 2;
        float[] w = new float[nv * nh], a = new float[nv], b = new float[nh];
        float[] target = name switch { "weights" => w, "visibleBias" => a, _ => b };
        int at = index < 0 ? target.Length - 1 : index;
        target[at] = value;
        var ex = Assert.Throws<ArgumentException>(() => new BernoulliRbm(nv, nh, w, a, b));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains($"index {at}", ex.Message);
    }

    // Kills: a length check dropped or compared with the wrong count (each array checked, too long as well as too short).
    [Theory]
    [InlineData(5, 3, 2, "weights")]
    [InlineData(7, 3, 2, "weights")]
    [InlineData(6, 2, 2, "visibleBias")]
    [InlineData(6, 4, 2, "visibleBias")]
    [InlineData(6, 3, 1, "hiddenBias")]
    [InlineData(6, 3, 3, "hiddenBias")]
    [InlineData(6, 3, 0, "hiddenBias")]
    public void Constructor_RejectsWrongLengths_NamingTheArray(int weights, int visible, int hidden, string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new BernoulliRbm(3, 2, new float[weights], new float[visible], new float[hidden]));
        Assert.Equal(name, ex.ParamName);
    }

    // Kills: ThrowIfNegativeOrZero removed for either count (a 0-unit model would be created).
    [Theory]
    [InlineData(0, 2, "visibleCount")]
    [InlineData(-1, 2, "visibleCount")]
    [InlineData(2, 0, "hiddenCount")]
    [InlineData(2, -3, "hiddenCount")]
    public void Counts_MustBePositive(int nv, int nh, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BernoulliRbm.CreateRandom(nv, nh, seed: 1));
        Assert.Equal(name, ex.ParamName);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BernoulliRbm(nv, nh, [], [], []));
        Assert.Equal(name, ex.ParamName);
    }

    // Kills: removing the Array.MaxLength guard (the allocation would fail with an unhelpful OverflowException or OutOfMemoryException).
    [Fact]
    public void TooLargeAWeightMatrix_IsRejectedBeforeAllocating()
    {
        // 2¹⁶ × 2¹⁵ = 2³¹ floats, just past Array.MaxLength (2³¹ − 57).
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BernoulliRbm.CreateRandom(1 << 16, 1 << 15, seed: 1));
        Assert.Equal("hiddenCount", ex.ParamName);
        Assert.Contains("65536x32768", ex.Message);
    }

    // Kills: the deviation check loosened to accept a negative value, ±∞ or NaN (the finiteness test dropped).
    [Theory]
    [InlineData(-1f)]
    [InlineData(-1e-30f)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    public void CreateRandom_BadWeightDeviation_Throws(float sd)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BernoulliRbm.CreateRandom(3, 2, seed: 1, weightStdDev: sd));
        Assert.Equal("weightStdDev", ex.ParamName);
        Assert.StartsWith("The weight standard deviation must be finite and non-negative.", ex.Message);
    }

    // Kills: the deviation check tightened to reject the range's edge 0 (weightStdDev >= 0 → > 0).
    [Fact]
    public void CreateRandom_ZeroDeviation_GivesZeroWeights()
    {
        // The edge of the documented range [0, ∞): N(0, 0²) is exactly 0.
        var rbm = BernoulliRbm.CreateRandom(9, 5, seed: 1, weightStdDev: 0f);
        Assert.All(rbm.Weights.ToArray(), w => Assert.Equal(0f, w));
    }

    // Kills: the clamp check loosened at either end (> 0 → >= 0, < 0.5 → <= 0.5) or dropped for NaN.
    [Theory]
    [InlineData(0f)]
    [InlineData(0.5f)]
    [InlineData(-0.1f)]
    [InlineData(0.7f)]
    [InlineData(float.NaN)]
    public void CreateRandom_ClampOutsideOpenInterval_Throws(float clamp)
    {
        var data = new Matrix(2, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BernoulliRbm.CreateRandom(3, 2, seed: 1, data: data, clamp: clamp));
        Assert.Equal("clamp", ex.ParamName);
        Assert.StartsWith("The clamp must be in (0, 0.5).", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => BernoulliRbm.CreateRandom(3, 2, seed: 1, new Dataset(data), clamp: clamp));
        Assert.Equal("clamp", ex.ParamName);
    }

    /// <summary>Just inside each end of (0, ½), the biases follow the documented formula log(p/(1 − p)), p clamped to [c, 1 − c].</summary>
    // Kills: the clamp applied to one side only, with the wrong bound, or the inclusive edges rejected.
    [Theory]
    [InlineData(1e-45f)]         // float.Epsilon: the smallest positive float
    [InlineData(0.49999997f)]    // the largest float below ½
    [InlineData(0.2f)]
    public void CreateRandom_ClampJustInside_SetsLogOddsOfClampedMeans(float clamp)
    {
        // Column means 0, 1, 0.25 and 0.5.
        var data = new Matrix(4, 4, [0, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0]);
        foreach (BernoulliRbm rbm in new[]
        {
            BernoulliRbm.CreateRandom(4, 2, seed: 1, data: data, clamp: clamp),
            BernoulliRbm.CreateRandom(4, 2, seed: 1, new Dataset(data.Clone()), clamp: clamp),
        })
        {
            double[] means = [0, 1, 0.25, 0.5];
            for (int i = 0; i < 4; i++)
            {
                // logit(p) = −logit(1 − p): work on the side below ½, where clamping at c loses nothing
                // (1 − c itself rounds to 1 in double for c below 2⁻⁵³).
                double low = Math.Max(Math.Min(means[i], 1 - means[i]), clamp);
                double logit = Math.Log(low / (1 - low));
                double expected = means[i] > 0.5 ? -logit : logit;
                // The bias is the double log-odds rounded to float: half an ulp of it.
                Assert.Equal(expected, rbm.VisibleBias[i], Math.Max(Math.Abs(expected), 1e-30) * Tolerance.FloatEpsilon);
            }
        }
    }

    // Kills: the column-count check on the data removed (either overload), and the empty-source guard removed (0/0 means give NaN biases).
    // Kills: the untempered fast path taken at β ≠ 1 when there is no base model (IsOne && base empty → ||): the means
    // must be σ(β(a + Wh)), not σ(a + Wh). Reference in double; tolerance the sigmoid's promised accuracy plus the float
    // dot-product bound on its input, damped by the sigmoid's slope ≤ ¼ and by β.
    [Fact]
    public void MeanVisibles_TemperedWithoutABaseModel_ScaleTheInputsByBeta()
    {
        const float beta = 0.5f;
        var rbm = BernoulliRbm.CreateRandom(6, 4, seed: 3, weightStdDev: 1f);
        var h = new Matrix(2, 4);
        for (int j = 0; j < 4; j++) { h[0, j] = 1f; h[1, j] = j % 2; }
        var v = new Matrix(2, 6);
        rbm.MeanVisibles(h, v, new Temperature(beta));
        ReadOnlySpan<float> w = rbm.Weights, a = rbm.VisibleBias;
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < 6; i++)
            {
                double x = a[i], abs = Math.Abs(a[i]);
                for (int j = 0; j < 4; j++) { x += w[i * 4 + j] * h[r, j]; abs += Math.Abs(w[i * 4 + j] * h[r, j]); }
                double expected = 1 / (1 + Math.Exp(-beta * x));
                double tol = Tolerance.SigmoidAbsolute + beta * Tolerance.DotBound(5, abs) / 4;
                Assert.True(Tolerance.Close(expected, v[r, i], tol), $"row {r}, unit {i}: {expected} vs {v[r, i]}");
            }
    }

    // Kills: the enumerated layer's label swapped or emptied, and the tie going to the visible layer. The plan enumerates
    // the smaller layer and the hidden one on a tie, as ExactPartitionFunction.InfeasibleMessage says.
    [Fact]
    public void EnumerationPlan_EnumeratesTheSmallerLayer_HiddenOnATie()
    {
        EnumerationPlan plan = BernoulliRbm.CreateRandom(5, 3, seed: 1).CreateEnumerationPlan();
        Assert.Equal(("hidden", 3, 5), (plan.EnumeratedLayer, plan.EnumeratedCount, plan.OtherCount));
        plan = BernoulliRbm.CreateRandom(3, 5, seed: 1).CreateEnumerationPlan();
        Assert.Equal(("visible", 3, 5), (plan.EnumeratedLayer, plan.EnumeratedCount, plan.OtherCount));
        plan = BernoulliRbm.CreateRandom(4, 4, seed: 1).CreateEnumerationPlan();
        Assert.Equal("hidden", plan.EnumeratedLayer);
    }

    [Fact]
    public void CreateRandom_DataShape_IsChecked_AndEmptyDataLeavesZeroBiases()
    {
        var ex = Assert.Throws<ArgumentException>(() => BernoulliRbm.CreateRandom(4, 2, seed: 1, data: new Matrix(3, 5)));
        Assert.Equal("data", ex.ParamName);
        Assert.StartsWith("The data has 5 columns but the model has 4 visible units.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => BernoulliRbm.CreateRandom(4, 2, seed: 1, new Dataset(new Matrix(3, 5))));
        Assert.Equal("data", ex.ParamName);
        Assert.Throws<ArgumentNullException>(() => BernoulliRbm.CreateRandom(4, 2, seed: 1, (IRowSource)null!));

        BernoulliRbm empty = BernoulliRbm.CreateRandom(4, 2, seed: 1, new NoRows(4));
        Assert.All(empty.VisibleBias.ToArray(), a => Assert.Equal(0f, a));
    }

    /// <summary>A row source with columns but no rows.</summary>
    private sealed class NoRows(int columns) : IRowSource
    {
        public int RowCount => 0;
        public int ColumnCount => columns;
        public void CopyRow(int row, Span<float> destination) => throw new InvalidOperationException("there are no rows");
    }

    // Kills: the destination length checks removed or off by one (< rows → <= rows rejects an exact fit; a
    // missing check writes past a short buffer's end or throws IndexOutOfRange mid-way).
    [Fact]
    public void Energy_And_FreeEnergy_Destinations_MustHoldOneValuePerRow()
    {
        var rbm = BernoulliRbm.CreateRandom(4, 3, seed: 1);
        var v = new Matrix(5, 4);
        var h = new Matrix(5, 3);
        var ex = Assert.Throws<ArgumentException>(() => rbm.Energy(v, h, new double[4]));
        Assert.Equal("energy", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => rbm.FreeEnergy(v, new double[4]));
        Assert.Equal("freeEnergy", ex.ParamName);
        // An exact fit and a longer buffer are both fine: one value per row is written.
        rbm.Energy(v, h, new double[5]);
        rbm.Energy(v, h, new double[6]);
        rbm.FreeEnergy(v, new double[5]);
        rbm.FreeEnergy(v, new double[6]);
        rbm.FreeEnergy(new Matrix(0, 4), Span<double>.Empty);
    }

    // Kills: any of the batch shape checks removed (columns of either side, rows of the output) on each operation.
    [Fact]
    public void BatchOperations_RejectMismatchedShapes_NamingTheArgument()
    {
        var rbm = BernoulliRbm.CreateRandom(4, 3, seed: 1);
        var random = new RandomStream(2);
        void Expect(string name, Action action) => Assert.Equal(name, Assert.Throws<ArgumentException>(action).ParamName);

        Expect("visible", () => rbm.Energy(new Matrix(2, 5), new Matrix(2, 3), new double[2]));
        Expect("hidden", () => rbm.Energy(new Matrix(2, 4), new Matrix(2, 2), new double[2]));
        Expect("hidden", () => rbm.Energy(new Matrix(2, 4), new Matrix(1, 3), new double[2]));
        Expect("visible", () => rbm.FreeEnergy(new Matrix(2, 3), new double[2]));
        Expect("visible", () => rbm.HiddenActivations(new Matrix(2, 5), new Matrix(2, 3)));
        Expect("activations", () => rbm.HiddenActivations(new Matrix(2, 4), new Matrix(2, 4)));
        Expect("activations", () => rbm.HiddenActivations(new Matrix(2, 4), new Matrix(3, 3)));
        Expect("hidden", () => rbm.MeanVisibles(new Matrix(2, 4), new Matrix(2, 4)));
        Expect("visible", () => rbm.MeanVisibles(new Matrix(2, 3), new Matrix(2, 3)));
        Expect("visible", () => rbm.MeanVisibles(new Matrix(2, 3), new Matrix(1, 4)));
        Expect("hidden", () => { var r = random; rbm.SampleHiddens(new Matrix(2, 4), new Matrix(2, 2), ref r); });
        Expect("visible", () => { var r = random; rbm.SampleVisibles(new Matrix(2, 3), new Matrix(2, 5), ref r); });
        var threads = Assert.Throws<ArgumentOutOfRangeException>(() => rbm.MeanHiddens(new Matrix(2, 4), new Matrix(2, 3), maxDegreeOfParallelism: 0));
        Assert.Equal("maxDegreeOfParallelism", threads.ParamName);
    }

    // Kills: HiddenActivations applying the sigmoid, dropping the bias, or using Wᵀ; checked against b + vW in double.
    [Property(MaxTest = 100)]
    public Property HiddenActivations_AreBiasPlusVW() => Prop.ForAll(RbmArbitraries.Cases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix v = c.UnitRows(c.Nv, 3);
        var x = new Matrix(c.Rows, c.Nh);
        rbm.HiddenActivations(v, x);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] vr = RbmCase.Row(v, r);
            for (int j = 0; j < c.Nh; j++)
            {
                double terms = Math.Abs(naive.B[j]) + Enumerable.Range(0, c.Nv).Sum(i => Math.Abs(vr[i] * naive.W[i, j]));
                double expected = naive.HiddenActivation(vr, j);
                if (!Tolerance.Close(expected, x[r, j], Tolerance.DotBound(c.Nv + 1, terms))) return false.Label($"row {r} unit {j}: {expected} vs {x[r, j]}");
            }
        }
        return true.ToProperty();
    });

    // Kills: the sampling stream not advanced (or advanced by the wrong count), and a draw rule other than "on when u < p".
    [Property(MaxTest = 100)]
    public Property SampleHiddensAndVisibles_FollowTheStreamRule() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 20, maxRows: 8), c =>
    {
        c = c with { Scale = Math.Min(c.Scale, 3) };
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix v = c.BinaryRows(c.Nv, 1), hIn = c.BinaryRows(c.Nh, 2);
        var h = new Matrix(c.Rows, c.Nh);
        var vOut = new Matrix(c.Rows, c.Nv);
        var random = new RandomStream((ulong)c.Seed).Derive(3);
        RandomStream reference = random;
        rbm.SampleHiddens(v, h, ref random);
        if (random.Position != (ulong)(c.Rows * c.Nh)) return false.Label($"SampleHiddens advanced {random.Position}");
        rbm.SampleVisibles(hIn, vOut, ref random);
        if (random.Position != (ulong)(c.Rows * (c.Nh + c.Nv))) return false.Label($"SampleVisibles advanced to {random.Position}");
        double margin = double.PositiveInfinity;
        for (int r = 0; r < c.Rows; r++)
        {
            double[] expected = naive.Sample(naive.MeanHiddens(RbmCase.Row(v, r)), ref reference, ref margin);
            for (int j = 0; j < c.Nh; j++) if (margin >= AmbiguousMargin && h[r, j] != expected[j]) return false.Label($"h[{r},{j}]");
        }
        for (int r = 0; r < c.Rows; r++)
        {
            double[] expected = naive.Sample(naive.MeanVisibles(RbmCase.Row(hIn, r)), ref reference, ref margin);
            for (int i = 0; i < c.Nv; i++) if (margin >= AmbiguousMargin && vOut[r, i] != expected[i]) return false.Label($"v[{r},{i}]");
        }
        return margin < AmbiguousMargin ? true.When(false) : true.ToProperty();
    });

    // Kills: HasFiniteParameters ignoring one of the three arrays (&& → ||, a term dropped) and Clone sharing storage.
    [Fact]
    public void HasFiniteParameters_SeesEachArray_AndCloneIsDeep()
    {
        var rbm = BernoulliRbm.CreateRandom(4, 3, seed: 1, weightStdDev: 1f);
        Assert.True(rbm.HasFiniteParameters());
        BernoulliRbm w = rbm.Clone(), a = rbm.Clone(), b = rbm.Clone();
        Assert.Equal(rbm.Weights.ToArray(), w.Weights.ToArray());
        w.MutableWeights[11] = float.NaN;
        a.MutableVisibleBias[0] = float.PositiveInfinity;
        b.MutableHiddenBias[2] = float.NegativeInfinity;
        Assert.False(w.HasFiniteParameters());
        Assert.False(a.HasFiniteParameters());
        Assert.False(b.HasFiniteParameters());
        Assert.True(rbm.HasFiniteParameters());
    }
}
