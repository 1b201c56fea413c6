using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using Xunit;

namespace RbmSimd.Tests.Model;

public class BernoulliRbmTests
{
    [Theory]
    [InlineData(1000f, -1000.0)]          // softplus(1000) = 1000 (+ e^-1000)
    [InlineData(-1000f, 0.0)]             // softplus(-1000) = e^-1000, which is 0 in double
    [InlineData(88.8f, -88.8)]            // just past float's e^x overflow
    public void FreeEnergy_HugeActivations_IsFiniteAndExact(float weight, double expected)
    {
        var rbm = new BernoulliRbm(1, 1, [weight], [0f], [0f]);
        var f = new double[1];
        rbm.FreeEnergy(new ReadOnlyMatrixView([1f], 1, 1), f);
        Assert.True(double.IsFinite(f[0]));
        Assert.Equal(expected, f[0], 1e-4);
    }

    [Fact]
    public void Constructor_RejectsNonFiniteParameters()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BernoulliRbm(2, 1, [0f, float.NaN], [0f, 0f], [0f]));
        Assert.Equal("weights", ex.ParamName);
        Assert.Contains("index 1", ex.Message);
        Assert.Throws<ArgumentException>(() => new BernoulliRbm(2, 1, [0f, 0f], [0f, float.PositiveInfinity], [0f]));
    }

    [Fact]
    public void Constructor_RejectsWrongLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BernoulliRbm(2, 2, [0f, 0f, 0f], [0f, 0f], [0f, 0f]));
        Assert.Equal("weights", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BernoulliRbm(0, 2, [], [], [0f, 0f]));
    }

    [Fact]
    public void MeanHiddens_RejectsMismatchedShapes()
    {
        var rbm = BernoulliRbm.CreateRandom(4, 3, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => rbm.MeanHiddens(new Matrix(2, 5), new Matrix(2, 3)));
        Assert.Equal("visible", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => rbm.MeanHiddens(new Matrix(2, 4), new Matrix(3, 3)));
        Assert.Equal("hidden", ex.ParamName);
    }

    [Fact]
    public void CreateRandom_WeightsHaveRequestedDeviationAndZeroBiases()
    {
        var rbm = BernoulliRbm.CreateRandom(200, 100, seed: 7);
        double mean = rbm.Weights.ToArray().Average(x => (double)x);
        double sd = Math.Sqrt(rbm.Weights.ToArray().Average(x => (x - mean) * (x - mean)));
        // 20,000 draws: the sample deviation is within 3% of 0.01 with overwhelming probability.
        Assert.InRange(sd, 0.0097, 0.0103);
        Assert.InRange(mean, -0.0003, 0.0003);
        Assert.All(rbm.VisibleBias.ToArray(), x => Assert.Equal(0f, x));
        Assert.All(rbm.HiddenBias.ToArray(), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void CreateRandom_VisibleBiasesFromDataAreLogOdds()
    {
        // Column means 0.25, 0 (clamped to 1e-3) and 1 (clamped to 1 - 1e-3).
        var data = new Matrix(4, 3, [1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
        var rbm = BernoulliRbm.CreateRandom(3, 2, seed: 1, data: data);
        Assert.Equal(Math.Log(0.25 / 0.75), rbm.VisibleBias[0], 1e-6);
        Assert.Equal(Math.Log(1e-3 / (1 - 1e-3)), rbm.VisibleBias[1], 1e-4);
        Assert.Equal(-Math.Log(1e-3 / (1 - 1e-3)), rbm.VisibleBias[2], 1e-4);
    }

    [Fact]
    public void CreateRandom_SameSeedSameModel()
    {
        var x = BernoulliRbm.CreateRandom(30, 20, seed: 42);
        var y = BernoulliRbm.CreateRandom(30, 20, seed: 42);
        var z = BernoulliRbm.CreateRandom(30, 20, seed: 43);
        Assert.True(x.Weights.SequenceEqual(y.Weights));
        Assert.False(x.Weights.SequenceEqual(z.Weights));
    }

    [Fact]
    public void Gibbs_IsReproducibleFromTheStream()
    {
        var rbm = BernoulliRbm.CreateRandom(12, 5, seed: 3, weightStdDev: 1f);
        Matrix Run()
        {
            var v = new Matrix(4, 12);
            var h = new Matrix(4, 5);
            var random = new RandomStream(9);
            rbm.Gibbs(v, h, 10, ref random);
            return v;
        }
        Assert.True(Run().AsSpan().SequenceEqual(Run().AsSpan()));
    }
}
