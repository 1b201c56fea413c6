using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// The article's three worked examples (W = [[0.5, 0.3], [−0.2, 0.4]], a = [0.1, −0.1],
/// b = [0.2, 0.3]), with every number recomputed here from the formulas. Where the article slipped
/// (two energies in Example 3, hence its Z), the test asserts the mathematics; docs/article-errata.md
/// lists the slips.
/// </summary>
public class ArticleExamplesTests
{
    private static BernoulliRbm ArticleModel() => new(2, 2, [0.5f, 0.3f, -0.2f, 0.4f], [0.1f, -0.1f], [0.2f, 0.3f]);

    [Fact]
    public void Example1_Energy()
    {
        // −aᵀv − bᵀh − vᵀWh = −0.1 − 0.5 − 0.8 = −1.4 (the article agrees).
        var e = new double[1];
        ArticleModel().Energy(new ReadOnlyMatrixView([1f, 0f], 1, 2), new ReadOnlyMatrixView([1f, 1f], 1, 2), e);
        Assert.Equal(-1.4, e[0], 1e-6);
    }

    [Fact]
    public void Example2_Cd1Conditionals()
    {
        var rbm = ArticleModel();
        var h = new Matrix(1, 2);
        rbm.MeanHiddens(new Matrix(1, 2, [1f, 0f]), h);
        Assert.Equal(NaiveRbm.Sigmoid(0.7), h[0, 0], 1e-6); // 0.66819
        Assert.Equal(NaiveRbm.Sigmoid(0.6), h[0, 1], 1e-6); // 0.64566

        var v = new Matrix(1, 2);
        rbm.MeanVisibles(new Matrix(1, 2, [1f, 1f]), v);
        Assert.Equal(NaiveRbm.Sigmoid(0.9), v[0, 0], 1e-6); // 0.71095
        Assert.Equal(NaiveRbm.Sigmoid(0.1), v[0, 1], 1e-6); // 0.52498

        var h1 = new Matrix(1, 2);
        rbm.MeanHiddens(new Matrix(1, 2, [1f, 1f]), h1);
        Assert.Equal(NaiveRbm.Sigmoid(0.5), h1[0, 0], 1e-6); // 0.62246
        Assert.Equal(NaiveRbm.Sigmoid(1.0), h1[0, 1], 1e-6); // 0.73106

        // ΔW₀₀/η = v₀⁽⁰⁾P(h₀|v⁽⁰⁾) − v₀⁽¹⁾P(h₀|v⁽¹⁾) = 0.66819 − 0.62246 = 0.04573 (the article rounds to 0.046).
        double delta = h[0, 0] - h1[0, 0];
        Assert.Equal(0.0457284, delta, 1e-5);
    }

    [Fact]
    public void Example3_EnergyTable_AndPartitionFunction()
    {
        var rbm = ArticleModel();
        var naive = new NaiveRbm(rbm);
        // E(v, h) for each row of the article's table, computed by hand from the formula.
        (float[] v, float[] h, double e)[] table =
        [
            ([0, 0], [0, 0], 0), ([0, 0], [0, 1], -0.3), ([0, 0], [1, 0], -0.2), ([0, 0], [1, 1], -0.5),
            ([1, 0], [0, 0], -0.1), ([1, 0], [0, 1], -0.7), // the article prints −0.4
            ([1, 0], [1, 0], -0.8), ([1, 0], [1, 1], -1.4),
            ([0, 1], [0, 0], 0.1), ([0, 1], [0, 1], -0.6), ([0, 1], [1, 0], 0.1), ([0, 1], [1, 1], -0.6),
            ([1, 1], [0, 0], 0), ([1, 1], [0, 1], -1.0), // the article prints −0.7
            ([1, 1], [1, 0], -0.5), ([1, 1], [1, 1], -1.5),
        ];
        var energy = new double[1];
        double z = 0;
        foreach (var (v, h, e) in table)
        {
            rbm.Energy(new ReadOnlyMatrixView(v, 1, 2), new ReadOnlyMatrixView(h, 1, 2), energy);
            Assert.Equal(e, energy[0], 1e-6);
            // The parameters are float32 (0.3f = 0.30000001192…), so even the double reference sits ~10⁻⁸ off.
            Assert.Equal(e, naive.Energy(v.Select(x => (double)x).ToArray(), h.Select(x => (double)x).ToArray()), 1e-6);
            z += Math.Exp(-e);
        }
        // Z = 29.9223 (the article's 28.70 sums its two wrong rows: e^0.4 and e^0.7 in place of e^0.7 and e^1.0).
        Assert.Equal(29.92225, z, 1e-4);
        Assert.Equal(Math.Log(z), ExactPartitionFunction.LogPartitionFunction(rbm), 1e-6);
        Assert.Equal(Math.Log(z), naive.LogZBruteForce(), 1e-6);
    }
}
