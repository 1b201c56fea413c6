using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels.Drivers;

/// <summary>Applies an <see cref="IUnaryOperator"/> to a span, on the requested <see cref="KernelIsa"/>.</summary>
/// <remarks>
/// Implementation notes. The vector loops are unrolled so that the operator's long dependency chains (exp
/// polynomial, division) from independent vectors overlap in the pipeline: two vectors deep on Vector256,
/// because with AVX2's 16 ymm registers a four-deep unroll plus the operators' dozen constants spilled to
/// the stack (0.29 against 0.27 ns/element for the sigmoid with AVX-512 disabled; no difference with it),
/// and four deep on Vector128. The vector loops are <c>NoInlining | AggressiveOptimization</c>: left to tiered
/// PGO, the JIT inlined them into <c>Invoke</c> and laid the hot loop out worse (BenchmarkDotNet, 50,000
/// floats: 0.35 ns/element against 0.25 with PGO off, which these attributes reproduce). The
/// remainder is handled by recomputing the last full vector, which overlaps values already written: the
/// input of that vector is loaded before anything is stored, so the result is right even when
/// <c>destination</c> is the input (in place). Spans shorter than one vector go through a zero-padded stack
/// vector rather than the scalar operator, so every element of a span sees exactly the same arithmetic
/// whatever its length (tests compare lengths 0…n against each other bit for bit).
/// Each group of vectors is first checked with the operator's <c>Ordinary</c> mask and, in the usual case
/// that every lane is ordinary, computed with the branch-free <c>InvokeOrdinary</c>; a group with a special
/// lane goes to an out-of-line complete path. The caller has validated lengths and overlap.
/// </remarks>
internal static unsafe partial class UnaryDriver
{
    public static void Invoke<TOp>(ReadOnlySpan<float> x, Span<float> destination, KernelIsa isa)
        where TOp : struct, IUnaryOperator
    {
        if (x.IsEmpty) return;
        switch (isa)
        {
            case KernelIsa.Vector512: Vectorized512<TOp>(x, destination); break;
            case KernelIsa.Vector256: Vectorized256<TOp>(x, destination); break;
            case KernelIsa.Vector128: Vectorized128<TOp>(x, destination); break;
            default: Scalar<TOp>(x, destination); break;
        }
    }

    private static void Scalar<TOp>(ReadOnlySpan<float> x, Span<float> destination) where TOp : struct, IUnaryOperator
    {
        for (int i = 0; i < x.Length; i++) destination[i] = TOp.Invoke(x[i]);
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // no PGO re-layout: see UnaryDriver's remarks
    private static void Vectorized256<TOp>(ReadOnlySpan<float> x, Span<float> destination) where TOp : struct, IUnaryOperator
    {
        const int W = 8;
        nint n = x.Length;
        fixed (float* px = x, pd = destination)
        {
            if (n < W)
            {
                float* tmp = stackalloc float[W];
                Vector256<float>.Zero.Store(tmp);
                Buffer.MemoryCopy(px, tmp, W * sizeof(float), n * sizeof(float));
                TOp.Invoke(Vector256.Load(tmp)).Store(tmp);
                Buffer.MemoryCopy(tmp, pd, n * sizeof(float), n * sizeof(float));
                return;
            }

            Vector256<float> endIn = Vector256.Load(px + n - W);
            nint i = 0;
            for (; i <= n - 2 * W; i += 2 * W)
            {
                Vector256<float> x0 = Vector256.Load(px + i);
                Vector256<float> x1 = Vector256.Load(px + i + W);
                Vector256<float> ordinary = TOp.Ordinary(x0) & TOp.Ordinary(x1);
                if (Vector256.ExtractMostSignificantBits(ordinary) != (1u << W) - 1)
                {
                    Complete256x2<TOp>(px + i, pd + i);
                    continue;
                }
                TOp.InvokeOrdinary(x0).Store(pd + i);
                TOp.InvokeOrdinary(x1).Store(pd + i + W);
            }
            for (; i <= n - W; i += W)
                TOp.Invoke(Vector256.Load(px + i)).Store(pd + i);
            if (i != n)
                TOp.Invoke(endIn).Store(pd + n - W);
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // no PGO re-layout: see UnaryDriver's remarks
    private static void Vectorized128<TOp>(ReadOnlySpan<float> x, Span<float> destination) where TOp : struct, IUnaryOperator
    {
        const int W = 4;
        nint n = x.Length;
        fixed (float* px = x, pd = destination)
        {
            if (n < W)
            {
                float* tmp = stackalloc float[W];
                Vector128<float>.Zero.Store(tmp);
                Buffer.MemoryCopy(px, tmp, W * sizeof(float), n * sizeof(float));
                TOp.Invoke(Vector128.Load(tmp)).Store(tmp);
                Buffer.MemoryCopy(tmp, pd, n * sizeof(float), n * sizeof(float));
                return;
            }

            Vector128<float> endIn = Vector128.Load(px + n - W);
            nint i = 0;
            for (; i <= n - 4 * W; i += 4 * W)
            {
                Vector128<float> x0 = Vector128.Load(px + i);
                Vector128<float> x1 = Vector128.Load(px + i + W);
                Vector128<float> x2 = Vector128.Load(px + i + 2 * W);
                Vector128<float> x3 = Vector128.Load(px + i + 3 * W);
                Vector128<float> ordinary = TOp.Ordinary(x0) & TOp.Ordinary(x1) & TOp.Ordinary(x2) & TOp.Ordinary(x3);
                if (Vector128.ExtractMostSignificantBits(ordinary) != (1u << W) - 1)
                {
                    Complete128x4<TOp>(px + i, pd + i);
                    continue;
                }
                TOp.InvokeOrdinary(x0).Store(pd + i);
                TOp.InvokeOrdinary(x1).Store(pd + i + W);
                TOp.InvokeOrdinary(x2).Store(pd + i + 2 * W);
                TOp.InvokeOrdinary(x3).Store(pd + i + 3 * W);
            }
            for (; i <= n - W; i += W)
                TOp.Invoke(Vector128.Load(px + i)).Store(pd + i);
            if (i != n)
                TOp.Invoke(endIn).Store(pd + n - W);
        }
    }

    /// <summary>The complete operator on one group of vectors, out of line so the hot loop holds no call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Complete256x2<TOp>(float* px, float* pd) where TOp : struct, IUnaryOperator
    {
        for (int v = 0; v < 2; v++) TOp.Invoke(Vector256.Load(px + 8 * v)).Store(pd + 8 * v);
    }

    /// <inheritdoc cref="Complete256x2"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Complete128x4<TOp>(float* px, float* pd) where TOp : struct, IUnaryOperator
    {
        for (int v = 0; v < 4; v++) TOp.Invoke(Vector128.Load(px + 4 * v)).Store(pd + 4 * v);
    }
}
