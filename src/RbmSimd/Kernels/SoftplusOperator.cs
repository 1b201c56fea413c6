using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RbmSimd.Kernels.Drivers;

namespace RbmSimd.Kernels;

/// <summary>Softplus, <c>log(1 + e^x)</c>, in the overflow-free form <c>max(x, 0) + log1p(e^{−|x|})</c>.</summary>
/// <remarks>
/// Implementation notes.
/// <para>
/// <c>u = e^{−|x|} ∈ (0, 1]</c> comes from <see cref="ExpNonPositive"/> (relative error ≤ 1.9·10⁻⁷).
/// <c>log1p(u)</c> uses <c>log(1+u) = 2·atanh(s)</c> with <c>s = u/(2+u) ∈ [0, ⅓]</c>: no cancellation for
/// small u (unlike <c>log(1+u)</c> after rounding <c>1+u</c>), and <c>2·atanh(s) = s·q(s²)</c> with
/// <c>q</c> a degree-4 polynomial in <c>z = s² ≤ 1/9</c>, a Remez fit computed for this project
/// (relative error 4·10⁻⁹ in exact arithmetic). The division runs on the divider, off the FMA ports.
/// Measured in float: log1p relative error ≤ 2.2·10⁻⁷, so softplus has relative error ≤ about 4·10⁻⁷
/// for x ≤ 0 (where it is small) and absolute error ≤ 2·10⁻⁷ plus the final add's half ulp for x &gt; 0.
/// </para>
/// <para>
/// Special values: for <c>|x| &gt; 87.3</c> (a subnormal u) a rare branch returns x for large positive x
/// (the log1p term is below 10⁻³⁷), <c>e^x</c> with a split exponent for large negative x (exactly 0 for
/// <c>−∞</c>), and NaN for NaN. <c>softplus(±0) = ln 2</c>.
/// </para>
/// </remarks>
internal readonly partial struct SoftplusOperator : IUnaryOperator
{
    // Remez fit of 2·atanh(√z)/√z on z ∈ [0, 1/9] (relative error), rounded to float.
    private const float Q0 = 2.0f;
    private const float Q1 = 0.66666317f;
    private const float Q2 = 0.4002491f;
    private const float Q3 = 0.279606f;
    private const float Q4 = 0.28178334f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Invoke(float x)
    {
        float ny = -MathF.Abs(x);
        if (!(ny >= ExpNonPositive.NormalLimit))
        {
            if (float.IsNaN(x)) return x;
            return x > 0 ? x : ExpNonPositive.Wide(x);
        }
        float u = ExpNonPositive.Normal(ny);
        float s = u / (2f + u);
        float z = s * s;
        float q = FusedOps.MulAdd(FusedOps.MulAdd(FusedOps.MulAdd(FusedOps.MulAdd(Q4, z, Q3), z, Q2), z, Q1), z, Q0);
        return MathF.Max(x, 0f) + s * q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Invoke(Vector256<float> x)
    {
        Vector256<float> result = InvokeOrdinary(x);
        if (Vector256.ExtractMostSignificantBits(Ordinary(x)) != (1u << Vector256<float>.Count) - 1)
            result = FixUp(x, result);
        return result;
    }

    /// <summary>Lanes with |x| ≤ 87.3 and not NaN, where the fast path is exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Ordinary(Vector256<float> x) =>
        Vector256.GreaterThanOrEqual(x | Vector256.Create(-0f), Vector256.Create(ExpNonPositive.NormalLimit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> InvokeOrdinary(Vector256<float> x)
    {
        Vector256<float> u = ExpNonPositive.Normal(x | Vector256.Create(-0f)); // lanes past ±87.3 are replaced by FixUp
        Vector256<float> s = u / (Vector256.Create(2f) + u);
        Vector256<float> z = s * s;
        Vector256<float> q = FusedOps.MulAdd(Vector256.Create(Q4), z, Vector256.Create(Q3));
        q = FusedOps.MulAdd(q, z, Vector256.Create(Q2));
        q = FusedOps.MulAdd(q, z, Vector256.Create(Q1));
        q = FusedOps.MulAdd(q, z, Vector256.Create(Q0));
        return FusedOps.MulAdd(s, q, Vector256.MaxNative(x, Vector256<float>.Zero));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Invoke(Vector128<float> x)
    {
        Vector128<float> result = InvokeOrdinary(x);
        if (Vector128.ExtractMostSignificantBits(Ordinary(x)) != (1u << Vector128<float>.Count) - 1)
            result = FixUp(x, result);
        return result;
    }

    /// <summary>Lanes with |x| ≤ 87.3 and not NaN, where the fast path is exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Ordinary(Vector128<float> x) =>
        Vector128.GreaterThanOrEqual(x | Vector128.Create(-0f), Vector128.Create(ExpNonPositive.NormalLimit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> InvokeOrdinary(Vector128<float> x)
    {
        Vector128<float> u = ExpNonPositive.Normal(x | Vector128.Create(-0f)); // lanes past ±87.3 are replaced by FixUp
        Vector128<float> s = u / (Vector128.Create(2f) + u);
        Vector128<float> z = s * s;
        Vector128<float> q = FusedOps.MulAdd(Vector128.Create(Q4), z, Vector128.Create(Q3));
        q = FusedOps.MulAdd(q, z, Vector128.Create(Q2));
        q = FusedOps.MulAdd(q, z, Vector128.Create(Q1));
        q = FusedOps.MulAdd(q, z, Vector128.Create(Q0));
        return FusedOps.MulAdd(s, q, Vector128.MaxNative(x, Vector128<float>.Zero));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> FixUp(Vector256<float> x, Vector256<float> result)
    {
        result = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(ExpNonPositive.NormalLimit)), ExpNonPositive.Wide(x), result);
        result = Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256.Create(-ExpNonPositive.NormalLimit)), x, result);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector128<float> FixUp(Vector128<float> x, Vector128<float> result)
    {
        result = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(ExpNonPositive.NormalLimit)), ExpNonPositive.Wide(x), result);
        result = Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128.Create(-ExpNonPositive.NormalLimit)), x, result);
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }
}
