using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels.Drivers;

/// <remarks>The <c>Vector512</c> loop is the <c>Vector256</c> one at 16 lanes (see <see cref="UnaryDriver"/>).</remarks>
internal static unsafe partial class BinaryDriver
{
    [SkipLocalsInit]
    private static void Vectorized512<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination)
        where TOp : struct, IBinaryOperator
    {
        const int W = 16;
        const ulong AllLanes = (1ul << W) - 1;
        nint n = x.Length;
        fixed (float* px = x, py = y, pd = destination)
        {
            if (n < W)
            {
                float* tx = stackalloc float[W];
                float* ty = stackalloc float[W];
                Vector512<float>.Zero.Store(tx);
                Vector512<float>.Zero.Store(ty);
                Buffer.MemoryCopy(px, tx, W * sizeof(float), n * sizeof(float));
                Buffer.MemoryCopy(py, ty, W * sizeof(float), n * sizeof(float));
                TOp.Invoke(Vector512.Load(tx), Vector512.Load(ty)).Store(tx);
                Buffer.MemoryCopy(tx, pd, n * sizeof(float), n * sizeof(float));
                return;
            }

            Vector512<float> endX = Vector512.Load(px + n - W);
            Vector512<float> endY = Vector512.Load(py + n - W);
            nint i = 0;
            for (; i <= n - 4 * W; i += 4 * W)
            {
                Vector512<float> x0 = Vector512.Load(px + i), y0 = Vector512.Load(py + i);
                Vector512<float> x1 = Vector512.Load(px + i + W), y1 = Vector512.Load(py + i + W);
                Vector512<float> x2 = Vector512.Load(px + i + 2 * W), y2 = Vector512.Load(py + i + 2 * W);
                Vector512<float> x3 = Vector512.Load(px + i + 3 * W), y3 = Vector512.Load(py + i + 3 * W);
                Vector512<float> ordinary = TOp.Ordinary(x0, y0) & TOp.Ordinary(x1, y1) & TOp.Ordinary(x2, y2) & TOp.Ordinary(x3, y3);
                if (Vector512.ExtractMostSignificantBits(ordinary) != AllLanes)
                {
                    Complete512x4<TOp>(px + i, py + i, pd + i);
                    continue;
                }
                TOp.InvokeOrdinary(x0, y0).Store(pd + i);
                TOp.InvokeOrdinary(x1, y1).Store(pd + i + W);
                TOp.InvokeOrdinary(x2, y2).Store(pd + i + 2 * W);
                TOp.InvokeOrdinary(x3, y3).Store(pd + i + 3 * W);
            }
            for (; i <= n - W; i += W)
                TOp.Invoke(Vector512.Load(px + i), Vector512.Load(py + i)).Store(pd + i);
            if (i != n)
                TOp.Invoke(endX, endY).Store(pd + n - W);
        }
    }

    /// <inheritdoc cref="Complete256x2"/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Complete512x4<TOp>(float* px, float* py, float* pd) where TOp : struct, IBinaryOperator
    {
        for (int v = 0; v < 4; v++) TOp.Invoke(Vector512.Load(px + 16 * v), Vector512.Load(py + 16 * v)).Store(pd + 16 * v);
    }
}
