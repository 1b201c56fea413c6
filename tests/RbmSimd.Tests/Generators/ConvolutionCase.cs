using FsCheck;
using FsCheck.Fluent;
using RbmSimd.Kernels;
using RbmSimd.Numerics;

namespace RbmSimd.Tests.Generators;

/// <summary>
/// A random convolution geometry and batch, every value derived from the seed: C channels of H × W, K filters of F × F,
/// <paramref name="Rows"/> images.
/// </summary>
public sealed record ConvolutionCase(int C, int H, int W, int K, int F, int Rows, int Seed)
{
    public ConvolutionShape Shape => new(C, H, W, K, F);

    /// <summary>Rows of uniform values in [−1, 1) of <paramref name="cols"/> columns.</summary>
    public Matrix Values(int cols, int salt, int rows = -1)
    {
        var random = new Random(HashCode.Combine(Seed, salt));
        var m = new Matrix(rows < 0 ? Rows : rows, cols);
        Span<float> s = m.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = (float)(2 * random.NextDouble() - 1);
        return m;
    }

    /// <summary>A vector of uniform values in [−1, 1).</summary>
    public float[] Vector(int length, int salt) => Values(length, salt, 1).AsSpan().ToArray();

    public static double[] Row(ReadOnlySpan<float> x) => x.ToArray().Select(v => (double)v).ToArray();

    public override string ToString() => $"{C}x{H}x{W} * {K}x{F}x{F}, {Rows} rows, seed {Seed}";
}

public static class ConvolutionArbitraries
{
    /// <summary>
    /// Geometries up to 3 channels and 24 × 24 images, with filter sizes biased toward 1, the vector-unfriendly 3, 5, 7 and 9,
    /// the whole image (one output position) and the image less a 1-pixel border (F = side − 2); single maps and single
    /// channels are frequent. Shrinks toward smaller images and fewer rows.
    /// </summary>
    public static Arbitrary<ConvolutionCase> Cases(int maxSide = 24, int maxRows = 6)
    {
        Gen<ConvolutionCase> gen =
            from c in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 3)))
            from h in Gen.Choose(1, maxSide)
            from w in Gen.Frequency((2, Gen.Constant(h)), (1, Gen.Choose(1, maxSide)))
            from k in Gen.Frequency((2, Gen.Constant(1)), (3, Gen.Choose(2, 7)))
            from fChoice in Gen.Choose(0, 5)
            from rows in Gen.Choose(1, maxRows)
            from seed in Gen.Choose(0, int.MaxValue)
            let side = Math.Min(h, w)
            let f = fChoice switch
            {
                0 => 1,
                1 => side,
                2 => Math.Max(1, side - 2),
                _ => Math.Min(side, new[] { 3, 5, 7, 9 }[seed % 4]),
            }
            select new ConvolutionCase(c, h, w, k, f, rows, seed);
        return Arb.From(gen, Shrink);
    }

    private static IEnumerable<ConvolutionCase> Shrink(ConvolutionCase c)
    {
        if (c.Rows > 1) yield return c with { Rows = c.Rows / 2 };
        if (c.K > 1) yield return c with { K = c.K / 2 };
        if (c.C > 1) yield return c with { C = 1 };
        if (c.H > c.F) yield return c with { H = c.H - 1 };
        if (c.W > c.F) yield return c with { W = c.W - 1 };
    }
}
