using RbmSimd.Numerics;

namespace RbmSimd.Sampling;

/// <summary>
/// Samples a block of rows of a probability matrix in place. Row r draws from positions
/// <c>start + r·cols …</c> of the stream, so the draws are the same whichever thread runs the block.
/// </summary>
internal readonly unsafe struct SampleRowsBlock : IChunkAction
{
    public const int BlockRows = 8;

    private readonly float* _data;
    private readonly int _rows, _cols, _stride;
    private readonly RandomStream _random;
    private readonly ulong _start;

    public SampleRowsBlock(float* data, int rows, int cols, int stride, RandomStream random)
    {
        _data = data;
        _rows = rows;
        _cols = cols;
        _stride = stride;
        _random = random;
        _start = random.Position;
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
            Bernoulli.Sample(row, row, ref random);
        }
    }
}
