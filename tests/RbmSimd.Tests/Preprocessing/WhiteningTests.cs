using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Preprocessing;

/// <summary>What the fits produce: statistics against plain double references, and whitened training data.</summary>
public class WhiteningTests
{
    private const double U = Tolerance.FloatEpsilon;

    private static double[][] Forward(Transform t, Matrix x)
    {
        var y = new Matrix(x.Rows, t.OutputCount);
        t.Forward(x, y);
        return Enumerable.Range(0, y.Rows).Select(r => y.Row(r).ToArray().Select(v => (double)v).ToArray()).ToArray();
    }

    /// <summary>The training data's covariance eigenvalues, descending, by the plain Jacobi reference.</summary>
    private static double[] ReferenceEigenvalues(Matrix data) =>
        NaiveSymmetricEigen.Decompose(NaiveLinearAlgebra.Covariance(Enumerable.Range(0, data.Rows)
            .Select(r => data.Row(r).ToArray().Select(v => (double)v).ToArray()).ToArray())).Values.Reverse().ToArray();

    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 2, 2 }, { 7, 3 }, { 9, 4 }, { 16, 5 }, { 17, 6 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PcaWithoutEpsilon_WhitenedTrainingData_HasIdentityCovariance(int cols, int seed)
    {
        // With exact parameters W C Wᵀ = I. Rounding the components and scales to float perturbs entry (a, b) by at
        // most u·(s_b/s_a) + u from each side, s the scales, so by 2u(√κ + 1) with κ = λ_max/λ_min; rounding each
        // output to float adds 2u·√(C_aa C_bb) = 2u.
        var c = new TransformCase(400, cols, cols, 0, TransformKind.Pca, seed);
        Matrix data = c.Data();
        Transform t = PcaWhitening.Fit(data.AsRows(), epsilon: 0, dropThreshold: 0);
        Assert.Equal(cols, t.OutputCount);
        double[] lambda = ReferenceEigenvalues(data);
        double bound = 2 * U * (Math.Sqrt(lambda[0] / lambda[^1]) + 2) * 1.01 + 1e-12;
        AssertCovariance(NaiveLinearAlgebra.Covariance(Forward(t, data)), (a, b) => a == b ? 1 : 0, bound);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ZcaWithoutEpsilon_WhitenedTrainingData_HasIdentityCovariance(int cols, int seed)
    {
        // As for PCA, but the rotation back by Uᵀ sums D such terms: 2u(D√κ + 2) + 2u.
        var c = new TransformCase(400, cols, cols, 0, TransformKind.Zca, seed);
        Matrix data = c.Data();
        Transform t = ZcaWhitening.Fit(data.AsRows(), epsilon: 0);
        double[] lambda = ReferenceEigenvalues(data);
        double bound = 2 * U * (cols * Math.Sqrt(lambda[0] / lambda[^1]) + 3) * 1.01 + 1e-12;
        AssertCovariance(NaiveLinearAlgebra.Covariance(Forward(t, data)), (a, b) => a == b ? 1 : 0, bound);
    }

    [Fact]
    public void PcaWithEpsilon_DirectionJ_HasVarianceLambdaOverLambdaPlusEpsilon()
    {
        var c = new TransformCase(500, 9, 9, 0, TransformKind.Pca, 21);
        Matrix data = c.Data();
        double[] lambda = ReferenceEigenvalues(data);
        double epsilon = lambda[4]; // damps the lower half noticeably
        Transform t = PcaWhitening.Fit(data.AsRows(), epsilon);
        double bound = 2 * U * (Math.Sqrt(lambda[0] / lambda[^1]) + 2) * 1.01 + 1e-12;
        AssertCovariance(NaiveLinearAlgebra.Covariance(Forward(t, data)), (a, b) => a == b ? lambda[a] / (lambda[a] + epsilon) : 0, bound);
    }

    [Fact]
    public void PcaFit_ScalesAreRootsOfTheReferenceEigenvaluesPlusEpsilon_InDecreasingOrder()
    {
        var c = new TransformCase(300, 12, 12, 0, TransformKind.Pca, 5);
        Matrix data = c.Data();
        double[] lambda = ReferenceEigenvalues(data);
        var pca = PcaWhitening.Fit(data.AsRows(), epsilon: 0.25);
        for (int j = 0; j < 12; j++)
            Assert.Equal(Math.Sqrt(lambda[j] + 0.25), pca.Scale[j], Math.Sqrt(lambda[j] + 0.25) * 2 * U);
        double[] mean = NaiveLinearAlgebra.Means(data.RowArrays());
        for (int i = 0; i < 12; i++) Assert.Equal(mean[i], pca.Mean[i], Math.Abs(mean[i]) * U + 1e-12);
    }

    [Fact]
    public void PcaFit_LowRankData_DropsTheNullDirections()
    {
        var c = new TransformCase(200, 10, 4, 0, TransformKind.PcaDropping, 8);
        var pca = PcaWhitening.Fit(c.Data().AsRows(), epsilon: 0);
        Assert.Equal(4, pca.OutputCount);
        Assert.Equal(10, pca.InputCount);
        Assert.True(((Transform)pca).Projects_ForTests());
    }

    [Fact]
    public void StandardizationFit_MatchesPopulationMeanAndStd()
    {
        var c = new TransformCase(50, 6, 6, 3, TransformKind.Standardization, 2);
        Matrix data = c.Data();
        float[][] rows = data.RowArrays();
        double[] mean = NaiveLinearAlgebra.Means(rows);
        var s = Standardization.Fit(data.AsRows(), epsilon: 0.5);
        for (int j = 0; j < 6; j++)
        {
            double sd = Math.Sqrt(rows.Sum(r => (r[j] - mean[j]) * (r[j] - mean[j])) / rows.Length);
            // One rounding to float each; the double sums err by ~N·2⁻⁵³ relative, far below.
            Assert.Equal(mean[j], s.Mean[j], Math.Abs(mean[j]) * U + 1e-9 * Math.Abs(mean[j]));
            Assert.Equal(sd + 0.5, s.Scale[j], (sd + 0.5) * U * 1.01);
        }
    }

    [Fact]
    public void StandardizationFit_OneRow_GivesEpsilonScales_AndConstantColumnWithoutEpsilonThrows()
    {
        var one = new Matrix(1, 3, [1, 2, 3]);
        var s = Standardization.Fit(one.AsRows(), epsilon: 0.01);
        Assert.Equal([1f, 2f, 3f], s.Mean.ToArray());
        Assert.Equal([0.01f, 0.01f, 0.01f], s.Scale.ToArray());
        var e = Assert.Throws<ArgumentException>(() => Standardization.Fit(new Matrix(4, 2, [1, 5, 2, 5, 3, 5, 4, 5]).AsRows()));
        Assert.Contains("Column 1", e.Message);
    }

    [Fact]
    public void ZcaFit_SingularCovarianceWithoutEpsilon_Throws_AndWithEpsilonWorks()
    {
        var c = new TransformCase(100, 6, 6, 0, TransformKind.Zca, 4);
        var center = new RowCentering(6);
        Assert.Throws<ArgumentException>(() => ZcaWhitening.Fit(c.Data().AsRows(), epsilon: 0, input: center));
        Assert.Equal(6, ZcaWhitening.Fit(c.Data().AsRows(), epsilon: 1e-3, input: center).OutputCount);
    }

    [Fact]
    public void WhiteningFit_NoVarianceOrTooFewRows_Throws()
    {
        Assert.Throws<ArgumentException>(() => PcaWhitening.Fit(new Matrix(5, 3).AsRows(), epsilon: 1));
        Assert.Throws<ArgumentException>(() => PcaWhitening.Fit(new Matrix(1, 3, [1, 2, 3]).AsRows(), epsilon: 1));
        Assert.Throws<ArgumentException>(() => ZcaWhitening.Fit(new Matrix(0, 3).AsRows(), epsilon: 1));
    }

    [Fact]
    public void OneColumn_Works_ForEveryFittedKind()
    {
        var data = new Matrix(4, 1, [1, 2, 4, 9]);
        foreach (Transform t in new Transform[] { Standardization.Fit(data.AsRows()), PcaWhitening.Fit(data.AsRows(), 0), ZcaWhitening.Fit(data.AsRows(), 0) })
        {
            double[][] y = Forward(t, data);
            Assert.Equal(0, y.Average(r => r[0]), 1e-6);
        }
    }

    private static void AssertCovariance(double[,] cov, Func<int, int, double> expected, double bound)
    {
        int d = cov.GetLength(0);
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                Assert.True(Math.Abs(cov[a, b] - expected(a, b)) <= bound, $"covariance ({a}, {b}) = {cov[a, b]:R}, expected {expected(a, b):R} ± {bound:E2}");
    }
}

internal static class TransformTestAccess
{
    /// <summary>Reads the internal projection flag (a test seam).</summary>
    public static bool Projects_ForTests(this Transform t) => t.Projects;
}
