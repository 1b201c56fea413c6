using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>
/// The write-back transform of a GEMM tile, as a struct type parameter so the micro-kernels are compiled
/// once per epilogue with no per-element branch.
/// </summary>
internal interface IGemmEpilogue
{
    /// <summary>Whether the kernel must read the bias row (JIT-time constant).</summary>
    static abstract bool UsesBias { get; }

    static abstract float Apply(float v, float bias);

    static abstract Vector128<float> Apply(Vector128<float> v, Vector128<float> bias);

    static abstract Vector256<float> Apply(Vector256<float> v, Vector256<float> bias);

    static abstract Vector512<float> Apply(Vector512<float> v, Vector512<float> bias);
}

/// <summary>No transform: used for every k-block but the last, and for <see cref="GemmEpilogue.None"/>.</summary>
internal readonly struct NoEpilogue : IGemmEpilogue
{
    public static bool UsesBias => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float v, float bias) => v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply(Vector128<float> v, Vector128<float> bias) => v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply(Vector256<float> v, Vector256<float> bias) => v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Vector512<float> v, Vector512<float> bias) => v;
}

/// <summary><c>v + bias_j</c>.</summary>
internal readonly struct BiasEpilogue : IGemmEpilogue
{
    public static bool UsesBias => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float v, float bias) => v + bias;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply(Vector128<float> v, Vector128<float> bias) => v + bias;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply(Vector256<float> v, Vector256<float> bias) => v + bias;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Vector512<float> v, Vector512<float> bias) => v + bias;
}

/// <summary><c>σ(v)</c>.</summary>
internal readonly struct SigmoidEpilogue : IGemmEpilogue
{
    public static bool UsesBias => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float v, float bias) => SigmoidOperator.Invoke(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply(Vector128<float> v, Vector128<float> bias) => SigmoidOperator.Invoke(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply(Vector256<float> v, Vector256<float> bias) => SigmoidOperator.Invoke(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Vector512<float> v, Vector512<float> bias) => SigmoidOperator.Invoke(v);
}

/// <summary><c>σ(v + bias_j)</c>, bit-identical to a separate bias add and sigmoid.</summary>
internal readonly struct BiasSigmoidEpilogue : IGemmEpilogue
{
    public static bool UsesBias => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Apply(float v, float bias) => SigmoidOperator.Invoke(v + bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Apply(Vector128<float> v, Vector128<float> bias) => SigmoidOperator.Invoke(v + bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Apply(Vector256<float> v, Vector256<float> bias) => SigmoidOperator.Invoke(v + bias);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Apply(Vector512<float> v, Vector512<float> bias) => SigmoidOperator.Invoke(v + bias);
}
