using RbmSimd.Kernels;
using RbmSimd.Numerics;

namespace RbmSimd.Model;

/// <summary>
/// One block of rows of the weight gradient, <c>∇W[i₀:i₁, :] = Visible[:, i₀:i₁]ᵀ · Hidden</c>. Blocks
/// are a fixed partition of the visible units and each element is computed by the same arithmetic in
/// any block, so parallel and serial runs give the same bits.
/// </summary>
internal readonly unsafe struct GradientBlock : IChunkAction
{
    public const int BlockRows = 132;

    private readonly float* _visible, _hidden, _gradient;
    private readonly int _rows, _nv, _nh, _visibleStride, _hiddenStride;

    public GradientBlock(float* visible, int visibleStride, float* hidden, int hiddenStride, int rows, int nv, int nh, float* gradient)
    {
        _visible = visible;
        _visibleStride = visibleStride;
        _hidden = hidden;
        _hiddenStride = hiddenStride;
        _rows = rows;
        _nv = nv;
        _nh = nh;
        _gradient = gradient;
    }

    public static int BlockCount(int nv) => (nv + BlockRows - 1) / BlockRows;

    public void Invoke(int block)
    {
        int i0 = block * BlockRows, count = Math.Min(BlockRows, _nv - i0);
        var a = new ReadOnlyMatrixView(new ReadOnlySpan<float>(_visible + i0, MatrixShape.Extent(_rows, count, _visibleStride)), _rows, count, _visibleStride);
        var b = new ReadOnlyMatrixView(new ReadOnlySpan<float>(_hidden, MatrixShape.Extent(_rows, _nh, _hiddenStride)), _rows, _nh, _hiddenStride);
        var c = new MatrixView(new Span<float>(_gradient + (long)i0 * _nh, count * _nh), count, _nh);
        Gemm.Multiply(a, MatrixOp.Transpose, b, MatrixOp.None, c);
    }
}
