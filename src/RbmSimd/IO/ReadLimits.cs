namespace RbmSimd.IO;

/// <summary>
/// Memory limits for the file readers (<see cref="Npy"/>, <see cref="Npz"/>, <see cref="NpzArchive"/>,
/// <see cref="Data.CsvData"/>, <see cref="Data.IdxData"/>), so that a small or hostile file cannot
/// make a reader allocate out of proportion to what a caller expects.
/// </summary>
/// <remarks>
/// <para>Each reader checks the memory a file's declared sizes imply <em>before</em> allocating it,
/// against <see cref="MaxBytes"/>: one <c>.npy</c> file; all arrays read from one <c>.npz</c> archive
/// (by <see cref="Npz.Read(string)"/> or through one <see cref="NpzArchive"/>), and each archive entry's
/// uncompressed size; one IDX file's elements (and, for <see cref="Data.IdxData.Load(string, string?)"/>,
/// the float matrix made from them); the values and labels of one CSV file. Memory is counted as the
/// decoded arrays hold it: 4 bytes per float32 element (float16/32/64 and bool data), 8 per integer
/// element (every integer width is widened to int64), 32 + 4 per code point of width per unicode
/// string element, 1 per IDX byte. A file over the limit is refused with an
/// <see cref="InvalidDataException"/> that names the limit.</para>
/// <para><see cref="MaxLineLength"/> bounds one line of a text file: a CSV line is read in pieces and
/// refused as soon as it passes the limit, so a file with a 200 MB line costs no more than the limit.</para>
/// <para>The defaults (1 GiB, 1 Mi characters) hold every data set and model this project is used with
/// (MNIST as floats is 188 MB); raise them for larger data with <c>ReadLimits.Default with { MaxBytes = … }</c>.</para>
/// </remarks>
public sealed record ReadLimits
{
    /// <summary>The default of <see cref="MaxBytes"/>: 1 GiB.</summary>
    public const long DefaultMaxBytes = 1L << 30;

    /// <summary>The default of <see cref="MaxLineLength"/>: 1,048,576 characters.</summary>
    public const int DefaultMaxLineLength = 1 << 20;

    private readonly long _maxBytes = DefaultMaxBytes;
    private readonly int _maxLineLength = DefaultMaxLineLength;

    /// <summary>The limits the readers use when none are given.</summary>
    public static ReadLimits Default { get; } = new();

    /// <summary>The most memory, in bytes, one read may allocate for the data it returns (see the remarks).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxBytes
    {
        get => _maxBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxBytes));
            _maxBytes = value;
        }
    }

    /// <summary>The longest line, in characters (without its line break), a text reader accepts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxLineLength
    {
        get => _maxLineLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxLineLength));
            _maxLineLength = value;
        }
    }
}
