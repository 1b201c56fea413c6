using RbmSimd.Data;
using Xunit;

namespace RbmSimd.Tests.Data;

public class BarsAndStripesTests
{
    /// <summary>A pattern is valid when every row is constant (bars) or every column is constant (stripes).</summary>
    private static bool IsBarsOrStripes(ReadOnlySpan<float> image, int n)
    {
        bool rowsConstant = true, colsConstant = true;
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                float v = image[r * n + c];
                if (v is not (0f or 1f)) return false;
                if (v != image[r * n]) rowsConstant = false;
                if (v != image[c]) colsConstant = false;
            }
        return rowsConstant || colsConstant;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Generate_AllDistinctValidPatterns(int n)
    {
        Dataset d = BarsAndStripes.Generate(n);
        int expected = (1 << (n + 1)) - 2;
        Assert.Equal(expected, d.Count);
        Assert.Equal(expected, BarsAndStripes.PatternCount(n));
        Assert.Equal(n * n, d.FeatureCount);
        Assert.Equal((n, n), (d.ImageWidth, d.ImageHeight));
        var seen = new HashSet<string>();
        for (int i = 0; i < d.Count; i++)
        {
            Assert.True(IsBarsOrStripes(d.Features.Row(i), n), $"row {i} is neither bars nor stripes");
            Assert.True(seen.Add(string.Concat(d.Features.Row(i).ToArray().Select(v => v == 1f ? '1' : '0'))), $"row {i} repeats");
        }
    }

    [Fact]
    public void Generate_3x3_ContainsEveryValidPattern()
    {
        // Brute force over all 2^9 images: exactly the valid ones must be generated.
        const int n = 3;
        var generated = new HashSet<int>();
        Dataset d = BarsAndStripes.Generate(n);
        for (int i = 0; i < d.Count; i++)
        {
            int bits = 0;
            ReadOnlySpan<float> row = d.Features.Row(i);
            for (int p = 0; p < n * n; p++) if (row[p] == 1f) bits |= 1 << p;
            generated.Add(bits);
        }
        var image = new float[n * n];
        int valid = 0;
        for (int bits = 0; bits < 1 << (n * n); bits++)
        {
            for (int p = 0; p < n * n; p++) image[p] = (bits >> p & 1) == 1 ? 1f : 0f;
            bool isValid = IsBarsOrStripes(image, n);
            if (isValid) valid++;
            Assert.Equal(isValid, generated.Contains(bits));
        }
        Assert.Equal(14, valid);
    }

    [Theory]
    [InlineData(2, 6)]
    [InlineData(3, 14)]
    [InlineData(4, 30)]
    public void OptimalLogLikelihood_IsMinusLogPatternCount(int n, int count)
    {
        Assert.Equal(-Math.Log(count), BarsAndStripes.OptimalLogLikelihood(n), 12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(17)]
    public void Generate_BadSize_Throws(int n)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BarsAndStripes.Generate(n));
        Assert.Throws<ArgumentOutOfRangeException>(() => BarsAndStripes.OptimalLogLikelihood(n));
    }
}
