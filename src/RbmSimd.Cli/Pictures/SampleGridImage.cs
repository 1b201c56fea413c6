using RbmSimd.Numerics;

namespace RbmSimd.Cli.Pictures;

/// <summary>
/// <c>samples.png</c>: model samples as grey pictures (values in [0, 1], normally P(v = 1 | h) of the last Gibbs step),
/// below a block of data examples when there are any. With as many examples as samples (chains started from those
/// examples) the two blocks share one layout, so sample i sits in the same place below example i.
/// A band of <see cref="SeparatorLevel"/> grey divides the blocks; each block can have a one-line caption above it.
/// </summary>
public static class SampleGridImage
{
    /// <summary>
    /// The grey of the gaps between tiles: mid grey, so that tiles stand out whether their borders are black (digits,
    /// clothing) or white (bars and stripes). Only samples that are themselves undecided (P ≈ ½) blend in.
    /// </summary>
    public const byte GapLevel = 128;

    /// <summary>The grey of the band between the data block and the sample block.</summary>
    public const byte SeparatorLevel = 0;

    /// <summary>The background of the caption strips (black text on white).</summary>
    public const byte CaptionLevel = 255;

    /// <summary>The caption of a data block whose rows start the chains drawn below them.</summary>
    public const string StartsCaption = "data (chain starts)";

    /// <summary>The caption of a sample block: what the samples are.</summary>
    public static string SamplesCaption(int gibbsSteps) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"samples ({gibbsSteps} Gibbs steps)");

    /// <summary>Draws <paramref name="samples"/> (one picture per row) under <paramref name="examples"/> (may be empty).</summary>
    /// <param name="samples">One sample per row, values in [0, 1] (clamped).</param>
    /// <param name="shape">The raster of one row (see <see cref="ImageShape"/>).</param>
    /// <param name="examples">Data rows to show above the samples; an empty view for none.</param>
    /// <param name="gap">Pixels between tiles.</param>
    /// <param name="sampleCaption">Text above the samples (<see cref="Caption.Height"/> pixels); null for none.</param>
    /// <param name="exampleCaption">Text above the examples, when there are any; null for none.</param>
    /// <param name="scale">Pixels per raster pixel; 0 picks it (see <see cref="TileGrid"/>).</param>
    /// <param name="maxSide">The largest side an automatically picked scale grows a grid to.</param>
    /// <exception cref="ArgumentException">There are no samples, the rows' lengths differ, or the shape is too small for a row.</exception>
    public static GrayImage Render(ReadOnlyMatrixView samples, ImageShape shape, ReadOnlyMatrixView examples = default, int gap = 2,
        string? sampleCaption = null, string? exampleCaption = null, int scale = 0, int maxSide = TileGrid.MaxSide)
    {
        if (samples.Rows == 0) throw new ArgumentException("There are no samples to draw.", nameof(samples));
        if (shape.PixelCount < samples.Cols)
            throw new ArgumentException($"A {shape.Width}x{shape.Height} image has fewer pixels than a sample's {samples.Cols} values.", nameof(shape));
        if (examples.Rows > 0 && examples.Cols != samples.Cols)
            throw new ArgumentException($"The examples have {examples.Cols} values a row but the samples have {samples.Cols}.", nameof(examples));

        int columns = (int)Math.Ceiling(Math.Sqrt(Math.Max(samples.Rows, examples.Rows)));
        var sampleGrid = new TileGrid(samples.Rows, shape, columns, gap, scale, maxSide);
        TileGrid? exampleGrid = examples.Rows > 0 ? new TileGrid(examples.Rows, shape, columns, gap, sampleGrid.Scale) : null;
        int band = exampleGrid is null ? 0 : Math.Max(4, 3 * gap);
        int exampleCaptionHeight = exampleGrid is not null && exampleCaption is not null ? Caption.Height : 0;
        int sampleCaptionHeight = sampleCaption is not null ? Caption.Height : 0;
        // Top to bottom: [caption] examples, band, [caption] samples. Each grid starts and ends with a gap.
        int exampleTop = exampleCaptionHeight;
        int bandTop = exampleGrid is null ? 0 : exampleTop + exampleGrid.Height;
        int sampleTop = bandTop + band + sampleCaptionHeight;
        int width = Math.Max(sampleGrid.Width, exampleGrid?.Width ?? 0);
        var image = new GrayImage(width, sampleTop + sampleGrid.Height, GapLevel);
        if (exampleGrid is not null)
        {
            if (exampleCaptionHeight > 0) Caption.Draw(image, 0, exampleCaption!, CaptionLevel);
            image.FillRectangle(0, bandTop, width, band, SeparatorLevel);
            DrawRows(image, exampleGrid, examples, exampleTop);
        }
        if (sampleCaptionHeight > 0) Caption.Draw(image, bandTop + band, sampleCaption!, CaptionLevel);
        DrawRows(image, sampleGrid, samples, sampleTop);
        return image;
    }

    private static void DrawRows(GrayImage image, TileGrid grid, ReadOnlyMatrixView rows, int top)
    {
        var levels = new byte[rows.Cols];
        for (int r = 0; r < rows.Rows; r++)
        {
            ReadOnlySpan<float> row = rows.Row(r);
            for (int i = 0; i < row.Length; i++)
                levels[i] = float.IsNaN(row[i]) ? (byte)0 : (byte)Math.Round(Math.Clamp(row[i], 0f, 1f) * 255f);
            grid.Draw(image, r, levels, top, GapLevel);
        }
    }
}
