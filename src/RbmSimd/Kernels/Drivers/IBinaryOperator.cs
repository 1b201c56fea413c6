using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels.Drivers;

/// <summary>An element-wise function of two floats, with one implementation per <see cref="KernelIsa"/>.</summary>
/// <remarks>The <c>Ordinary</c>/<c>InvokeOrdinary</c> tiers mean what they mean in <see cref="IUnaryOperator"/>.</remarks>
internal interface IBinaryOperator
{
    static abstract float Invoke(float x, float y);

    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);

    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);

    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);

    static abstract Vector128<float> Ordinary(Vector128<float> x, Vector128<float> y);

    static abstract Vector256<float> Ordinary(Vector256<float> x, Vector256<float> y);

    static abstract Vector512<float> Ordinary(Vector512<float> x, Vector512<float> y);

    static abstract Vector128<float> InvokeOrdinary(Vector128<float> x, Vector128<float> y);

    static abstract Vector256<float> InvokeOrdinary(Vector256<float> x, Vector256<float> y);

    static abstract Vector512<float> InvokeOrdinary(Vector512<float> x, Vector512<float> y);
}
