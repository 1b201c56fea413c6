using RbmSimd.Cli.Terminal;

namespace RbmSimd.Cli;

/// <summary>Checks paths the user names before a library opens them, so that the message says what is wrong in the CLI's terms.</summary>
internal static class InputFile
{
    /// <summary>The model argument: an existing file (not a folder).</summary>
    /// <exception cref="UsageException">It is a folder or does not exist.</exception>
    public static string RequireModel(string path)
    {
        if (Directory.Exists(path))
        {
            string? inside = new[] { "model.npz", "dbn.npz" }.Select(name => Path.Combine(path, name)).FirstOrDefault(File.Exists);
            throw new UsageException($"MODEL {Display.Quote(path)} is a folder, not a model file" +
                (inside is not null ? $"; did you mean {Display.Quote(inside)}?" : "; give a .npz file such as runs/latest/model.npz."));
        }
        if (!File.Exists(path))
        {
            // runs/latest/model.npz after rbm stack: the newest run holds a network.
            string network = Path.Combine(Path.GetDirectoryName(path) ?? "", "dbn.npz");
            throw new UsageException($"MODEL {Display.Quote(path)} not found" +
                (Path.GetFileName(path) == "model.npz" && File.Exists(network) ? $"; that folder holds a Deep Belief Network, {Display.Quote(network)}." : "."));
        }
        return path;
    }

    /// <summary>
    /// A <c>--data</c> value that is not a built-in name: an existing file. A folder, or a name that is neither a file nor
    /// one of <paramref name="names"/>, is refused with the valid names.
    /// </summary>
    public static string RequireDataFile(string spec, IReadOnlyCollection<string> names)
    {
        if (Directory.Exists(spec))
        {
            bool fashion = File.Exists(Path.Combine(spec, "train-images-idx3-ubyte.gz"));
            throw new UsageException($"--data {Display.Quote(spec)} is a folder, not a data file" +
                (fashion ? $"; for the Fashion-MNIST files in it pass --data fashion-mnist:{Display.Escape(spec)}." : "."));
        }
        if (File.Exists(spec)) return spec;
        bool looksLikePath = spec.Contains('/') || spec.Contains('\\') || Path.HasExtension(spec);
        string suggestion = looksLikePath ? "" : ParseErrors.DidYouMean(spec.Split(':')[0], names);
        throw new UsageException($"--data {Display.Quote(spec)} is {(looksLikePath ? "not an existing file" : "neither a data set name nor an existing file")}{suggestion}; " +
            "the names are digits, bars:N (N from 2 to 8), fashion-mnist and fashion-mnist:DIR, and files may be CSV (plain or .gz), IDX, .npy or .npz.");
    }

    /// <summary>An output file path: refused when it names a folder.</summary>
    public static void RefuseFolder(string path, string option, string exampleName)
    {
        if (Directory.Exists(path))
            throw new UsageException($"{option} {Display.Quote(path)} is a folder; give a file name, such as {Display.Quote(Path.Combine(path, exampleName))}.");
    }
}
