using FsCheck;
using FsCheck.Fluent;
using RbmSimd.Kernels;

namespace RbmSimd.Tests.Kernels;

/// <summary>One random product: shape, orientations, extra stride (padding) per operand, scalars, epilogue and a data seed.</summary>
public sealed record GemmCase(int M, int N, int K, bool TransA, bool TransB, int PadA, int PadB, int PadC,
    float Alpha, float Beta, GemmEpilogue Epilogue, int Seed)
{
    public override string ToString() =>
        $"{M}x{K}{(TransA ? "ᵀ" : "")} · {K}x{N}{(TransB ? "ᵀ" : "")} pads ({PadA},{PadB},{PadC}) α={Alpha} β={Beta} {Epilogue} seed {Seed}";
}

/// <summary>FsCheck generators for <see cref="GemmCase"/>, with a shrinker that walks dimensions toward 0 and 1.</summary>
public static class GemmCases
{
    /// <summary>Sizes around every tile and vector boundary (MR = 6, NR = 16, the 12 × 32 Vector512 tile, vectors of 4, 8 and 16).</summary>
    private static readonly int[] EdgeSizes = [0, 1, 2, 5, 6, 7, 8, 9, 11, 12, 13, 15, 16, 17, 18, 31, 32, 33, 48, 49];

    private static readonly Gen<int> Dim = Gen.Frequency(
        (4, Gen.Elements(EdgeSizes)),
        (3, Gen.Choose(1, 60)),
        (1, Gen.Choose(130, 160))); // crosses MC = 144

    private static readonly Gen<int> Depth = Gen.Frequency(
        (4, Gen.Elements(EdgeSizes)),
        (3, Gen.Choose(1, 80)),
        (1, Gen.Choose(250, 530))); // one to three KC = 256 blocks

    public static Arbitrary<GemmCase> Cases()
    {
        Gen<GemmCase> gen =
            from m in Dim
            from n in Dim
            from k in Depth
            from ta in Gen.Elements(false, true)
            from tb in Gen.Elements(false, true)
            from pa in Gen.Elements(0, 0, 1, 3)
            from pb in Gen.Elements(0, 0, 2, 5)
            from pc in Gen.Elements(0, 0, 1, 7)
            from alpha in Gen.Elements(1f, 1f, -0.5f, 2.5f, 0f)
            from beta in Gen.Elements(0f, 0f, 1f, -1.5f, 0.25f)
            from epi in Gen.Elements(GemmEpilogue.None, GemmEpilogue.None, GemmEpilogue.AddBias, GemmEpilogue.Sigmoid, GemmEpilogue.AddBiasSigmoid)
            from seed in Gen.Choose(0, int.MaxValue)
            select new GemmCase(m, n, k, ta, tb, pa, pb, pc, alpha, beta, epi, seed);
        return Arb.From(gen, Shrink);
    }

    private static IEnumerable<GemmCase> Shrink(GemmCase c)
    {
        foreach (int m in Smaller(c.M)) yield return c with { M = m };
        foreach (int n in Smaller(c.N)) yield return c with { N = n };
        foreach (int k in Smaller(c.K)) yield return c with { K = k };
        if (c.PadA + c.PadB + c.PadC > 0) yield return c with { PadA = 0, PadB = 0, PadC = 0 };
        if (c.Epilogue != GemmEpilogue.None) yield return c with { Epilogue = GemmEpilogue.None };
    }

    private static IEnumerable<int> Smaller(int x)
    {
        if (x > 1) { yield return x / 2; yield return 1; }
        if (x > 0) yield return 0;
    }
}
