using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels.Drivers;

/// <remarks>
/// The <c>Vector512</c> loop is the <c>Vector256</c> one at 16 lanes: four vectors (64 floats) per group,
/// the overlapping last vector, and a zero-padded stack vector below 16 elements, so an element's bits still
/// do not depend on its position or the span's length.
/// </remarks>
internal static unsafe partial class UnaryDriver
{
    [SkipLocalsInit]
    private static void Vectorized512<TOp>(ReadOnlySpan<float> x, Span<float> destination) where TOp : struct, IUnaryOperator
    {
        const int W = 16;
        const ulong AllLanes = (1ul << W) - 1;
        nint n = x.Length;
        fixed (float* px = x, pd = destination)
        {
            if (n < W)
            {
                float* tmp = stackalloc float[W];
                Vector512<float>.Zero.Store(tmp);
                Buffer.MemoryCopy(px, tmp, W * sizeof(float), n * sizeof(float));
                TOp.Invoke(Vector512.Load(tmp)).Store(tmp);
                Buffer.MemoryCopy(tmp, pd, n * sizeof(float), n * sizeof(float));
                return;
            }

            Vector512<float> endIn = Vector512.Load(px + n - W);
            nint i = 0;
            for (; i <= n - 4 * W; i += 4 * W)
            {
                Vector512<float> x0 = Vector512.Load(px + i);
                Vector512<float> x1 = Vector512.Load(px + i + W);
                Vector512<float> x2 = Vector512.Load(px + i + 2 * W);
                Vector512<float> x3 = Vector512.Load(px + i + 3 * W);
                Vector512<float> ordinary = TOp.Ordinary(x0) & TOp.Ordinary(x1) & TOp.Ordinary(x2) & TOp.Ordinary(x3);
                if (Vector512.ExtractMostSignificantBits(ordinary) != AllLanes)
                {
                    Complete512x4<TOp>(px + i, pd + i);
                    continue;
                }
                TOp.InvokeOrdinary(x0).Store(pd + i);
                TOp.InvokeOrdinary(x1).Store(pd + i + W);
                TOp.InvokeOrdinary(x2).Store(pd + i + 2 * W);
                TOp.InvokeOrdinary(x3).Store(pd + i + 3 * W);
            }
            for (; i <= n - W; i += W)
                TOp.Invoke(Vector512.Load(px + i)).Store(pd + i);
            if (i != n)
                TOp.Invoke(endIn).Store(pd + n - W);
        }
    }

    /// <inheritdoc cref="Complete256x2"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Complete512x4<TOp>(float* px, float* pd) where TOp : struct, IUnaryOperator
    {
        for (int v = 0; v < 4; v++) TOp.Invoke(Vector512.Load(px + 16 * v)).Store(pd + 16 * v);
    }
}
