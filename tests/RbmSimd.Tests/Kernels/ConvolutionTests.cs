using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Kernels;

/// <summary>
/// The three convolution products against the double-precision loops of <see cref="NaiveConvolution"/>, on random shapes
/// (filters of every size including those that are not multiples of a vector width, whole-image filters, 1-pixel borders,
/// single maps and channels), and their structure: single image and batch agree bit for bit, any thread count gives the same
/// bits, and the full convolution is the correlation's adjoint.
/// </summary>
public class ConvolutionTests
{
    /// <summary>A float sum of n products with the given sum of magnitudes (the GEMM's accumulation error bound).</summary>
    private static double Bound(int n, double magnitudes) => Tolerance.DotBound(n + 2, magnitudes);

    [Property(MaxTest = 80)]
    public Property CorrelateValid_MatchesReference() => Prop.ForAll(ConvolutionArbitraries.Cases(), c =>
    {
        ConvolutionShape s = c.Shape;
        Matrix x = c.Values(s.ImageLength, 1);
        float[] w = c.Vector(s.FiltersLength, 2), bias = c.Vector(s.Filters, 3);
        float alpha = 0.75f;
        var y = new Matrix(c.Rows, s.MapsLength);
        Convolution.CorrelateValid(s, x, w, bias, y, alpha);
        double[] wd = ConvolutionCase.Row(w), bd = ConvolutionCase.Row(bias);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] xr = ConvolutionCase.Row(x.Row(r));
            double[] expected = NaiveConvolution.Correlate(s.Channels, s.Height, s.Width, s.Filters, s.FilterSize, xr, wd, bd, alpha);
            double[] magnitude = NaiveConvolution.Correlate(s.Channels, s.Height, s.Width, s.Filters, s.FilterSize,
                xr.Select(Math.Abs).ToArray(), wd.Select(Math.Abs).ToArray(), null, 1);
            for (int i = 0; i < expected.Length; i++)
                if (!Tolerance.Close(expected[i], y[r, i], Bound(s.PatchLength, alpha * magnitude[i] + Math.Abs(bd[i / s.OutputPositions]))))
                    return false.Label($"row {r} map value {i}: {expected[i]} vs {y[r, i]}");
        }
        return true.ToProperty().Classify(s.FilterSize % 8 != 0, "filter not a multiple of 8").Classify(s.Filters == 1, "single map");
    });

    [Property(MaxTest = 80)]
    public Property ConvolveFull_MatchesReference() => Prop.ForAll(ConvolutionArbitraries.Cases(), c =>
    {
        ConvolutionShape s = c.Shape;
        Matrix y = c.Values(s.MapsLength, 1);
        float[] w = c.Vector(s.FiltersLength, 2);
        var x = new Matrix(c.Rows, s.ImageLength);
        Convolution.ConvolveFull(s, y, w, x, 1.5f);
        double[] wd = ConvolutionCase.Row(w);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] yr = ConvolutionCase.Row(y.Row(r));
            double[] expected = NaiveConvolution.Convolve(s.Channels, s.Height, s.Width, s.Filters, s.FilterSize, yr, wd, 1.5);
            double[] magnitude = NaiveConvolution.Convolve(s.Channels, s.Height, s.Width, s.Filters, s.FilterSize,
                yr.Select(Math.Abs).ToArray(), wd.Select(Math.Abs).ToArray(), 1.5);
            for (int i = 0; i < expected.Length; i++)
                if (!Tolerance.Close(expected[i], x[r, i], Bound(s.Filters * s.FilterSize * s.FilterSize, magnitude[i])))
                    return false.Label($"row {r} image value {i}: {expected[i]} vs {x[r, i]}");
        }
        return true.ToProperty();
    });

    [Property(MaxTest = 60)]
    public Property FilterGradient_MatchesReference() => Prop.ForAll(ConvolutionArbitraries.Cases(maxRows: 20), c =>
    {
        ConvolutionShape s = c.Shape;
        Matrix x = c.Values(s.ImageLength, 1), y = c.Values(s.MapsLength, 2);
        var g = new float[s.FiltersLength];
        g.AsSpan().Fill(float.NaN); // overwritten, never read
        Convolution.FilterGradient(s, x, y, g);
        double[][] xs = Enumerable.Range(0, c.Rows).Select(r => ConvolutionCase.Row(x.Row(r))).ToArray();
        double[][] ys = Enumerable.Range(0, c.Rows).Select(r => ConvolutionCase.Row(y.Row(r))).ToArray();
        double[] expected = NaiveConvolution.FilterGradient(s.Channels, s.Height, s.Width, s.Filters, s.FilterSize, xs, ys);
        double[] magnitude = NaiveConvolution.FilterGradient(s.Channels, s.Height, s.Width, s.Filters, s.FilterSize,
            xs.Select(v => v.Select(Math.Abs).ToArray()).ToArray(), ys.Select(v => v.Select(Math.Abs).ToArray()).ToArray());
        for (int i = 0; i < expected.Length; i++)
            if (!Tolerance.Close(expected[i], g[i], Bound(c.Rows * s.OutputPositions, magnitude[i])))
                return false.Label($"gradient {i}: {expected[i]} vs {g[i]}");
        return true.ToProperty().Classify(c.Rows > Convolution.GradientChunkRows, "several chunks");
    });

    [Property(MaxTest = 40)]
    public Property WeightedFilterGradient_IsTheSumOfEachRowsGradientTimesItsWeight() => Prop.ForAll(ConvolutionArbitraries.Cases(maxRows: 20), c =>
    {
        ConvolutionShape s = c.Shape;
        Matrix x = c.Values(s.ImageLength, 1), y = c.Values(s.MapsLength, 2);
        float[] weights = c.Vector(c.Rows, 3);
        var g = new float[s.FiltersLength];
        Convolution.FilterGradient(s, x, y, weights, g, maxDegreeOfParallelism: 2);
        var expected = new double[s.FiltersLength];
        var magnitude = new double[s.FiltersLength];
        for (int r = 0; r < c.Rows; r++)
        {
            double[] xs = ConvolutionCase.Row(x.Row(r)), ys = ConvolutionCase.Row(y.Row(r));
            double[] one = NaiveConvolution.FilterGradient(s.Channels, s.Height, s.Width, s.Filters, s.FilterSize, [xs], [ys]);
            double[] abs = NaiveConvolution.FilterGradient(s.Channels, s.Height, s.Width, s.Filters, s.FilterSize,
                [xs.Select(Math.Abs).ToArray()], [ys.Select(Math.Abs).ToArray()]);
            for (int i = 0; i < one.Length; i++)
            {
                expected[i] += weights[r] * one[i];
                magnitude[i] += Math.Abs(weights[r]) * abs[i];
            }
        }
        for (int i = 0; i < expected.Length; i++)
            if (!Tolerance.Close(expected[i], g[i], Bound(c.Rows * s.OutputPositions + 1, magnitude[i])))
                return false.Label($"gradient {i}: {expected[i]} vs {g[i]}");
        return true.ToProperty();
    });

    [Property(MaxTest = 40)]
    public Property FullConvolution_IsTheAdjointOfTheCorrelation() => Prop.ForAll(ConvolutionArbitraries.Cases(maxRows: 1), c =>
    {
        // ⟨corr(x), y⟩ = ⟨x, conv(y)⟩ for any x, y: checks the flipped-filter indexing without any reference code.
        ConvolutionShape s = c.Shape;
        float[] x = c.Vector(s.ImageLength, 1), y = c.Vector(s.MapsLength, 2), w = c.Vector(s.FiltersLength, 3);
        var cx = new float[s.MapsLength];
        var cy = new float[s.ImageLength];
        Convolution.CorrelateValid(s, x, w, default, cx);
        Convolution.ConvolveFull(s, y, w, cy);
        double left = 0, right = 0, magnitude = 0;
        for (int i = 0; i < cx.Length; i++) left += (double)cx[i] * y[i];
        for (int i = 0; i < cy.Length; i++) right += (double)cy[i] * x[i];
        for (int i = 0; i < cx.Length; i++) magnitude += s.PatchLength * Math.Abs(y[i]);
        return Tolerance.Close(left, right, 4 * Bound(s.PatchLength, magnitude)).Label($"{left} vs {right}");
    });

    [Fact]
    public void SingleImage_AndBatch_GiveTheSameBits_ForAnyThreadCount()
    {
        var c = new ConvolutionCase(2, 13, 11, 5, 4, 19, 7);
        ConvolutionShape s = c.Shape;
        Matrix x = c.Values(s.ImageLength, 1), y = c.Values(s.MapsLength, 2);
        float[] w = c.Vector(s.FiltersLength, 3), bias = c.Vector(s.Filters, 4);
        var single = new float[s.MapsLength];
        var singleBack = new float[s.ImageLength];
        var singleGradient = new float[s.FiltersLength];
        for (int r = 0; r < c.Rows; r++)
        {
            Convolution.CorrelateValid(s, x.Row(r), w, bias, single, 0.5f);
            Convolution.ConvolveFull(s, y.Row(r), w, singleBack, 0.5f);
            var batchMaps = new Matrix(c.Rows, s.MapsLength);
            var batchBack = new Matrix(c.Rows, s.ImageLength);
            Convolution.CorrelateValid(s, x, w, bias, batchMaps, 0.5f, maxDegreeOfParallelism: 2);
            Convolution.ConvolveFull(s, y, w, batchBack, 0.5f, maxDegreeOfParallelism: 3);
            Assert.Equal(single, batchMaps.Row(r).ToArray());
            Assert.Equal(singleBack, batchBack.Row(r).ToArray());
        }
        // The batch gradient sums fixed chunks in order: any thread count, the same bits; and chunk 0 alone is the
        // single-image accumulation in row order.
        float[]? first = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var g = new float[s.FiltersLength];
            Convolution.FilterGradient(s, x, y, g, threads);
            first ??= g;
            Assert.Equal(first, g);
        }
        var chunk = new float[s.FiltersLength];
        Convolution.FilterGradient(s, x.AsReadOnlyView().SliceRows(0, Convolution.GradientChunkRows), y.AsReadOnlyView().SliceRows(0, Convolution.GradientChunkRows), chunk);
        for (int r = 0; r < Convolution.GradientChunkRows; r++) Convolution.AccumulateFilterGradient(s, x.Row(r), y.Row(r), singleGradient);
        Assert.Equal(chunk, singleGradient);
    }

    [Fact]
    public void BadArguments_AreArgumentExceptions()
    {
        var s = new ConvolutionShape(1, 5, 5, 2, 3);
        var image = new float[25];
        var maps = new float[18];
        var filters = new float[18];
        Assert.Throws<ArgumentException>(() => Convolution.CorrelateValid(s, new float[24], filters, default, maps));
        Assert.Throws<ArgumentException>(() => Convolution.CorrelateValid(s, image, new float[17], default, maps));
        Assert.Throws<ArgumentException>(() => Convolution.CorrelateValid(s, image, filters, new float[3], maps));
        Assert.Throws<ArgumentException>(() => Convolution.ConvolveFull(s, maps, filters, new float[26]));
        Assert.Throws<ArgumentException>(() => Convolution.AccumulateFilterGradient(s, image, maps, new float[19]));
        Assert.Throws<ArgumentException>(() => Convolution.CorrelateValid(s, image, filters, default, image.AsSpan(0, 18)));
        Assert.Throws<ArgumentException>(() => Convolution.FilterGradient(s, new Matrix(2, 25), new Matrix(3, 18), new float[18]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Convolution.CorrelateValid(s, new Matrix(1, 25), filters, default, new Matrix(1, 18), 1f, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionShape(1, 4, 5, 2, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionShape(0, 4, 5, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConvolutionShape(1, 100_000, 100_000, 1, 1));
    }
}
