using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Numerics;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Numerics;

/// <summary>A random symmetric matrix: order, entry scale (10^Exponent) and seed.</summary>
public sealed record SymmetricCase(int N, int Exponent, int Seed)
{
    public double[] Matrix()
    {
        var rng = new Random(Seed);
        double scale = Math.Pow(10, Exponent);
        var a = new double[N * N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j <= i; j++)
                a[i * N + j] = a[j * N + i] = (2 * rng.NextDouble() - 1) * scale;
        return a;
    }

    public override string ToString() => $"n = {N}, entries ~1e{Exponent}, seed {Seed}";
}

/// <summary>FsCheck generators for <see cref="SymmetricCase"/>: n = 0…40, scales from 10⁻³⁰⁰ to 10³⁰⁰; shrinks n toward 0.</summary>
public static class SymmetricCases
{
    public static Arbitrary<SymmetricCase> Cases()
    {
        Gen<SymmetricCase> gen =
            from n in Gen.Frequency((3, Gen.Choose(0, 12)), (2, Gen.Choose(13, 40)))
            from exponent in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Elements(-300, -20, 20, 300)))
            from seed in Gen.Choose(0, int.MaxValue)
            select new SymmetricCase(n, exponent, seed);
        return Arb.From(gen, c => c.N == 0 ? [] : [c with { N = c.N / 2 }, c with { N = c.N - 1 }, c with { Exponent = 0 }]);
    }
}

public class SymmetricEigenTests
{
    /// <summary>
    /// The test ratios LAPACK's eigensolver tests use: ‖A − VΛVᵀ‖₁ / (n·‖A‖₁·ulp) and ‖I − VᵀV‖₁ / (n·ulp), with
    /// ulp = 2⁻⁵². A backward-stable method keeps both bounded by a modest constant independent of the matrix
    /// (Householder reduction and QL each perturb A by a small multiple of n·ulp·‖A‖); a wrong eigenvector or a
    /// lost rotation makes them of order 1/ulp.
    /// </summary>
    private const double MaxTestRatio = 20;

    private const double Ulp = 2.220446049250313e-16;

    private static double OneNorm(double[] m, int n)
    {
        double best = 0;
        for (int j = 0; j < n; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += Math.Abs(m[i * n + j]);
            best = Math.Max(best, sum);
        }
        return best;
    }

    /// <summary>The two LAPACK ratios for a decomposition of <paramref name="a"/>.</summary>
    private static (double Residual, double Orthogonality) Ratios(double[] a, int n, SymmetricEigen eigen)
    {
        if (n == 0) return (0, 0);
        var residual = new double[n * n];
        var gram = new double[n * n];
        ReadOnlySpan<double> vt = eigen.Vectors, values = eigen.Values;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double reconstructed = 0, dot = 0;
                for (int k = 0; k < n; k++)
                {
                    reconstructed += vt[k * n + i] * values[k] * vt[k * n + j];
                    dot += vt[i * n + k] * vt[j * n + k];
                }
                residual[i * n + j] = a[i * n + j] - reconstructed;
                gram[i * n + j] = (i == j ? 1 : 0) - dot;
            }
        double normA = OneNorm(a, n);
        double r1 = normA == 0 ? OneNorm(residual, n) / Ulp : OneNorm(residual, n) / (n * normA * Ulp);
        return (r1, OneNorm(gram, n) / (n * Ulp));
    }

    private static void AssertDecomposition(double[] a, int n, SymmetricEigen eigen)
    {
        Assert.Equal(n, eigen.Size);
        for (int j = 1; j < n; j++) Assert.True(eigen.Values[j - 1] <= eigen.Values[j], "eigenvalues ascending");
        (double r1, double r2) = Ratios(a, n, eigen);
        Assert.True(r1 <= MaxTestRatio, $"‖A − VΛVᵀ‖ ratio {r1:F2}");
        Assert.True(r2 <= MaxTestRatio, $"‖I − VᵀV‖ ratio {r2:F2}");
    }

    [Property(Arbitrary = [typeof(SymmetricCases)], MaxTest = 150)]
    public Property RandomSymmetric_ResidualAndOrthogonality_WithinLapackRatios(SymmetricCase c)
    {
        double[] a = c.Matrix();
        var eigen = SymmetricEigen.Decompose(a, c.N);
        (double r1, double r2) = Ratios(a, c.N, eigen);
        bool sorted = true;
        for (int j = 1; j < c.N; j++) sorted &= eigen.Values[j - 1] <= eigen.Values[j];
        return (sorted && r1 <= MaxTestRatio && r2 <= MaxTestRatio).Label($"ratios {r1:F2}, {r2:F2}, sorted {sorted}")
            .Classify(c.N <= 1, "n ≤ 1").Classify(c.Exponent != 0, "extreme scale");
    }

    [Property(Arbitrary = [typeof(SymmetricCases)], MaxTest = 60)]
    public Property RandomSymmetric_EigenvaluesAgreeWithJacobi(SymmetricCase c)
    {
        // Weyl: each computed eigenvalue is within ‖E‖₂ of the exact one for a backward error E; with both
        // methods backward stable the two lists agree to (ratio)·n·ulp·‖A‖₁ each.
        double[] a = c.Matrix();
        var eigen = SymmetricEigen.Decompose(a, c.N);
        // The plain reference squares entries, so it sees the matrix at unit scale (one rounding each way).
        double scale = Math.Pow(10, c.Exponent);
        var m = new double[c.N, c.N];
        for (int i = 0; i < c.N; i++) for (int j = 0; j < c.N; j++) m[i, j] = a[i * c.N + j] / scale;
        double[] expected = NaiveSymmetricEigen.Decompose(m).Values.Select(v => v * scale).ToArray();
        double tolerance = 2 * MaxTestRatio * Math.Max(c.N, 1) * Ulp * OneNorm(a, c.N);
        bool ok = true;
        for (int j = 0; j < c.N; j++) ok &= Math.Abs(eigen.Values[j] - expected[j]) <= tolerance;
        return ok.Classify(c.Exponent != 0, "extreme scale");
    }

    [Fact]
    public void Empty_And_OneByOne()
    {
        var empty = SymmetricEigen.Decompose([], 0);
        Assert.Equal(0, empty.Size);
        Assert.True(empty.Values.IsEmpty && empty.Vectors.IsEmpty);
        var one = SymmetricEigen.Decompose([-3.5], 1);
        Assert.Equal([-3.5], one.Values.ToArray());
        Assert.Equal([1.0], one.Vector(0).ToArray());
    }

    [Fact]
    public void Diagonal_GivesSortedDiagonalAndUnitVectors()
    {
        double[] diagonal = [3, -1, 7, 0, -1e-3, 2];
        int n = diagonal.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++) a[i * n + i] = diagonal[i];
        var eigen = SymmetricEigen.Decompose(a, n);
        int[] order = Enumerable.Range(0, n).OrderBy(i => diagonal[i]).ToArray();
        for (int j = 0; j < n; j++)
        {
            // No reflection or rotation happens: the only rounding is the scaling by max |a| and back.
            Assert.Equal(diagonal[order[j]], eigen.Values[j], Math.Abs(diagonal[order[j]]) * Ulp);
            for (int k = 0; k < n; k++) Assert.Equal(k == order[j] ? 1.0 : 0.0, eigen.Vector(j)[k]);
        }
    }

    /// <summary>A random orthogonal matrix (rows orthonormal): the eigenvectors of a random symmetric matrix, by Jacobi.</summary>
    private static double[][] RandomOrthogonal(int n, int seed)
    {
        double[] a = new SymmetricCase(n, 0, seed).Matrix();
        var m = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i, j] = a[i * n + j];
        return NaiveSymmetricEigen.Decompose(m).Vectors;
    }

    private static double[] Compose(double[][] q, double[] values)
    {
        int n = values.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[k][i] * values[k] * q[k][j];
                a[i * n + j] = a[j * n + i] = s;
            }
        return a;
    }

    [Fact]
    public void RepeatedEigenvalues_AreFoundWithAnOrthonormalBasis()
    {
        double[] values = [2, 1, 5, 1, 2, 1, -4, -4];
        int n = values.Length;
        double[] a = Compose(RandomOrthogonal(n, 5), values);
        var eigen = SymmetricEigen.Decompose(a, n);
        AssertDecomposition(a, n, eigen);
        double[] sorted = values.Order().ToArray();
        double tolerance = MaxTestRatio * n * Ulp * OneNorm(a, n);
        for (int j = 0; j < n; j++) Assert.Equal(sorted[j], eigen.Values[j], tolerance);
    }

    [Fact]
    public void RankOne_HasOneNonZeroEigenvalueWithTheVectorItself()
    {
        double[] x = [0.5, -1, 2, 0.25, -3, 1.5, 0, 0.75, 1];
        int n = x.Length;
        var a = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i * n + j] = x[i] * x[j];
        var eigen = SymmetricEigen.Decompose(a, n);
        AssertDecomposition(a, n, eigen);
        double normSquared = x.Sum(v => v * v);
        double tolerance = MaxTestRatio * n * Ulp * OneNorm(a, n);
        for (int j = 0; j < n - 1; j++) Assert.Equal(0, eigen.Values[j], tolerance);
        Assert.Equal(normSquared, eigen.Values[n - 1], tolerance);
        // The top eigenvector is x/‖x‖, with the sign that makes its largest entry (x₄ = −3) positive.
        for (int k = 0; k < n; k++) Assert.Equal(-x[k] / Math.Sqrt(normSquared), eigen.Vector(n - 1)[k], 1e-14);
    }

    [Fact]
    public void OrderTwoHundred_Works()
    {
        var c = new SymmetricCase(200, 0, 200);
        double[] a = c.Matrix();
        AssertDecomposition(a, 200, SymmetricEigen.Decompose(a, 200));
    }

    [Fact]
    public void Graded_And_Tridiagonal_And_AlreadyReducedColumns_Work()
    {
        // Entries spanning 30 orders of magnitude; a matrix that is already tridiagonal (no reflections needed);
        // one whose first column is already reduced while later ones are not.
        int n = 12;
        var graded = new double[n * n];
        var tridiagonal = new double[n * n];
        var partly = new SymmetricCase(n, 0, 9).Matrix();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                graded[i * n + j] = Math.Pow(10, -(i + j) * 1.25) * (1 + ((i * 7 + j * 7) % 5));
                if (Math.Abs(i - j) <= 1) tridiagonal[i * n + j] = i == j ? i : 1;
            }
        for (int i = 2; i < n; i++) partly[i * n] = partly[i] = 0;
        foreach (double[] a in new[] { graded, tridiagonal, partly }) AssertDecomposition(a, n, SymmetricEigen.Decompose(a, n));
    }

    [Fact]
    public void OnlyTheLowerTriangleIsRead()
    {
        var c = new SymmetricCase(7, 0, 3);
        double[] a = c.Matrix();
        double[] garbage = (double[])a.Clone();
        for (int i = 0; i < 7; i++) for (int j = i + 1; j < 7; j++) garbage[i * 7 + j] = double.NaN;
        var expected = SymmetricEigen.Decompose(a, 7);
        var actual = SymmetricEigen.Decompose(garbage, 7);
        Assert.Equal(expected.Values.ToArray(), actual.Values.ToArray());
        Assert.Equal(expected.Vectors.ToArray(), actual.Vectors.ToArray());
    }

    [Fact]
    public void EveryEigenvector_HasItsLargestEntryPositive()
    {
        var c = new SymmetricCase(15, 0, 4);
        var eigen = SymmetricEigen.Decompose(c.Matrix(), 15);
        for (int j = 0; j < 15; j++)
        {
            ReadOnlySpan<double> v = eigen.Vector(j);
            double largest = 0;
            foreach (double x in v) if (Math.Abs(x) > Math.Abs(largest)) largest = x;
            Assert.True(largest > 0);
        }
    }

    [Fact]
    public void InvalidInput_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigen.Decompose([], -1));
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[3], 2)).ParamName);
        var a = new double[9];
        a[5 + 2] = double.PositiveInfinity; // (2, 1), in the lower triangle
        Assert.Contains("(2, 1)", Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(a, 3)).Message);
        a[7] = double.NaN;
        Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(a, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricEigen.Decompose(new double[4], 2).Vector(2));
    }
}
