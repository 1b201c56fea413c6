using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Sampling;

/// <remarks>
/// Counter access for vectorised consumers in this namespace (<see cref="Gaussian"/>): they build vectors of
/// consecutive counters, mix them lane-wise and get exactly the values <see cref="ValueAt"/> returns, so a
/// draw at position <c>p</c> has the same bits whichever path, thread or chunk computes it.
/// </remarks>
public partial struct RandomStream
{
    /// <summary>The distance between the counters of consecutive positions (arithmetic modulo 2⁶⁴).</summary>
    internal const ulong CounterStep = Gamma;

    /// <summary>The counter behind <see cref="ValueAt"/>: <c>ValueAt(p) == Mix(CounterAt(p))</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly ulong CounterAt(ulong position) => unchecked(_key + (position + 1) * Gamma);

    /// <summary>The SplitMix64 finaliser on each lane: the same function as the scalar mix behind <see cref="ValueAt"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<ulong> MixLanes(Vector128<ulong> z)
    {
        z = (z ^ (z >>> 30)) * Vector128.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >>> 27)) * Vector128.Create(0x94D049BB133111EBUL);
        return z ^ (z >>> 31);
    }

    /// <inheritdoc cref="MixLanes(Vector128{ulong})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> MixLanes(Vector256<ulong> z) => Mix(z);

    /// <inheritdoc cref="MixLanes(Vector128{ulong})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<ulong> MixLanes(Vector512<ulong> z)
    {
        z = (z ^ (z >>> 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >>> 27)) * Vector512.Create(0x94D049BB133111EBUL);
        return z ^ (z >>> 31);
    }
}
