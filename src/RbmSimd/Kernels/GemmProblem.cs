namespace RbmSimd.Kernels;

/// <summary>One validated, pinned product <c>C ← epilogue(α·op(A)·op(B) + β·C)</c> in raw pointers, as the drivers take it.</summary>
/// <remarks>op(A) is M × K and op(B) is K × N. op(A)(i, p) is <c>A[i·Lda + p]</c>, or <c>A[p·Lda + i]</c> when
/// <see cref="TransA"/>; likewise for B. C(i, j) is <c>C[i·Ldc + j]</c>; <see cref="Bias"/> has N floats when used.</remarks>
internal unsafe struct GemmProblem
{
    public float* A;
    public nint Lda;
    public bool TransA;
    public float* B;
    public nint Ldb;
    public bool TransB;
    public float* C;
    public nint Ldc;
    public int M;
    public int N;
    public int K;
    public float Alpha;
    public float Beta;
    public GemmEpilogue Epilogue;
    public float* Bias;

    /// <summary>The sub-problem of rows [i0, i0 + rows) and columns [j0, j0 + cols) of C: same k, same arithmetic per element.</summary>
    public readonly GemmProblem Block(int i0, int rows, int j0, int cols)
    {
        GemmProblem q = this;
        q.A = TransA ? A + i0 : A + i0 * Lda;
        q.B = TransB ? B + j0 * Ldb : B + j0;
        q.C = C + i0 * Ldc + j0;
        q.Bias = Bias == null ? null : Bias + j0;
        q.M = rows;
        q.N = cols;
        return q;
    }
}
