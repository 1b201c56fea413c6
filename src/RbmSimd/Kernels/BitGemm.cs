using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RbmSimd.Numerics;

namespace RbmSimd.Kernels;

/// <summary>Products of a bit matrix (binary units) with a dense float matrix, by adding the rows that set bits select.</summary>
/// <remarks>
/// Implementation notes. For binary A, <c>(A·B)_i = Σ_{p : a_ip = 1} B_p</c>: no multiplications, and work
/// proportional to the number of ones rather than to k. Set bits are enumerated word by word with
/// trailing-zero count and <c>w &amp;= w − 1</c>. Selected rows are summed four at a time in registers
/// (<c>(b₁ + b₂) + (b₃ + b₄)</c> then one add into C), so C's row is loaded and stored once per four ones;
/// the order of additions is fixed by the bit positions, so results are deterministic. The C row stays in
/// L1 (500 floats for 500 hidden units). For <c>bits·Wᵀ</c> with W stored nv × nh, pass a transposed copy of
/// W (nh × nv) as B: rows of Wᵀ are columns of W, and gathering them per bit would be strided.
/// <see cref="MultiplyTransposedAdd"/> accumulates <c>C += Aᵀ·P</c> (a gradient statistic) by adding row i of P
/// into row p of C for every set bit (i, p).
/// </remarks>
public static class BitGemm
{
    /// <summary>Computes <c>C ← A·B (+ C when <paramref name="accumulate"/>)</c> for bits A (m×k) and dense B (k×n).</summary>
    /// <param name="a">Binary left operand, m×k.</param>
    /// <param name="b">Dense right operand, k×n.</param>
    /// <param name="c">Result, m×n; must not overlap <paramref name="b"/>.</param>
    /// <param name="accumulate">Add to C's contents instead of overwriting them.</param>
    /// <exception cref="ArgumentException">The shapes do not agree.</exception>
    public static void Multiply(BitMatrix a, ReadOnlyMatrixView b, MatrixView c, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (b.Rows != a.Cols) throw new ArgumentException($"B must have {a.Cols} rows (A's columns) but has {b.Rows}.", nameof(b));
        MatrixShape.RequireShape(c, a.Rows, b.Cols, nameof(c));
        for (int i = 0; i < a.Rows; i++)
        {
            Span<float> cRow = c.Row(i);
            if (!accumulate) cRow.Clear();
            AddSelectedRows(a.Row(i), b, cRow);
        }
    }

    /// <summary>Computes <c>C ← C + Aᵀ·P</c> for bits A (m×k) and dense P (m×n); C is k×n.</summary>
    /// <param name="a">Binary operand, m×k.</param>
    /// <param name="p">Dense operand, m×n.</param>
    /// <param name="c">Accumulator, k×n; must not overlap <paramref name="p"/>.</param>
    /// <exception cref="ArgumentException">The shapes do not agree.</exception>
    public static void MultiplyTransposedAdd(BitMatrix a, ReadOnlyMatrixView p, MatrixView c)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (p.Rows != a.Rows) throw new ArgumentException($"P must have {a.Rows} rows (A's rows) but has {p.Rows}.", nameof(p));
        MatrixShape.RequireShape(c, a.Cols, p.Cols, nameof(c));
        for (int i = 0; i < a.Rows; i++)
        {
            ReadOnlySpan<ulong> words = a.Row(i);
            ReadOnlySpan<float> pRow = p.Row(i);
            for (int w = 0; w < words.Length; w++)
                for (ulong bits = words[w]; bits != 0; bits &= bits - 1)
                    Add(pRow, c.Row((w << 6) + BitOperations.TrailingZeroCount(bits)));
        }
    }

    private static void AddSelectedRows(ReadOnlySpan<ulong> words, ReadOnlyMatrixView b, Span<float> cRow)
    {
        // Collect up to four selected row indices, then add them in one pass over C's row.
        Span<int> pending = stackalloc int[4];
        int count = 0;
        for (int w = 0; w < words.Length; w++)
        {
            for (ulong bits = words[w]; bits != 0; bits &= bits - 1)
            {
                pending[count++] = (w << 6) + BitOperations.TrailingZeroCount(bits);
                if (count == 4)
                {
                    Add4(b.Row(pending[0]), b.Row(pending[1]), b.Row(pending[2]), b.Row(pending[3]), cRow);
                    count = 0;
                }
            }
        }
        for (int r = 0; r < count; r++) Add(b.Row(pending[r]), cRow);
    }

    private static unsafe void Add4(ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> x3, Span<float> y)
    {
        int n = y.Length, j = 0;
        fixed (float* p0 = x0, p1 = x1, p2 = x2, p3 = x3, py = y)
        {
            // Each element gets the same adds in the same order at any width, so the tiers agree bit for bit.
            if (Vector512.IsHardwareAccelerated && KernelSelection.Active == KernelIsa.Vector512)
                for (; j <= n - 16; j += 16)
                    (Vector512.Load(py + j) + ((Vector512.Load(p0 + j) + Vector512.Load(p1 + j)) + (Vector512.Load(p2 + j) + Vector512.Load(p3 + j)))).Store(py + j);
            if (Vector256.IsHardwareAccelerated && KernelSelection.Active >= KernelIsa.Vector256)
                for (; j <= n - 8; j += 8)
                    (Vector256.Load(py + j) + ((Vector256.Load(p0 + j) + Vector256.Load(p1 + j)) + (Vector256.Load(p2 + j) + Vector256.Load(p3 + j)))).Store(py + j);
            for (; j < n; j++) py[j] += (p0[j] + p1[j]) + (p2[j] + p3[j]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = y.Length, j = 0;
        fixed (float* px = x, py = y)
        {
            if (Vector512.IsHardwareAccelerated && KernelSelection.Active == KernelIsa.Vector512)
                for (; j <= n - 16; j += 16)
                    (Vector512.Load(py + j) + Vector512.Load(px + j)).Store(py + j);
            if (Vector256.IsHardwareAccelerated && KernelSelection.Active >= KernelIsa.Vector256)
                for (; j <= n - 8; j += 8)
                    (Vector256.Load(py + j) + Vector256.Load(px + j)).Store(py + j);
            for (; j < n; j++) py[j] += px[j];
        }
    }
}
