using RbmSimd.IO;
using SkiaSharp;

namespace RbmSimd.Cli.Pictures;

/// <summary>An 8-bit grayscale picture in memory (row-major, one byte a pixel, 0 black … 255 white) that encodes as PNG.</summary>
public sealed class GrayImage
{
    private readonly byte[] _pixels;

    /// <summary>A <paramref name="width"/>×<paramref name="height"/> picture filled with <paramref name="background"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive, or the picture would exceed <see cref="MaxPixels"/>.</exception>
    public GrayImage(int width, int height, byte background = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height > MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(width), $"A {width}x{height} picture is larger than the {MaxPixels} pixels a picture may have.");
        Width = width;
        Height = height;
        _pixels = new byte[width * height];
        _pixels.AsSpan().Fill(background);
    }

    /// <summary>The largest picture (in pixels) this type makes: 64 megapixels, far above any useful tile grid.</summary>
    public const long MaxPixels = 1L << 26;

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The grey level at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public ref byte this[int x, int y]
    {
        get
        {
            if ((uint)x >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(x));
            if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y));
            return ref _pixels[y * Width + x];
        }
    }

    /// <summary>All pixels, row-major.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>Fills a rectangle (clipped to the picture) with one grey level.</summary>
    public void FillRectangle(int x, int y, int width, int height, byte value)
    {
        int x0 = Math.Max(0, x), y0 = Math.Max(0, y);
        int x1 = Math.Min(Width, x + width), y1 = Math.Min(Height, y + height);
        for (int row = y0; row < y1; row++)
            _pixels.AsSpan(row * Width + x0, Math.Max(0, x1 - x0)).Fill(value);
    }

    /// <summary>Encodes the picture as an 8-bit grayscale PNG into <paramref name="destination"/>.</summary>
    public void EncodePng(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        _pixels.AsSpan().CopyTo(bitmap.GetPixelSpan());
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the picture as PNG.");
        data.SaveTo(destination);
    }

    /// <summary>Writes the picture as a PNG file atomically (readers never see a half-written file).</summary>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; an existing file is unchanged.</exception>
    public void SavePng(string path) => AtomicFile.Write(path, EncodePng);
}
