using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RbmSimd.Kernels;

namespace RbmSimd.Sampling;

/// <summary>Draws normally distributed values from a <see cref="RandomStream"/>, addressed by stream position.</summary>
/// <remarks>
/// <para>
/// Element <c>i</c> of a call that starts at stream position <c>p</c> is computed from the single 64-bit value at
/// position <c>p + i</c> (Box–Muller, cosine branch: see <c>Kernels/BoxMuller.cs</c>), so it depends only on the
/// stream's key and that position: the same bits whichever thread, chunk or call length computes it. Each call
/// advances the stream by one position per element.
/// </para>
/// <para>
/// Tail: |z| never exceeds <see cref="MaxStandardDeviate"/> (√(64 ln 2) ≈ 6.6604, plus rounding), because
/// <c>u₁</c> comes from 32 bits; a true standard normal goes beyond that with probability about 2.7·10⁻¹¹.
/// Accuracy: each standard deviate is within about <c>18·2⁻²⁴·r</c> of the exact Box–Muller value for the same
/// bits, where <c>r = √(−2 ln u₁) ≤ 6.67</c> is its radius.
/// </para>
/// <para>
/// Every public method runs on <see cref="KernelSelection.Active"/> (so <c>RBMSIMD_ISA</c> caps it). Within one
/// tier the results do not depend on lengths or chunking; different tiers may differ in the last bits, within
/// the bound above. <c>mean + scale·z</c> is a float multiply then a float add (no fused multiply-add), the same
/// on every path.
/// </para>
/// </remarks>
public static class Gaussian
{
    /// <summary>
    /// The largest |z| a standard deviate can take: √(64 ln 2) ≈ 6.66044, rounded up past the float
    /// arithmetic's error.
    /// </summary>
    public const float MaxStandardDeviate = 6.6605f;

    /// <summary>Stack chunk for the affine overloads: standard deviates are drawn into it, then scaled and shifted.</summary>
    private const int Chunk = 256;

    /// <summary>Fills <paramref name="destination"/> with standard normal deviates (mean 0, variance 1).</summary>
    public static void SampleStandard(Span<float> destination, ref RandomStream random) =>
        SampleStandard(destination, ref random, KernelSelection.Active);

    internal static void SampleStandard(Span<float> destination, ref RandomStream random, KernelIsa isa)
    {
        GaussianDriver.Standard(random, random.Position, destination, isa);
        random.Position += (ulong)destination.Length;
    }

    /// <summary>Sets <c>destination[i] = mean + scale·z_i</c> with standard normal <c>z_i</c>.</summary>
    /// <param name="mean">The mean of every element; finite.</param>
    /// <param name="scale">The standard deviation of every element; finite (a negative value gives the same distribution as its magnitude).</param>
    /// <param name="destination">The values to draw.</param>
    /// <param name="random">The stream; advanced by <c>destination.Length</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mean"/> or <paramref name="scale"/> is NaN or infinite.</exception>
    public static void Sample(float mean, float scale, Span<float> destination, ref RandomStream random) =>
        Sample(mean, scale, destination, ref random, KernelSelection.Active);

    internal static void Sample(float mean, float scale, Span<float> destination, ref RandomStream random, KernelIsa isa)
    {
        if (!float.IsFinite(mean)) throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean must be finite.");
        if (!float.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be finite.");
        SampleStandard(destination, ref random, isa);
        GaussianDriver.ShiftAndScale(mean, scale, destination, isa);
    }

    /// <summary>
    /// Sets <c>destination[i] = mean[i] + scale[i]·z_i</c> with standard normal <c>z_i</c>: one normal draw per
    /// element, with its own mean and standard deviation.
    /// </summary>
    /// <remarks>
    /// <paramref name="destination"/> may be the same span as <paramref name="mean"/> or <paramref name="scale"/>
    /// (drawing in place), but must not overlap them at an offset. NaN or infinite means or scales give NaN or
    /// infinite results in those elements only; callers that cannot rule them out check their inputs.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="scale"/> differs in length from <paramref name="mean"/>,
    /// <paramref name="destination"/> is shorter than <paramref name="mean"/>, or it overlaps an input at an offset.</exception>
    public static void Sample(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, Span<float> destination, ref RandomStream random) =>
        Sample(mean, scale, destination, ref random, KernelSelection.Active);

    [SkipLocalsInit]
    internal static void Sample(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, Span<float> destination, ref RandomStream random, KernelIsa isa)
    {
        if (scale.Length != mean.Length)
            throw new ArgumentException($"Scale holds {scale.Length} floats but mean holds {mean.Length}.", nameof(scale));
        if (destination.Length < mean.Length)
            throw new ArgumentException($"Destination holds {destination.Length} floats but {mean.Length} are needed.", nameof(destination));
        RequireNoOffsetOverlap(mean, destination, nameof(mean));
        RequireNoOffsetOverlap(scale, destination, nameof(scale));
        ulong p = random.Position;
        Span<float> z = stackalloc float[Chunk];
        for (int start = 0; start < mean.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, mean.Length - start);
            GaussianDriver.Standard(random, p + (ulong)start, z[..n], isa);
            GaussianDriver.ShiftAndScale(mean.Slice(start, n), scale.Slice(start, n), z[..n], destination.Slice(start, n), isa);
        }
        random.Position = p + (ulong)mean.Length;
    }

    private static void RequireNoOffsetOverlap(ReadOnlySpan<float> input, Span<float> destination, string inputName)
    {
        // The same start is fine: each element is read before it is written. A shifted overlap is not.
        if (input.Overlaps(destination[..Math.Min(destination.Length, input.Length)], out int offset) && offset != 0)
            throw new ArgumentException($"Destination overlaps {inputName} at a different offset; use the same span to draw in place.", nameof(destination));
    }
}
