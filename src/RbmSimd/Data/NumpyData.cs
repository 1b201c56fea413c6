using RbmSimd.IO;
using RbmSimd.Numerics;

namespace RbmSimd.Data;

/// <summary>
/// Loads data sets that numpy users keep as arrays: a <c>.npy</c> file holding one 2-D array, or an <c>.npz</c>
/// archive holding <c>train</c> and optionally <c>test</c> (or a single array of any name). Rows are examples,
/// columns features.
/// </summary>
/// <remarks>
/// <para>
/// Values are kept as read, with no scaling: float16/32/64 as float32, booleans as 0 and 1, integers exactly
/// (an integer whose magnitude exceeds 2²⁴, which float32 cannot hold exactly, is refused). Such data is
/// generally not in [0, 1]: it is meant for Gaussian visible units, usually after a transform from
/// the <c>Preprocessing</c> namespace, or for a caller that scales it.
/// </para>
/// <para>
/// Every problem with a file's contents is an <see cref="InvalidDataException"/> whose one-line message starts
/// with the file's name (and the array's, for <c>.npz</c>): a rank other than 2, an empty array, a NaN or an
/// infinity (with its row and column), no usable array, or a <c>test</c> array whose column count differs
/// from <c>train</c>'s. Malformed files fail in <see cref="Npy"/> or <see cref="Npz"/> with the same kind of message.
/// </para>
/// </remarks>
public static class NumpyData
{
    /// <summary>The name of the training array in an <c>.npz</c> archive.</summary>
    public const string TrainName = "train";

    /// <summary>The name of the optional test array in an <c>.npz</c> archive.</summary>
    public const string TestName = "test";

    /// <summary>The largest integer magnitude float32 represents exactly (2²⁴): larger integers are refused.</summary>
    public const long MaxExactInteger = 1L << 24;

    /// <summary>
    /// Loads a <c>.npy</c> or <c>.npz</c> file, told apart by its first bytes (a zip archive starts with
    /// <c>PK</c>), not its name.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="imageWidth">Image width of every row, or 0 when rows are not images.</param>
    /// <param name="imageHeight">Image height of every row, or 0.</param>
    /// <returns>The training data, and the test data when an <c>.npz</c> holds a <c>test</c> array (else null).</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or width × height differs from the column count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Only one image dimension is given, or one is negative.</exception>
    /// <exception cref="InvalidDataException">The file is not a usable array file (see the remarks).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static (Dataset Train, Dataset? Test) Load(string path, int imageWidth = 0, int imageHeight = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, path, imageWidth, imageHeight);
    }

    /// <summary>Reads a <c>.npy</c> array or an <c>.npz</c> archive from a seekable stream (see <see cref="Load"/>).</summary>
    /// <param name="stream">A readable, seekable stream positioned at the start of the file.</param>
    /// <param name="sourceName">Names the data in error messages (a file name).</param>
    /// <param name="imageWidth">Image width of every row, or 0 when rows are not images.</param>
    /// <param name="imageHeight">Image height of every row, or 0.</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable and seekable, or width × height differs from the column count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Only one image dimension is given, or one is negative.</exception>
    /// <exception cref="InvalidDataException">The data is not a usable array file (see the remarks).</exception>
    public static (Dataset Train, Dataset? Test) Read(Stream stream, string sourceName, int imageWidth = 0, int imageHeight = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanSeek || !stream.CanRead) throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int got = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        if (got == 2 && magic[0] == (byte)'P' && magic[1] == (byte)'K')
            return FromArchive(Npz.Read(stream, sourceName), sourceName, imageWidth, imageHeight);
        return (ToDataset(Npy.Read(stream, sourceName), sourceName, imageWidth, imageHeight), null);
    }

    /// <summary>
    /// Picks the data sets out of an archive's arrays: <c>train</c> and optionally <c>test</c>, or the only array.
    /// </summary>
    /// <exception cref="InvalidDataException">No array qualifies, or an array is not a usable data matrix.</exception>
    internal static (Dataset Train, Dataset? Test) FromArchive(IReadOnlyDictionary<string, NpyArray> arrays, string sourceName, int imageWidth, int imageHeight)
    {
        if (arrays.Count == 0) throw new InvalidDataException($"{sourceName}: holds no arrays.");
        if (!arrays.TryGetValue(TrainName, out NpyArray? train))
        {
            if (arrays.ContainsKey(TestName))
                throw new InvalidDataException($"{sourceName}: has a '{TestName}' array but no '{TrainName}' array.");
            if (arrays.Count > 1)
                throw new InvalidDataException($"{sourceName}: holds arrays {string.Join(", ", arrays.Keys.Select(k => $"'{k}'"))} but none named '{TrainName}'; name the training array '{TrainName}' (and the test array '{TestName}'), or store a single array.");
            KeyValuePair<string, NpyArray> only = arrays.First();
            return (ToDataset(only.Value, $"{sourceName}: array '{only.Key}'", imageWidth, imageHeight), null);
        }
        Dataset trainSet = ToDataset(train, $"{sourceName}: array '{TrainName}'", imageWidth, imageHeight);
        if (!arrays.TryGetValue(TestName, out NpyArray? test)) return (trainSet, null);
        Dataset testSet = ToDataset(test, $"{sourceName}: array '{TestName}'", imageWidth, imageHeight);
        if (testSet.FeatureCount != trainSet.FeatureCount)
            throw new InvalidDataException($"{sourceName}: array '{TestName}' has {testSet.FeatureCount} columns but '{TrainName}' has {trainSet.FeatureCount}.");
        return (trainSet, testSet);
    }

    /// <summary>Checks one array and copies it into a data set.</summary>
    /// <param name="array">The array.</param>
    /// <param name="context">Names the array in error messages, e.g. <c>data.npz: array 'train'</c>.</param>
    /// <param name="imageWidth">Image width of every row, or 0.</param>
    /// <param name="imageHeight">Image height of every row, or 0.</param>
    internal static Dataset ToDataset(NpyArray array, string context, int imageWidth, int imageHeight)
    {
        if (array.Rank != 2)
            throw new InvalidDataException($"{context}: has shape {array.ShapeText}; a data set needs a 2-D array, one example per row.");
        int rows = array.Shape[0], cols = array.Shape[1];
        if (rows == 0 || cols == 0)
            throw new InvalidDataException($"{context}: is empty (shape {array.ShapeText}); a data set needs at least one row and one column.");
        if (array.IsInteger)
        {
            ReadOnlySpan<long> integers = array.Integers;
            for (int i = 0; i < integers.Length; i++)
                if (Math.Abs(integers[i]) > MaxExactInteger)
                    throw new InvalidDataException($"{context}: holds {integers[i]} at row {i / cols}, column {i % cols}; integers beyond ±2^24 cannot be kept exactly as float32.");
        }
        ReadOnlySpan<float> values = array.Values;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidDataException($"{context}: holds {values[i]} at row {i / cols}, column {i % cols}; every value must be finite.");
        return new Dataset(new Matrix(rows, cols, values), labels: null, imageWidth, imageHeight);
    }
}
