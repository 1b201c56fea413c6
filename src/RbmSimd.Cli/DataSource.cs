using System.Globalization;
using System.IO.Compression;
using RbmSimd.Cli.Terminal;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Numerics;

namespace RbmSimd.Cli;

/// <summary>The kinds of data <c>--data</c> names: built-in sets and file formats (told apart by content, not by name).</summary>
internal enum DataKind
{
    Digits,
    Bars,
    FashionMnist,
    Patches,
    Csv,
    Idx,
    Npy,
    Npz,

    /// <summary>Sequences of frames (rows of frames beside their history), for a conditional model.</summary>
    Sequences,
}

/// <summary>
/// How to read a CSV file (<c>--header</c>, <c>--label-column</c>, <c>--separator</c>) and scale numbers into [0, 1]
/// (<c>--scale</c>, also for .npy/.npz); null where the user gave nothing and the CLI detects it.
/// </summary>
internal sealed record CsvChoices(string? Header = null, string? LabelColumn = null, string? Scale = null, string? Separator = null)
{
    public static CsvChoices Auto { get; } = new();

    /// <summary>The options given, as the user would type them, for messages.</summary>
    public IEnumerable<string> Given()
    {
        if (Header is not null) yield return "--header";
        if (LabelColumn is not null) yield return "--label-column";
        if (Separator is not null) yield return "--separator";
    }
}

/// <summary>What <c>--data</c> asks for: the spec as typed, the binarisation threshold and the CSV choices.</summary>
internal sealed record DataRequest(string Spec, float? Binarize = null, CsvChoices? Csv = null)
{
    /// <summary>Real values are wanted (Gaussian visible units): files need not hold values in [0, 1].</summary>
    public bool RealValued { get; init; }

    public CsvChoices CsvOrAuto => Csv ?? CsvChoices.Auto;
}

/// <summary>Training rows and optional held-out rows, with the image shape where there is one and where they came from.</summary>
internal sealed record LoadedData(IRowSource Train, IRowSource? HeldOut, int ImageWidth, int ImageHeight)
{
    public int Columns => Train.ColumnCount;

    /// <summary>A built-in name (<c>digits</c>, <c>bars:4</c>) or the file's or folder's absolute path.</summary>
    public string Source { get; init; } = "";

    /// <summary>What the data is.</summary>
    public DataKind Kind { get; init; }

    /// <summary>The CSV choices as resolved (detected values filled in), so that a resume reads the file the same way.</summary>
    public CsvChoices Csv { get; init; } = CsvChoices.Auto;

    /// <summary>What was detected rather than given (a header, a label column, the separator), for the user to check.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Resolves the CLI's <c>--data</c> value.</summary>
internal static class DataSource
{
    public const string Help =
        "Data: 'digits' (shipped 8x8 optical digits), 'bars:N' (all N×N bars and stripes, N from 2 to 8), " +
        "'patches' (shipped 8x8 grey patches of natural images, 0..255, for --visible gaussian; divided by 255 for Bernoulli units; its test patches are held out), " +
        "'fashion-mnist' or 'fashion-mnist:DIR' (IDX files; Debian: apt-get install dataset-fashion-mnist; the test images are held out), " +
        "or a file, recognised by its content: CSV (plain or .csv.gz; see --header, --label-column, --separator, --scale), " +
        "IDX images (plain or gzipped), .npy (rows × columns, or count × height × width) or .npz (arrays train and, held out, test; " +
        "else its 2-D array, or the one named X, data or samples).";

    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The built-in names, for messages and suggestions.</summary>
    private static readonly string[] Names = ["digits", "bars:N", "patches", "fashion-mnist", "fashion-mnist:DIR"];

    /// <summary>Labels in a header's last cell that mark it as a label column rather than a feature.</summary>
    private static readonly string[] LabelNames = ["label", "labels", "class", "target", "y", "digit", "category"];

    /// <summary>Loads a data set; small ones are split by <paramref name="heldOutFraction"/>, Fashion-MNIST holds out its test images.</summary>
    public static LoadedData Load(DataRequest request, double heldOutFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(request);
        string spec = request.Spec;
        if (request.Binarize is { } t && !(t >= 0 && t < 1))
            throw new UsageException($"--binarize must be a number in [0, 1) (it is {t.ToString(CultureInfo.InvariantCulture)}).");
        CsvChoices csv = request.CsvOrAuto;
        if (spec.Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("fashion-mnist:", StringComparison.OrdinalIgnoreCase))
        {
            RefuseFileOptions(csv, spec, scaleToo: true);
            string folder = spec.Length > "fashion-mnist:".Length ? spec["fashion-mnist:".Length..] : FashionMnistFolder;
            return LoadFashionMnist(folder, request.Binarize, "--data fashion-mnist:DIR");
        }
        Dataset all;
        DataKind kind;
        string source;
        var notes = new List<string>();
        if (spec.Equals("patches", StringComparison.OrdinalIgnoreCase))
        {
            RefuseFileOptions(csv, spec, scaleToo: true);
            (Dataset train, Dataset test) = NaturalPatches.Load();
            if (!request.RealValued)
            {
                // Bernoulli units read grey levels as probabilities.
                train = Divided(train, 255f);
                test = Divided(test, 255f);
            }
            if (request.Binarize is { } cut)
            {
                train = train.Binarize(cut);
                test = test.Binarize(cut);
            }
            return new LoadedData(train, test, train.ImageWidth, train.ImageHeight) { Source = "patches", Kind = DataKind.Patches };
        }
        if (spec.Equals("digits", StringComparison.OrdinalIgnoreCase))
        {
            RefuseFileOptions(csv, spec, scaleToo: true);
            (all, kind, source) = (Digits.Load(), DataKind.Digits, "digits");
        }
        else if (spec.StartsWith("bars:", StringComparison.OrdinalIgnoreCase))
        {
            RefuseFileOptions(csv, spec, scaleToo: true);
            if (!int.TryParse(spec.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 2 || n > 8)
                throw new UsageException($"--data '{spec}': use bars:N with N a whole number from 2 to 8.");
            (all, kind, source) = (BarsAndStripes.Generate(n), DataKind.Bars, $"bars:{n}");
        }
        else
        {
            string path = InputFile.RequireDataFile(spec, Names);
            source = Path.GetFullPath(path);
            kind = Sniff(path);
            switch (kind)
            {
                case DataKind.Idx:
                    RefuseFileOptions(csv, spec, scaleToo: true);
                    ByteDataset set = IdxData.LoadBytes(path, binarizeAbove: ByteThreshold(request.Binarize));
                    return new LoadedData(set, null, set.ImageWidth, set.ImageHeight) { Source = source, Kind = kind };
                case DataKind.Npy or DataKind.Npz:
                    RefuseFileOptions(csv, spec, scaleToo: false);
                    (all, Dataset? test) = LoadNumpy(path, kind, csv.Scale, request.RealValued);
                    csv = new CsvChoices(Scale: csv.Scale);
                    if (test is not null)
                    {
                        // An archive with its own test rows: they are the held-out rows, nothing is split off.
                        if (request.Binarize is { } b) (all, test) = (all.Binarize(b), test.Binarize(b));
                        return new LoadedData(all, test, all.ImageWidth, all.ImageHeight) { Source = source, Kind = kind, Csv = csv, Notes = notes };
                    }
                    break;
                default:
                    (all, csv) = LoadCsv(path, csv, notes, request.RealValued);
                    break;
            }
        }
        if (request.Binarize is { } threshold) all = all.Binarize(threshold);
        LoadedData Result(IRowSource train, IRowSource? held) =>
            new(train, held, all.ImageWidth, all.ImageHeight) { Source = source, Kind = kind, Csv = csv, Notes = notes };
        if (heldOutFraction == 0) return Result(all, null);
        (Dataset trainPart, Dataset heldPart) = all.Split(heldOutFraction, seed);
        return Result(trainPart, heldPart.Count > 0 ? heldPart : null);
    }

    /// <summary>A whole data set (nothing held out), for scoring and sampling.</summary>
    public static LoadedData LoadAll(DataRequest request) => Load(request, 0, 1);

    /// <summary>
    /// Fashion-MNIST from <paramref name="folder"/>: the training images, and the test images held out when present.
    /// <paramref name="folderSyntax"/> is how the caller's command names a folder, for the message when it is missing.
    /// </summary>
    public static LoadedData LoadFashionMnist(string folder, float? binarize, string folderSyntax)
    {
        string train = Path.Combine(folder, "train-images-idx3-ubyte.gz"), test = Path.Combine(folder, "t10k-images-idx3-ubyte.gz");
        if (!File.Exists(train))
            throw new UsageException($"{train} not found: install Fashion-MNIST with 'apt-get install dataset-fashion-mnist' or pass {folderSyntax} " +
                "naming the folder that holds train-images-idx3-ubyte.gz.");
        ByteDataset trainSet = IdxData.LoadBytes(train, binarizeAbove: ByteThreshold(binarize));
        ByteDataset? testSet = File.Exists(test) ? IdxData.LoadBytes(test, binarizeAbove: ByteThreshold(binarize)) : null;
        return new LoadedData(trainSet, testSet, trainSet.ImageWidth, trainSet.ImageHeight)
        {
            Source = "fashion-mnist:" + Path.GetFullPath(folder),
            Kind = DataKind.FashionMnist,
        };
    }

    /// <summary>What a file holds, from its first bytes (and, for gzip, the first inflated bytes).</summary>
    /// <exception cref="UsageException">The file is a picture, an archive of another kind, or not text.</exception>
    internal static DataKind Sniff(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int n;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read)) n = ReadUpTo(file, head);
        ReadOnlySpan<byte> h = head[..n];
        string name = Display.Quote(path);
        if (h.StartsWith(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' })) throw NotData(name, "a PNG picture");
        if (h.StartsWith(new byte[] { 0xFF, 0xD8, 0xFF })) throw NotData(name, "a JPEG picture");
        if (h.StartsWith("GIF8"u8)) throw NotData(name, "a GIF picture");
        if (h.StartsWith("%PDF"u8)) throw NotData(name, "a PDF document");
        if (h.StartsWith("PK\x03\x04"u8) || h.StartsWith("PK\x05\x06"u8)) return DataKind.Npz;
        if (h.StartsWith(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' })) return DataKind.Npy;
        if (h.Length >= 4 && h[0] == 0 && h[1] == 0 && h[2] == 0x08) return DataKind.Idx;
        if (h.StartsWith(new byte[] { 0x1F, 0x8B }))
        {
            Span<byte> inner = stackalloc byte[512];
            int m;
            try
            {
                using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
                m = ReadUpTo(gzip, inner);
            }
            catch (InvalidDataException)
            {
                throw new UsageException($"--data {name} starts like a gzip file but is corrupt.");
            }
            ReadOnlySpan<byte> i = inner[..m];
            if (i.Length >= 4 && i[0] == 0 && i[1] == 0 && i[2] == 0x08) return DataKind.Idx;
            if (LooksLikeText(i)) return DataKind.Csv;
            throw new UsageException($"--data {name} is gzip-compressed but holds neither IDX images nor CSV text.");
        }
        Span<byte> sample = stackalloc byte[512];
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read)) n = ReadUpTo(file, sample);
        if (!LooksLikeText(sample[..n]))
            throw new UsageException($"--data {name} is neither text (CSV) nor a format rbm reads (IDX, .npy, .npz, gzip).");
        return DataKind.Csv;
    }

    private static UsageException NotData(string name, string what) =>
        new($"--data {name} is {what}, not data; rbm reads CSV (plain or .gz), IDX (plain or .gz), .npy and .npz files.");

    private static bool LooksLikeText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf((byte)0) >= 0) return false;
        // Cut at most 3 bytes of a UTF-8 sequence split by the sample's end.
        for (int cut = 0; cut <= Math.Min(3, bytes.Length); cut++)
            if (System.Text.Unicode.Utf8.IsValid(bytes[..^cut])) return true;
        return false;
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0) break;
            total += read;
        }
        return total;
    }

    /// <summary>Refuses file-reading options for data they do not apply to (they would be silently ignored).</summary>
    private static void RefuseFileOptions(CsvChoices csv, string spec, bool scaleToo)
    {
        string? given = csv.Given().FirstOrDefault() ?? (scaleToo && csv.Scale is not null ? "--scale" : null);
        if (given is not null)
            throw new UsageException($"{given} applies to {(given == "--scale" ? "CSV, .npy and .npz files" : "CSV files")} only, not to --data {Display.Quote(spec)}.");
    }

    /// <summary>Reads a CSV file (plain or gzipped), detecting what the user left to detection and saying what was detected.</summary>
    private static (Dataset Data, CsvChoices Resolved) LoadCsv(string path, CsvChoices given, List<string> notes, bool realValued)
    {
        string name = Display.Quote(path);
        string? first = FirstLine(path);
        if (first is null) throw new InvalidDataException($"{path}: has no data rows.");

        char separator;
        if (given.Separator is not null) separator = ParseSeparator(given.Separator);
        else
        {
            separator = DetectSeparator(first);
            if (separator != ',') notes.Add($"{name}: separator {SeparatorName(separator)} detected (set it with --separator).");
        }
        string[] cells = first.Split(separator).Select(c => c.Trim()).ToArray();
        int numeric = cells.Count(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _));

        bool header;
        switch (given.Header?.ToLowerInvariant())
        {
            case "yes": header = true; break;
            case "no": header = false; break;
            default:
                if (numeric == cells.Length) header = false;
                else if (numeric == 0)
                {
                    header = true;
                    notes.Add($"{name}: line 1 is a header ({Display.Escape(Shorten(first))}); pass --header no if it is data.");
                }
                else
                {
                    int column = Array.FindIndex(cells, c => !double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) + 1;
                    throw new UsageException($"--data {name}: line 1 mixes numbers and text (column {column} is {Display.Quote(Shorten(cells[column - 1]))}): " +
                        "pass --header yes if it is a header line, --header no if it is data (then fix that cell).");
                }
                break;
        }

        bool label;
        switch (given.LabelColumn?.ToLowerInvariant())
        {
            case "last": label = true; break;
            case "none": label = false; break;
            default:
                label = cells.Length >= 2 && (header
                    ? LabelNames.Contains(cells[^1].Trim('"', '\'').ToLowerInvariant())
                    : IsLabelLike(cells));
                if (label)
                    notes.Add(header
                        ? $"{name}: the last column ({Display.Quote(Shorten(cells[^1]))}) is a label, not a feature; pass --label-column none to keep it."
                        : $"{name}: the last column holds whole numbers above 1 beside features in [0, 1], so it is read as a label; pass --label-column none to keep it.");
                break;
        }

        CsvScale scale;
        try
        {
            scale = CsvScale.Parse(given.Scale ?? "none");
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--scale must be none, max or a positive number to divide by (it is '{given.Scale}').");
        }
        var options = new CsvOptions { HasHeader = header, LastColumnIsLabel = label, Scale = scale, Separator = separator, AnyFiniteValue = realValued };
        var resolved = new CsvChoices(header ? "yes" : "no", label ? "last" : "none", scale.ToString(), SeparatorName(separator).Trim('\''));
        using TextReader reader = OpenText(path);
        try
        {
            return (CsvData.Read(reader, path, options), resolved);
        }
        catch (InvalidDataException e)
        {
            // The library's advice names its own options; say which CLI options they are.
            string message = e.Message
                .Replace("(scale 'max' or a divisor such as 255)", "(pass --scale max, or --scale N to divide by N, e.g. 255 for 8-bit pixels)", StringComparison.Ordinal)
                .Replace("set the header option to say whether there is one", "pass --header yes or --header no", StringComparison.Ordinal);
            // What was detected explains a wrong line or column (line 1 taken as a header): say it in the same line.
            if (notes.Count > 0) message = $"{message.TrimEnd('.')}. (Detected: {string.Join(" ", notes.Select(n => n[(n.IndexOf(": ", StringComparison.Ordinal) + 2)..]))})";
            throw new InvalidDataException(message, e);
        }
    }

    /// <summary>
    /// A first data row whose last cell is a whole number above 1 while every other cell is in [0, 1]: the shape of
    /// features already scaled with a class label appended.
    /// </summary>
    private static bool IsLabelLike(string[] cells)
    {
        static bool Number(string c, out double v) => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
        if (!Number(cells[^1], out double last) || last <= 1 || last != Math.Floor(last)) return false;
        for (int i = 0; i < cells.Length - 1; i++)
            if (!Number(cells[i], out double v) || v < 0 || v > 1) return false;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static char ParseSeparator(string text) => text.ToLowerInvariant() switch
    {
        "," or "comma" => ',',
        ";" or "semicolon" => ';',
        "tab" or "\\t" or "\t" => '\t',
        "|" or "pipe" => '|',
        _ => throw new UsageException($"--separator must be one of comma, semicolon, tab or pipe (or , ; |) (it is '{text}')."),
    };

    private static string SeparatorName(char c) => c switch { '\t' => "tab", ';' => "';'", '|' => "'|'", _ => "','" };

    private static char DetectSeparator(string line)
    {
        char best = ',';
        int bestCount = line.Count(c => c == ',');
        foreach (char c in new[] { ';', '\t', '|' })
        {
            int count = line.Count(x => x == c);
            if (count > bestCount) (best, bestCount) = (c, count);
        }
        return best;
    }

    /// <summary>The first non-blank line of a CSV file (plain or gzipped), without a byte order mark; null when there is none.</summary>
    private static string? FirstLine(string path)
    {
        using TextReader reader = OpenText(path);
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            string text = line.TrimStart('\uFEFF');
            if (text.Trim().Length > 0) return text;
        }
        return null;
    }

    private static TextReader OpenText(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> magic = stackalloc byte[2];
        int n = ReadUpTo(file, magic);
        file.Position = 0;
        Stream stream = n == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
        return new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
    }

    /// <summary>
    /// A .npy array (rows × columns, or count × height × width images) or the data of an .npz: its arrays train and
    /// test (held out), else its only 2-D or 3-D array, or the one named X, data or samples. Values must be in [0, 1]
    /// after <c>--scale</c> unless <paramref name="realValued"/>.
    /// </summary>
    private static (Dataset Data, Dataset? Test) LoadNumpy(string path, DataKind kind, string? scaleText, bool realValued)
    {
        string name = Display.Quote(path);
        CsvScale scale;
        try
        {
            scale = CsvScale.Parse(scaleText ?? "none");
        }
        catch (ArgumentException)
        {
            throw new UsageException($"--scale must be none, max or a positive number to divide by (it is '{scaleText}').");
        }
        if (kind == DataKind.Npy) return (ToDataset(Npy.Read(path), name, scale, realValued), null);
        IReadOnlyDictionary<string, NpyArray> arrays = Npz.Read(path);
        if (arrays.TryGetValue(NumpyData.TrainName, out NpyArray? trainArray))
        {
            Dataset train = ToDataset(trainArray, $"{name} array '{NumpyData.TrainName}'", scale, realValued);
            if (!arrays.TryGetValue(NumpyData.TestName, out NpyArray? testArray)) return (train, null);
            Dataset test = ToDataset(testArray, $"{name} array '{NumpyData.TestName}'", scale, realValued);
            if (test.FeatureCount != train.FeatureCount)
                throw new UsageException($"--data {name}: array '{NumpyData.TestName}' has {test.FeatureCount} columns but '{NumpyData.TrainName}' has {train.FeatureCount}.");
            return (train, test);
        }
        string[] candidates = arrays.Where(kv => !kv.Value.IsText && kv.Value.Rank is 2 or 3).Select(kv => kv.Key).ToArray();
        string? key = new[] { "X", "data", "samples" }.FirstOrDefault(arrays.ContainsKey) ?? (candidates.Length == 1 ? candidates[0] : null);
        if (key is null)
            throw new UsageException($"--data {name}: cannot tell which array is the data; name it train (and test), X, data or samples " +
                $"(it has {(arrays.Count == 0 ? "no arrays" : string.Join(", ", arrays.Select(kv => $"{Display.Quote(kv.Key)} {kv.Value.ShapeText}")))}).");
        return (ToDataset(arrays[key], name, scale, realValued), null);
    }

    private static Dataset ToDataset(NpyArray array, string name, CsvScale scale, bool realValued)
    {
        if (array.IsText || array.Rank is not (2 or 3) || array.Shape[0] == 0 || array.Length == 0)
            throw new UsageException($"--data {name}: an array of shape {array.ShapeText} is not data; it must be rows × columns or count × height × width, with at least one row.");
        int rows = array.Shape[0], cols = array.Length / rows;
        ReadOnlySpan<float> values = array.Values;
        float divisor = scale.Divisor;
        if (scale.ByMax)
        {
            float max = 0;
            foreach (float v in values) max = Math.Max(max, v);
            divisor = max > 0 ? max : 1;
        }
        var matrix = new Matrix(rows, cols);
        Span<float> target = matrix.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i] / divisor;
            bool ok = realValued ? float.IsFinite(v) : v >= 0f && v <= 1f;
            if (!ok)
            {
                string at = string.Create(CultureInfo.InvariantCulture, $"--data {name}: row {i / cols + 1}, column {i % cols + 1} is {values[i]}");
                throw new UsageException(realValued
                    ? $"{at}; values must be finite."
                    : string.Create(CultureInfo.InvariantCulture, $"{at}{(divisor != 1 ? $" (divided: {v})" : "")}; values must be in [0, 1] (pass --scale max, or --scale N to divide by N; or train Gaussian visible units, --visible gaussian)."));
            }
            target[i] = v;
        }
        return array.Rank == 3 ? new Dataset(matrix, null, array.Shape[2], array.Shape[1]) : new Dataset(matrix);
    }

    /// <summary>A copy of <paramref name="data"/> with every value divided by <paramref name="divisor"/>.</summary>
    private static Dataset Divided(Dataset data, float divisor)
    {
        Matrix m = data.Features.Clone();
        Span<float> values = m.AsSpan();
        for (int i = 0; i < values.Length; i++) values[i] /= divisor;
        return new Dataset(m, null, data.ImageWidth, data.ImageHeight);
    }

    /// <summary>A threshold t on [0, 1] values is byte/255 &gt; t, i.e. byte &gt; ⌊255·t⌋ (0.5 gives the usual pixel &gt; 127).</summary>
    private static byte? ByteThreshold(float? binarize) => binarize is { } t ? (byte)Math.Floor(255 * t) : null;
}
