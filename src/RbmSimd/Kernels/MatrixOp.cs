namespace RbmSimd.Kernels;

/// <summary>How <see cref="Gemm"/> reads an operand.</summary>
public enum MatrixOp
{
    /// <summary>Use the matrix as stored.</summary>
    None,

    /// <summary>Use the transpose of the matrix, without materialising it.</summary>
    Transpose,
}
