using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using Xunit;

namespace RbmSimd.Tests.Sampling;

public class GaussianRowsBlockTests
{
    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(7, 5, 3)]
    [InlineData(8, 16, 0)]
    [InlineData(9, 33, 1)]
    [InlineData(50, 63, 4)]
    public unsafe void RowBlocks_AnyThreadCount_EqualPerRowDrawsAtRowPositions(int rows, int cols, int pad)
    {
        int stride = cols + pad;
        var rng = new Random(rows * 100 + cols);
        float[] means = Enumerable.Range(0, rows * stride).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        float[] scale = Enumerable.Range(0, cols).Select(_ => (float)(rng.NextDouble() + 0.1)).ToArray();
        RandomStream random = new RandomStream(42).Derive(3);
        random.Position = 1000;

        // Expected: row r drawn on its own from position 1000 + r·cols; the padding is left alone.
        float[] expected = (float[])means.Clone();
        for (int r = 0; r < rows; r++)
        {
            var rowStream = random;
            rowStream.Position = 1000 + (ulong)(r * cols);
            Span<float> row = expected.AsSpan(r * stride, cols);
            Gaussian.Sample(row, scale, row, ref rowStream);
        }

        foreach (int threads in new[] { 1, 2, 3 })
        {
            float[] data = (float[])means.Clone();
            fixed (float* d = data, s = scale)
            {
                var block = new GaussianRowsBlock(d, s, rows, cols, stride, random, KernelSelection.Active);
                ChunkedParallel.For(GaussianRowsBlock.BlockCount(rows), threads, block);
            }
            Assert.Equal(expected, data);
        }
    }
}
