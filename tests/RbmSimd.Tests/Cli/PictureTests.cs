using RbmSimd.Cli.Pictures;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

public class PictureTests
{
    private static PngPixels Encode(GrayImage image)
    {
        using var stream = new MemoryStream();
        image.EncodePng(stream);
        return PngPixels.Decode(stream.ToArray());
    }

    /// <summary>A 4×4-pixel model whose filter j is a single weight 1 at pixel <c>3j mod 16</c>, all other weights 0.</summary>
    private static BernoulliRbm OneHotModel(int hidden, out int[] pixelOf)
    {
        const int nv = 16;
        var w = new float[nv * hidden];
        pixelOf = new int[hidden];
        for (int j = 0; j < hidden; j++)
        {
            pixelOf[j] = 3 * j % nv;
            w[pixelOf[j] * hidden + j] = 1f;
        }
        return new BernoulliRbm(nv, hidden, w, new float[nv], new float[hidden]);
    }

    private static bool InAnyTile(TileGrid grid, int x, int y, int top = 0)
    {
        for (int t = 0; t < grid.Count; t++)
        {
            (int x0, int y0) = grid.TileOrigin(t);
            y0 += top;
            if (x >= x0 && x < x0 + grid.TileWidth && y >= y0 && y < y0 + grid.TileHeight) return true;
        }
        return false;
    }

    [Fact]
    public void FilterImage_OneHotFilters_LightUpTheRightPixelOfTheRightTile()
    {
        BernoulliRbm model = OneHotModel(hidden: 5, out int[] pixelOf);
        var shape = new ImageShape(4, 4);
        PngPixels png = Encode(FilterImage.Render(model, shape));

        // 5 tiles → 3 columns × 2 rows; 4×4 rasters are scaled ×8 to 32 px; 2 px gaps around and between.
        var grid = new TileGrid(5, shape);
        Assert.Equal((3, 2, 8), (grid.Columns, grid.Rows, grid.Scale));
        Assert.Equal(2 + 3 * (32 + 2), png.Width);
        Assert.Equal(2 + 2 * (32 + 2), png.Height);
        for (int j = 0; j < 5; j++)
        {
            (int x0, int y0) = grid.TileOrigin(j);
            byte[] tile = png.Region(x0, y0, 32, 32);
            for (int y = 0; y < 32; y++)
                for (int x = 0; x < 32; x++)
                {
                    bool hot = y / 8 * 4 + x / 8 == pixelOf[j];
                    Assert.True(tile[y * 32 + x] == (hot ? 255 : 0), $"filter {j}, tile pixel ({x}, {y}) is {tile[y * 32 + x]}");
                }
        }
        // Everything outside the five tiles (gaps and the empty sixth cell) is the gap colour.
        for (int y = 0; y < png.Height; y++)
            for (int x = 0; x < png.Width; x++)
                if (!InAnyTile(grid, x, y)) Assert.Equal(FilterImage.GapLevel, png.Gray(x, y));
    }

    [Fact]
    public void FilterImage_RandomModel_EveryTileHasContrastAndGapsAreConstant()
    {
        BernoulliRbm model = BernoulliRbm.CreateRandom(64, 20, seed: 7, weightStdDev: 0.1f);
        var shape = ImageShape.Resolve(64);
        PngPixels png = Encode(FilterImage.Render(model, shape));
        var grid = new TileGrid(20, shape);
        Assert.Equal((grid.Width, grid.Height), (png.Width, png.Height));
        Assert.True(grid.TileWidth >= 32, "8×8 filters are scaled to at least 32 px");
        for (int j = 0; j < 20; j++)
        {
            (int x0, int y0) = grid.TileOrigin(j);
            byte[] tile = png.Region(x0, y0, grid.TileWidth, grid.TileHeight);
            double mean = tile.Average(b => (double)b);
            double variance = tile.Average(b => (b - mean) * (b - mean));
            Assert.True(variance > 100, $"tile {j} is nearly blank (variance {variance})");
            // Per-filter normalisation stretches every filter to the full range.
            Assert.Equal(0, tile.Min());
            Assert.Equal(255, tile.Max());
        }
        for (int y = 0; y < png.Height; y++)
            for (int x = 0; x < png.Width; x++)
                if (!InAnyTile(grid, x, y)) Assert.Equal(FilterImage.GapLevel, png.Gray(x, y));
    }

    [Fact]
    public void FilterImage_ConstantFilter_IsMidGrey()
    {
        var model = new BernoulliRbm(4, 1, [0.5f, 0.5f, 0.5f, 0.5f], new float[4], new float[1]);
        PngPixels png = Encode(FilterImage.Render(model, ImageShape.Resolve(4)));
        (int x0, int y0) = new TileGrid(1, new ImageShape(2, 2)).TileOrigin(0);
        Assert.All(png.Region(x0, y0, 32, 32), b => Assert.Equal(FilterImage.ConstantLevel, b));
    }

    [Theory]
    [InlineData(64, null, null, 8, 8)]
    [InlineData(784, null, null, 28, 28)]
    [InlineData(60, 10, null, 10, 6)]
    [InlineData(60, null, 3, 20, 3)]
    [InlineData(60, 12, 5, 12, 5)]
    public void ImageShape_Resolve_FindsTheShape(int nv, int? width, int? height, int w, int h) =>
        Assert.Equal(new ImageShape(w, h), ImageShape.Resolve(nv, width, height));

    [Theory]
    [InlineData(60, null, null, "--image-width")]
    [InlineData(60, 7, 9, "does not cover")]
    [InlineData(60, 7, null, "does not cover")]
    public void ImageShape_Resolve_NoFit_SaysWhatToPass(int nv, int? width, int? height, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => ImageShape.Resolve(nv, width, height));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ImageShape_ResolveOrPad_PadsNonImages() =>
        Assert.Equal(new ImageShape(4, 3), ImageShape.ResolveOrPad(10, 0, 0));

    [Fact]
    public void SampleGridImage_ExamplesAboveSamples_WithSeparatorBand()
    {
        var shape = new ImageShape(4, 4);
        var samples = new Matrix(3, 16);
        samples.AsSpan().Fill(1f);                       // samples all white
        var examples = new Matrix(3, 16);
        examples.Row(1)[5] = 1f;                          // example 1 has one white pixel
        PngPixels png = Encode(SampleGridImage.Render(samples, shape, examples));

        var grid = new TileGrid(3, shape, columns: 2);
        int band = png.Height - 2 * grid.Height;
        Assert.True(band >= 4, $"band {band}");
        Assert.Equal(grid.Width, png.Width);
        for (int x = 0; x < png.Width; x++) Assert.Equal(SampleGridImage.SeparatorLevel, png.Gray(x, grid.Height + band / 2));

        (int ex, int ey) = grid.TileOrigin(1);
        byte[] example = png.Region(ex, ey, grid.TileWidth, grid.TileHeight);
        Assert.Equal(grid.Scale * grid.Scale * 255, example.Sum(b => b));
        Assert.Equal(255, png.Gray(ex + 1 * grid.Scale, ey + 1 * grid.Scale));   // pixel 5 = (1, 1)
        (int sx, int sy) = grid.TileOrigin(1);
        Assert.All(png.Region(sx, sy + grid.Height + band, grid.TileWidth, grid.TileHeight), b => Assert.Equal(255, b));
    }

    [Fact]
    public void SampleGridImage_Captions_AddAStripAboveEachBlock_WithInk()
    {
        var shape = new ImageShape(4, 4);
        var samples = new Matrix(4, 16);
        var examples = new Matrix(4, 16);
        PngPixels plain = Encode(SampleGridImage.Render(samples, shape, examples));
        PngPixels captioned = Encode(SampleGridImage.Render(samples, shape, examples, sampleCaption: "model samples", exampleCaption: "data"));
        Assert.Equal(plain.Width, captioned.Width);
        Assert.Equal(plain.Height + 2 * Caption.Height, captioned.Height);
        // The first strip holds dark text on white (when the machine has a font at all).
        byte[] strip = captioned.Region(0, 0, captioned.Width, Caption.Height);
        if (SkiaSharp.SKTypeface.Default.GlyphCount > 0) Assert.Contains(strip, b => b < 100);
        Assert.Contains(strip, b => b == SampleGridImage.CaptionLevel);
    }

    private const string SmallMetrics =
        "epoch,seconds,reconstruction_error,free_energy_train,free_energy_held_out,free_energy_gap,log_z,log_likelihood_train,log_likelihood_held_out\n" +
        "1,0.1,0.09,-10.5,-10.2,0.3,12.5,-6.1,-6.4\n" +
        "2,0.1,0.07,-11.5,-11.0,0.5,13.5,-5.6,-6.0\n" +
        "3,0.1,0.06,-12.0,-11.3,0.7,,,\n";

    [Fact]
    public void MetricsTable_EmptyCells_AreNull()
    {
        IReadOnlyList<MetricsRow> rows = MetricsTable.Parse(new StringReader(SmallMetrics), "m.csv");
        Assert.Equal(3, rows.Count);
        Assert.Equal(new MetricsRow(2, 0.07, -11.5, -11.0, -5.6, -6.0), rows[1]);
        Assert.Null(rows[2].LogLikelihoodTrain);
    }

    [Fact]
    public void MetricsTable_BadCell_NamesFileLineAndColumn()
    {
        var e = Assert.Throws<InvalidDataException>(() => MetricsTable.Parse(new StringReader("epoch,reconstruction_error\n1,0.5\n2,abc\n"), "m.csv"));
        Assert.Contains("m.csv: line 3, column 'reconstruction_error'", e.Message);
    }

    [Fact]
    public void CurvesImage_SmallMetrics_HasThreePlotsWithColouredCurves()
    {
        IReadOnlyList<MetricsRow> rows = MetricsTable.Parse(new StringReader(SmallMetrics), "m.csv");
        using var stream = new MemoryStream();
        CurvesImage.EncodePng(rows, stream);
        PngPixels png = PngPixels.Decode(stream.ToArray());
        Assert.Equal(CurvesImage.Width, png.Width);
        Assert.Equal(3 * CurvesImage.PlotHeight, png.Height);
        int nonWhite = png.All.Count(c => c.Red < 250 || c.Green < 250 || c.Blue < 250);
        Assert.True(nonWhite > png.Width * png.Height / 100, $"only {nonWhite} non-white pixels");
        // The training curve's blue and the held-out orange are both drawn.
        Assert.Contains(png.All, c => c.Blue > 150 && c.Red < 80);
        Assert.Contains(png.All, c => c.Red > 220 && c.Green is > 100 and < 160 && c.Blue < 60);
    }

    [Fact]
    public void CurvesImage_NoLogLikelihood_HasTwoPlots_AndEmptyMetricsStillDraw()
    {
        string csv = "epoch,reconstruction_error,free_energy_train,free_energy_held_out\n1,0.1,-3,\n2,0.08,-4,\n";
        using var stream = new MemoryStream();
        CurvesImage.EncodePng(MetricsTable.Parse(new StringReader(csv), "m.csv"), stream);
        Assert.Equal(2 * CurvesImage.PlotHeight, PngPixels.Decode(stream.ToArray()).Height);
        using var empty = new MemoryStream();
        CurvesImage.EncodePng([], empty);
        Assert.Equal(2 * CurvesImage.PlotHeight, PngPixels.Decode(empty.ToArray()).Height);
    }

    [Fact]
    public void TrainingPictures_WriteAll_WritesThreePngs()
    {
        using var folder = new TempFolder();
        string metrics = folder.File("metrics.csv");
        File.WriteAllText(metrics, SmallMetrics);
        var data = RbmSimd.Data.Digits.Load();
        BernoulliRbm model = BernoulliRbm.CreateRandom(64, 9, seed: 3, data);
        string output = Path.Combine(folder.Path, "run");
        TrainingPicturePaths paths = TrainingPictures.WriteAll(model, output, metrics, data, 8, 8, seed: 1, sampleCount: 4, gibbsSteps: 2);
        Assert.Equal(Path.Combine(output, "filters.png"), paths.Filters);
        PngPixels filters = PngPixels.Load(paths.Filters);
        var filterGrid = new TileGrid(9, new ImageShape(8, 8));
        Assert.Equal((Math.Max(filterGrid.Width, Caption.Width(FilterImage.DefaultCaption(9))), Caption.Height + filterGrid.Height), (filters.Width, filters.Height));
        PngPixels samples = PngPixels.Load(paths.Samples);
        var grid = new TileGrid(4, new ImageShape(8, 8));
        Assert.Equal(grid.Width, samples.Width);
        Assert.True(samples.Height > 2 * grid.Height, "examples and samples are both drawn");
        Assert.Equal(CurvesImage.Width, PngPixels.Load(paths.Curves).Width);
        Assert.Empty(Directory.GetFiles(output, ".*.tmp"));
    }

    [Fact]
    public void TrainingPictures_WriteAll_NonImageData_PadsInsteadOfFailing()
    {
        using var folder = new TempFolder();
        string metrics = folder.File("metrics.csv");
        File.WriteAllText(metrics, SmallMetrics);
        BernoulliRbm model = BernoulliRbm.CreateRandom(10, 3, seed: 3);
        TrainingPicturePaths paths = TrainingPictures.WriteAll(model, folder.Path, metrics, examples: null, 0, 0, seed: 1, sampleCount: 2, gibbsSteps: 1);
        Assert.Equal(Math.Max(new TileGrid(3, new ImageShape(4, 3)).Width, Caption.Width(FilterImage.DefaultCaption(3))), PngPixels.Load(paths.Filters).Width);
        Assert.True(File.Exists(paths.Samples));
    }
}
