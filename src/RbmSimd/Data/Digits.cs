using System.IO.Compression;

namespace RbmSimd.Data;

/// <summary>
/// The optical digits data set shipped inside the library: 1,797 handwritten digits of 8×8 pixels
/// with labels 0–9.
/// </summary>
/// <remarks>
/// The test part of the UCI "Optical Recognition of Handwritten Digits" set (E. Alpaydin and
/// C. Kaynak, 1998; CC BY 4.0), as distributed with scikit-learn's <c>load_digits</c>. Each pixel is
/// a count 0–16; <see cref="Load"/> divides by 16. The copy is the embedded resource
/// <see cref="ResourceName"/> (gzipped CSV: 64 pixels row-major, then the label).
/// </remarks>
public static class Digits
{
    /// <summary>The number of images.</summary>
    public const int Count = 1797;

    /// <summary>Image width and height in pixels.</summary>
    public const int ImageSize = 8;

    /// <summary>The largest pixel value in the original data (a count of on-bits in a 4×4 block).</summary>
    public const int MaxPixel = 16;

    /// <summary>The manifest name of the embedded gzipped CSV.</summary>
    public const string ResourceName = "RbmSimd.Data.optdigits-8x8.csv.gz";

    /// <summary>Loads the digits: 1,797 rows of 64 features in [0, 1] (pixel / 16), labels 0–9, 8×8 images.</summary>
    /// <param name="binarize">Set each feature to 1 where pixel / 16 exceeds <paramref name="threshold"/>, else 0.</param>
    /// <param name="threshold">The binarisation threshold, in [0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is outside [0, 1).</exception>
    public static Dataset Load(bool binarize = false, float threshold = 0.5f)
    {
        if (!(threshold >= 0f && threshold < 1f))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be in [0, 1).");
        using Stream resource = typeof(Digits).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing; the library was built without it.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var options = new CsvOptions
        {
            HasHeader = false,
            LastColumnIsLabel = true,
            Scale = CsvScale.DivideBy(MaxPixel),
            ImageWidth = ImageSize,
            ImageHeight = ImageSize,
        };
        Dataset digits = CsvData.Read(reader, ResourceName, options);
        return binarize ? digits.Binarize(threshold) : digits;
    }
}
