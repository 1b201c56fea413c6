using System.CommandLine;
using RbmSimd.Cli.Pictures;
using RbmSimd.Cli.Terminal;

namespace RbmSimd.Cli.Commands;

/// <summary>The picture options of <c>rbm show</c> and <c>rbm sample</c>: the shape of one tile, its scale and the picture's size.</summary>
internal static class ImageOptions
{
    /// <summary>The largest --tile-scale: a 64× tile of a 28×28 image is 1792 pixels wide.</summary>
    public const int MaxTileScale = 64;

    /// <summary>The largest --max-size.</summary>
    public const int MaxPictureSide = 16_384;

    public static Option<int?> Width() => CliOption.OptionalInt("--image-width",
        "Width of a visible vector as an image (default: square when nv is a perfect square, e.g. 8x8 digits, 28x28 Fashion-MNIST).", 1, 100_000);

    public static Option<int?> Height() => CliOption.OptionalInt("--image-height",
        "Height of a visible vector as an image (width x height must equal nv).", 1, 100_000);

    public static Option<int?> TileScale() => CliOption.OptionalInt("--tile-scale",
        $"Screen pixels per unit (default: the largest that makes a tile at least {TileGrid.MinTileSide} pixels and keeps the picture within --max-size).",
        1, MaxTileScale);

    public static Option<int> MaxSize() => CliOption.Int("--max-size",
        "The largest width or height, in pixels, the picture may have; the automatic tile scale shrinks to fit it.", TileGrid.MaxSide, 64, MaxPictureSide);

    /// <summary>
    /// The default path of a picture: beside the model, named after it (<c>model-filters.png</c>, <c>model-samples.png</c>), so
    /// that the pictures <c>rbm train</c> writes into a run's folder (<c>filters.png</c>, <c>samples.png</c>) are never replaced.
    /// </summary>
    public static string BesideModel(string modelPath, string kind) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".", $"{Path.GetFileNameWithoutExtension(modelPath)}-{kind}.png");

    /// <summary>Creates the folder of <paramref name="path"/> when it is missing (atomic writes need it to exist).</summary>
    /// <exception cref="UsageException"><paramref name="path"/> is an existing folder.</exception>
    public static void EnsureFolder(string path, string option, string exampleName)
    {
        InputFile.RefuseFolder(path, option, exampleName);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }

    /// <summary>Refuses a picture larger than <paramref name="maxSide"/> (only an explicit --tile-scale can make one).</summary>
    public static void RequireFits(int width, int height, int maxSide, int? tileScale)
    {
        if (Math.Max(width, height) <= maxSide) return;
        throw new UsageException($"--tile-scale {tileScale} makes a {width}x{height} picture, larger than --max-size {maxSide}: lower --tile-scale or raise --max-size (up to {MaxPictureSide}).");
    }

    /// <summary>"wrote PATH (…)" with the path escaped.</summary>
    public static string Wrote(string path, string details) => $"wrote {Display.Escape(path)} ({details})";
}
