using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Kernels;

public class SparseBinaryGemmTests
{
    private static Matrix Binary(int rows, int cols, double density, int seed)
    {
        var random = new Random(seed);
        var m = new Matrix(rows, cols);
        Span<float> s = m.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = random.NextDouble() < density ? 1f : 0f;
        return m;
    }

    [Theory]
    [InlineData(1, 1, 0.0)]
    [InlineData(7, 33, 0.1)]
    [InlineData(100, 784, 0.05)]
    [InlineData(13, 129, 0.15)]
    public void SparseBinary_UsesRowAdds_AndMatchesReference(int m, int k, double density)
    {
        Matrix a = Binary(m, k, density, 1);
        var random = new Random(2);
        var b = new Matrix(k, 37);
        Span<float> bs = b.AsSpan();
        for (int i = 0; i < bs.Length; i++) bs[i] = (float)(random.NextDouble() * 2 - 1);
        float[] bias = Enumerable.Range(0, 37).Select(j => j * 0.01f).ToArray();
        var c = new Matrix(m, 37);
        c.AsSpan().Fill(float.NaN); // never read
        Assert.True(SparseBinaryGemm.TryMultiply(a, b, c, GemmEpilogue.AddBias, bias));
        for (int i = 0; i < m; i++)
            for (int j = 0; j < 37; j++)
            {
                double expected = bias[j], terms = Math.Abs(bias[j]);
                for (int p = 0; p < k; p++) { expected += a[i, p] * b[p, j]; terms += Math.Abs(a[i, p] * b[p, j]); }
                Assert.True(Tolerance.Close(expected, c[i, j], Tolerance.DotBound(k + 1, terms)), $"({i},{j}): {expected} vs {c[i, j]}");
            }
    }

    [Fact]
    public void DenseOrNonBinary_IsDeclined_AndCIsUntouched()
    {
        var b = new Matrix(50, 4);
        var c = new Matrix(3, 4);
        c.AsSpan().Fill(7f);
        Assert.False(SparseBinaryGemm.TryMultiply(Binary(3, 50, 0.6, 3), b, c, GemmEpilogue.None, default));
        Matrix halves = Binary(3, 50, 0.05, 4);
        halves[1, 7] = 0.5f;
        Assert.False(SparseBinaryGemm.TryMultiply(halves, b, c, GemmEpilogue.None, default));
        Assert.All(c.AsSpan().ToArray(), x => Assert.Equal(7f, x));
    }

    [Fact]
    public void Sigmoid_Epilogue_MatchesReference()
    {
        Matrix a = Binary(4, 20, 0.1, 5);
        var b = new Matrix(20, 3);
        b.AsSpan().Fill(0.5f);
        var c = new Matrix(4, 3);
        Assert.True(SparseBinaryGemm.TryMultiply(a, b, c, GemmEpilogue.AddBiasSigmoid, [0f, 1f, -1f]));
        for (int i = 0; i < 4; i++)
        {
            double ones = Enumerable.Range(0, 20).Sum(p => a[i, p]);
            Assert.Equal(NaiveRbm.Sigmoid(0.5 * ones + 1), c[i, 1], 1e-6);
        }
    }
}
