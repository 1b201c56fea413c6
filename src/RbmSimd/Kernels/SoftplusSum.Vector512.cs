using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <remarks>
/// The <c>Vector512</c> path is the <c>Vector256</c> one at 16 lanes: four vectors of terms, added pairwise
/// in float only when all 64 inputs are ordinary (two roundings on non-negative terms, ≤ 2⁻²³ relative, no
/// overflow below 88.1 per term), widened to two <c>Vector512&lt;double&gt;</c> and accumulated in double in
/// four accumulators. Its lane-to-accumulator assignment differs from the 8-lane path, so the last bits of
/// the double sum may differ between tiers; both stay inside the same 10⁻⁶ relative bound.
/// </remarks>
internal static unsafe partial class SoftplusSum
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector512<float> terms, ref Vector512<double> lo, ref Vector512<double> hi)
    {
        (Vector512<double> l, Vector512<double> h) = Vector512.Widen(terms);
        lo += l;
        hi += h;
    }

    /// <summary>The complete operator, out of line so the hot loop holds no call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<float> Complete(Vector512<float> x) => SoftplusOperator.Invoke(x);

    [SkipLocalsInit]
    private static double Vectorized512(ReadOnlySpan<float> x)
    {
        const int W = 16;
        const ulong AllLanes = (1ul << W) - 1;
        nint n = x.Length;
        Vector512<double> a0 = Vector512<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
        fixed (float* px = x)
        {
            if (n < W)
            {
                float* tmp = stackalloc float[W];
                Vector512<float>.Zero.Store(tmp);
                Buffer.MemoryCopy(px, tmp, W * sizeof(float), n * sizeof(float));
                // softplus(0) = ln 2 in the padding lanes: masked out so they add nothing.
                Vector512<float> keep = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create((int)n)).AsSingle();
                Accumulate(SoftplusOperator.Invoke(Vector512.Load(tmp)) & keep, ref a0, ref a1);
            }
            else
            {
                nint i = 0;
                for (; i <= n - 4 * W; i += 4 * W)
                {
                    Vector512<float> x0 = Vector512.Load(px + i), x1 = Vector512.Load(px + i + W);
                    Vector512<float> x2 = Vector512.Load(px + i + 2 * W), x3 = Vector512.Load(px + i + 3 * W);
                    Vector512<float> ordinary = SoftplusOperator.Ordinary(x0) & SoftplusOperator.Ordinary(x1)
                        & SoftplusOperator.Ordinary(x2) & SoftplusOperator.Ordinary(x3);
                    if (Vector512.ExtractMostSignificantBits(ordinary) == AllLanes)
                    {
                        Vector512<float> t0 = SoftplusOperator.InvokeOrdinary(x0);
                        Vector512<float> t1 = SoftplusOperator.InvokeOrdinary(x1);
                        Vector512<float> t2 = SoftplusOperator.InvokeOrdinary(x2);
                        Vector512<float> t3 = SoftplusOperator.InvokeOrdinary(x3);
                        Accumulate((t0 + t1) + (t2 + t3), ref a0, ref a1);
                    }
                    else
                    {
                        // Huge or infinite terms: widen each vector on its own so a sum that fits a double is not lost to float overflow.
                        Accumulate(Complete(x0), ref a0, ref a1);
                        Accumulate(Complete(x1), ref a2, ref a3);
                        Accumulate(Complete(x2), ref a0, ref a1);
                        Accumulate(Complete(x3), ref a2, ref a3);
                    }
                }
                for (; i <= n - W; i += W)
                    Accumulate(SoftplusOperator.Invoke(Vector512.Load(px + i)), ref a0, ref a1);
                if (i != n)
                {
                    // Lanes j ≥ W − (n − i) of the last full vector are the ones not yet counted.
                    Vector512<float> fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create((int)(W - (n - i)))).AsSingle();
                    Accumulate(SoftplusOperator.Invoke(Vector512.Load(px + n - W)) & fresh, ref a2, ref a3);
                }
            }
        }
        return Vector512.Sum((a0 + a2) + (a1 + a3));
    }
}
