using System.Runtime.Intrinsics;
using System.Diagnostics;
using System.Numerics;
using RbmSimd.Numerics;

namespace RbmSimd.Kernels;

/// <summary>
/// A dense matrix of bits (binary units), row-major: each row is <see cref="WordsPerRow"/> <c>ulong</c> words,
/// bit <c>j</c> of a row in word <c>j / 64</c> at position <c>j % 64</c>.
/// </summary>
/// <remarks>
/// Bits past <see cref="Cols"/> in the last word of a row are always zero, so popcounts and set-bit loops
/// over whole words never see phantom units; every mutator keeps that invariant and debug builds assert it.
/// A 60,000 × 784 binary data set takes 60,000 × 13 words = 6.2 MB instead of 188 MB of floats.
/// </remarks>
public sealed class BitMatrix
{
    private readonly ulong[] _words;

    /// <summary>Creates an all-zero bit matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the size overflows.</exception>
    public BitMatrix(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        int words = (cols + 63) >> 6;
        long size = (long)rows * words;
        if (size > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(rows), $"A {rows}x{cols} bit matrix exceeds the largest array .NET can hold.");
        Rows = rows;
        Cols = cols;
        WordsPerRow = words;
        _words = new ulong[size];
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (bits per row).</summary>
    public int Cols { get; }

    /// <summary><c>⌈Cols / 64⌉</c>: words per row.</summary>
    public int WordsPerRow { get; }

    /// <summary>Mask of the valid bits in the last word of a row (all ones when <see cref="Cols"/> is a multiple of 64).</summary>
    internal ulong TailMask => (Cols & 63) == 0 ? ulong.MaxValue : (1UL << (Cols & 63)) - 1;

    /// <summary>Reads or writes one bit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the matrix.</exception>
    public bool this[int row, int col]
    {
        get
        {
            CheckPosition(row, col);
            return (_words[row * WordsPerRow + (col >> 6)] >> (col & 63) & 1) != 0;
        }
        set
        {
            CheckPosition(row, col);
            ref ulong word = ref _words[row * WordsPerRow + (col >> 6)];
            ulong bit = 1UL << (col & 63);
            word = value ? word | bit : word & ~bit;
        }
    }

    /// <summary>The words of one row, read-only (unused tail bits are zero).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the matrix.</exception>
    public ReadOnlySpan<ulong> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Rows}).");
        return _words.AsSpan(row * WordsPerRow, WordsPerRow);
    }

    /// <summary>The writable words of one row, for kernels that fill rows; they must leave the tail bits zero.</summary>
    internal Span<ulong> RowWords(int row) => _words.AsSpan(row * WordsPerRow, WordsPerRow);

    /// <summary>Number of set bits in a row.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is outside the matrix.</exception>
    public int CountOnes(int row)
    {
        int count = 0;
        foreach (ulong w in Row(row)) count += BitOperations.PopCount(w);
        return count;
    }

    /// <summary>Sets row <c>i</c> bit <c>j</c> to <c>source[i, j] &gt; threshold</c> (e.g. binarising images at 0.5).</summary>
    /// <exception cref="ArgumentException"><paramref name="source"/> has a different shape.</exception>
    public void SetFromDense(ReadOnlyMatrixView source, float threshold)
    {
        MatrixShape.RequireShape(source, Rows, Cols, nameof(source));
        Vector256<float> t = Vector256.Create(threshold);
        for (int i = 0; i < Rows; i++)
        {
            ReadOnlySpan<float> src = source.Row(i);
            Span<ulong> words = RowWords(i);
            words.Clear();
            int j = 0;
            if (KernelSelection.Active >= KernelIsa.Vector256)
            {
                // Eight columns per compare; 8 divides 64, so a group never straddles two words.
                for (; j <= Cols - 8; j += 8)
                    words[j >> 6] |= (ulong)Vector256.GreaterThan(Vector256.Create(src.Slice(j, 8)), t).ExtractMostSignificantBits() << (j & 63);
            }
            for (; j < Cols; j++)
                if (src[j] > threshold) words[j >> 6] |= 1UL << (j & 63);
        }
        AssertTailBitsZero();
    }

    /// <summary>Writes the bits as 0f and 1f into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has a different shape.</exception>
    public void CopyTo(MatrixView destination)
    {
        MatrixShape.RequireShape(destination, Rows, Cols, nameof(destination));
        Vector256<int> lanes = Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128);
        for (int i = 0; i < Rows; i++)
        {
            ReadOnlySpan<ulong> words = Row(i);
            Span<float> dst = destination.Row(i);
            int j = 0;
            if (KernelSelection.Active >= KernelIsa.Vector256)
            {
                // Eight bits at a time: broadcast the byte, test one bit per lane, keep 1f where set.
                for (; j <= Cols - 8; j += 8)
                {
                    Vector256<int> bits = Vector256.Create((int)(words[j >> 6] >> (j & 63)) & 0xFF) & lanes;
                    (Vector256.Equals(bits, lanes).AsSingle() & Vector256<float>.One).CopyTo(dst.Slice(j, 8));
                }
            }
            for (; j < Cols; j++) dst[j] = (words[j >> 6] >> (j & 63) & 1) != 0 ? 1f : 0f;
        }
    }

    /// <summary>Clears every bit.</summary>
    public void Clear() => _words.AsSpan().Clear();

    /// <summary>Debug builds check the invariant that no row has a bit set past <see cref="Cols"/>.</summary>
    [Conditional("DEBUG")]
    internal void AssertTailBitsZero()
    {
        if (WordsPerRow == 0) return;
        ulong unused = ~TailMask;
        for (int i = 0; i < Rows; i++)
            Debug.Assert((_words[i * WordsPerRow + WordsPerRow - 1] & unused) == 0, $"Row {i} has bits set past column {Cols}.");
    }

    private void CheckPosition(int row, int col)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Rows}).");
        if ((uint)col >= (uint)Cols) throw new ArgumentOutOfRangeException(nameof(col), col, $"Column must be in [0, {Cols}).");
    }
}
