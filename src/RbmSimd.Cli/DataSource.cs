using System.Globalization;
using RbmSimd.Data;

namespace RbmSimd.Cli;

/// <summary>Training rows and optional held-out rows, with the image shape where there is one.</summary>
internal sealed record LoadedData(IRowSource Train, IRowSource? HeldOut, int ImageWidth, int ImageHeight)
{
    public int Columns => Train.ColumnCount;
}

/// <summary>Resolves the CLI's <c>--data</c> value.</summary>
internal static class DataSource
{
    public const string Help =
        "Data set: 'digits' (shipped 8x8 optical digits), 'bars:N' (all N×N bars and stripes), " +
        "'fashion-mnist' or 'fashion-mnist:DIR' (IDX files; Debian: apt-get install dataset-fashion-mnist; the test images are held out), " +
        "an IDX images file (.gz or plain), or a CSV file.";

    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Loads a data set; small ones are split by <paramref name="heldOutFraction"/>, Fashion-MNIST holds out its test images.</summary>
    public static LoadedData Load(string spec, float? binarize, double heldOutFraction, ulong seed)
    {
        if (binarize is { } t && !(t >= 0 && t < 1))
            throw new ArgumentOutOfRangeException("--binarize", t, "--binarize must be in [0, 1).");
        if (spec.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("fashion-mnist:", StringComparison.OrdinalIgnoreCase))
        {
            string folder = spec.Length > "fashion-mnist:".Length ? spec["fashion-mnist:".Length..] : FashionMnistFolder;
            string train = Path.Combine(folder, "train-images-idx3-ubyte.gz"), test = Path.Combine(folder, "t10k-images-idx3-ubyte.gz");
            if (!File.Exists(train))
                throw new FileNotFoundException($"{train} not found: install Fashion-MNIST with 'apt-get install dataset-fashion-mnist' or pass --data fashion-mnist:DIR.");
            ByteDataset trainSet = IdxData.LoadBytes(train, binarizeAbove: ByteThreshold(binarize));
            ByteDataset? testSet = File.Exists(test) ? IdxData.LoadBytes(test, binarizeAbove: ByteThreshold(binarize)) : null;
            return new LoadedData(trainSet, testSet, trainSet.ImageWidth, trainSet.ImageHeight);
        }
        if (IsIdx(spec))
        {
            ByteDataset set = IdxData.LoadBytes(spec, binarizeAbove: ByteThreshold(binarize));
            return new LoadedData(set, null, set.ImageWidth, set.ImageHeight);
        }
        Dataset all = LoadSmall(spec);
        if (binarize is { } threshold) all = all.Binarize(threshold);
        if (heldOutFraction == 0) return new LoadedData(all, null, all.ImageWidth, all.ImageHeight);
        (Dataset trainPart, Dataset heldPart) = all.Split(heldOutFraction, seed);
        return new LoadedData(trainPart, heldPart.Count > 0 ? heldPart : null, all.ImageWidth, all.ImageHeight);
    }

    /// <summary>A whole small data set, for scoring.</summary>
    public static IRowSource LoadAll(string spec, float? binarize)
    {
        LoadedData data = Load(spec, binarize, 0, 1);
        return data.Train;
    }

    private static Dataset LoadSmall(string spec)
    {
        if (spec.Equals("digits", StringComparison.OrdinalIgnoreCase)) return Digits.Load();
        if (spec.StartsWith("bars:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(spec.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 2 || n > 8)
                throw new ArgumentException($"'{spec}': use bars:N with N from 2 to 8.");
            return BarsAndStripes.Generate(n);
        }
        return CsvData.Load(spec);
    }

    /// <summary>A threshold t on [0, 1] values is byte/255 &gt; t, i.e. byte &gt; ⌊255·t⌋ (0.5 gives the usual pixel &gt; 127).</summary>
    private static byte? ByteThreshold(float? binarize) => binarize is { } t ? (byte)Math.Floor(255 * t) : null;

    private static bool IsIdx(string path) =>
        path.EndsWith("-ubyte", StringComparison.OrdinalIgnoreCase) || path.EndsWith("-ubyte.gz", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".idx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".idx.gz", StringComparison.OrdinalIgnoreCase);
}
