using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels.Drivers;

/// <summary>Applies an <see cref="IBinaryOperator"/> to two spans of equal length, on the requested <see cref="KernelIsa"/>.</summary>
/// <remarks>
/// Same structure as <see cref="UnaryDriver"/>: two-deep unrolling on Vector256 (four on Vector128), an overlapping last vector whose inputs
/// are loaded before any store (so <c>destination</c> may be either input), and a padded stack vector for
/// spans shorter than one vector.
/// </remarks>
internal static unsafe partial class BinaryDriver
{
    public static void Invoke<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination, KernelIsa isa)
        where TOp : struct, IBinaryOperator
    {
        if (x.IsEmpty) return;
        switch (isa)
        {
            case KernelIsa.Vector512: Vectorized512<TOp>(x, y, destination); break;
            case KernelIsa.Vector256: Vectorized256<TOp>(x, y, destination); break;
            case KernelIsa.Vector128: Vectorized128<TOp>(x, y, destination); break;
            default:
                for (int i = 0; i < x.Length; i++) destination[i] = TOp.Invoke(x[i], y[i]);
                break;
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // no PGO re-layout: see UnaryDriver's remarks
    private static void Vectorized256<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        const int W = 8;
        nint n = x.Length;
        fixed (float* px = x, py = y, pd = destination)
        {
            if (n < W)
            {
                float* tx = stackalloc float[W];
                float* ty = stackalloc float[W];
                Vector256<float>.Zero.Store(tx);
                Vector256<float>.Zero.Store(ty);
                Buffer.MemoryCopy(px, tx, W * sizeof(float), n * sizeof(float));
                Buffer.MemoryCopy(py, ty, W * sizeof(float), n * sizeof(float));
                TOp.Invoke(Vector256.Load(tx), Vector256.Load(ty)).Store(tx);
                Buffer.MemoryCopy(tx, pd, n * sizeof(float), n * sizeof(float));
                return;
            }

            Vector256<float> endX = Vector256.Load(px + n - W);
            Vector256<float> endY = Vector256.Load(py + n - W);
            nint i = 0;
            for (; i <= n - 2 * W; i += 2 * W)
            {
                Vector256<float> x0 = Vector256.Load(px + i), y0 = Vector256.Load(py + i);
                Vector256<float> x1 = Vector256.Load(px + i + W), y1 = Vector256.Load(py + i + W);
                Vector256<float> ordinary = TOp.Ordinary(x0, y0) & TOp.Ordinary(x1, y1);
                if (Vector256.ExtractMostSignificantBits(ordinary) != (1u << W) - 1)
                {
                    Complete256x2<TOp>(px + i, py + i, pd + i);
                    continue;
                }
                TOp.InvokeOrdinary(x0, y0).Store(pd + i);
                TOp.InvokeOrdinary(x1, y1).Store(pd + i + W);
            }
            for (; i <= n - W; i += W)
                TOp.Invoke(Vector256.Load(px + i), Vector256.Load(py + i)).Store(pd + i);
            if (i != n)
                TOp.Invoke(endX, endY).Store(pd + n - W);
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)] // no PGO re-layout: see UnaryDriver's remarks
    private static void Vectorized128<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        const int W = 4;
        nint n = x.Length;
        fixed (float* px = x, py = y, pd = destination)
        {
            if (n < W)
            {
                float* tx = stackalloc float[W];
                float* ty = stackalloc float[W];
                Vector128<float>.Zero.Store(tx);
                Vector128<float>.Zero.Store(ty);
                Buffer.MemoryCopy(px, tx, W * sizeof(float), n * sizeof(float));
                Buffer.MemoryCopy(py, ty, W * sizeof(float), n * sizeof(float));
                TOp.Invoke(Vector128.Load(tx), Vector128.Load(ty)).Store(tx);
                Buffer.MemoryCopy(tx, pd, n * sizeof(float), n * sizeof(float));
                return;
            }

            Vector128<float> endX = Vector128.Load(px + n - W);
            Vector128<float> endY = Vector128.Load(py + n - W);
            nint i = 0;
            for (; i <= n - 4 * W; i += 4 * W)
            {
                Vector128<float> x0 = Vector128.Load(px + i), y0 = Vector128.Load(py + i);
                Vector128<float> x1 = Vector128.Load(px + i + W), y1 = Vector128.Load(py + i + W);
                Vector128<float> x2 = Vector128.Load(px + i + 2 * W), y2 = Vector128.Load(py + i + 2 * W);
                Vector128<float> x3 = Vector128.Load(px + i + 3 * W), y3 = Vector128.Load(py + i + 3 * W);
                Vector128<float> ordinary = TOp.Ordinary(x0, y0) & TOp.Ordinary(x1, y1) & TOp.Ordinary(x2, y2) & TOp.Ordinary(x3, y3);
                if (Vector128.ExtractMostSignificantBits(ordinary) != (1u << W) - 1)
                {
                    Complete128x4<TOp>(px + i, py + i, pd + i);
                    continue;
                }
                TOp.InvokeOrdinary(x0, y0).Store(pd + i);
                TOp.InvokeOrdinary(x1, y1).Store(pd + i + W);
                TOp.InvokeOrdinary(x2, y2).Store(pd + i + 2 * W);
                TOp.InvokeOrdinary(x3, y3).Store(pd + i + 3 * W);
            }
            for (; i <= n - W; i += W)
                TOp.Invoke(Vector128.Load(px + i), Vector128.Load(py + i)).Store(pd + i);
            if (i != n)
                TOp.Invoke(endX, endY).Store(pd + n - W);
        }
    }

    /// <summary>The complete operator on one group of vectors, out of line so the hot loop holds no call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Complete256x2<TOp>(float* px, float* py, float* pd) where TOp : struct, IBinaryOperator
    {
        for (int v = 0; v < 2; v++) TOp.Invoke(Vector256.Load(px + 8 * v), Vector256.Load(py + 8 * v)).Store(pd + 8 * v);
    }

    /// <inheritdoc cref="Complete256x2"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Complete128x4<TOp>(float* px, float* py, float* pd) where TOp : struct, IBinaryOperator
    {
        for (int v = 0; v < 4; v++) TOp.Invoke(Vector128.Load(px + 4 * v), Vector128.Load(py + 4 * v)).Store(pd + 4 * v);
    }
}
