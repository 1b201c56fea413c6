using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RbmSimd.Kernels.Drivers;

namespace RbmSimd.Kernels;

/// <summary><c>σ(x + y)</c>: a bias add fused into the logistic function, saving one pass over memory.</summary>
/// <remarks>The sum is rounded to float first, exactly as a separate add would, so the result equals
/// <c>Sigmoid(Add(x, y))</c> bit for bit.</remarks>
internal readonly partial struct AddSigmoidOperator : IBinaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x, float y) => SigmoidOperator.Invoke(x + y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => SigmoidOperator.Invoke(x + y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => SigmoidOperator.Invoke(x + y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Ordinary(Vector128<float> x, Vector128<float> y) => SigmoidOperator.Ordinary(x + y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Ordinary(Vector256<float> x, Vector256<float> y) => SigmoidOperator.Ordinary(x + y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> InvokeOrdinary(Vector128<float> x, Vector128<float> y) => SigmoidOperator.InvokeOrdinary(x + y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeOrdinary(Vector256<float> x, Vector256<float> y) => SigmoidOperator.InvokeOrdinary(x + y);
}
