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

    /// <summary>Rejects sides given as 0 or less (the library reads 0 as "not given", a user who types it means a mistake).</summary>
    public static void Validate(int? width, int? height)
    {
        if (width is <= 0) throw new ArgumentException($"--image-width must be positive (it is {width}).");
        if (height is <= 0) throw new ArgumentException($"--image-height must be positive (it is {height}).");
    }

    /// <summary>Creates the folder of <paramref name="path"/> when it is missing (atomic writes need it to exist).</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is an existing folder.</exception>
    public static void EnsureFolder(string path, string exampleName)
    {
        if (Directory.Exists(path))
            throw new ArgumentException($"'{path}' is a folder; give a file name, such as {Path.Combine(path, exampleName)}.");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}
