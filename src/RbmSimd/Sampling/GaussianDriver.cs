using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RbmSimd.Kernels;

namespace RbmSimd.Sampling;

/// <summary>The per-tier loops behind <see cref="Gaussian"/>: counters to bits to deviates, and the affine step.</summary>
/// <remarks>
/// Implementation notes. The value at stream position <c>p</c> is <c>mix(c₀ + p·γ)</c> for the stream's counter
/// <c>c₀</c> (<see cref="RandomStream.CounterAt"/>), so a vector of <c>W</c> consecutive counters advances by
/// <c>W·γ</c> (mod 2⁶⁴, wrapping exactly as the scalar counter does). Each lane is mixed, split into its upper and
/// lower 32 bits (two narrowing moves over the 64-bit lanes of two vectors), and turned into a deviate by
/// <see cref="BoxMuller"/>. A last partial vector is computed in full (its extra lanes are simply the following
/// positions) into a stack vector and only the needed lanes are copied, so every element goes through the same
/// vector arithmetic whatever the length: an element's bits depend on its position and the tier only. The loops
/// are <c>NoInlining | AggressiveOptimization</c> for the same reason as the unary drivers' (tiered PGO re-laid
/// them out worse).
/// </remarks>
internal static unsafe class GaussianDriver
{
    /// <summary>Writes the standard deviates for positions <paramref name="position"/>… of <paramref name="random"/>.</summary>
    public static void Standard(in RandomStream random, ulong position, Span<float> destination, KernelIsa isa)
    {
        if (destination.IsEmpty) return;
        fixed (float* d = destination)
        {
            switch (isa)
            {
                case KernelIsa.Vector512: Vectorized512(random.CounterAt(position), d, destination.Length); break;
                case KernelIsa.Vector256: Vectorized256(random.CounterAt(position), d, destination.Length); break;
                case KernelIsa.Vector128: Vectorized128(random.CounterAt(position), d, destination.Length); break;
                default: Scalar(random, position, d, destination.Length); break;
            }
        }
    }

    /// <summary><c>destination[i] = mean[i] + scale[i]·z[i]</c>, a rounded multiply then a rounded add on every path.</summary>
    public static void ShiftAndScale(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, ReadOnlySpan<float> z, Span<float> destination, KernelIsa isa)
    {
        int n = z.Length, i = 0;
        fixed (float* m = mean, s = scale, pz = z, d = destination)
        {
            if (isa >= KernelIsa.Vector512)
                for (; i <= n - 16; i += 16)
                    (Vector512.Load(m + i) + Vector512.Load(s + i) * Vector512.Load(pz + i)).Store(d + i);
            if (isa >= KernelIsa.Vector256)
                for (; i <= n - 8; i += 8)
                    (Vector256.Load(m + i) + Vector256.Load(s + i) * Vector256.Load(pz + i)).Store(d + i);
            if (isa >= KernelIsa.Vector128)
                for (; i <= n - 4; i += 4)
                    (Vector128.Load(m + i) + Vector128.Load(s + i) * Vector128.Load(pz + i)).Store(d + i);
            for (; i < n; i++) d[i] = m[i] + s[i] * pz[i];
        }
    }

    /// <summary><c>z[i] = mean + scale·z[i]</c> in place, a rounded multiply then a rounded add on every path.</summary>
    public static void ShiftAndScale(float mean, float scale, Span<float> z, KernelIsa isa)
    {
        int n = z.Length, i = 0;
        fixed (float* pz = z)
        {
            if (isa >= KernelIsa.Vector512)
                for (; i <= n - 16; i += 16)
                    (Vector512.Create(mean) + Vector512.Create(scale) * Vector512.Load(pz + i)).Store(pz + i);
            if (isa >= KernelIsa.Vector256)
                for (; i <= n - 8; i += 8)
                    (Vector256.Create(mean) + Vector256.Create(scale) * Vector256.Load(pz + i)).Store(pz + i);
            if (isa >= KernelIsa.Vector128)
                for (; i <= n - 4; i += 4)
                    (Vector128.Create(mean) + Vector128.Create(scale) * Vector128.Load(pz + i)).Store(pz + i);
            for (; i < n; i++) pz[i] = mean + scale * pz[i];
        }
    }

    private static void Scalar(in RandomStream random, ulong position, float* d, int n)
    {
        for (int i = 0; i < n; i++)
        {
            ulong bits = random.ValueAt(position + (ulong)i);
            d[i] = BoxMuller.Invoke((uint)(bits >> 32), (uint)bits);
        }
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Vectorized256(ulong counter, float* d, int n)
    {
        const int W = 8;
        const ulong G = RandomStream.CounterStep;
        Vector256<ulong> a = Vector256.Create(counter, unchecked(counter + G), unchecked(counter + 2 * G), unchecked(counter + 3 * G));
        Vector256<ulong> b = a + Vector256.Create(unchecked(4 * G));
        Vector256<ulong> step = Vector256.Create(unchecked(W * G));
        int i = 0;
        for (; i <= n - W; i += W)
        {
            Deviates(a, b).Store(d + i);
            a += step;
            b += step;
        }
        if (i < n)
        {
            float* tail = stackalloc float[W];
            Deviates(a, b).Store(tail);
            Buffer.MemoryCopy(tail, d + i, (n - i) * sizeof(float), (n - i) * sizeof(float));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Deviates(Vector256<ulong> a, Vector256<ulong> b)
    {
        Vector256<ulong> x = RandomStream.MixLanes(a), y = RandomStream.MixLanes(b);
        return BoxMuller.Invoke(Vector256.Narrow(x >>> 32, y >>> 32), Vector256.Narrow(x, y));
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Vectorized128(ulong counter, float* d, int n)
    {
        const int W = 4;
        const ulong G = RandomStream.CounterStep;
        Vector128<ulong> a = Vector128.Create(counter, unchecked(counter + G));
        Vector128<ulong> b = a + Vector128.Create(unchecked(2 * G));
        Vector128<ulong> step = Vector128.Create(unchecked(W * G));
        int i = 0;
        for (; i <= n - W; i += W)
        {
            Deviates(a, b).Store(d + i);
            a += step;
            b += step;
        }
        if (i < n)
        {
            float* tail = stackalloc float[W];
            Deviates(a, b).Store(tail);
            Buffer.MemoryCopy(tail, d + i, (n - i) * sizeof(float), (n - i) * sizeof(float));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Deviates(Vector128<ulong> a, Vector128<ulong> b)
    {
        Vector128<ulong> x = RandomStream.MixLanes(a), y = RandomStream.MixLanes(b);
        return BoxMuller.Invoke(Vector128.Narrow(x >>> 32, y >>> 32), Vector128.Narrow(x, y));
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Vectorized512(ulong counter, float* d, int n)
    {
        const int W = 16;
        const ulong G = RandomStream.CounterStep;
        Vector512<ulong> a = Vector512.Create(
            counter, unchecked(counter + G), unchecked(counter + 2 * G), unchecked(counter + 3 * G),
            unchecked(counter + 4 * G), unchecked(counter + 5 * G), unchecked(counter + 6 * G), unchecked(counter + 7 * G));
        Vector512<ulong> b = a + Vector512.Create(unchecked(8 * G));
        Vector512<ulong> step = Vector512.Create(unchecked(W * G));
        int i = 0;
        for (; i <= n - W; i += W)
        {
            Deviates(a, b).Store(d + i);
            a += step;
            b += step;
        }
        if (i < n)
        {
            float* tail = stackalloc float[W];
            Deviates(a, b).Store(tail);
            Buffer.MemoryCopy(tail, d + i, (n - i) * sizeof(float), (n - i) * sizeof(float));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Deviates(Vector512<ulong> a, Vector512<ulong> b)
    {
        Vector512<ulong> x = RandomStream.MixLanes(a), y = RandomStream.MixLanes(b);
        return BoxMuller.Invoke(Vector512.Narrow(x >>> 32, y >>> 32), Vector512.Narrow(x, y));
    }
}
