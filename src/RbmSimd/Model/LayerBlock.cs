using RbmSimd.Kernels;
using RbmSimd.Numerics;

namespace RbmSimd.Model;

/// <summary>
/// One column block of a layer's product: <c>out[:, block] = f(α·(in · op(W))[:, block] + bias[block])</c>,
/// where f is σ or the identity, and the bias is optional.
/// Blocks are a fixed partition of the output columns, and every output element is computed by the
/// same arithmetic whichever block holds it, so a parallel run gives the same bits as a serial one.
/// </summary>
internal readonly unsafe struct LayerBlock : IChunkAction
{
    /// <summary>Output columns per block: a multiple of every vector width, so block edges never split a vector.</summary>
    public const int BlockCols = 128;

    private readonly float* _input;
    private readonly int _rows, _inCols, _inStride;
    private readonly float* _weights;
    private readonly int _weightCols;
    private readonly bool _transpose;
    private readonly float* _output;
    private readonly int _outCols, _outStride;
    private readonly float* _bias;
    private readonly float _alpha;
    private readonly GemmEpilogue _epilogue;

    // weights: W, nv×nh row-major (weightCols = nh). transpose false: out = in·W (visible → hidden);
    // true: out = in·Wᵀ (hidden → visible). input is rows×inCols, output rows×outCols.
    public LayerBlock(float* input, int rows, int inCols, int inStride, float* weights, int weightCols, bool transpose,
        float* output, int outCols, int outStride, float* bias, float alpha, GemmEpilogue epilogue)
    {
        _input = input;
        _rows = rows;
        _inCols = inCols;
        _inStride = inStride;
        _weights = weights;
        _weightCols = weightCols;
        _transpose = transpose;
        _output = output;
        _outCols = outCols;
        _outStride = outStride;
        _bias = bias;
        _alpha = alpha;
        _epilogue = epilogue;
    }

    public static int BlockCount(int outCols) => (outCols + BlockCols - 1) / BlockCols;

    public void Invoke(int block)
    {
        int c0 = block * BlockCols;
        int cols = Math.Min(BlockCols, _outCols - c0);
        var a = new ReadOnlyMatrixView(new ReadOnlySpan<float>(_input, MatrixShape.Extent(_rows, _inCols, _inStride)), _rows, _inCols, _inStride);
        ReadOnlyMatrixView b = _transpose
            ? new ReadOnlyMatrixView(new ReadOnlySpan<float>(_weights + (long)c0 * _weightCols, cols * _weightCols), cols, _weightCols, _weightCols)
            : new ReadOnlyMatrixView(new ReadOnlySpan<float>(_weights + c0, MatrixShape.Extent(_inCols, cols, _weightCols)), _inCols, cols, _weightCols);
        var c = new MatrixView(new Span<float>(_output + c0, MatrixShape.Extent(_rows, cols, _outStride)), _rows, cols, _outStride);
        var bias = _bias == null ? default : new ReadOnlySpan<float>(_bias + c0, cols);
        DenseRbm.Multiply(a, b, _transpose, c, bias, _alpha, _epilogue);
    }
}
