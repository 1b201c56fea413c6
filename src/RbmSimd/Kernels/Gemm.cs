using RbmSimd.Numerics;

namespace RbmSimd.Kernels;

/// <summary>
/// General matrix product <c>C ← f(α·op(A)·op(B) + β·C)</c> on row-major float matrices, where op is the
/// identity or the transpose and f an optional <see cref="GemmEpilogue"/> (column bias, sigmoid).
/// </summary>
/// <remarks>
/// Implementation notes: the BLIS algorithm. <see cref="GemmDriver"/> blocks the product for the caches
/// (NC, KC, MC in <see cref="GemmBlocking"/>), <see cref="GemmPacking"/> copies blocks of op(A) and op(B)
/// into zero-padded micro-panels straight from the strided storage (transposes are never materialised),
/// <see cref="GemmMacrokernel"/> tiles C, and a 6 × 16 micro-kernel (<see cref="GemmMicrokernel6x16"/> on
/// AVX2, <see cref="GemmMicrokernel6x16Vector128"/>, <see cref="GemmMicrokernelScalar"/>) keeps each tile in
/// registers; on AVX-512, <see cref="GemmMacrokernelVector512"/> runs 12 × 32 tiles over the same packing. Packing buffers are cached per thread, so repeated calls do not allocate. When <c>β = 0</c>
/// the old contents of C are never read, so C may hold NaN or garbage on entry. <c>α = 0</c> still reads A
/// and B (NaN in them propagates). Products are deterministic for a given <see cref="KernelIsa"/>, and
/// <see cref="MultiplyParallel"/> gives the same bits as <see cref="Multiply(ReadOnlyMatrixView, MatrixOp, ReadOnlyMatrixView, MatrixOp, MatrixView, float, float)"/>.
/// See <c>docs/kernels.md</c> for the layout diagrams.
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
    /// <exception cref="ArgumentException">The shapes do not agree, or <paramref name="c"/> overlaps an operand.</exception>
    public static void Multiply(ReadOnlyMatrixView a, MatrixOp opA, ReadOnlyMatrixView b, MatrixOp opB, MatrixView c, float alpha = 1f, float beta = 0f) =>
        Multiply(a, opA, b, opB, c, GemmEpilogue.None, default, alpha, beta, KernelSelection.Active, parallel: false);

    /// <summary>Computes <c>C ← f(α·op(A)·op(B) + β·C)</c>, the epilogue f fused into the write-back.</summary>
    /// <param name="a">Left operand; op(A) is m×k.</param>
    /// <param name="opA">Whether to transpose <paramref name="a"/>.</param>
    /// <param name="b">Right operand; op(B) is k×n.</param>
    /// <param name="opB">Whether to transpose <paramref name="b"/>.</param>
    /// <param name="c">Result, m×n. It must not overlap the operands.</param>
    /// <param name="epilogue">What to apply to each element: a column bias, a sigmoid, both (bias first) or nothing.</param>
    /// <param name="bias">n floats, added to every row when <paramref name="epilogue"/> includes <see cref="GemmEpilogue.AddBias"/>; otherwise ignored.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the previous contents of <paramref name="c"/>; 0 ignores them.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, <paramref name="bias"/> is too short, or <paramref name="c"/> overlaps an input.</exception>
    public static void Multiply(ReadOnlyMatrixView a, MatrixOp opA, ReadOnlyMatrixView b, MatrixOp opB, MatrixView c,
        GemmEpilogue epilogue, ReadOnlySpan<float> bias, float alpha = 1f, float beta = 0f) =>
        Multiply(a, opA, b, opB, c, epilogue, bias, alpha, beta, KernelSelection.Active, parallel: false);

    /// <summary>
    /// As <see cref="Multiply(ReadOnlyMatrixView, MatrixOp, ReadOnlyMatrixView, MatrixOp, MatrixView, GemmEpilogue, ReadOnlySpan{float}, float, float)"/>,
    /// split into blocks of C that run on the thread pool. The result is bit-identical to the single-threaded call.
    /// </summary>
    /// <param name="a">Left operand; op(A) is m×k.</param>
    /// <param name="opA">Whether to transpose <paramref name="a"/>.</param>
    /// <param name="b">Right operand; op(B) is k×n.</param>
    /// <param name="opB">Whether to transpose <paramref name="b"/>.</param>
    /// <param name="c">Result, m×n. It must not overlap the operands.</param>
    /// <param name="epilogue">What to apply to each element as it is written.</param>
    /// <param name="bias">n floats when <paramref name="epilogue"/> includes <see cref="GemmEpilogue.AddBias"/>; otherwise ignored.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of the previous contents of <paramref name="c"/>; 0 ignores them.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, <paramref name="bias"/> is too short, or <paramref name="c"/> overlaps an input.</exception>
    public static void MultiplyParallel(ReadOnlyMatrixView a, MatrixOp opA, ReadOnlyMatrixView b, MatrixOp opB, MatrixView c,
        GemmEpilogue epilogue = GemmEpilogue.None, ReadOnlySpan<float> bias = default, float alpha = 1f, float beta = 0f) =>
        Multiply(a, opA, b, opB, c, epilogue, bias, alpha, beta, KernelSelection.Active, parallel: true);

    /// <summary>The entry point behind the public overloads, with the instruction set explicit (tests run every one).</summary>
    internal static unsafe void Multiply(ReadOnlyMatrixView a, MatrixOp opA, ReadOnlyMatrixView b, MatrixOp opB, MatrixView c,
        GemmEpilogue epilogue, ReadOnlySpan<float> bias, float alpha, float beta, KernelIsa isa, bool parallel)
    {
        bool transA = RequireOp(opA, nameof(opA)), transB = RequireOp(opB, nameof(opB));
        int m = transA ? a.Cols : a.Rows;
        int k = transA ? a.Rows : a.Cols;
        int kb = transB ? b.Cols : b.Rows;
        int n = transB ? b.Rows : b.Cols;
        if (k != kb) throw new ArgumentException($"Inner dimensions differ: op(A) is {m}x{k} but op(B) is {kb}x{n}.", nameof(b));
        if (c.Rows != m || c.Cols != n) throw new ArgumentException($"C must be {m}x{n} but is {c.Rows}x{c.Cols}.", nameof(c));
        if ((epilogue & ~GemmEpilogue.AddBiasSigmoid) != 0) throw new ArgumentOutOfRangeException(nameof(epilogue), epilogue, "Unknown epilogue.");
        bool usesBias = (epilogue & GemmEpilogue.AddBias) != 0;
        if (usesBias && bias.Length < n) throw new ArgumentException($"Bias holds {bias.Length} floats but C has {n} columns.", nameof(bias));
        if (c.IsEmpty) return;
        if (c.Span.Overlaps(a.Span) || c.Span.Overlaps(b.Span) || (usesBias && c.Span.Overlaps(bias)))
            throw new ArgumentException("C must not overlap A, B or the bias.", nameof(c));

        fixed (float* pa = a.Span, pb = b.Span, pc = c.Span, pbias = bias)
        {
            var problem = new GemmProblem
            {
                A = pa, Lda = a.Stride, TransA = transA,
                B = pb, Ldb = b.Stride, TransB = transB,
                C = pc, Ldc = c.Stride,
                M = m, N = n, K = k,
                Alpha = alpha, Beta = beta,
                Epilogue = epilogue,
                Bias = usesBias ? pbias : null,
            };
            if (parallel) GemmParallel.Run(problem, isa);
            else GemmDriver.Run(problem, isa);
        }
    }

    private static bool RequireOp(MatrixOp op, string paramName) => op switch
    {
        MatrixOp.None => false,
        MatrixOp.Transpose => true,
        _ => throw new ArgumentOutOfRangeException(paramName, op, "Unknown matrix operation."),
    };
}
