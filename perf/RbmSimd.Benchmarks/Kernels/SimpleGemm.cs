using System.Numerics;
using RbmSimd.Kernels;
using RbmSimd.Numerics;

namespace RbmSimd.Benchmarks.Kernels;

/// <summary>
/// The project's first GEMM (before packing and blocking), kept as the "simple loop" baseline: rows of op(B)
/// streamed into rows of C with <see cref="Vector{T}"/> multiply-adds, or dot products when B is transposed.
/// </summary>
internal static class SimpleGemm
{
    public static void Multiply(ReadOnlyMatrixView a, MatrixOp opA, ReadOnlyMatrixView b, MatrixOp opB, MatrixView c)
    {
        int m = c.Rows, n = c.Cols;
        int k = opA == MatrixOp.None ? a.Cols : a.Rows;
        for (int i = 0; i < m; i++)
        {
            Span<float> cRow = c.Row(i);
            cRow.Clear();
            if (opB == MatrixOp.None)
            {
                for (int p = 0; p < k; p++)
                {
                    float aip = opA == MatrixOp.None ? a[i, p] : a[p, i];
                    ReadOnlySpan<float> bRow = b.Row(p);
                    var vs = new Vector<float>(aip);
                    int j = 0;
                    for (; j <= n - Vector<float>.Count; j += Vector<float>.Count)
                        (new Vector<float>(cRow.Slice(j)) + vs * new Vector<float>(bRow.Slice(j))).CopyTo(cRow.Slice(j));
                    for (; j < n; j++) cRow[j] += aip * bRow[j];
                }
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    float dot = 0f;
                    if (opA == MatrixOp.None)
                    {
                        ReadOnlySpan<float> x = a.Row(i), y = b.Row(j);
                        var acc = Vector<float>.Zero;
                        int p = 0;
                        for (; p <= k - Vector<float>.Count; p += Vector<float>.Count)
                            acc += new Vector<float>(x.Slice(p)) * new Vector<float>(y.Slice(p));
                        dot = Vector.Sum(acc);
                        for (; p < k; p++) dot += x[p] * y[p];
                    }
                    else
                    {
                        for (int p = 0; p < k; p++) dot += a[p, i] * b[j, p];
                    }
                    cRow[j] = dot;
                }
            }
        }
    }
}
