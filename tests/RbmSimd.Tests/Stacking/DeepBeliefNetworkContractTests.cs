using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Stacking;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Stacking;

/// <summary><see cref="DeepBeliefNetwork"/>'s up and down passes against <see cref="NaiveDbn"/>, and its argument checks.</summary>
public class DeepBeliefNetworkContractTests
{
    /// <summary>Draws whose uniform lies this close to its probability are ambiguous between float and double; such cases are discarded.</summary>
    private const double AmbiguousMargin = 1e-4;

    private static BernoulliRbm[] Layers(params int[] sizes) =>
        Enumerable.Range(0, sizes.Length - 1).Select(l => new RbmCase(sizes[l], sizes[l + 1], 1, 1.0, 90 + l).CreateModel()).ToArray();

    /// <summary>
    /// Error of one layer's P(h | x) given an input that is itself off by δᵢ: the sigmoid's own error plus
    /// the float dot product's and the propagated Σᵢ|Wᵢⱼ|δᵢ, both damped by σ' ≤ ¼.
    /// </summary>
    private static double[] LayerTolerance(NaiveRbm layer, double[] x, double[] inputTolerance) =>
        Enumerable.Range(0, layer.Nh).Select(j =>
        {
            double terms = Math.Abs(layer.B[j]), propagated = 0;
            for (int i = 0; i < layer.Nv; i++)
            {
                terms += Math.Abs(layer.W[i, j] * x[i]);
                propagated += Math.Abs(layer.W[i, j]) * inputTolerance[i];
            }
            return Tolerance.SigmoidAbsolute + (Tolerance.DotBound(layer.Nv + 1, terms) + propagated) / 4;
        }).ToArray();

    // Kills: Transform skipping a middle layer, stopping one layer early, or feeding a layer the network's input instead of the layer below's output.
    [Fact]
    public void Transform_ThreeLayers_MatchesReference()
    {
        BernoulliRbm[] layers = Layers(13, 9, 6, 4);
        var dbn = new DeepBeliefNetwork(layers);
        NaiveRbm[] naive = layers.Select(l => new NaiveRbm(l)).ToArray();
        Matrix v = new RbmCase(13, 4, 5, 1.0, 93).UnitRows(13, 1);
        var top = new Matrix(5, 4);
        dbn.Transform(v, top);
        for (int r = 0; r < 5; r++)
        {
            double[] x = RbmCase.Row(v, r);
            double[] tol = new double[13];
            foreach (NaiveRbm layer in naive)
            {
                tol = LayerTolerance(layer, x, tol);
                x = layer.MeanHiddens(x);
            }
            for (int j = 0; j < 4; j++) Assert.True(Tolerance.Close(x[j], top[r, j], tol[j]), $"row {r} unit {j}: {top[r, j]} vs {x[j]}");
        }
    }

    // Kills: the down pass sampling the data layer (l > 0 → l >= 0) or not sampling a middle layer, the start states inverted
    // (u < ½ → u >= ½), the top chain run for the wrong number of steps, and the one-layer case returning the visible sample.
    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    [InlineData(3, 0)]
    [InlineData(3, 4)]
    public void Sample_MatchesReference(int layerCount, int gibbsSteps)
    {
        int[] sizes = new[] { 10, 8, 6, 5 }[..(layerCount + 1)];
        BernoulliRbm[] layers = Layers(sizes);
        var dbn = new DeepBeliefNetwork(layers);
        NaiveRbm[] naive = layers.Select(l => new NaiveRbm(l)).ToArray();
        double margin = double.PositiveInfinity;
        double[][] expected = new NaiveDbn(naive).Sample(6, gibbsSteps, seed: 17, ref margin);
        Assert.True(margin >= AmbiguousMargin, "the fixed seed gives an ambiguous draw; pick another");
        Matrix actual = dbn.Sample(6, gibbsSteps, seed: 17);
        Assert.Equal((6, 10), (actual.Rows, actual.Cols));
        // The data layer's probabilities from binary states above: one sigmoid of a float dot product.
        NaiveRbm bottom = naive[0];
        for (int r = 0; r < 6; r++)
            for (int i = 0; i < 10; i++)
            {
                double terms = Math.Abs(bottom.A[i]) + Enumerable.Range(0, bottom.Nh).Sum(j => Math.Abs(bottom.W[i, j]));
                double tol = Tolerance.SigmoidAbsolute + Tolerance.DotBound(bottom.Nh + 1, terms) / 4;
                Assert.True(Tolerance.Close(expected[r][i], actual[r, i], tol), $"row {r} unit {i}: {actual[r, i]} vs {expected[r][i]}");
            }
    }

    // Kills: the count or step checks removed, and the layer-compatibility check skipping a pair above the first.
    [Fact]
    public void Arguments_AreChecked_NamingThem()
    {
        var dbn = new DeepBeliefNetwork(Layers(6, 4, 3));
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => dbn.Sample(0, 1, 1)).ParamName);
        Assert.Equal("gibbsSteps", Assert.Throws<ArgumentOutOfRangeException>(() => dbn.Sample(2, -1, 1)).ParamName);
        Assert.Equal("visible", Assert.Throws<ArgumentException>(() => dbn.Transform(new Matrix(2, 5), new Matrix(2, 3))).ParamName);
        Assert.Equal("top", Assert.Throws<ArgumentException>(() => dbn.Transform(new Matrix(2, 6), new Matrix(2, 4))).ParamName);
        Assert.Equal("top", Assert.Throws<ArgumentException>(() => dbn.Transform(new Matrix(2, 6), new Matrix(3, 3))).ParamName);
        Assert.Equal((6, 3), (dbn.VisibleCount, dbn.TopCount));

        BernoulliRbm[] mismatched = [.. Layers(6, 4, 3), new RbmCase(2, 2, 1, 1.0, 1).CreateModel()];
        var ex = Assert.Throws<ArgumentException>(() => new DeepBeliefNetwork(mismatched));
        Assert.Equal("layers", ex.ParamName);
        Assert.Contains("Layer 2 has 2 visible units but layer 1 has 3 hidden units", ex.Message);
        Assert.Throws<ArgumentNullException>(() => new DeepBeliefNetwork(null!));
    }
}
