using RbmSimd.Data;
using Xunit;

namespace RbmSimd.Tests.Data;

public class DigitsTests
{
    [Fact]
    public void Load_HasShapeLabelsAndRange()
    {
        Dataset d = Digits.Load();
        Assert.Equal(1797, d.Count);
        Assert.Equal(64, d.FeatureCount);
        Assert.Equal((8, 8), (d.ImageWidth, d.ImageHeight));
        Assert.True(d.HasLabels);
        Assert.Equal(1797, d.Labels.Length);
        Assert.All(d.Labels.ToArray(), l => Assert.InRange(l, 0, 9));
        // Every class appears (the set has roughly 180 of each).
        Assert.Equal(10, d.Labels.ToArray().Distinct().Count());
        float[] values = d.Features.AsSpan().ToArray();
        Assert.All(values, v => Assert.InRange(v, 0f, 1f));
        // Pixels are counts 0..16 divided by 16, so every value is a multiple of 1/16 and both ends occur.
        Assert.All(values, v => Assert.Equal(Math.Round(v * 16), v * 16));
        Assert.Contains(0f, values);
        Assert.Contains(1f, values);
    }

    [Fact]
    public void Load_FirstImageIsTheKnownZero()
    {
        // The first row of scikit-learn's load_digits: a 0 whose top row is 0 0 5 13 9 1 0 0.
        Dataset d = Digits.Load();
        Assert.Equal(0, d.Labels[0]);
        Assert.Equal(new[] { 0f, 0, 5, 13, 9, 1, 0, 0 }.Select(p => p / 16f), d.Features.Row(0)[..8].ToArray());
    }

    [Fact]
    public void Load_Binarized_IsZeroOneAtThreshold()
    {
        Dataset raw = Digits.Load();
        Dataset bin = Digits.Load(binarize: true, threshold: 0.5f);
        ReadOnlySpan<float> r = raw.Features.AsSpan();
        ReadOnlySpan<float> b = bin.Features.AsSpan();
        for (int i = 0; i < r.Length; i++) Assert.Equal(r[i] > 0.5f ? 1f : 0f, b[i]);
        Assert.Equal(raw.Labels.ToArray(), bin.Labels.ToArray());
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void Load_BadThreshold_Throws(float threshold)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Digits.Load(binarize: true, threshold));
    }
}
