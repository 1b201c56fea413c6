using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RbmSimd.Kernels.Drivers;

namespace RbmSimd.Kernels;

/// <summary>The logistic function <c>σ(x) = 1 / (1 + e^{−x})</c>.</summary>
/// <remarks>
/// Implementation notes.
/// <para>
/// Symmetric form. With <c>t = e^{−|x|} ∈ (0, 1]</c> and <c>s = 1/(1 + t) ∈ [½, 1)</c>,
/// <c>σ(x) = s</c> for <c>x ≥ 0</c> and <c>σ(x) = t·s</c> for <c>x &lt; 0</c>. Only <c>e^y</c> for
/// <c>y ≤ 0</c> is needed (no overflow), and the negative side is a product, not <c>1 − s</c>, so small
/// results keep their relative accuracy instead of cancelling. <c>t</c> comes from
/// <see cref="ExpNonPositive"/>; <c>s</c> from a true division. A reciprocal estimate with one Newton step
/// was tried first: it is accurate enough (1.4·10⁻⁷) but not correctly rounded, so σ(0) came out as
/// 0.49999997 and σ(20) as 0.99999994; two Newton steps cost four FMAs on the FMA ports, which this kernel
/// saturates, whereas <c>vdivps</c> runs on the separate divider and overlaps the polynomial.
/// </para>
/// <para>
/// Error bound (absolute, against σ in double). A relative error δ in <c>t</c> moves <c>s</c> by at most
/// <c>t·δ/(1+t)² ≤ δ/4</c> and <c>t·s</c> by at most <c>σ(1−σ)δ ≤ δ/4</c>. With δ ≤ 1.9·10⁻⁷ (exp), the
/// correctly rounded division and a few float roundings (2⁻²⁴ each on values ≤ 1) the bound is about
/// 2·10⁻⁷, within the tests' limit of 5·10⁻⁷.
/// </para>
/// <para>
/// Special values. Above 25·ln2 ≈ 17.33, <c>t &lt; 2⁻²⁵</c> so <c>1 + t</c> rounds to 1 and the division
/// gives exactly 1. Lanes with <c>|x| &gt; 87.3</c> (where <c>2^n</c> would not be a normal float), NaN and
/// ±∞ take a rarely used branch (<c>FixUp</c>): 1 for large positive x; for large negative x, where σ is
/// subnormal, <c>e^x</c> recomputed with a split exponent (σ(x) = e^x there to within 2⁻²⁵ relative), which
/// is exactly 0 below about −103.3 and for −∞; and the same NaN for NaN. <c>σ(±0) = ½</c>.
/// </para>
/// </remarks>
internal readonly partial struct SigmoidOperator : IUnaryOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x)
    {
        float ny = -MathF.Abs(x);
        if (!(ny >= ExpNonPositive.NormalLimit))
        {
            if (float.IsNaN(x)) return x;
            return x > 0 ? 1f : ExpNonPositive.Wide(x);
        }
        float t = ExpNonPositive.Normal(ny);
        float s = 1f / (1f + t);
        return x < 0 ? t * s : s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> result = InvokeOrdinary(x);
        if (Vector256.ExtractMostSignificantBits(Ordinary(x)) != (1u << Vector256<float>.Count) - 1)
            result = FixUp(x, result);
        return result;
    }

    /// <summary>Lanes whose <c>e^{−|x|}</c> is a normal float (|x| ≤ 87.3, not NaN): the fast path is exact there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Ordinary(Vector256<float> x) =>
        Vector256.GreaterThanOrEqual(x | Vector256.Create(-0f), Vector256.Create(ExpNonPositive.NormalLimit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeOrdinary(Vector256<float> x)
    {
        // −|x| is one OR. No clamp: lanes beyond the normal range come out as garbage and FixUp replaces them.
        Vector256<float> t = ExpNonPositive.Normal(x | Vector256.Create(-0f));
        Vector256<float> s = Vector256<float>.One / (Vector256<float>.One + t);
        Vector256<float> ts = t * s;
        // blendv looks only at the sign bit, so x = −0 takes t·s = 1·½, as it should.
        return Avx.IsSupported
            ? Avx.BlendVariable(s, ts, x)
            : Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), ts, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> result = InvokeOrdinary(x);
        if (Vector128.ExtractMostSignificantBits(Ordinary(x)) != (1u << Vector128<float>.Count) - 1)
            result = FixUp(x, result);
        return result;
    }

    /// <summary>Lanes whose <c>e^{−|x|}</c> is a normal float (|x| ≤ 87.3, not NaN): the fast path is exact there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Ordinary(Vector128<float> x) =>
        Vector128.GreaterThanOrEqual(x | Vector128.Create(-0f), Vector128.Create(ExpNonPositive.NormalLimit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> InvokeOrdinary(Vector128<float> x)
    {
        // −|x| is one OR. No clamp: lanes beyond the normal range come out as garbage and FixUp replaces them.
        Vector128<float> t = ExpNonPositive.Normal(x | Vector128.Create(-0f));
        Vector128<float> s = Vector128<float>.One / (Vector128<float>.One + t);
        Vector128<float> ts = t * s;
        // blendv looks only at the sign bit, so x = −0 takes t·s = 1·½, as it should.
        return Sse41.IsSupported
            ? Sse41.BlendVariable(s, ts, x)
            : Vector128.ConditionalSelect(Vector128.LessThan(x.AsInt32(), Vector128<int>.Zero).AsSingle(), ts, s);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> FixUp(Vector256<float> x, Vector256<float> result)
    {
        Vector256<float> tail = ExpNonPositive.Wide(x);
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpNonPositive.NormalLimit)), tail, result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(-ExpNonPositive.NormalLimit)), Vector256<float>.One, result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<float> FixUp(Vector128<float> x, Vector128<float> result)
    {
        Vector128<float> tail = ExpNonPositive.Wide(x);
        result = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpNonPositive.NormalLimit)), tail, result);
        result = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(-ExpNonPositive.NormalLimit)), Vector128<float>.One, result);
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }
}
