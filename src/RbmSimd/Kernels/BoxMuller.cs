using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>
/// Standard normal deviates from 64 random bits each, by the Box–Muller transform (cosine branch):
/// <c>z = √(−2 ln u₁) · cos(2π u₂)</c> with <c>u₁ = 1 − hi·2⁻³²</c> and <c>u₂ = lo·2⁻³²</c>, where
/// <c>hi</c> and <c>lo</c> are the upper and lower 32-bit halves of the value.
/// </summary>
/// <remarks>
/// Implementation notes (u = 2⁻²⁴, the float unit roundoff).
/// <para>
/// Range and tail. <c>u₁</c> takes the 2³² values <c>1, 1 − 2⁻³², …, 2⁻³²</c>: it is never 0, so the logarithm is
/// finite, and the radius <c>r = √(−2 ln u₁)</c> is at most <c>√(64 ln 2) ≈ 6.6604</c> (<see cref="MaxRadius"/>),
/// reached only at <c>hi = 2³² − 1</c>. A true standard normal exceeds that in absolute value with probability
/// about 2.7·10⁻¹¹; those draws are missing from the tail, and nothing else is.
/// </para>
/// <para>
/// The logarithm, accurate in relative terms over the whole range. <c>−ln u₁</c> is computed from
/// <c>t = hi</c> when the top bit of <c>hi</c> is clear and from <c>t = ~hi</c> when it is set (<c>t = hi ^ (hi &gt;&gt; 31)</c>
/// as a signed shift, so <c>0 ≤ t &lt; 2³¹</c> converts exactly-rounded as a signed integer):
/// <list type="bullet">
/// <item>top bit set (<c>u₁ ≤ ½</c>): <c>u₁ = (t + 1)·2⁻³²</c> in float (relative error ≤ 2u), and <c>−ln u₁</c> directly;
/// since <c>|ln u₁| ≥ ln 2</c> the input error costs at most 2u/ln 2 ≈ 2.9u relative.</item>
/// <item>top bit clear (<c>u₁ &gt; ½</c>, where <c>1 − x</c> would lose the low bits of <c>x = t·2⁻³²</c>):
/// <c>−ln(1 − x) = ln(w)·x/(w − 1)</c> with <c>w = fl(1 − x)</c> (Goldberg's log1p: the rounding of <c>w</c> cancels
/// between numerator and denominator, and <c>w − 1</c> is exact by Sterbenz's lemma), and simply <c>x</c> where
/// <c>w</c> rounds to 1 (<c>x &lt; 2⁻²⁵</c>, where the next series term is below <c>x·2⁻²⁶</c>).</item>
/// </list>
/// With the vector <c>Log</c>'s relative error λ (the tests check λ ≤ 4u on a sweep of [2⁻³², 1]), the
/// relative error of <c>−ln u₁</c> is at most about <c>1u (x) + 5u (Goldberg) + λ ≤ 10u</c>, so <c>r</c> is within
/// 6u relative (half that, plus the square root's rounding) of <c>√(−2 ln u₁)</c>: small radii are as accurate as
/// large ones.
/// </para>
/// <para>
/// The angle. <c>lo</c> read as a signed integer <c>s</c> gives <c>θ = s·π·2⁻³¹ ∈ [−π, π)</c>, which has the same
/// cosine as <c>2π u₂</c>. Converting <c>s</c>, the rounded constant and the product cost at most 3u relative, so
/// <c>|δθ| ≤ 3πu</c>; the vector <c>Cos</c> adds at most 1u absolute on [−π, π] (checked by the tests), so the
/// cosine is within <c>(3π + 1)u ≈ 10.5u</c> absolute, and <c>z = r·cos θ</c> within about <c>18u·r</c> of the exact
/// value for the same bits. All three tiers and the scalar path use this arithmetic; they may differ in the
/// last bits where <c>Log</c> and <c>Cos</c> differ between widths, never by more than that bound.
/// </para>
/// </remarks>
internal static class BoxMuller
{
    /// <summary><c>√(64 ln 2)</c>: the largest radius, hence the largest |z|, that 32 bits for <c>u₁</c> allow.</summary>
    public const double MaxRadius = 6.6604368892615815;

    private const float TwoToMinus32 = 1f / 4294967296f;

    /// <summary>π·2⁻³¹ rounded to float (a power-of-two scaling of float π, so no second rounding).</summary>
    private const float AnglePerUnit = (float)(Math.PI / 2147483648.0);

    /// <summary>One deviate from the halves of a 64-bit value, in the same arithmetic as the vector overloads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(uint hi, uint lo)
    {
        int signed = (int)hi;
        bool top = signed < 0;
        float ft = signed ^ (signed >> 31);
        float logTerm;
        if (top)
        {
            logTerm = -MathF.Log((ft + 1f) * TwoToMinus32);
        }
        else
        {
            float x = ft * TwoToMinus32;
            float w = 1f - x;
            logTerm = w == 1f ? x : MathF.Log(w) * (x / (w - 1f));
        }
        float r = MathF.Sqrt(logTerm + logTerm);
        return r * MathF.Cos((int)lo * AnglePerUnit);
    }

    /// <summary>Four deviates from four (hi, lo) pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<uint> hi, Vector128<uint> lo)
    {
        Vector128<int> top = hi.AsInt32() >> 31;
        Vector128<float> ft = Vector128.ConvertToSingle(hi.AsInt32() ^ top);
        Vector128<float> scale = Vector128.Create(TwoToMinus32);
        Vector128<float> one = Vector128<float>.One;
        Vector128<float> x = ft * scale;
        Vector128<float> w = one - x;
        Vector128<float> topMask = top.AsSingle();
        Vector128<float> log = Vector128.Log(Vector128.ConditionalSelect(topMask, (ft + one) * scale, w));
        Vector128<float> factor = Vector128.ConditionalSelect(topMask, Vector128.Create(-1f), x / (w - one));
        // Where w rounds to 1 (top bit clear, x < 2⁻²⁵) −ln(1 − x) is x; top-bit lanes never take that branch.
        Vector128<float> logTerm = Vector128.ConditionalSelect(Vector128.AndNot(Vector128.Equals(w, one), topMask), x, log * factor);
        Vector128<float> r = Vector128.Sqrt(logTerm + logTerm);
        return r * Vector128.Cos(Vector128.ConvertToSingle(lo.AsInt32()) * Vector128.Create(AnglePerUnit));
    }

    /// <summary>Eight deviates from eight (hi, lo) pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<uint> hi, Vector256<uint> lo)
    {
        Vector256<int> top = hi.AsInt32() >> 31;
        Vector256<float> ft = Vector256.ConvertToSingle(hi.AsInt32() ^ top);
        Vector256<float> scale = Vector256.Create(TwoToMinus32);
        Vector256<float> one = Vector256<float>.One;
        Vector256<float> x = ft * scale;
        Vector256<float> w = one - x;
        Vector256<float> topMask = top.AsSingle();
        Vector256<float> log = Vector256.Log(Vector256.ConditionalSelect(topMask, (ft + one) * scale, w));
        Vector256<float> factor = Vector256.ConditionalSelect(topMask, Vector256.Create(-1f), x / (w - one));
        // Where w rounds to 1 (top bit clear, x < 2⁻²⁵) −ln(1 − x) is x; top-bit lanes never take that branch.
        Vector256<float> logTerm = Vector256.ConditionalSelect(Vector256.AndNot(Vector256.Equals(w, one), topMask), x, log * factor);
        Vector256<float> r = Vector256.Sqrt(logTerm + logTerm);
        return r * Vector256.Cos(Vector256.ConvertToSingle(lo.AsInt32()) * Vector256.Create(AnglePerUnit));
    }

    /// <summary>Sixteen deviates from sixteen (hi, lo) pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<uint> hi, Vector512<uint> lo)
    {
        Vector512<int> top = hi.AsInt32() >> 31;
        Vector512<float> ft = Vector512.ConvertToSingle(hi.AsInt32() ^ top);
        Vector512<float> scale = Vector512.Create(TwoToMinus32);
        Vector512<float> one = Vector512<float>.One;
        Vector512<float> x = ft * scale;
        Vector512<float> w = one - x;
        Vector512<float> topMask = top.AsSingle();
        Vector512<float> log = Vector512.Log(Vector512.ConditionalSelect(topMask, (ft + one) * scale, w));
        Vector512<float> factor = Vector512.ConditionalSelect(topMask, Vector512.Create(-1f), x / (w - one));
        // Where w rounds to 1 (top bit clear, x < 2⁻²⁵) −ln(1 − x) is x; top-bit lanes never take that branch.
        Vector512<float> logTerm = Vector512.ConditionalSelect(Vector512.AndNot(Vector512.Equals(w, one), topMask), x, log * factor);
        Vector512<float> r = Vector512.Sqrt(logTerm + logTerm);
        return r * Vector512.Cos(Vector512.ConvertToSingle(lo.AsInt32()) * Vector512.Create(AnglePerUnit));
    }
}
