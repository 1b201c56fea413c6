using System.Runtime.Intrinsics.X86;
using RbmSimd.Kernels;
using RbmSimd.Numerics;
using Xunit;

namespace RbmSimd.Tests.Kernels;

/// <summary>A fact that is skipped, with the reason, where the runtime does not accelerate <c>Vector512</c>.</summary>
public sealed class Vector512FactAttribute : FactAttribute
{
    public Vector512FactAttribute()
    {
        if (!KernelSelection.IsSupported(KernelIsa.Vector512))
            Skip = "This CPU or runtime does not accelerate Vector512 (no AVX-512, or DOTNET_EnableAVX512=0): the Vector512 tier cannot run here.";
    }
}

/// <summary>A theory that is skipped, with the reason, where the runtime does not accelerate <c>Vector512</c>.</summary>
public sealed class Vector512TheoryAttribute : TheoryAttribute
{
    public Vector512TheoryAttribute()
    {
        if (!KernelSelection.IsSupported(KernelIsa.Vector512))
            Skip = "This CPU or runtime does not accelerate Vector512 (no AVX-512, or DOTNET_EnableAVX512=0): the Vector512 tier cannot run here.";
    }
}

/// <summary>
/// Checks specific to the <c>Vector512</c> tier. Every per-ISA property elsewhere already runs on it (it is in
/// <see cref="KernelIsas.Supported"/> where the hardware has it); these pin the claims its implementation
/// notes make: it is the default where accelerated, its 12 × 32 tiling over the 6 × 16 packing changes no
/// element's arithmetic, and its element-wise paths are the 256-bit algorithms lane for lane.
/// </summary>
public class Vector512TierTests
{
    [Vector512Fact]
    public void Vector512_IsTheBestTierAndInTheTheoryData()
    {
        // If this is skipped, the Vector512 rows of every [MemberData(KernelIsas.Supported)] theory are absent too.
        Assert.Equal(KernelIsa.Vector512, KernelSelection.Best);
        Assert.Contains(((IEnumerable<object[]>)KernelIsas.Supported).Select(row => (KernelIsa)row[0]), isa => isa == KernelIsa.Vector512);
    }

    [Fact]
    public void Choose_Vector512Name_CapsAtBest()
    {
        KernelIsa expected = KernelIsa.Vector512 < KernelSelection.Best ? KernelIsa.Vector512 : KernelSelection.Best;
        Assert.Equal(expected, KernelSelection.Choose("vector512"));
        Assert.Equal(KernelIsa.Vector256 < KernelSelection.Best ? KernelIsa.Vector256 : KernelSelection.Best, KernelSelection.Choose("Vector256"));
    }

    public static TheoryData<int, int, GemmEpilogue> TileEdges()
    {
        // Every remainder of the 12-row tile (and its odd 6-row panel) against every kind of column remainder:
        // a partial pair of B panels, a whole pair, and an odd last 16-column panel that goes to the 6 × 16 kernel.
        var data = new TheoryData<int, int, GemmEpilogue>();
        int[] ms = [1, 5, 6, 7, 11, 12, 13, 17, 18, 19, 24, 25];
        int[] ns = [1, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 65];
        foreach (int m in ms)
            foreach (int n in ns)
                data.Add(m, n, (m + n) % 3 == 0 ? GemmEpilogue.AddBiasSigmoid : (m + n) % 3 == 1 ? GemmEpilogue.AddBias : GemmEpilogue.None);
        return data;
    }

    [Vector512Theory]
    [MemberData(nameof(TileEdges))]
    public void Gemm_Vector512TileEdges_EqualScalarBitForBit(int m, int n, GemmEpilogue epilogue)
    {
        // With FMA, the 12 × 32 kernel, its 6 × 32 and 6 × 16 edge kernels and the scalar reference run the same
        // chain of FMAs per element, so any difference is a tiling bug (wrong panel, row or column, stale tile).
        Assert.True(Fma.IsSupported);
        var rng = new Random(m * 1000 + n);
        const int k = 37;
        float[] a = Random(rng, m * k), b = Random(rng, k * (n + 3)), bias = Random(rng, n), c0 = Random(rng, m * (n + 2));
        foreach (float beta in new[] { 0f, 0.75f })
        {
            float[] expected = Product(a, b, c0, bias, m, n, k, epilogue, beta, KernelIsa.Scalar);
            float[] actual = Product(a, b, c0, bias, m, n, k, epilogue, beta, KernelIsa.Vector512);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{m}x{n} {epilogue} β={beta}");
        }
    }

    private static float[] Product(float[] a, float[] b, float[] c0, float[] bias, int m, int n, int k, GemmEpilogue epilogue, float beta, KernelIsa isa)
    {
        float[] c = (float[])c0.Clone();
        Gemm.Multiply(new ReadOnlyMatrixView(a, m, k), MatrixOp.None, new ReadOnlyMatrixView(b, k, n, n + 3), MatrixOp.None,
            new MatrixView(c, m, n, n + 2), epilogue, bias, 1.5f, beta, isa, parallel: false);
        return c;
    }

    private static float[] Random(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    [Vector512Fact]
    public void Activations_Vector512_EqualVector256BitForBit()
    {
        // Same constants and operation order lane for lane; with FMA the two tiers must agree exactly, including
        // the fix-up lanes (huge, subnormal-result, infinite and NaN inputs) and the short-span padding path.
        Assert.True(Fma.IsSupported);
        var rng = new Random(7);
        float[] special = [0f, -0f, 17.33f, -17.33f, 87.3f, -87.4f, -100f, -104f, 200f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon];
        foreach (int n in KernelIsas.Lengths.Append(4096))
        {
            float[] x = new float[n], bias = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = i % 29 == 3 ? special[i % special.Length] : (float)(rng.NextDouble() * 60 - 30);
                bias[i] = (float)(rng.NextDouble() * 4 - 2);
            }
            float[] s256 = new float[n], s512 = new float[n];
            Activations.Sigmoid(x, s256, KernelIsa.Vector256);
            Activations.Sigmoid(x, s512, KernelIsa.Vector512);
            Assert.True(BitEqual(s256, s512), $"sigmoid, n = {n}");
            Activations.Softplus(x, s256, KernelIsa.Vector256);
            Activations.Softplus(x, s512, KernelIsa.Vector512);
            Assert.True(BitEqual(s256, s512), $"softplus, n = {n}");
            Activations.AddBiasSigmoid(x, bias, s256, KernelIsa.Vector256);
            Activations.AddBiasSigmoid(x, bias, s512, KernelIsa.Vector512);
            Assert.True(BitEqual(s256, s512), $"add-bias sigmoid, n = {n}");
        }
    }

    /// <summary>Bitwise equality, so NaN equals the same NaN and −0 differs from +0.</summary>
    private static bool BitEqual(float[] x, float[] y) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(x).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(y));
}
