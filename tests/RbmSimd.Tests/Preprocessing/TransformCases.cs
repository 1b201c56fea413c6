using FsCheck;
using FsCheck.Fluent;
using RbmSimd.Data;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Tests.TestUtilities;

namespace RbmSimd.Tests.Preprocessing;

/// <summary>The kinds of transform the properties build, alone and chained.</summary>
public enum TransformKind
{
    Scaling,
    RowCentering,
    Standardization,
    Pca,
    PcaDropping,
    Zca,
    ScaleCenterPca,
    StandardizeZca,
    ScaleCenterZca,
}

/// <summary>
/// One random case: training data (rows × cols, correlated columns at different scales, of 10^Exponent overall, of
/// full rank or confined to a lower-dimensional affine subspace) and a kind of transform fitted to it.
/// </summary>
public sealed record TransformCase(int Rows, int Cols, int Rank, int Exponent, TransformKind Kind, int Seed)
{
    public override string ToString() => $"{Kind} on {Rows}x{Cols} (rank {Rank}), scale 1e{Exponent}, seed {Seed}";

    /// <summary>The training rows: <c>m + Z·A</c> with Z standard normal (Rows × Rank) and A random (Rank × Cols), columns of unequal scale.</summary>
    public Matrix Data() => Data(Rows, Seed);

    /// <summary>Further rows from the same distribution (a different seed), for applying the fitted transform.</summary>
    public Matrix Fresh(int rows) => Data(rows, Seed ^ 0x5bd1e995);

    private Matrix Data(int rows, int seed)
    {
        var mixing = new Random(Seed);
        double scale = Math.Pow(10, Exponent);
        var a = new double[Rank, Cols];
        for (int r = 0; r < Rank; r++)
            for (int c = 0; c < Cols; c++) a[r, c] = (2 * mixing.NextDouble() - 1) * (1 + c % 3) * scale;
        var offset = Enumerable.Range(0, Cols).Select(c => (mixing.NextDouble() * 4 - 1) * scale).ToArray();
        var rng = new Random(seed);
        var m = new Matrix(rows, Cols);
        var z = new double[Rank];
        for (int i = 0; i < rows; i++)
        {
            for (int r = 0; r < Rank; r++) z[r] = Normal(rng);
            for (int c = 0; c < Cols; c++)
            {
                double v = offset[c];
                for (int r = 0; r < Rank; r++) v += z[r] * a[r, c];
                m[i, c] = (float)v;
            }
        }
        return m;
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>The transform of this case's kind, fitted to <see cref="Data"/>.</summary>
    public Transform Fit()
    {
        Matrix data = Data();
        IRowSource rows = data.AsRows();
        var center = new TransformChain(new Scaling(Cols, 4f), new RowCentering(Cols));
        return Kind switch
        {
            TransformKind.Scaling => new Scaling(Cols, 2.5f),
            TransformKind.RowCentering => new RowCentering(Cols),
            TransformKind.Standardization => Standardization.Fit(rows, epsilon: 0.01 * Math.Pow(10, Exponent)),
            TransformKind.Pca => PcaWhitening.Fit(rows, epsilon: 0, dropThreshold: 0),
            TransformKind.PcaDropping => PcaWhitening.Fit(rows, epsilon: 1e-3 * Math.Pow(10, 2 * Exponent)),
            TransformKind.Zca => ZcaWhitening.Fit(rows, epsilon: 1e-3 * Math.Pow(10, 2 * Exponent)),
            TransformKind.ScaleCenterPca => new TransformChain(center, PcaWhitening.Fit(rows, epsilon: 1e-4 * Math.Pow(10, 2 * Exponent), input: center)),
            TransformKind.StandardizeZca => Chain(Standardization.Fit(rows, epsilon: 0.01 * Math.Pow(10, Exponent)), s => ZcaWhitening.Fit(rows, epsilon: 1e-3, input: s)),
            TransformKind.ScaleCenterZca => new TransformChain(center, ZcaWhitening.Fit(rows, epsilon: 1e-3 * Math.Pow(10, 2 * Exponent), input: center)),
            _ => throw new InvalidOperationException(),
        };
    }

    private static Transform Chain(Transform first, Func<Transform, Transform> then) => new TransformChain(first, then(first));
}

/// <summary>FsCheck generators for <see cref="TransformCase"/>; shrinking halves the sizes and resets the scale.</summary>
public static class TransformCases
{
    public static Arbitrary<TransformCase> Cases()
    {
        Gen<TransformCase> gen =
            from kind in Gen.Elements(Enum.GetValues<TransformKind>())
            from cols in Gen.Frequency((3, Gen.Elements(2, 3, 7, 8, 9, 16, 17)), (2, Gen.Choose(2, 24)))
            from extraRows in Gen.Choose(0, 60)
            from lowRank in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
            from exponent in Gen.Frequency((5, Gen.Constant(0)), (1, Gen.Elements(-15, -4, 4, 15)))
            from seed in Gen.Choose(0, int.MaxValue)
            let rank = lowRank && kind is TransformKind.PcaDropping or TransformKind.ScaleCenterPca ? Math.Max(1, cols / 2) : cols
            select new TransformCase(cols + 2 + extraRows, cols, rank, exponent, kind, seed);
        return Arb.From(gen, c => c.Cols <= 2 ? [] : [c with { Cols = c.Cols / 2 + 1, Rank = Math.Min(c.Rank, c.Cols / 2 + 1), Rows = Math.Max(c.Rows / 2, c.Cols / 2 + 3) }, c with { Exponent = 0 }]);
    }
}

/// <summary>Rounding bounds for comparing the float outputs with the double reference.</summary>
internal static class TransformTolerance
{
    /// <summary>2⁻⁵³, the double unit roundoff.</summary>
    public const double DoubleEpsilon = 1.1102230246251565e-16;

    /// <summary>
    /// |float result − exact| for one output: one rounding to float (u·|exact|) plus the double arithmetic of both
    /// the implementation and the reference. Each step adds up to width + 3 terms, which in any order err by at
    /// most (width + 3)·2⁻⁵³ times the sum of their magnitudes (Higham §3.1); over the steps the magnitudes are
    /// bounded by <paramref name="terms"/>, the map evaluated with absolute values.
    /// </summary>
    public static double Bound(double exact, double terms, int width, int steps) =>
        Tolerance.FloatEpsilon * Math.Abs(exact) + 2 * steps * (width + 3) * DoubleEpsilon * terms * 1.01;

    public static int Steps(Transform t) => t is TransformChain chain ? chain.Steps.Count : 1;

    public static int Width(Transform t) => Math.Max(t.InputCount, t.OutputCount);
}

internal static class MatrixRowsExtensions
{
    /// <summary>A matrix as a row source (wrapped in a data set, which reads rows without copying the matrix).</summary>
    public static IRowSource AsRows(this Matrix m) => new Dataset(m);

    public static float[][] RowArrays(this Matrix m) => Enumerable.Range(0, m.Rows).Select(r => m.Row(r).ToArray()).ToArray();
}
