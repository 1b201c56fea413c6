using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <remarks><c>Vector512</c> path: the <c>Vector256</c> algorithm lane for lane (same constants and operation order), so the same error bounds hold and, with FMA, the same bits come out.</remarks>
internal readonly partial struct SoftplusOperator
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Invoke(Vector512<float> x)
    {
        Vector512<float> result = InvokeOrdinary(x);
        if (Vector512.ExtractMostSignificantBits(Ordinary(x)) != ulong.MaxValue >> (64 - Vector512<float>.Count))
            result = FixUp(x, result);
        return result;
    }

    /// <summary>Lanes with |x| ≤ 87.3 and not NaN, where the fast path is exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Ordinary(Vector512<float> x) =>
        Vector512.GreaterThanOrEqual(x | Vector512.Create(-0f), Vector512.Create(ExpNonPositive.NormalLimit));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> InvokeOrdinary(Vector512<float> x)
    {
        Vector512<float> u = ExpNonPositive.Normal(x | Vector512.Create(-0f)); // lanes past ±87.3 are replaced by FixUp
        Vector512<float> s = u / (Vector512.Create(2f) + u);
        Vector512<float> z = s * s;
        Vector512<float> q = FusedOps.MulAdd(Vector512.Create(Q4), z, Vector512.Create(Q3));
        q = FusedOps.MulAdd(q, z, Vector512.Create(Q2));
        q = FusedOps.MulAdd(q, z, Vector512.Create(Q1));
        q = FusedOps.MulAdd(q, z, Vector512.Create(Q0));
        return FusedOps.MulAdd(s, q, Vector512.MaxNative(x, Vector512<float>.Zero));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<float> FixUp(Vector512<float> x, Vector512<float> result)
    {
        result = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(ExpNonPositive.NormalLimit)), ExpNonPositive.Wide(x), result);
        result = Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512.Create(-ExpNonPositive.NormalLimit)), x, result);
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }
}
