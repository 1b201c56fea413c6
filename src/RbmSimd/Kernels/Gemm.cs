using System.Numerics;
using System.Runtime.CompilerServices;
using RbmSimd.Numerics;

namespace RbmSimd.Kernels;

/// <summary>
/// General matrix product <c>C ← α·op(A)·op(B) + β·C</c> on row-major float matrices.
/// </summary>
/// <remarks>
/// Implementation notes: this first version streams rows of op(B) into rows of C with
/// <see cref="Vector{T}"/> multiply-adds (the "axpy" form of the product), which keeps every inner
/// loop contiguous for the RBM products V·W, H·Wᵀ and Vᵀ·H. When <c>β = 0</c> the old contents of
/// C are never read, so C may hold NaN or garbage on entry.
/// </remarks>
public static class Gemm
{
    /// <summary>Computes <c>C ← α·op(A)·op(B) + β·C</c>.</summary>
    /// <param name="a">Left operand; op(A) is m×k.</param>
    /// <param name="opA">Whether to transpose <paramref name="a"/>.</param>
    /// <param name="b">Right operand; op(B) is k×n.</param>
    /// <param name="opB">Whether to transpose <paramref name="b"/>.</param>
    /// <param name="c">Result, m×n. It must not overlap the operands.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the previous contents of <paramref name="c"/>; 0 ignores them.</param>
    /// <exception cref="ArgumentException">The shapes do not agree.</exception>
    public static void Multiply(ReadOnlyMatrixView a, MatrixOp opA, ReadOnlyMatrixView b, MatrixOp opB, MatrixView c, float alpha = 1f, float beta = 0f)
    {
        int m = opA == MatrixOp.None ? a.Rows : a.Cols;
        int k = opA == MatrixOp.None ? a.Cols : a.Rows;
        int kb = opB == MatrixOp.None ? b.Rows : b.Cols;
        int n = opB == MatrixOp.None ? b.Cols : b.Rows;
        if (k != kb) throw new ArgumentException($"Inner dimensions differ: op(A) is {m}x{k} but op(B) is {kb}x{n}.", nameof(b));
        if (c.Rows != m || c.Cols != n) throw new ArgumentException($"C must be {m}x{n} but is {c.Rows}x{c.Cols}.", nameof(c));

        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Row(i);
            if (beta == 0f) cRow.Clear();
            else if (beta != 1f) Scale(cRow, beta);
            if (opB == MatrixOp.None)
            {
                for (int p = 0; p < k; p++)
                {
                    float aip = opA == MatrixOp.None ? a[i, p] : a[p, i];
                    if (aip != 0f) MultiplyAdd(alpha * aip, b.Row(p), cRow);
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    float dot = 0f;
                    if (opA == MatrixOp.None) dot = Dot(a.Row(i), b.Row(j));
                    else for (int p = 0; p < k; p++) dot += a[p, i] * b[j, p];
                    cRow[j] += alpha * dot;
                }
            }
        }
    }

    private static void Scale(Span<float> x, float s)
    {
        for (int i = 0; i < x.Length; i++) x[i] *= s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd(float s, ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vs = new Vector<float>(s);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vy = new Vector<float>(y.Slice(i));
                (vy + vs * new Vector<float>(x.Slice(i))).CopyTo(y.Slice(i));
            }
        }
        for (; i < x.Length; i++) y[i] += s * x[i];
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<float>.Zero;
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
                acc += new Vector<float>(x.Slice(i)) * new Vector<float>(y.Slice(i));
            sum = Vector.Sum(acc);
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}
