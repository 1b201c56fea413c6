using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using RbmSimd.Numerics;

namespace RbmSimd.Kernels;

/// <summary>
/// Dispatches <c>C ← f(A·B)</c> to the set-bit product (<see cref="BitGemm"/>) when A holds only 0s and
/// 1s and few enough 1s that adding the selected rows of B beats the dense GEMM.
/// </summary>
/// <remarks>
/// Implementation notes. The crossover is measured (<c>BitGemmBench</c>, 100×784 bits times 784×500,
/// docs/benchmarks.md): on the Vector512 tier the row adds win below about 20 % ones, on Vector256
/// below about 30 %; the scalar and Vector128 tiers use 30 % as well. The scan that decides costs about
/// one pass over A with vector compares and stops as soon as a value is neither 0 nor 1 or the ones pass
/// the limit. The bit path adds rows in bit order, so its rounding differs from the dense product's
/// (both stay within the dot-product bound), but the choice depends only on A: a result never depends
/// on the thread count. Bit buffers are cached per thread, one per shape for the last few shapes (a PCD
/// step alternates between the batch's rows and the chains' rows), so steady use allocates nothing.
/// </remarks>
internal static class SparseBinaryGemm
{
    private const int CachedShapes = 4;

    [ThreadStatic]
    private static BitMatrix?[]? t_bits;

    [ThreadStatic]
    private static int t_next;

    /// <summary>The largest fraction of ones for which the set-bit product is used on <paramref name="isa"/>.</summary>
    public static double Crossover(KernelIsa isa) => isa == KernelIsa.Vector512 ? 0.20 : 0.30;

    /// <summary>
    /// Computes <c>C ← epilogue(A·B)</c> with the set-bit product and returns true when A is binary and
    /// sparse enough; otherwise leaves C untouched and returns false.
    /// </summary>
    public static bool TryMultiply(ReadOnlyMatrixView a, ReadOnlyMatrixView b, MatrixView c, GemmEpilogue epilogue, ReadOnlySpan<float> bias)
    {
        if (a.IsEmpty || c.IsEmpty) return false;
        long limit = (long)(Crossover(KernelSelection.Active) * a.Rows * a.Cols);
        if (!IsSparseBinary(a, limit)) return false;
        BitMatrix bits = Buffer(a.Rows, a.Cols);
        bits.SetFromDense(a, 0.5f);
        BitGemm.Multiply(bits, b, c);
        bool addBias = (epilogue & GemmEpilogue.AddBias) != 0, sigmoid = (epilogue & GemmEpilogue.Sigmoid) != 0;
        for (int r = 0; r < c.Rows; r++)
        {
            Span<float> row = c.Row(r);
            if (addBias && sigmoid) Activations.AddBiasSigmoid(row, bias[..row.Length], row);
            else if (addBias) TensorPrimitives.Add(row, bias[..row.Length], row);
            else if (sigmoid) Activations.Sigmoid(row, row);
        }
        return true;
    }

    /// <summary>This thread's bit buffer of the given shape.</summary>
    private static BitMatrix Buffer(int rows, int cols)
    {
        BitMatrix?[] cache = t_bits ??= new BitMatrix?[CachedShapes];
        foreach (BitMatrix? b in cache)
            if (b is not null && b.Rows == rows && b.Cols == cols) return b;
        var created = new BitMatrix(rows, cols);
        cache[t_next] = created;
        t_next = (t_next + 1) % CachedShapes;
        return created;
    }

    /// <summary>Whether every element is 0 or 1 and at most <paramref name="maxOnes"/> are 1.</summary>
    internal static bool IsSparseBinary(ReadOnlyMatrixView a, long maxOnes)
    {
        long ones = 0;
        for (int r = 0; r < a.Rows; r++)
        {
            ReadOnlySpan<float> row = a.Row(r);
            int i = 0;
            if (KernelSelection.Active >= KernelIsa.Vector256)
            {
                for (; i <= row.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    Vector256<float> v = Vector256.Create(row.Slice(i, Vector256<float>.Count));
                    Vector256<float> one = Vector256.Equals(v, Vector256<float>.One);
                    if ((~(one | Vector256.Equals(v, Vector256<float>.Zero))).ExtractMostSignificantBits() != 0) return false;
                    ones += BitOperations.PopCount(one.ExtractMostSignificantBits());
                }
            }
            for (; i < row.Length; i++)
            {
                if (row[i] == 1f) ones++;
                else if (row[i] != 0f) return false;
            }
            if (ones > maxOnes) return false;
        }
        return true;
    }
}
