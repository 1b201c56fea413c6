using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RbmSimd.Kernels;

internal static partial class FusedOps
{
    /// <summary><c>a·b + c</c>.</summary>
    /// <remarks>AVX-512F always includes the fused multiply-add, so on the hardware that reaches this tier it is one <c>vfmadd</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary><c>c − a·b</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NegMulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAddNegated(a, b, c) : c - a * b;
}
