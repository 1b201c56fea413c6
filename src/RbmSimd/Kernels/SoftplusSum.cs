using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary><c>Σᵢ softplus(xᵢ)</c>, the inner loop of free energies and of the exact partition function.</summary>
/// <remarks>
/// Implementation notes. Terms come from <see cref="SoftplusOperator"/> in float; two vectors of terms are
/// added in float (one rounding, at most 2⁻²⁴ relative because every term is non-negative; only when all 16
/// inputs are ordinary, |x| ≤ 87.3, so the float sum cannot overflow), then
/// widened to two <c>Vector256&lt;double&gt;</c> and accumulated in double, so the sum adds no error that
/// grows with the length (a float running sum of 784 terms could lose 784·2⁻²⁴ ≈ 5·10⁻⁵ relative). The
/// sum's relative error is therefore at most the largest term's (≈ 4·10⁻⁷) plus 6·10⁻⁸. Two independent
/// vectors per iteration let the exp and division chains overlap without exceeding the 16 ymm registers of
/// AVX2 (a four-deep unroll spilled there and was 25% slower); four double accumulators, used alternately,
/// hide the add latency. The tail recomputes
/// the last full vector and masks out the lanes already counted; spans shorter than one vector are padded
/// and masked. The lane-to-accumulator assignment and the final reduction order are fixed, so the result
/// depends only on the input and the <see cref="KernelIsa"/>.
/// </remarks>
internal static unsafe partial class SoftplusSum
{
    public static double Sum(ReadOnlySpan<float> x, KernelIsa isa)
    {
        if (x.IsEmpty) return 0;
        return isa switch
        {
            KernelIsa.Vector512 => Vectorized512(x),
            KernelIsa.Vector256 => Vectorized256(x),
            KernelIsa.Vector128 => Vectorized128(x),
            _ => Scalar(x),
        };
    }

    private static double Scalar(ReadOnlySpan<float> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += SoftplusOperator.Invoke(x[i]);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate(Vector256<float> terms, ref Vector256<double> lo, ref Vector256<double> hi)
    {
        (Vector256<double> l, Vector256<double> h) = Vector256.Widen(terms);
        lo += l;
        hi += h;
    }

    /// <summary>The complete operator, out of line so the hot loop holds no call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<float> Complete(Vector256<float> x) => SoftplusOperator.Invoke(x);

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // no PGO re-layout: see UnaryDriver's remarks
    private static double Vectorized256(ReadOnlySpan<float> x)
    {
        const int W = 8;
        nint n = x.Length;
        Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
        fixed (float* px = x)
        {
            if (n < W)
            {
                float* tmp = stackalloc float[W];
                Vector256<float>.Zero.Store(tmp);
                Buffer.MemoryCopy(px, tmp, W * sizeof(float), n * sizeof(float));
                Vector256<float> keep = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create((int)n)).AsSingle();
                Accumulate(SoftplusOperator.Invoke(Vector256.Load(tmp)) & keep, ref a0, ref a1);
            }
            else
            {
                nint i = 0;
                for (; i <= n - 2 * W; i += 2 * W)
                {
                    Vector256<float> x0 = Vector256.Load(px + i), x1 = Vector256.Load(px + i + W);
                    if (Vector256.ExtractMostSignificantBits(SoftplusOperator.Ordinary(x0) & SoftplusOperator.Ordinary(x1)) == 0xFF)
                    {
                        // Ordinary terms are below 88.1, so this float add cannot overflow; one rounding on
                        // non-negative terms, ≤ 2⁻²⁴ relative. Alternate accumulators to hide the add latency.
                        Vector256<float> t = SoftplusOperator.InvokeOrdinary(x0) + SoftplusOperator.InvokeOrdinary(x1);
                        if ((i & (2 * W)) == 0) Accumulate(t, ref a0, ref a1);
                        else Accumulate(t, ref a2, ref a3);
                    }
                    else
                    {
                        // Huge or infinite terms: widen each vector on its own, so a sum that fits a double
                        // is not lost to float overflow.
                        Accumulate(Complete(x0), ref a0, ref a1);
                        Accumulate(Complete(x1), ref a2, ref a3);
                    }
                }
                for (; i <= n - W; i += W)
                    Accumulate(SoftplusOperator.Invoke(Vector256.Load(px + i)), ref a0, ref a1);
                if (i != n)
                {
                    // Lanes j ≥ W − (n − i) of the last full vector are the ones not yet counted.
                    Vector256<float> fresh = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create((int)(W - (n - i)))).AsSingle();
                    Accumulate(SoftplusOperator.Invoke(Vector256.Load(px + n - W)) & fresh, ref a2, ref a3);
                }
            }
        }
        return Vector256.Sum((a0 + a2) + (a1 + a3));
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // no PGO re-layout: see UnaryDriver's remarks
    private static double Vectorized128(ReadOnlySpan<float> x)
    {
        const int W = 4;
        nint n = x.Length;
        Vector128<double> a0 = Vector128<double>.Zero, a1 = a0;
        fixed (float* px = x)
        {
            if (n < W)
            {
                float* tmp = stackalloc float[W];
                Vector128<float>.Zero.Store(tmp);
                Buffer.MemoryCopy(px, tmp, W * sizeof(float), n * sizeof(float));
                Vector128<float> keep = Vector128.LessThan(Vector128<int>.Indices, Vector128.Create((int)n)).AsSingle();
                (Vector128<double> l, Vector128<double> h) = Vector128.Widen(SoftplusOperator.Invoke(Vector128.Load(tmp)) & keep);
                a0 += l;
                a1 += h;
            }
            else
            {
                nint i = 0;
                for (; i <= n - W; i += W)
                {
                    (Vector128<double> l, Vector128<double> h) = Vector128.Widen(SoftplusOperator.Invoke(Vector128.Load(px + i)));
                    a0 += l;
                    a1 += h;
                }
                if (i != n)
                {
                    Vector128<float> fresh = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create((int)(W - (n - i)))).AsSingle();
                    (Vector128<double> l, Vector128<double> h) = Vector128.Widen(SoftplusOperator.Invoke(Vector128.Load(px + n - W)) & fresh);
                    a0 += l;
                    a1 += h;
                }
            }
        }
        return Vector128.Sum(a0 + a1);
    }
}
