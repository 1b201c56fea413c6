using RbmSimd.IO;
using RbmSimd.Numerics;
using ScottPlot;
using SkiaSharp;

namespace RbmSimd.Cli.Pictures;

/// <summary>
/// <c>generated.png</c> of <c>rbm generate</c>: true versus generated continuations of sequences, as rows of frames (image
/// frames, such as the bouncing balls) or as plotted channels (real-valued frames, such as the walker's joint angles).
/// </summary>
public static class GeneratedImage
{
    /// <summary>Frames shown per row of a frame picture at most (the rest are in --npy).</summary>
    public const int MaxFramesShown = 30;

    /// <summary>Channels plotted at most.</summary>
    public const int MaxChannels = 12;

    /// <summary>Width of the channel plots in pixels.</summary>
    public const int PlotWidth = 900;

    /// <summary>Height of each channel's plot in pixels.</summary>
    public const int PlotHeight = 160;

    /// <summary>
    /// Rows of frames, for each sequence a captioned row of the true frames that followed its history (when known) above a
    /// row of the generated ones. Values in [0, 1] are grey levels (0 black, 1 white).
    /// </summary>
    /// <param name="truth">Per sequence, its true continuation (frames × values), or null when the source has no more frames.</param>
    /// <param name="generated">Per sequence, the generated frames (frames × values).</param>
    /// <param name="shape">The frames' image shape.</param>
    /// <param name="gap">Pixels between frames.</param>
    /// <exception cref="ArgumentException">No sequences, or a frame's width differs from the shape's pixels.</exception>
    public static GrayImage RenderFrames(IReadOnlyList<Matrix?> truth, IReadOnlyList<Matrix> generated, ImageShape shape, int gap = 2)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(generated);
        if (generated.Count == 0 || truth.Count != generated.Count) throw new ArgumentException("Give one true and one generated sequence per row.", nameof(generated));
        int shown = Math.Min(MaxFramesShown, generated.Max(g => g.Rows));
        var grid = new TileGrid(shown, shape, shown, gap);
        var rows = new List<(string Caption, Matrix Frames)>();
        for (int s = 0; s < generated.Count; s++)
        {
            if (truth[s] is { } t) rows.Add(($"sequence {s + 1}: true frames", t));
            rows.Add(($"sequence {s + 1}: generated frames", generated[s]));
        }
        int band = Caption.Height + grid.Height;
        int width = Math.Max(grid.Width, rows.Max(r => Caption.Width(r.Caption)));
        var image = new GrayImage(width, band * rows.Count, SampleGridImage.GapLevel);
        var levels = new byte[shape.PixelCount];
        for (int r = 0; r < rows.Count; r++)
        {
            Caption.Draw(image, r * band, rows[r].Caption, SampleGridImage.CaptionLevel);
            Matrix frames = rows[r].Frames;
            for (int f = 0; f < Math.Min(shown, frames.Rows); f++)
            {
                ReadOnlySpan<float> v = frames.Row(f);
                for (int i = 0; i < levels.Length; i++) levels[i] = i < v.Length ? (byte)Math.Round(255 * Math.Clamp(v[i], 0f, 1f)) : (byte)0;
                grid.Draw(image, f, levels, r * band + Caption.Height, SampleGridImage.GapLevel);
            }
        }
        return image;
    }

    /// <summary>
    /// One plot per channel (at most <see cref="MaxChannels"/>) of the first sequence: its history and true continuation (grey)
    /// and the generated frames (orange), against the frame index.
    /// </summary>
    /// <param name="history">The frames given as history (frames × channels).</param>
    /// <param name="truth">The true continuation, or null.</param>
    /// <param name="generated">The generated frames.</param>
    /// <param name="names">Channel names, or null for "channel k".</param>
    /// <param name="destination">Where the PNG goes.</param>
    public static void EncodeChannels(Matrix history, Matrix? truth, Matrix generated, IReadOnlyList<string>? names, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(destination);
        int channels = Math.Min(MaxChannels, generated.Cols), n = history.Rows;
        var info = new SKImageInfo(PlotWidth, PlotHeight * channels, SKColorType.Rgba8888, SKAlphaType.Premul);
        using SKSurface surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
        surface.Canvas.Clear(SKColors.White);
        for (int c = 0; c < channels; c++)
        {
            var plot = new Plot();
            plot.Title(names is not null && c < names.Count ? names[c] : $"channel {c + 1}");
            double[] Column(Matrix m) => Enumerable.Range(0, m.Rows).Select(t => (double)m[t, c]).ToArray();
            double[] observed = truth is null ? Column(history) : [.. Column(history), .. Column(truth)];
            var known = plot.Add.Scatter(Enumerable.Range(0, observed.Length).Select(t => (double)t).ToArray(), observed);
            known.Color = Color.FromHex("#7f7f7f");
            known.LineWidth = 2;
            known.MarkerSize = 0;
            known.LegendText = truth is null ? "history" : "history and true frames";
            var made = plot.Add.Scatter(Enumerable.Range(n, generated.Rows).Select(t => (double)t).ToArray(), Column(generated));
            made.Color = Color.FromHex("#ff7f0e");
            made.LineWidth = 2;
            made.MarkerSize = 0;
            made.LegendText = "generated";
            if (c == 0) plot.ShowLegend(Alignment.UpperRight);
            else plot.HideLegend();
            using SKSurface part = SKSurface.Create(new SKImageInfo(PlotWidth, PlotHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
                ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
            plot.Render(part);
            using SKImage partImage = part.Snapshot();
            surface.Canvas.DrawImage(partImage, 0, c * PlotHeight);
        }
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("SkiaSharp could not encode the plots as PNG.");
        data.SaveTo(destination);
    }

    /// <summary>Writes <see cref="EncodeChannels"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteChannels(Matrix history, Matrix? truth, Matrix generated, IReadOnlyList<string>? names, string path) =>
        AtomicFile.Write(path, stream => EncodeChannels(history, truth, generated, names, stream));
}
