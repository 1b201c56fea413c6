using FsCheck;
using FsCheck.Fluent;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Reference;

namespace RbmSimd.Tests.Generators;

/// <summary>
/// A random small model plus a batch of binary visible and hidden rows, all derived from a seed so
/// that a failing case prints compactly and shrinks by its dimensions alone.
/// </summary>
/// <param name="Nv">Visible units.</param>
/// <param name="Nh">Hidden units.</param>
/// <param name="Rows">Batch rows.</param>
/// <param name="Scale">Standard deviation of the weights and biases (up to 30: saturating sigmoids).</param>
/// <param name="Seed">Seed of every value.</param>
public sealed record RbmCase(int Nv, int Nh, int Rows, double Scale, int Seed)
{
    public BernoulliRbm CreateModel()
    {
        var random = new Random(Seed);
        float[] w = Normal(random, Nv * Nh);
        float[] a = Normal(random, Nv);
        float[] b = Normal(random, Nh);
        return new BernoulliRbm(Nv, Nh, w, a, b);
    }

    /// <summary>Binary rows of <paramref name="cols"/> units with ones at a random density per row.</summary>
    public Matrix BinaryRows(int cols, int salt)
    {
        var random = new Random(HashCode.Combine(Seed, salt));
        var m = new Matrix(Rows, cols);
        for (int r = 0; r < Rows; r++)
        {
            double density = random.NextDouble();
            for (int c = 0; c < cols; c++) m[r, c] = random.NextDouble() < density ? 1f : 0f;
        }
        return m;
    }

    /// <summary>Rows of values in [0, 1] (probabilities as data).</summary>
    public Matrix UnitRows(int cols, int salt)
    {
        var random = new Random(HashCode.Combine(Seed, salt));
        var m = new Matrix(Rows, cols);
        for (int r = 0; r < Rows; r++)
            for (int c = 0; c < cols; c++) m[r, c] = (float)random.NextDouble();
        return m;
    }

    private float[] Normal(Random random, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            x[i] = (float)(Scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return x;
    }

    public static double[] Row(Matrix m, int r) => m.Row(r).ToArray().Select(x => (double)x).ToArray();

    internal NaiveRbm Reference(BernoulliRbm rbm) => new(rbm);
}

/// <summary>FsCheck arbitraries for model cases.</summary>
public static class RbmArbitraries
{
    private static readonly double[] Scales = [0.01, 0.1, 1, 3, 30];

    /// <summary>
    /// Shapes from 1 up to <paramref name="maxUnits"/> units per layer, biased toward the widths
    /// that stress vector remainders (1, 7, 8, 9, 15, 16, 17); shrinks by halving toward 1.
    /// </summary>
    public static Arbitrary<RbmCase> Cases(int maxUnits = 40, int maxRows = 12)
    {
        Gen<int> units = Gen.Frequency(
            (3, Gen.Choose(1, Math.Min(maxUnits, 12))),
            (2, Gen.Elements(new[] { 1, 7, 8, 9, 15, 16, 17 }.Where(n => n <= maxUnits).ToArray())),
            (1, Gen.Choose(1, maxUnits)));
        Gen<RbmCase> gen =
            from nv in units
            from nh in units
            from rows in Gen.Choose(1, maxRows)
            from scale in Gen.Elements(Scales)
            from seed in Gen.Choose(0, int.MaxValue)
            select new RbmCase(nv, nh, rows, scale, seed);
        return Arb.From(gen, Shrink);
    }

    /// <summary>Tiny models for brute-force enumeration of all 2^(nv+nh) joint states.</summary>
    public static Arbitrary<RbmCase> TinyCases() => Cases(maxUnits: 6, maxRows: 6)
        .Filter(c => c.Nv + c.Nh <= 12);

    private static IEnumerable<RbmCase> Shrink(RbmCase c)
    {
        if (c.Nv > 1) yield return c with { Nv = c.Nv / 2 };
        if (c.Nh > 1) yield return c with { Nh = c.Nh / 2 };
        if (c.Rows > 1) yield return c with { Rows = c.Rows / 2 };
        if (c.Scale > 1) yield return c with { Scale = 1 };
    }
}
