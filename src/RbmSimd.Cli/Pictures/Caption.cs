using SkiaSharp;

namespace RbmSimd.Cli.Pictures;

/// <summary>One line of text drawn into a strip of a <see cref="GrayImage"/> (SkiaSharp's default typeface).</summary>
public static class Caption
{
    /// <summary>The height of a caption strip in pixels.</summary>
    public const int Height = 16;

    /// <summary>Text size of a caption; shrunk (down to <see cref="MinTextSize"/>) when the text is wider than the strip.</summary>
    public const float TextSize = 12f;

    /// <summary>The smallest text size a caption shrinks to; longer text is clipped.</summary>
    public const float MinTextSize = 8f;

    /// <summary>The width in pixels a strip needs to show <paramref name="text"/> at <see cref="TextSize"/> (0 when no font is installed).</summary>
    public static int Width(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using SKTypeface typeface = SKTypeface.Default;
        if (typeface.GlyphCount == 0 || text.Length == 0) return 0;
        using var font = new SKFont(typeface, TextSize) { Subpixel = true };
        return (int)Math.Ceiling(font.MeasureText(text)) + 6;
    }

    /// <summary>
    /// Draws <paramref name="text"/> in <paramref name="ink"/> on a strip of <paramref name="background"/> at row <paramref name="top"/>
    /// across the whole width of <paramref name="image"/>. Returns false, leaving the strip plain, when no font is installed.
    /// </summary>
    public static bool Draw(GrayImage image, int top, string text, byte background = 255, byte ink = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        image.FillRectangle(0, top, image.Width, Height, background);
        using SKTypeface typeface = SKTypeface.Default;
        if (typeface.GlyphCount == 0 || text.Length == 0) return false;

        using var font = new SKFont(typeface, TextSize) { Subpixel = true };
        float available = image.Width - 4;
        // Advances are not exactly linear in the size (hinting), so shrink in small steps until the text fits.
        while (font.MeasureText(text) > available && font.Size > MinTextSize) font.Size = Math.Max(MinTextSize, font.Size - 0.5f);

        // Draw on a colour bitmap (every Skia build can draw there) and keep one channel as grey.
        var info = new SKImageInfo(image.Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = new SKColor(ink, ink, ink), IsAntialias = true })
        {
            canvas.Clear(new SKColor(background, background, background));
            font.GetFontMetrics(out SKFontMetrics metrics);
            float baseline = (Height - (metrics.Descent - metrics.Ascent)) / 2 - metrics.Ascent;
            canvas.DrawText(text, 2, baseline, SKTextAlign.Left, font, paint);
        }
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        for (int y = 0; y < Height && top + y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                image[x, top + y] = rgba[(y * image.Width + x) * 4];
        return true;
    }
}
