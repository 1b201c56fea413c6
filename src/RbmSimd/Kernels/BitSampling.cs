using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>Bernoulli sampling straight into bits: <c>bit_j = (u_j &lt; p_j)</c>, with no float round trip.</summary>
/// <remarks>
/// Implementation notes. Eight lanes at a time: one <c>Vector256</c> compare of uniforms against
/// probabilities, then <c>ExtractMostSignificantBits</c> (<c>vmovmskps</c>) turns the lane mask into 8 bits,
/// and eight such bytes make one 64-bit word. The last partial word is done one bit at a time, so bits past
/// the row length stay zero. The comparison is strict, so p = 0 never fires and p = 1 always fires for
/// u ∈ [0, 1); a NaN probability never fires.
/// </remarks>
public static class BitSampling
{
    /// <summary>Sets bit j of <paramref name="bits"/> to <c>uniforms[j] &lt; probabilities[j]</c> and clears the rest of the row.</summary>
    /// <param name="probabilities">Per-unit probabilities p.</param>
    /// <param name="uniforms">Uniform variates in [0, 1), one per unit (same length).</param>
    /// <param name="bits">The destination row: <c>⌈n/64⌉</c> words.</param>
    /// <exception cref="ArgumentException">The lengths disagree.</exception>
    public static void Sample(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> uniforms, Span<ulong> bits) =>
        Sample(probabilities, uniforms, bits, KernelSelection.Active);

    /// <summary>Samples row <paramref name="row"/> of <paramref name="destination"/>; see <see cref="Sample(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{ulong})"/>.</summary>
    /// <exception cref="ArgumentException">The lengths disagree with the matrix's column count.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the matrix.</exception>
    public static void Sample(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> uniforms, BitMatrix destination, int row)
    {
        if ((uint)row >= (uint)destination.Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {destination.Rows}).");
        if (probabilities.Length != destination.Cols)
            throw new ArgumentException($"Probabilities hold {probabilities.Length} floats but the matrix has {destination.Cols} columns.", nameof(probabilities));
        Sample(probabilities, uniforms, destination.RowWords(row), KernelSelection.Active);
        destination.AssertTailBitsZero();
    }

    internal static void Sample(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> uniforms, Span<ulong> bits, KernelIsa isa)
    {
        int n = probabilities.Length;
        if (uniforms.Length != n)
            throw new ArgumentException($"Uniforms hold {uniforms.Length} floats but probabilities hold {n}.", nameof(uniforms));
        int words = (n + 63) >> 6;
        if (bits.Length != words)
            throw new ArgumentException($"Bits hold {bits.Length} words but {n} units need {words}.", nameof(bits));

        int full = n >> 6;
        for (int w = 0; w < full; w++)
        {
            ReadOnlySpan<float> p = probabilities.Slice(w << 6, 64), u = uniforms.Slice(w << 6, 64);
            ulong word = 0;
            if (isa == KernelIsa.Vector512)
            {
                for (int g = 0; g < 4; g++)
                {
                    Vector512<float> lt = Vector512.LessThan(Vector512.Create(u.Slice(g * 16, 16)), Vector512.Create(p.Slice(g * 16, 16)));
                    word |= Vector512.ExtractMostSignificantBits(lt) << (g * 16);
                }
            }
            else if (isa == KernelIsa.Vector256)
            {
                for (int g = 0; g < 8; g++)
                {
                    Vector256<float> lt = Vector256.LessThan(Vector256.Create(u.Slice(g * 8, 8)), Vector256.Create(p.Slice(g * 8, 8)));
                    word |= (ulong)Vector256.ExtractMostSignificantBits(lt) << (g * 8);
                }
            }
            else if (isa == KernelIsa.Vector128)
            {
                for (int g = 0; g < 16; g++)
                {
                    Vector128<float> lt = Vector128.LessThan(Vector128.Create(u.Slice(g * 4, 4)), Vector128.Create(p.Slice(g * 4, 4)));
                    word |= (ulong)Vector128.ExtractMostSignificantBits(lt) << (g * 4);
                }
            }
            else
            {
                for (int j = 0; j < 64; j++)
                    if (u[j] < p[j]) word |= 1UL << j;
            }
            bits[w] = word;
        }
        if (full < words)
        {
            ulong word = 0;
            for (int j = full << 6; j < n; j++)
                if (uniforms[j] < probabilities[j]) word |= 1UL << (j & 63);
            bits[full] = word;
        }
    }
}
