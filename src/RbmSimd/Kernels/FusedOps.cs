using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace RbmSimd.Kernels;

/// <summary>
/// Multiply-add building blocks, one overload per vector width, that use the fused
/// instructions where the CPU has them and separate multiply and add otherwise.
/// </summary>
/// <remarks>
/// The <c>IsSupported</c> checks are JIT-time constants, so each helper compiles to one or two instructions.
/// Without FMA the result is rounded twice; every caller's error budget allows for that.
/// </remarks>
internal static partial class FusedOps
{
    /// <summary><c>a·b + c</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary><c>c − a·b</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NegMulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAddNegated(a, b, c) : c - a * b;

    /// <summary><c>a·b + c</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c)
        : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b)
        : a * b + c;

    /// <summary><c>c − a·b</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NegMulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAddNegated(a, b, c)
        : AdvSimd.IsSupported ? AdvSimd.FusedMultiplySubtract(c, a, b)
        : c - a * b;

    /// <summary><c>a·b + c</c>, fused when the CPU has FMA (a software fused multiply-add would be far slower).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulAdd(float a, float b, float c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;
}
