using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// What both dense kinds share, against the documented contract and closed forms: the base model's log Z, the
/// enumerated layer, valid visible values, the argument checks of the lower-level operations the estimators and
/// the trainer call (hidden inputs, means from inputs, free energy from inputs, sampling from means, the
/// gradient), and deep copies.
/// </summary>
public class DenseRbmContractTests
{
    private static DenseRbm Create(string kind, int nv, int nh, int seed = 1)
    {
        BernoulliRbm shape = new RbmCase(nv, nh, 1, 0.7, seed).CreateModel();
        if (kind == "bernoulli") return shape;
        var random = new Random(seed);
        float[] z = Enumerable.Range(0, nv).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        return new GaussianBernoulliRbm(nv, nh, shape.Weights, shape.VisibleBias, shape.HiddenBias, z);
    }

    private static void Expect(string name, string message, Action action)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(name, ex.ParamName);
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void BaseLogPartitionFunction_IsTheClosedForm()
    {
        // Bernoulli: every hidden unit free (log 2 each) and Σᵢ softplus(a₀ᵢ); no base bias means a₀ = 0.
        DenseRbm b = Create("bernoulli", 3, 4);
        static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
        Assert.Equal(4 * Math.Log(2) + Softplus(1) + Softplus(-2) + Softplus(30), b.BaseLogPartitionFunction([1f, -2f, 30f]), 10);
        Assert.Equal(4 * Math.Log(2) + 3 * Math.Log(2), b.BaseLogPartitionFunction([]), 12);
        Assert.Equal(4 * Math.Log(2) + Softplus(-40) + 2 * Math.Log(2), b.BaseLogPartitionFunction([-40f, 0f, 0f]), 12);
        // Gaussian: σᵢ√(2π) per visible unit whatever the means, so the base bias does not enter.
        var g = (GaussianBernoulliRbm)Create("gaussian-bernoulli", 3, 4);
        double expected = 4 * Math.Log(2) + g.LogVariance.ToArray().Sum(z => 0.5 * Math.Log(2 * Math.PI) + 0.5 * z);
        Assert.Equal(expected, g.BaseLogPartitionFunction([5f, -5f, 9f]), 10);
        Assert.Equal(expected, g.BaseLogPartitionFunction([]), 10);
        foreach (DenseRbm m in new[] { b, g })
            Expect("baseVisibleBias", "The base model has 2 visible biases but the model has 3 visible units.", () => m.BaseLogPartitionFunction([1f, 2f]));
    }

    [Fact]
    public void EnumeratedLayer_AndValidValues_FollowTheVisibleUnits()
    {
        Assert.Equal(3, Create("bernoulli", 3, 5).EnumeratedUnitCount);
        Assert.Equal(4, Create("bernoulli", 6, 4).EnumeratedUnitCount);
        Assert.Equal(4, Create("bernoulli", 4, 4).EnumeratedUnitCount);
        Assert.Equal(5, Create("gaussian-bernoulli", 3, 5).EnumeratedUnitCount);
        Assert.Equal(4, Create("gaussian-bernoulli", 6, 4).EnumeratedUnitCount);

        DenseRbm b = Create("bernoulli", 2, 2), g = Create("gaussian-bernoulli", 2, 2);
        Assert.Equal(("bernoulli", VisibleUnitKind.Bernoulli), (b.Kind, b.VisibleUnits));
        Assert.Equal(("gaussian-bernoulli", VisibleUnitKind.Gaussian), (g.Kind, g.VisibleUnits));
        foreach (float ok in new[] { 0f, 1f, 0.5f, float.Epsilon }) Assert.True(b.IsValidVisibleValue(ok));
        foreach (float bad in new[] { -float.Epsilon, 1.0000001f, float.NaN, float.PositiveInfinity }) Assert.False(b.IsValidVisibleValue(bad));
        foreach (float ok in new[] { 0f, -1e30f, 1e30f, float.MaxValue }) Assert.True(g.IsValidVisibleValue(ok));
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity }) Assert.False(g.IsValidVisibleValue(bad));
    }

    [Theory]
    [InlineData("bernoulli")]
    [InlineData("gaussian-bernoulli")]
    public void LowLevelOperations_CheckTheirShapes_NamingTheArgument(string kind)
    {
        DenseRbm m = Create(kind, 4, 3);
        var random = new RandomStream(1);
        Expect("inputs", "Expected 3 columns but got 2.", () => m.HiddenMeansFromInputs(new Matrix(2, 2)));
        Expect("hidden", "Expected 3 columns but got 4.", () => { var r = random; m.SampleHiddensFromMeans(new Matrix(2, 4), ref r); });
        Expect("visible", "Expected 4 columns but got 3.", () => { var r = random; m.SampleVisiblesFromMeans(new Matrix(2, 3), ref r); });
        Expect("visible", "Expected 4 columns but got 5.", () => m.HiddenInputs(new Matrix(2, 5), new Matrix(2, 3), Temperature.One));
        Expect("inputs", "Expected 3 columns but got 4.", () => m.HiddenInputs(new Matrix(2, 4), new Matrix(2, 4), Temperature.One));
        Expect("inputs", "Expected 2 rows (one per row of visible) but got 1.", () => m.HiddenInputs(new Matrix(2, 4), new Matrix(1, 3), Temperature.One));
        Expect("hiddenInputs", "Expected 3 columns but got 2.", () => m.FreeEnergyFromHiddenInputs(new Matrix(2, 4), new Matrix(2, 2), Temperature.One, new double[2]));
        Expect("visible", "Expected 4 columns but got 3.", () => m.FreeEnergyFromHiddenInputs(new Matrix(2, 3), new Matrix(2, 3), Temperature.One, new double[2]));
        Expect("freeEnergy", "Destination holds 1 values but 2 are needed.", () => m.FreeEnergyFromHiddenInputs(new Matrix(2, 4), new Matrix(2, 3), Temperature.One, new double[1]));
        Expect("freeEnergy", "Destination holds 1 values but 2 are needed.", () => m.FreeEnergy(new Matrix(2, 4), new double[1], Temperature.One));
        Expect("visible", "Expected 4 visible columns but got 5.", () => m.FreeEnergy(new Matrix(2, 5), new double[2], Temperature.One));
        // A base model with the wrong number of visible biases, wherever a temperature is taken.
        var badBase = new Temperature(0.5f, new float[3]);
        const string BaseMessage = "The base model has 3 visible biases but the model has 4 visible units.";
        Expect("temperature", BaseMessage, () => m.FreeEnergy(new Matrix(2, 4), new double[2], badBase));
        Expect("temperature", BaseMessage, () => m.FreeEnergyFromHiddenInputs(new Matrix(2, 4), new Matrix(2, 3), badBase, new double[2]));
        Expect("temperature", BaseMessage, () => m.MeanVisibles(new Matrix(2, 3), new Matrix(2, 4), badBase));
        Expect("temperature", BaseMessage, () => { var r = random; m.SampleVisibles(new Matrix(2, 3), new Matrix(2, 4), ref r, badBase); });
        // Exact fits pass.
        m.FreeEnergyFromHiddenInputs(new Matrix(2, 4), new Matrix(2, 3), Temperature.One, new double[2]);
        m.FreeEnergyFromHiddenInputs(new Matrix(2, 4), new Matrix(2, 3), new Temperature(0.5f, new float[4]), new double[3]);
        m.HiddenMeansFromInputs(new Matrix(2, 3));
    }

    [Theory]
    [InlineData("bernoulli")]
    [InlineData("gaussian-bernoulli")]
    public void ComputeGradient_ChecksThePhasesAndTheGradientLayout(string kind)
    {
        DenseRbm m = Create(kind, 4, 3);
        ParameterSet gradient = m.Parameters.CreateZeros();
        Expect("phases", "The phases are 5 visible and 3 hidden columns wide; the model has 4 and 3.",
            () => m.ComputeGradient(new PhaseBatch(new Matrix(4, 5), new Matrix(4, 3), 2), gradient));
        Expect("phases", "The phases are 4 visible and 2 hidden columns wide; the model has 4 and 3.",
            () => m.ComputeGradient(new PhaseBatch(new Matrix(4, 4), new Matrix(4, 2), 2), gradient));
        var other = Create(kind == "bernoulli" ? "gaussian-bernoulli" : "bernoulli", 4, 3).Parameters.CreateZeros();
        var ex = Assert.Throws<ArgumentException>(() => m.ComputeGradient(new PhaseBatch(new Matrix(4, 4), new Matrix(4, 3), 2), other));
        Assert.Equal("gradient", ex.ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() =>
            m.ComputeGradient(new PhaseBatch(new Matrix(4, 4), new Matrix(4, 3), 2), gradient, 0)).ParamName);
    }

    [Theory]
    [InlineData("bernoulli")]
    [InlineData("gaussian-bernoulli")]
    public void HiddenMeansFromInputs_IsTheSigmoidOfEachInput(string kind)
    {
        DenseRbm m = Create(kind, 4, 3);
        var x = new Matrix(2, 3, [0f, 2f, -3f, 40f, -40f, 0.5f]);
        m.HiddenMeansFromInputs(x);
        double[] inputs = [0, 2, -3, 40, -40, 0.5];
        for (int i = 0; i < 6; i++)
            Assert.True(Math.Abs(NaiveRbm.Sigmoid(inputs[i]) - x.AsSpan()[i]) <= 5e-7, $"σ({inputs[i]}) = {x.AsSpan()[i]}");
    }

    [Theory]
    [InlineData("bernoulli")]
    [InlineData("gaussian-bernoulli")]
    public void Clone_IsDeep_AndHasFiniteParametersSeesEveryTensor(string kind)
    {
        DenseRbm m = Create(kind, 3, 2);
        DenseRbm copy = m.Clone();
        Assert.Equal(m.GetType(), copy.GetType());
        for (int i = 0; i < m.Parameters.Count; i++)
        {
            Assert.Equal(m.Parameters[i].Span.ToArray(), copy.Parameters[i].Span.ToArray());
            copy.Parameters[i].Span[0] += 1f;
            Assert.NotEqual(m.Parameters[i].Span[0], copy.Parameters[i].Span[0]);
        }
        Assert.True(m.HasFiniteParameters());
        for (int i = 0; i < m.Parameters.Count; i++)
        {
            DenseRbm broken = m.Clone();
            broken.Parameters[i].Span[^1] = float.NaN;
            Assert.False(broken.HasFiniteParameters(), $"{broken.Parameters[i].Name} holds NaN");
        }
        Assert.Equal(m.Weights[2 * 2 + 1], m.WeightMatrix[2, 1]);
        Assert.Equal((3, 2), (m.WeightMatrix.Rows, m.WeightMatrix.Cols));
    }

    // Kills (DenseRbm.cs, Stryker at c40896a): FreeEnergy's base-model check removed (a base of the wrong length then fails
    // later, naming an internal parameter instead of the caller's), and the parameter-length message emptied.
    [Theory]
    [InlineData("bernoulli")]
    [InlineData("gaussian")]
    public void FreeEnergy_BaseOfTheWrongLength_NamesTheTemperature(string kind)
    {
        DenseRbm model = Create(kind, 5, 3);
        // An empty batch checks its arguments too (with no rows nothing later would notice the base).
        foreach (int rows in new[] { 2, 0 })
        {
            var v = new Matrix(rows, 5);
            var f = new double[rows];
            Expect("temperature", "The base model has 4 visible biases but the model has 5 visible units.",
                () => model.FreeEnergy(v, f, new Temperature(0.5f, new float[4])));
        }
    }

    [Fact]
    public void Constructor_ParametersOfTheWrongLength_SayHowManyWereExpected()
    {
        Expect("weights", "Expected 6 values but got 5.", () => new BernoulliRbm(2, 3, new float[5], new float[2], new float[3]));
        Expect("visibleBias", "Expected 2 values but got 3.", () => new BernoulliRbm(2, 3, new float[6], new float[3], new float[3]));
        Expect("hiddenBias", "Expected 3 values but got 0.", () => new BernoulliRbm(2, 3, new float[6], new float[2], []));
    }
}
