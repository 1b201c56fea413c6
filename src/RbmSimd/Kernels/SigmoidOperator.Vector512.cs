using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <remarks>
/// <c>Vector512</c> path: the <c>Vector256</c> algorithm lane for lane (same exp, same true division, same
/// fix-up), so it meets the same 5·10⁻⁷ bound and, with FMA, returns the same bits. The only change is the
/// final select: AVX-512 has no <c>vblendvps</c> on a float sign, so the sign is tested as a signed integer
/// (<c>x &lt; 0</c> as int is exactly "sign bit set", which again sends −0 to <c>t·s = ½</c>); the JIT turns
/// it into a mask compare and a masked blend.
/// </remarks>
internal readonly partial struct SigmoidOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> result = InvokeOrdinary(x);
        if (Vector512.ExtractMostSignificantBits(Ordinary(x)) != ulong.MaxValue >> (64 - Vector512<float>.Count))
            result = FixUp(x, result);
        return result;
    }

    /// <summary>Lanes whose <c>e^{−|x|}</c> is a normal float (|x| ≤ 87.3, not NaN): the fast path is exact there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Ordinary(Vector512<float> x) =>
        Vector512.GreaterThanOrEqual(x | Vector512.Create(-0f), Vector512.Create(ExpNonPositive.NormalLimit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> InvokeOrdinary(Vector512<float> x)
    {
        Vector512<float> t = ExpNonPositive.Normal(x | Vector512.Create(-0f));
        Vector512<float> s = Vector512<float>.One / (Vector512<float>.One + t);
        Vector512<float> ts = t * s;
        return Vector512.ConditionalSelect(Vector512.LessThan(x.AsInt32(), Vector512<int>.Zero).AsSingle(), ts, s);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<float> FixUp(Vector512<float> x, Vector512<float> result)
    {
        Vector512<float> tail = ExpNonPositive.Wide(x);
        result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpNonPositive.NormalLimit)), tail, result);
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(-ExpNonPositive.NormalLimit)), Vector512<float>.One, result);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }
}
