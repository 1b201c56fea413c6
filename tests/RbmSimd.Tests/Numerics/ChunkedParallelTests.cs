using RbmSimd.Numerics;
using Xunit;

namespace RbmSimd.Tests.Numerics;

public class ChunkedParallelTests
{
    private readonly unsafe struct CountChunks(int* counts) : IChunkAction
    {
        public void Invoke(int chunk) => Interlocked.Increment(ref counts[chunk]);
    }

    private readonly struct Throws : IChunkAction
    {
        public void Invoke(int chunk)
        {
            if (chunk == 3) throw new InvalidOperationException("chunk 3");
        }
    }

    private readonly unsafe struct Nested(int* counts) : IChunkAction
    {
        public void Invoke(int chunk) => ChunkedParallel.For(4, 2, new CountChunks(counts + 4 * chunk));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(100, 2)]
    [InlineData(100, 16)]
    public unsafe void EveryChunkRunsExactlyOnce(int chunks, int threads)
    {
        var counts = new int[chunks];
        for (int repeat = 0; repeat < 50; repeat++)
        {
            fixed (int* p = counts) ChunkedParallel.For(chunks, threads, new CountChunks(p));
        }
        Assert.All(counts, c => Assert.Equal(50, c));
    }

    [Fact]
    public void ExceptionInABody_ReachesTheCaller_AndThePoolKeepsWorking()
    {
        var ex = Assert.ThrowsAny<Exception>(() => ChunkedParallel.For(10, 2, new Throws()));
        Assert.Contains("chunk 3", ex.ToString());
        EveryChunkRunsExactlyOnce(20, 2);
    }

    [Fact]
    public unsafe void NestedParallelWork_RunsInline()
    {
        var counts = new int[16];
        fixed (int* p = counts) ChunkedParallel.For(4, 2, new Nested(p));
        Assert.All(counts, c => Assert.Equal(1, c));
    }
}
