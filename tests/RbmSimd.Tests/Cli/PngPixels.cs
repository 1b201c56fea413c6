using Xunit;
using SkiaSharp;

namespace RbmSimd.Tests.Cli;

/// <summary>A decoded PNG as grey levels (the red channel of each pixel: our tile grids are grayscale) and colours.</summary>
internal sealed class PngPixels
{
    private readonly SKColor[] _pixels;

    private PngPixels(SKBitmap bitmap)
    {
        Width = bitmap.Width;
        Height = bitmap.Height;
        _pixels = bitmap.Pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public static PngPixels Load(string path) => Decode(File.ReadAllBytes(path));

    public static PngPixels Decode(byte[] png)
    {
        Assert.True(png.Length > 8 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', "not a PNG");
        using SKBitmap bitmap = SKBitmap.Decode(png) ?? throw new InvalidDataException("SkiaSharp could not decode the PNG.");
        return new PngPixels(bitmap);
    }

    public byte Gray(int x, int y) => Color(x, y).Red;

    public SKColor Color(int x, int y) => _pixels[y * Width + x];

    /// <summary>Grey levels of a rectangle, row by row.</summary>
    public byte[] Region(int x, int y, int width, int height)
    {
        var levels = new byte[width * height];
        for (int r = 0; r < height; r++)
            for (int c = 0; c < width; c++)
                levels[r * width + c] = Gray(x + c, y + r);
        return levels;
    }

    public IEnumerable<SKColor> All => _pixels;
}
