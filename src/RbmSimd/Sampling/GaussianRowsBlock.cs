using RbmSimd.Kernels;
using RbmSimd.Numerics;

namespace RbmSimd.Sampling;

/// <summary>
/// Draws a block of rows of a matrix of means in place: element (r, c) becomes <c>mean(r, c) + scale[c]·z</c>,
/// with <c>z</c> the standard deviate at stream position <c>start + r·cols + c</c>, so the draws are the same
/// whichever thread runs the block and however the rows are split into blocks.
/// </summary>
/// <remarks>
/// The Gaussian counterpart of <see cref="SampleRowsBlock"/>: a Gaussian-Bernoulli model computes the visible
/// means <c>a + σ·(W h)</c> into the batch and then adds <c>σ·z</c> per column. The caller advances its stream by <c>rows·cols</c> after the whole matrix.
/// </remarks>
internal readonly unsafe struct GaussianRowsBlock : IChunkAction
{
    public const int BlockRows = 8;

    private readonly float* _data;
    private readonly float* _scale;
    private readonly int _rows, _cols, _stride;
    private readonly RandomStream _random;
    private readonly ulong _start;
    private readonly KernelIsa _isa;

    /// <param name="data">Row-major means, <paramref name="rows"/> × <paramref name="cols"/>, rows <paramref name="stride"/> apart; overwritten with the draws.</param>
    /// <param name="scale">Per-column standard deviations (<paramref name="cols"/> floats).</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="cols">Number of columns.</param>
    /// <param name="stride">Distance in floats between row starts.</param>
    /// <param name="random">The stream; row r starts at <c>random.Position + r·cols</c>.</param>
    /// <param name="isa">The tier (the callers pass <see cref="KernelSelection.Active"/>).</param>
    public GaussianRowsBlock(float* data, float* scale, int rows, int cols, int stride, RandomStream random, KernelIsa isa)
    {
        _data = data;
        _scale = scale;
        _rows = rows;
        _cols = cols;
        _stride = stride;
        _random = random;
        _start = random.Position;
        _isa = isa;
    }

    public static int BlockCount(int rows) => (rows + BlockRows - 1) / BlockRows;

    public void Invoke(int block)
    {
        int r0 = block * BlockRows, r1 = Math.Min(_rows, r0 + BlockRows);
        RandomStream random = _random;
        for (int r = r0; r < r1; r++)
        {
            random.Position = _start + (ulong)r * (ulong)_cols;
            var row = new Span<float>(_data + (long)r * _stride, _cols);
            Gaussian.Sample(row, new ReadOnlySpan<float>(_scale, _cols), row, ref random, _isa);
        }
    }
}
