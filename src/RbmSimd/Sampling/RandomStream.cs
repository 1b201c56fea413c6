using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RbmSimd.Kernels;

namespace RbmSimd.Sampling;

/// <summary>
/// A counter-based random stream: the value at position <c>p</c> is a pure function of the stream's
/// key and <c>p</c>, so any part of a computation can draw its numbers without depending on which
/// thread runs it or on what was drawn before.
/// </summary>
/// <remarks>
/// Implementation notes: the generator is SplitMix64 (Steele, Lea and Flood, 2014) read as a
/// counter-based function, <c>x_p = mix(key + (p + 1)·γ)</c> with <c>γ = 0x9E3779B97F4A7C15</c>
/// and Stafford's "Mix13" finaliser. Child streams get keys by mixing the parent key with an index
/// (<see cref="Derive(ulong)"/>), so (seed, epoch, minibatch, chunk) address independent streams.
/// Uniform floats take the top 24 bits, so they are exact multiples of 2⁻²⁴ in [0, 1): a unit with
/// probability exactly 0 is never on and one with probability exactly 1 always is.
/// </remarks>
public partial struct RandomStream
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private readonly ulong _key;

    /// <summary>Creates the stream for <paramref name="seed"/>, at position 0.</summary>
    public RandomStream(ulong seed) : this(Mix(seed ^ 0x5851F42D4C957F2DUL), 0) { }

    private RandomStream(ulong key, ulong position)
    {
        _key = key;
        Position = position;
    }

    /// <summary>The number of 64-bit values drawn so far; the next draw uses this position.</summary>
    public ulong Position { get; set; }

    /// <summary>An independent child stream, addressed by <paramref name="index"/>, at position 0.</summary>
    public readonly RandomStream Derive(ulong index) => new(Mix(_key ^ Mix(index * Gamma + 0xD1B54A32D192ED03UL)), 0);

    /// <summary>A child stream addressed by a path of indices, e.g. (epoch, minibatch, chunk).</summary>
    public readonly RandomStream Derive(ulong a, ulong b) => Derive(a).Derive(b);

    /// <summary>The 64-bit value at <paramref name="position"/>, without moving the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly ulong ValueAt(ulong position) => Mix(_key + (position + 1) * Gamma);

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64() => ValueAt(Position++);

    /// <summary>The next uniform float in [0, 1), a multiple of 2⁻²⁴.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextSingle() => ToUnitSingle(NextUInt64());

    /// <summary>The next uniform double in [0, 1), a multiple of 2⁻⁵³.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Fills <paramref name="destination"/> with uniform floats in [0, 1): the same values as as many <see cref="NextSingle"/> calls.</summary>
    public void NextSingles(Span<float> destination)
    {
        ulong p = Position;
        int i = 0;
        if (KernelSelection.Active >= KernelIsa.Vector256)
        {
            // Eight counters at a time: two vectors of four 64-bit states, mixed lane-wise, narrowed to
            // their top 24 bits and converted exactly (values below 2²⁴ are exact in float).
            // Counter arithmetic wraps modulo 2⁶⁴, as in ValueAt.
            ulong start = unchecked(_key + (p + 1) * Gamma);
            Vector256<ulong> step = Vector256.Create(unchecked(Gamma * 8));
            Vector256<ulong> lo = Vector256.Create(start, unchecked(start + Gamma), unchecked(start + 2 * Gamma), unchecked(start + 3 * Gamma));
            Vector256<ulong> hi = lo + Vector256.Create(unchecked(Gamma * 4));
            Vector256<float> scale = Vector256.Create(1f / (1 << 24));
            for (; i <= destination.Length - 8; i += 8)
            {
                Vector256<uint> top = Vector256.Narrow(Mix(lo) >>> 40, Mix(hi) >>> 40);
                (Vector256.ConvertToSingle(top.AsInt32()) * scale).StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)i);
                lo += step;
                hi += step;
            }
        }
        for (; i < destination.Length; i++) destination[i] = ToUnitSingle(ValueAt(p + (ulong)i));
        Position = p + (ulong)destination.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Mix(Vector256<ulong> z)
    {
        z = (z ^ (z >>> 30)) * Vector256.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >>> 27)) * Vector256.Create(0x94D049BB133111EBUL);
        return z ^ (z >>> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Lemire's multiply-shift; the bias is below 2⁻³² for any int bound.
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A standard normal deviate (Box–Muller; two uniforms per call).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: the logarithm stays finite
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Maps 64 random bits to a float in [0, 1) from the top 24 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToUnitSingle(ulong bits) => (bits >> 40) * (1f / (1 << 24));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
