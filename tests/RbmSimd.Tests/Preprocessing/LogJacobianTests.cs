using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Preprocessing;

/// <summary>The log volume factor against determinants of the explicit matrix the stored arrays define.</summary>
public class LogJacobianTests
{
    private const double DoubleEpsilon = 1.1102230246251565e-16;

    /// <summary>
    /// Both sides are double computations of log |det M| (or ½ log det(M Mᵀ)): Gaussian elimination's backward
    /// error changes the determinant by a relative amount of order D²·2⁻⁵³·κ(M) (Higham §9.3 with growth ≤ D), and
    /// the implementation's sum of D logarithms errs by D·2⁻⁵³·Σ|log|. κ(M) is at most the ratio of the largest to
    /// the smallest row scale, which <see cref="ScaleRatio"/> reads from the stored arrays.
    /// </summary>
    private static double Bound(Transform t, double value) =>
        64.0 * t.InputCount * t.InputCount * DoubleEpsilon * ScaleRatio(t) * (1 + Math.Abs(value));

    private static double ScaleRatio(Transform t)
    {
        double ratio = 1;
        foreach (TransformArray a in t.ToArrays().Where(a => a.Name.EndsWith(".scale", StringComparison.Ordinal)))
        {
            double max = a.Values.Max(Math.Abs), min = a.Values.Min(Math.Abs);
            ratio *= max / min;
        }
        return ratio * ratio;
    }

    [Property(Arbitrary = [typeof(TransformCases)], MaxTest = 80)]
    public Property EveryKind_EqualsTheExplicitMatrixVolumeFactor(TransformCase c)
    {
        Transform t = c.Fit();
        var reference = NaiveAffine.FromArrays(t.ToArrays());
        double expected = ExpectedLogVolume(c, reference);
        return (Math.Abs(t.LogJacobian - expected) <= Bound(t, expected))
            .Label($"LogJacobian {t.LogJacobian:R}, explicit {expected:R}")
            .Classify(t.OutputCount < t.InputCount || c.Kind is TransformKind.RowCentering or TransformKind.ScaleCenterZca, "projects");
    }

    /// <summary>
    /// The volume factor of the explicit M: log |det M| when square and invertible, ½ log det(M Mᵀ) with full row
    /// rank; when a row-centering step makes M rank-deficient (rank D − 1, null space the ones vector), the same
    /// for M restricted to the complement of the ones vector, via an orthonormal basis B of it: ½ log det((MB)(MB)ᵀ)
    /// with rows reduced to the rank by the Jacobi eigenvalues of M Mᵀ.
    /// </summary>
    private static double ExpectedLogVolume(TransformCase c, NaiveAffine r)
    {
        bool centres = c.Kind is TransformKind.RowCentering or TransformKind.ScaleCenterPca or TransformKind.ScaleCenterZca;
        if (!centres)
            return r.Outputs == r.Inputs ? NaiveLinearAlgebra.LogAbsDeterminant(r.M) : NaiveLinearAlgebra.HalfLogDetGram(r.M);
        int rank = Math.Min(r.Outputs, r.Inputs - 1);
        double[] values = NaiveSymmetricEigen.Decompose(NaiveAffine.Multiply(r.M, NaiveAffine.Transpose(r.M))).Values;
        return values.Reverse().Take(rank).Sum(v => 0.5 * Math.Log(v));
    }

    [Fact]
    public void ScalingThenRowCentering_CountsOnlyTheKeptDimensions()
    {
        // Dividing 64 values by 255 scales 64-dimensional volume by 255⁻⁶⁴, but after the mean is removed only
        // 63 dimensions remain, each scaled by 1/255.
        var chain = new TransformChain(new Scaling(64, 255f), new RowCentering(64));
        Assert.Equal(-63 * Math.Log(255), chain.LogJacobian, 1e-12);
        Assert.Equal(-64 * Math.Log(255), new Scaling(64, 255f).LogJacobian, 1e-12);
        Assert.Equal(0, new RowCentering(64).LogJacobian);
    }

    [Fact]
    public void FullRankChain_IsTheSumOfItsSteps()
    {
        var c = new TransformCase(80, 5, 5, 0, TransformKind.StandardizeZca, 3);
        var chain = (TransformChain)c.Fit();
        Assert.Equal(chain.Steps.Sum(s => s.LogJacobian), chain.LogJacobian);
    }

    [Fact]
    public void Standardization_IsMinusTheSumOfLogScales()
    {
        var s = new Standardization([0f, 1f, -2f], [0.5f, 2f, 10f]);
        Assert.Equal(-(Math.Log(0.5) + Math.Log(2) + Math.Log(10)), s.LogJacobian, 1e-15);
    }

    [Fact]
    public void ChangeOfVariables_GaussianDensities_Agree()
    {
        // The meaning of the sign: for x ~ N(m, Σ) and y = M x + b, log p_x(x) = log p_y(y) + log |det M| with
        // y ~ N(Mm + b, MΣMᵀ). Checked in double through the explicit map and the implementation's LogJacobian.
        var c = new TransformCase(60, 4, 4, 0, TransformKind.StandardizeZca, 12);
        Transform t = c.Fit();
        var r = NaiveAffine.FromArrays(t.ToArrays());
        double[] m = [0.5, -1, 2, 0.25];
        double[,] sigma = { { 2, 0.3, 0, 0.1 }, { 0.3, 1, 0.2, 0 }, { 0, 0.2, 0.5, 0.05 }, { 0.1, 0, 0.05, 3 } };
        float[] x = [1.5f, -0.5f, 2.5f, 1f];
        double[] y = r.Forward(x);
        double[] my = r.Forward(m.Select(v => (float)v).ToArray());
        double[,] sy = NaiveAffine.Multiply(r.M, NaiveAffine.Multiply(sigma, NaiveAffine.Transpose(r.M)));
        double left = LogNormal(x.Select(v => (double)v).ToArray(), m, sigma);
        double right = LogNormal(y, my, sy) + t.LogJacobian;
        Assert.Equal(left, right, 1e-9);
    }

    private static double LogNormal(double[] x, double[] mean, double[,] cov)
    {
        int d = x.Length;
        double[] diff = x.Zip(mean, (a, b) => a - b).ToArray();
        // Solve cov·z = diff by Gaussian elimination (small, well conditioned).
        var a = (double[,])cov.Clone();
        var z = (double[])diff.Clone();
        for (int k = 0; k < d; k++)
            for (int i = k + 1; i < d; i++)
            {
                double f = a[i, k] / a[k, k];
                for (int j = k; j < d; j++) a[i, j] -= f * a[k, j];
                z[i] -= f * z[k];
            }
        for (int i = d - 1; i >= 0; i--)
        {
            for (int j = i + 1; j < d; j++) z[i] -= a[i, j] * z[j];
            z[i] /= a[i, i];
        }
        double quad = diff.Zip(z, (p, q) => p * q).Sum();
        return -0.5 * (d * Math.Log(2 * Math.PI) + NaiveLinearAlgebra.LogAbsDeterminant(cov) + quad);
    }
}
