using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels.Drivers;

/// <summary>
/// An element-wise float function with one implementation per <see cref="KernelIsa"/>. The three overloads
/// compute the same function; the scalar one is the fallback for CPUs without SIMD.
/// </summary>
internal interface IUnaryOperator
{
    static abstract float Invoke(float x);

    static abstract Vector128<float> Invoke(Vector128<float> x);

    static abstract Vector256<float> Invoke(Vector256<float> x);
}
