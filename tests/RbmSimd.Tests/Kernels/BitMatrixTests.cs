using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Kernels;

public class BitMatrixTests
{
    private static readonly int[] Widths = [0, 1, 7, 63, 64, 65, 127, 128, 129, 784];

    private static bool TailBitsZero(BitMatrix m)
    {
        for (int i = 0; i < m.Rows; i++)
        {
            ReadOnlySpan<ulong> row = m.Row(i);
            if (row.Length > 0 && (m.Cols & 63) != 0 && (row[^1] >> (m.Cols & 63)) != 0) return false;
        }
        return true;
    }

    [Fact]
    public void SetFromDense_RoundTripsAndKeepsTailBitsZero()
    {
        var rng = new Random(1);
        foreach (int cols in Widths)
        {
            var dense = new Matrix(3, cols);
            for (int i = 0; i < dense.AsSpan().Length; i++) dense.AsSpan()[i] = (float)rng.NextDouble();
            var bits = new BitMatrix(3, cols);
            bits.SetFromDense(dense, 0.5f);
            Assert.True(TailBitsZero(bits));
            var back = new Matrix(3, cols);
            bits.CopyTo(back);
            for (int i = 0; i < 3; i++)
            {
                int ones = 0;
                for (int j = 0; j < cols; j++)
                {
                    bool expected = dense[i, j] > 0.5f;
                    Assert.Equal(expected, bits[i, j]);
                    Assert.Equal(expected ? 1f : 0f, back[i, j]);
                    ones += expected ? 1 : 0;
                }
                Assert.Equal(ones, bits.CountOnes(i));
            }
        }
    }

    [Fact]
    public void Indexer_SetsAndClearsOneBit()
    {
        var bits = new BitMatrix(2, 70);
        bits[1, 69] = true;
        bits[1, 3] = true;
        bits[1, 3] = false;
        Assert.True(bits[1, 69]);
        Assert.False(bits[1, 3]);
        Assert.Equal(1, bits.CountOnes(1));
        Assert.Equal(0, bits.CountOnes(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => bits[0, 70] = true);
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Sample_MatchesScalarComparison(KernelIsa isa)
    {
        var rng = new Random(2);
        foreach (int n in Widths)
        {
            float[] p = new float[n], u = new float[n];
            for (int j = 0; j < n; j++)
            {
                p[j] = j % 17 == 0 ? 0f : j % 19 == 0 ? 1f : (float)rng.NextDouble();
                u[j] = (float)rng.NextDouble();
            }
            var words = new ulong[(n + 63) / 64];
            Array.Fill(words, ulong.MaxValue); // stale bits must be overwritten, tail bits cleared
            BitSampling.Sample(p, u, words, isa);
            for (int j = 0; j < n; j++)
                Assert.Equal(u[j] < p[j], (words[j >> 6] >> (j & 63) & 1) != 0);
            if ((n & 63) != 0) Assert.Equal(0UL, words[^1] >> (n & 63));
        }
    }

    [Fact]
    public void Sample_WrongLengths_Throw()
    {
        Assert.Equal("uniforms", Assert.Throws<ArgumentException>(() => BitSampling.Sample(new float[5], new float[4], new ulong[1])).ParamName);
        Assert.Equal("bits", Assert.Throws<ArgumentException>(() => BitSampling.Sample(new float[65], new float[65], new ulong[1])).ParamName);
    }

    public static TheoryData<int, int, int, double> BitShapes => new()
    {
        { 1, 1, 1, 0.5 },
        { 3, 65, 17, 0.3 },
        { 10, 784, 500, 0.13 },  // binarised images: about 13% ones
        { 7, 130, 9, 1.0 },
        { 5, 64, 33, 0.0 },
    };

    [Theory]
    [MemberData(nameof(BitShapes))]
    public void Multiply_MatchesNaiveWithinDotProductBound(int m, int k, int n, double density)
    {
        var rng = new Random(m * 1000 + k);
        (BitMatrix bits, float[] dense) = RandomBits(rng, m, k, density);
        float[] b = new float[k * n];
        for (int i = 0; i < b.Length; i++) b[i] = (float)(rng.NextDouble() * 2 - 1);
        float[] c0 = new float[m * n];
        for (int i = 0; i < c0.Length; i++) c0[i] = (float)(rng.NextDouble() * 2 - 1);

        foreach (bool accumulate in new[] { false, true })
        {
            float[] c = (float[])c0.Clone();
            BitGemm.Multiply(bits, new ReadOnlyMatrixView(b, k, n), new MatrixView(c, m, n), accumulate);
            (double[] v, double[] mag) = NaiveGemm.Multiply(dense, k, false, b, n, false, c0, n, m, n, k, 1f, accumulate ? 1f : 0f);
            for (int i = 0; i < m * n; i++)
                Assert.True(Math.Abs(c[i] - v[i]) <= 2.0 * (k + 4) * Math.ScaleB(1, -24) * mag[i], $"element {i}: {c[i]} vs {v[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(BitShapes))]
    public void MultiplyTransposedAdd_MatchesNaiveWithinDotProductBound(int m, int k, int n, double density)
    {
        var rng = new Random(m * 7 + k);
        (BitMatrix bits, float[] dense) = RandomBits(rng, m, k, density);
        float[] p = new float[m * n];
        for (int i = 0; i < p.Length; i++) p[i] = (float)rng.NextDouble();
        float[] c0 = new float[k * n];
        for (int i = 0; i < c0.Length; i++) c0[i] = (float)(rng.NextDouble() * 2 - 1);
        float[] c = (float[])c0.Clone();
        BitGemm.MultiplyTransposedAdd(bits, new ReadOnlyMatrixView(p, m, n), new MatrixView(c, k, n));
        (double[] v, double[] mag) = NaiveGemm.Multiply(dense, k, true, p, n, false, c0, n, k, n, m, 1f, 1f);
        for (int i = 0; i < k * n; i++)
            Assert.True(Math.Abs(c[i] - v[i]) <= 2.0 * (m + 4) * Math.ScaleB(1, -24) * mag[i], $"element {i}: {c[i]} vs {v[i]}");
    }

    [Fact]
    public void Multiply_WrongShapes_Throw()
    {
        var bits = new BitMatrix(2, 3);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => BitGemm.Multiply(bits, new Matrix(4, 5), new Matrix(2, 5))).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => BitGemm.Multiply(bits, new Matrix(3, 5), new Matrix(2, 4))).ParamName);
    }

    private static (BitMatrix Bits, float[] Dense) RandomBits(Random rng, int rows, int cols, double density)
    {
        var bits = new BitMatrix(rows, cols);
        var dense = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                if (rng.NextDouble() < density)
                {
                    bits[i, j] = true;
                    dense[i * cols + j] = 1f;
                }
        return (bits, dense);
    }
}
