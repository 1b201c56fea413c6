using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

internal readonly partial struct AddSigmoidOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => SigmoidOperator.Invoke(x + y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Ordinary(Vector512<float> x, Vector512<float> y) => SigmoidOperator.Ordinary(x + y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> InvokeOrdinary(Vector512<float> x, Vector512<float> y) => SigmoidOperator.InvokeOrdinary(x + y);
}
