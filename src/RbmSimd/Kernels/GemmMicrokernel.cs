namespace RbmSimd.Kernels;

/// <summary>
/// The contract every GEMM micro-kernel implements (BLIS's <c>gemm_ukr</c>), so the macro-kernel is written
/// once and compiled per kernel.
/// </summary>
/// <remarks>
/// <c>Run</c> computes the full <c>MR × NR</c> tile
/// <c>C ← epilogue(α · A·B + β·C, bias)</c> where
/// <list type="bullet">
/// <item><c>a</c>: a packed A micro-panel, <c>kc</c> columns of MR = 6 contiguous floats (element (i, p) at <c>a[p·6 + i]</c>);</item>
/// <item><c>b</c>: a packed B micro-panel, <c>kc</c> rows of NR = 16 contiguous floats (element (p, j) at <c>b[p·16 + j]</c>), 32-byte aligned;</item>
/// <item><c>c</c>: row-major with row stride <c>ldc</c>, all 6 × 16 elements writable;</item>
/// <item><c>bias</c>: 16 floats, read only when the epilogue uses it.</item>
/// </list>
/// When <c>β = 0</c>, C is never read (it may hold NaN). <c>kc</c> may be 0. Kernels never branch on edges:
/// packing pads with zeros and the macro-kernel routes edge tiles through a full stack tile.
/// Every kernel forms each element as the same chain of multiply-adds in increasing <c>p</c>, then
/// <c>α·acc</c>, then <c>+ β·c</c> as one multiply-add; with FMA hardware all kernels agree bit for bit. The <c>Vector512</c> kernels
/// (<see cref="GemmMicrokernel12x32Vector512"/>, <see cref="GemmMicrokernel6x32Vector512"/>) implement the same
/// signature over two adjacent A and/or two adjacent B micro-panels (12 or 6 rows × 32 columns of C).
/// </remarks>
internal unsafe interface IGemmMicrokernel
{
    static abstract void Run<TEpilogue>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
        where TEpilogue : struct, IGemmEpilogue;
}
