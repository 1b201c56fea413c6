using System.CommandLine;

namespace RbmSimd.Cli.Commands;

/// <summary>The picture-shape options of <c>rbm show</c> and <c>rbm sample</c>.</summary>
internal static class ImageOptions
{
    public static Option<int?> Width() => new("--image-width")
    {
        Description = "Width of a visible vector as an image (default: square when nv is a perfect square, e.g. 8x8 digits, 28x28 Fashion-MNIST).",
    };

    public static Option<int?> Height() => new("--image-height")
    {
        Description = "Height of a visible vector as an image (width x height must equal nv).",
    };

    /// <summary>The default path of a picture: <paramref name="fileName"/> in the model's folder.</summary>
    public static string BesideModel(string modelPath, string fileName) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".", fileName);

    /// <summary>Creates the folder of <paramref name="path"/> when it is missing (atomic writes need it to exist).</summary>
    public static void EnsureFolder(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}
