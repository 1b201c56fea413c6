using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels.Drivers;

/// <summary>
/// An element-wise float function with one implementation per <see cref="KernelIsa"/>. The three overloads
/// compute the same function; the scalar one is the fallback for CPUs without SIMD.
/// </summary>
/// <remarks>
/// The vector overloads come in two tiers. <c>Invoke</c> is complete: it handles every input, including the
/// rare lanes (NaN, infinities, huge magnitudes) that need a slower fix-up. <c>InvokeOrdinary</c> is the
/// branch-free fast path, exact wherever <c>Ordinary</c> returns an all-ones lane. The drivers test
/// <c>Ordinary</c> over several vectors at once and take the fast path for all of them, so the hot loop holds
/// no call that would force the JIT to spill vector registers; <c>Invoke(v)</c> must equal
/// <c>InvokeOrdinary(v)</c> bit for bit on ordinary lanes.
/// </remarks>
internal interface IUnaryOperator
{
    static abstract float Invoke(float x);

    static abstract Vector128<float> Invoke(Vector128<float> x);

    static abstract Vector256<float> Invoke(Vector256<float> x);

    static abstract Vector512<float> Invoke(Vector512<float> x);

    static abstract Vector128<float> Ordinary(Vector128<float> x);

    static abstract Vector256<float> Ordinary(Vector256<float> x);

    static abstract Vector512<float> Ordinary(Vector512<float> x);

    static abstract Vector128<float> InvokeOrdinary(Vector128<float> x);

    static abstract Vector256<float> InvokeOrdinary(Vector256<float> x);

    static abstract Vector512<float> InvokeOrdinary(Vector512<float> x);
}
