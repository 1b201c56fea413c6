using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// The model family's building blocks against their documented contracts: parameter tensors and sets (names,
/// shapes, layouts, copies, the messages that name what is wrong), inverse temperatures and the tempered bias
/// formula, the stacked phases of a training step, and the Gaussian–Bernoulli initialisation (its settings'
/// ranges and the closed forms it promises).
/// </summary>
public class ModelPartsTests
{
    // ---- Parameter ---------------------------------------------------------------------------------

    [Fact]
    public void Parameter_IsAZeroTensorWithItsNameGroupAndShape()
    {
        int[] shape = [3, 4];
        var p = new Parameter("W_1", ParameterGroup.Weights, shape);
        shape[0] = 9;
        Assert.Equal(("W_1", ParameterGroup.Weights, 12), (p.Name, p.Group, p.Length));
        Assert.Equal([3, 4], p.Shape.ToArray());
        Assert.Equal(new float[12], p.Span.ToArray());
        Assert.Equal("(3, 4)", p.ShapeText);
        Assert.Equal("W_1 (3, 4)", p.ToString());
        var v = new Parameter("log_variance", ParameterGroup.LogVariances, 5);
        Assert.Equal("(5,)", v.ShapeText);
        Assert.Equal("log_variance (5,)", v.ToString());
        Assert.Equal("(2, 3, 4)", new Parameter("x", ParameterGroup.ContextWeights, 2, 3, 4).ShapeText);
    }

    public static TheoryData<string, int[], string, string> BadParameters => new()
    {
        { "", [1], "name", "The value cannot be an empty string." },
        { "W-1", [1], "name", "Parameter names use letters, digits and '_' only, but got 'W-1'." },
        { "a b", [1], "name", "Parameter names use letters, digits and '_' only, but got 'a b'." },
        { "é", [1], "name", "Parameter names use letters, digits and '_' only, but got 'é'." },
        { "W", [], "shape", "A parameter needs at least one dimension." },
        { "W", [0], "shape", "Parameter 'W' has a dimension of 0; each must be at least 1." },
        { "W", [3, -1], "shape", "Parameter 'W' has a dimension of -1; each must be at least 1." },
        { "W", [50_000, 50_000], "shape", "Parameter 'W' is too large for one array." },
        // The size check runs as the dimensions multiply: exactly the largest array is allowed (the next
        // dimension's own check is the one that fails here), one more element is not.
        { "W", [0x7FFFFFC7, 0], "shape", "Parameter 'W' has a dimension of 0; each must be at least 1." },
        { "W", [0x7FFFFFC8, 0], "shape", "Parameter 'W' is too large for one array." },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void Parameter_Rejects_NamingTheProblem(string name, int[] shape, string paramName, string message)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => new Parameter(name, ParameterGroup.Biases, shape));
        Assert.Equal(paramName, ex.ParamName);
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void Parameter_RejectsNullNameAndUnknownGroup()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new Parameter(null!, ParameterGroup.Biases, 1)).ParamName);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Parameter("b", (ParameterGroup)99, 1));
        Assert.Equal("group", ex.ParamName);
        Assert.StartsWith("Unknown parameter group.", ex.Message);
        Assert.Equal("Aa_09", new Parameter("Aa_09", ParameterGroup.Biases, 1).Name);
    }

    [Fact]
    public void Parameter_FindsTheFirstNonFiniteValue()
    {
        var p = new Parameter("b", ParameterGroup.Biases, 4);
        Assert.Equal(-1, p.IndexOfNonFinite());
        Assert.True(p.IsFinite());
        p.Span[3] = float.PositiveInfinity;
        Assert.Equal(3, p.IndexOfNonFinite());
        Assert.False(p.IsFinite());
        p.Span[0] = float.NaN;
        Assert.Equal(0, p.IndexOfNonFinite());
        p.Span[0] = float.MaxValue;
        p.Span[3] = float.NegativeInfinity;
        Assert.Equal(3, p.IndexOfNonFinite());
    }

    [Fact]
    public void Parameter_CreateZeros_AndIsLike()
    {
        var p = new Parameter("W", ParameterGroup.Weights, 2, 3);
        p.Span.Fill(5f);
        Parameter z = p.CreateZeros();
        Assert.True(p.IsLike(z) && z.IsLike(p));
        Assert.Equal(new float[6], z.Span.ToArray());
        Assert.Equal(5f, p.Span[0]);
        Assert.False(p.IsLike(null!));
        Assert.False(p.IsLike(new Parameter("V", ParameterGroup.Weights, 2, 3)));
        Assert.False(p.IsLike(new Parameter("W", ParameterGroup.ContextWeights, 2, 3)));
        Assert.False(p.IsLike(new Parameter("W", ParameterGroup.Weights, 3, 2)));
        Assert.False(p.IsLike(new Parameter("W", ParameterGroup.Weights, 6)));
    }

    // ---- ParameterSet ------------------------------------------------------------------------------

    private static ParameterSet Set(params (string Name, int[] Shape)[] tensors) =>
        new(tensors.Select(t => new Parameter(t.Name, ParameterGroup.Weights, t.Shape)));

    [Fact]
    public void ParameterSet_KeepsOrder_AndFindsByName()
    {
        var w = new Parameter("W", ParameterGroup.Weights, 2, 3);
        var b = new Parameter("b", ParameterGroup.Biases, 3);
        var set = new ParameterSet(w, b);
        Assert.Equal(2, set.Count);
        Assert.Same(w, set[0]);
        Assert.Same(b, set[1]);
        Assert.Same(b, set["b"]);
        Assert.True(set.TryGet("W", out Parameter? found) && ReferenceEquals(found, w));
        Assert.False(set.TryGet("w", out Parameter? missing));
        Assert.Null(missing);
        var ex = Assert.Throws<KeyNotFoundException>(() => set["a"]);
        Assert.Equal("No parameter is named 'a' (the set has W, b).", ex.Message);
        Assert.Equal([w, b], set.ToArray());
        var untyped = new List<object>();
        foreach (object o in (System.Collections.IEnumerable)set) untyped.Add(o);
        Assert.Equal([w, b], untyped);
        Assert.Equal("W (2, 3), b (3,)", set.Describe());
    }

    [Fact]
    public void ParameterSet_Rejects_NamingTheProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ParameterSet(Array.Empty<Parameter>()));
        Assert.Equal("parameters", ex.ParamName);
        Assert.StartsWith("A parameter set needs at least one tensor.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Set(("W", [2]), ("b", [2]), ("W", [3])));
        Assert.Equal("parameters", ex.ParamName);
        Assert.StartsWith("Two parameters are named 'W'.", ex.Message);
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => new ParameterSet((IEnumerable<Parameter>)null!)).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(() => new ParameterSet(new Parameter("W", ParameterGroup.Weights, 1), null!)).ParamName);
    }

    [Fact]
    public void ParameterSet_ZerosCloneCopyAndClear()
    {
        ParameterSet set = Set(("W", [2, 2]), ("b", [3]));
        set[0].Span.Fill(1f);
        set[1].Span.Fill(2f);
        ParameterSet zeros = set.CreateZeros();
        Assert.True(set.HasSameLayout(zeros));
        Assert.All(zeros, p => Assert.All(p.Span.ToArray(), x => Assert.Equal(0f, x)));

        ParameterSet clone = set.Clone();
        Assert.Equal([1f, 1f, 1f, 1f], clone[0].Span.ToArray());
        Assert.Equal([2f, 2f, 2f], clone[1].Span.ToArray());
        set[1].Span[0] = 7f;
        Assert.Equal(2f, clone[1].Span[0]); // deep

        set.CopyTo(zeros);
        Assert.Equal([7f, 2f, 2f], zeros[1].Span.ToArray());
        Assert.Equal([1f, 1f, 1f, 1f], zeros[0].Span.ToArray());
        set.Clear();
        Assert.All(set, p => Assert.All(p.Span.ToArray(), x => Assert.Equal(0f, x)));

        var ex = Assert.Throws<ArgumentException>(() => set.CopyTo(Set(("W", [2, 2]))));
        Assert.Equal("destination", ex.ParamName);
        Assert.StartsWith("Expected parameters [W (2, 2), b (3,)] but got [W (2, 2)].", ex.Message);
    }

    [Fact]
    public void ParameterSet_IsFinite_LooksAtEveryTensor()
    {
        ParameterSet set = Set(("W", [2]), ("b", [2]), ("c", [2]));
        Assert.True(set.IsFinite());
        for (int i = 0; i < 3; i++)
        {
            set[i].Span[1] = float.NaN;
            Assert.False(set.IsFinite());
            set[i].Span[1] = 0f;
        }
    }

    [Fact]
    public void ParameterSet_Layout_IsNamesGroupsShapesAndOrder()
    {
        ParameterSet set = Set(("W", [2, 3]), ("b", [3]));
        Assert.True(set.HasSameLayout(Set(("W", [2, 3]), ("b", [3]))));
        Assert.False(set.HasSameLayout(null!));
        Assert.False(set.HasSameLayout(Set(("W", [2, 3]))));
        Assert.False(set.HasSameLayout(Set(("W", [2, 3]), ("b", [3]), ("c", [1]))));
        Assert.False(set.HasSameLayout(Set(("b", [3]), ("W", [2, 3]))));
        Assert.False(set.HasSameLayout(Set(("W", [2, 3]), ("b", [4]))));
        set.RequireSameLayout(Set(("W", [2, 3]), ("b", [3])), "other");
        var ex = Assert.Throws<ArgumentException>(() => set.RequireSameLayout(Set(("W", [3, 2]), ("b", [3])), "gradient"));
        Assert.Equal("gradient", ex.ParamName);
        Assert.StartsWith("Expected parameters [W (2, 3), b (3,)] but got [W (3, 2), b (3,)].", ex.Message);
        Assert.Equal("velocity", Assert.Throws<ArgumentNullException>(() => set.RequireSameLayout(null!, "velocity")).ParamName);
    }

    // ---- Temperature -------------------------------------------------------------------------------

    [Fact]
    public void Temperature_DefaultIsTheModelItself()
    {
        Temperature one = default;
        Assert.Equal(1f, one.Beta);
        Assert.True(one.IsOne);
        Assert.True(one.BaseVisibleBias.IsEmpty);
        Assert.Equal(1f, Temperature.One.Beta);
        Assert.True(new Temperature(1f).IsOne);
        Assert.False(new Temperature(0.999f).IsOne);
        Assert.Equal(0f, new Temperature(0f).Beta);
        float[] a0 = [1f, 2f];
        Assert.Equal(a0, new Temperature(0.5f, a0).BaseVisibleBias.ToArray());
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(1.01f)]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void Temperature_OutsideTheUnitInterval_Throws(float beta)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Temperature(beta));
        Assert.Equal("beta", ex.ParamName);
        Assert.StartsWith("β must be in [0, 1].", ex.Message);
    }

    [Fact]
    public void TemperBias_IsBetaAPlusOneMinusBetaABase()
    {
        var t = new Temperature(0.25f);
        var d = new float[3];
        t.TemperBias([4f, -8f, 2f], [8f, 4f, -4f], d);
        Assert.Equal([0.25f * 4 + 0.75f * 8, 0.25f * -8 + 0.75f * 4, 0.25f * 2 + 0.75f * -4], d);
        t.TemperBias([4f, -8f, 2f], [], d);
        Assert.Equal([1f, -2f, 0.5f], d);
        Temperature.One.TemperBias([4f, -8f, 2f], [8f, 4f, -4f], d);
        Assert.Equal([4f, -8f, 2f], d);

        var ex = Assert.Throws<ArgumentException>(() => t.TemperBias([1f, 2f], [], new float[3]));
        Assert.Equal("destination", ex.ParamName);
        Assert.StartsWith("The destination holds 3 values but the bias has 2.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => t.TemperBias([1f, 2f], [1f], new float[2]));
        Assert.Equal("baseBias", ex.ParamName);
        Assert.StartsWith("The base model has 1 biases but the model has 2.", ex.Message);
    }

    // ---- PhaseBatch --------------------------------------------------------------------------------

    [Fact]
    public void PhaseBatch_SplitsTheStackedRows()
    {
        var v = new Matrix(5, 2);
        var h = new Matrix(5, 3);
        for (int r = 0; r < 5; r++)
        {
            v[r, 0] = r;
            h[r, 0] = 10 + r;
        }
        var p = new PhaseBatch(v, h, 2);
        Assert.Equal((2, 3), (p.DataRows, p.ModelRows));
        Assert.Equal((2, 2, 3, 3), (p.DataVisible.Rows, p.DataHidden.Rows, p.ModelVisible.Rows, p.ModelHidden.Rows));
        Assert.Equal((0f, 1f), (p.DataVisible[0, 0], p.DataVisible[1, 0]));
        Assert.Equal((2f, 4f), (p.ModelVisible[0, 0], p.ModelVisible[2, 0]));
        Assert.Equal((10f, 11f), (p.DataHidden[0, 0], p.DataHidden[1, 0]));
        Assert.Equal((12f, 14f), (p.ModelHidden[0, 0], p.ModelHidden[2, 0]));
        Assert.Equal(5, p.Visible.Rows);
        Assert.Equal(5, p.Hidden.Rows);
        // One row of each phase is the least.
        Assert.Equal((1, 4), (new PhaseBatch(v, h, 1).DataRows, new PhaseBatch(v, h, 4).DataRows));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(-1)]
    public void PhaseBatch_BothPhasesNeedRows(int dataRows)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = new PhaseBatch(new Matrix(5, 2), new Matrix(5, 3), dataRows); });
        Assert.Equal("dataRows", ex.ParamName);
        Assert.StartsWith($"Both phases need rows: 5 rows in all, {dataRows} of data.", ex.Message);
    }

    [Fact]
    public void PhaseBatch_RowCountsMustMatch()
    {
        var ex = Assert.Throws<ArgumentException>(() => { _ = new PhaseBatch(new Matrix(5, 2), new Matrix(4, 3), 2); });
        Assert.Equal("hidden", ex.ParamName);
        Assert.StartsWith("The visible rows (5) and hidden rows (4) must match.", ex.Message);
    }

    // ---- GaussianBernoulliInitialization -------------------------------------------------------------

    [Fact]
    public void Initialization_Defaults_AreTheDocumentedOnes()
    {
        var i = new GaussianBernoulliInitialization();
        Assert.Null(i.WeightStdDev);
        Assert.True(i.PairedWeights);
        Assert.Equal(0.1f, i.ComponentWeight);
        Assert.Equal(0f, i.HiddenBias);
        Assert.False(i.VarianceFromData);
        Assert.Equal(0.01f, i.MinStandardDeviation);
        i.Validate();
        // The edges of each range are accepted.
        new GaussianBernoulliInitialization { WeightStdDev = 0f, ComponentWeight = 1f, MinStandardDeviation = float.Epsilon, HiddenBias = -float.MaxValue }.Validate();
        new GaussianBernoulliInitialization { WeightStdDev = float.MaxValue, ComponentWeight = float.Epsilon, MinStandardDeviation = float.MaxValue }.Validate();
    }

    public static TheoryData<string, string, string> BadInitializations => new()
    {
        { "sd-", "WeightStdDev", "The weight standard deviation must be finite and non-negative." },
        { "sdNaN", "WeightStdDev", "The weight standard deviation must be finite and non-negative." },
        { "sdInf", "WeightStdDev", "The weight standard deviation must be finite and non-negative." },
        { "c0", "ComponentWeight", "The component weight must be in (0, 1]." },
        { "c>1", "ComponentWeight", "The component weight must be in (0, 1]." },
        { "cNaN", "ComponentWeight", "The component weight must be in (0, 1]." },
        { "bInf", "HiddenBias", "The initial hidden bias must be finite." },
        { "bNaN", "HiddenBias", "The initial hidden bias must be finite." },
        { "min0", "MinStandardDeviation", "The standard deviation floor must be finite and positive." },
        { "minNaN", "MinStandardDeviation", "The standard deviation floor must be finite and positive." },
        { "minInf", "MinStandardDeviation", "The standard deviation floor must be finite and positive." },
    };

    [Theory]
    [MemberData(nameof(BadInitializations))]
    public void Initialization_Validate_RejectsJustOutside_NamingTheSetting(string which, string name, string message)
    {
        var o = new GaussianBernoulliInitialization();
        GaussianBernoulliInitialization bad = which switch
        {
            "sd-" => o with { WeightStdDev = -1e-30f },
            "sdNaN" => o with { WeightStdDev = float.NaN },
            "sdInf" => o with { WeightStdDev = float.PositiveInfinity },
            "c0" => o with { ComponentWeight = 0f },
            "c>1" => o with { ComponentWeight = 1.0000001f },
            "cNaN" => o with { ComponentWeight = float.NaN },
            "bInf" => o with { HiddenBias = float.NegativeInfinity },
            "bNaN" => o with { HiddenBias = float.NaN },
            "min0" => o with { MinStandardDeviation = 0f },
            "minNaN" => o with { MinStandardDeviation = float.NaN },
            _ => o with { MinStandardDeviation = float.PositiveInfinity },
        };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(bad.Validate);
        Assert.Equal(name, ex.ParamName);
        Assert.StartsWith(message, ex.Message);
        // CreateRandom checks the settings before it builds anything.
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBernoulliRbm.CreateRandom(2, 2, 1, null, bad)).ParamName);
    }

    // ---- GaussianBernoulliRbm.CreateRandom ---------------------------------------------------------

    /// <summary>The documented draw: W[i] = sd·z_i with z the seed's stream of <see cref="RandomStream.NextGaussian"/>, in order.</summary>
    private static float[] Drawn(int n, float sd, ulong seed)
    {
        var random = new RandomStream(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(sd * random.NextGaussian())).ToArray();
    }

    [Fact]
    public void CreateRandom_WithoutData_HasGlorotPairedWeights_ZeroMeans_UnitVariances()
    {
        const int nv = 4, nh = 5;
        var model = GaussianBernoulliRbm.CreateRandom(nv, nh, seed: 3, initialization: new GaussianBernoulliInitialization { ComponentWeight = null, HiddenBias = -0.5f });
        float sd = MathF.Sqrt(2f / (nv + nh));
        float[] drawn = Drawn(nv * nh, sd, 3);
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nh; j++)
            {
                // Unit 2k + 1 is the negation of unit 2k; the last unit of an odd count keeps its own draw.
                float expected = j % 2 == 1 ? -drawn[i * nh + j - 1] : drawn[i * nh + j];
                Assert.Equal(expected, model.Weights[i * nh + j]);
            }
        Assert.Equal(new float[nv], model.VisibleBias.ToArray());
        Assert.Equal(new float[nv], model.LogVariance.ToArray());
        Assert.Equal(Enumerable.Repeat(-0.5f, nh), model.HiddenBias.ToArray());
        Assert.Equal(("gaussian-bernoulli", VisibleUnitKind.Gaussian), (model.Kind, model.VisibleUnits));
    }

    [Fact]
    public void CreateRandom_UnpairedWithAGivenDeviation_IsTheStreamScaled()
    {
        var model = GaussianBernoulliRbm.CreateRandom(3, 4, seed: 8,
            initialization: new GaussianBernoulliInitialization { WeightStdDev = 0.3f, PairedWeights = false, ComponentWeight = null });
        Assert.Equal(Drawn(12, 0.3f, 8), model.Weights.ToArray());
        Assert.Equal(new float[4], model.HiddenBias.ToArray());
    }

    [Fact]
    public void CreateRandom_FromData_SetsMeans_VariancesAboveTheFloor_AndComponentWeights()
    {
        // Columns: mean 2 with population variance 4; mean −1 with variance 1e-6 (below the floor 0.1² = 0.01).
        var m = new Matrix(2, 2);
        m[0, 0] = 0f; m[1, 0] = 4f;
        m[0, 1] = -1.001f; m[1, 1] = -0.999f;
        var init = new GaussianBernoulliInitialization { VarianceFromData = true, MinStandardDeviation = 0.1f, ComponentWeight = 0.25f };
        var model = GaussianBernoulliRbm.CreateRandom(2, 3, seed: 5, new Dataset(m), init);
        Assert.Equal([2f, -1f], model.VisibleBias.ToArray());
        Assert.Equal((float)Math.Log(4.0), model.LogVariance[0], 5);
        Assert.Equal((float)Math.Log(0.1 * 0.1), model.LogVariance[1], 5);
        // The documented promise: the state with only unit j on weighs c times the all-off state, from
        // log p(h) = bᵀh + Σᵢ (½(Wh)ᵢ² + aᵢ(Wh)ᵢ/σᵢ) + const.
        for (int j = 0; j < 3; j++)
        {
            double logRatio = model.HiddenBias[j];
            for (int i = 0; i < 2; i++)
            {
                double w = model.Weights[i * 3 + j];
                logRatio += 0.5 * w * w + model.VisibleBias[i] * w / Math.Exp(0.5 * model.LogVariance[i]);
            }
            Assert.Equal(Math.Log(0.25), logRatio, 5);
        }
        // Without VarianceFromData the variances stay 1 even with data.
        var plain = GaussianBernoulliRbm.CreateRandom(2, 3, seed: 5, new Dataset(m.Clone()), init with { VarianceFromData = false });
        Assert.Equal([0f, 0f], plain.LogVariance.ToArray());
        Assert.Equal([2f, -1f], plain.VisibleBias.ToArray());
    }

    [Fact]
    public void CreateRandom_ChecksTheData()
    {
        var ex = Assert.Throws<ArgumentException>(() => GaussianBernoulliRbm.CreateRandom(3, 2, seed: 1, new Dataset(new Matrix(2, 4))));
        Assert.Equal("data", ex.ParamName);
        Assert.StartsWith("The data has 4 columns but the model has 3 visible units.", ex.Message);
        var m = new Matrix(2, 3);
        m[1, 2] = float.PositiveInfinity;
        ex = Assert.Throws<ArgumentException>(() => GaussianBernoulliRbm.CreateRandom(3, 2, seed: 1, new Dataset(m)));
        Assert.Equal("data", ex.ParamName);
        Assert.StartsWith("Column 2 of the data is not finite.", ex.Message);
        // No rows: as without data.
        var empty = GaussianBernoulliRbm.CreateRandom(3, 2, seed: 1, new Dataset(new Matrix(0, 3)));
        Assert.Equal(new float[3], empty.VisibleBias.ToArray());
    }
}
