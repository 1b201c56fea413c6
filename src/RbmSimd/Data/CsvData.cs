using System.Globalization;
using RbmSimd.IO;
using RbmSimd.Numerics;

namespace RbmSimd.Data;

/// <summary>
/// Reads a numeric CSV file as a <see cref="Dataset"/>: one example per line, one feature per cell,
/// optionally a header line and a label in the last column (see <see cref="CsvOptions"/>).
/// </summary>
/// <remarks>
/// <para>Blank lines are skipped; cells are trimmed and parsed with the invariant culture (a dot as
/// the decimal separator, exponents allowed); quoting is not supported. Every row must have the same
/// number of cells. NaN and ∞ are refused, and so are values outside [0, 1] unless
/// <see cref="CsvOptions.Scale"/> says how to rescale them, because Bernoulli visible units model
/// probabilities (<see cref="CsvOptions.AnyFiniteValue"/> lifts that for real-valued data).</para>
/// <para>Every problem with the contents is an <see cref="InvalidDataException"/> whose one-line
/// message names the file, the line and (where it applies) the column, both counted from 1, e.g.
/// <c>data.csv, line 12, column 3: 'abc' is not a number.</c> Cells are quoted with
/// <see cref="UntrustedText.Quote"/>: control characters are escaped and long cells cut short.</para>
/// <para>Memory is limited by <see cref="CsvOptions.Limits"/>: a line longer than
/// <see cref="ReadLimits.MaxLineLength"/> is refused as soon as the reader has seen that many
/// characters of it (lines are read in blocks, never whole), and the values are counted at 8 bytes
/// each (the list they are read into and the matrix made from it; labels likewise) against
/// <see cref="ReadLimits.MaxBytes"/>. The list may reserve up to twice its values while it grows.</para>
/// </remarks>
public static class CsvData
{
    /// <summary>Reads a CSV file.</summary>
    /// <param name="path">The file (UTF-8; a byte order mark is allowed).</param>
    /// <param name="options">Header, label, scaling and image options; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="InvalidDataException">The contents are not a valid numeric data set.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static Dataset Load(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvOptions();
        ValidateOptions(options);
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, options);
    }

    /// <summary>Reads CSV text from <paramref name="reader"/>.</summary>
    /// <param name="reader">The text, read to its end.</param>
    /// <param name="sourceName">Names the data in error messages (e.g. a file name).</param>
    /// <param name="options">Header, label, scaling and image options; defaults when null.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="InvalidDataException">The contents are not a valid numeric data set.</exception>
    public static Dataset Read(TextReader reader, string sourceName, CsvOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourceName);
        options ??= new CsvOptions();
        ValidateOptions(options);

        char sep = options.Separator;
        CsvScale scale = options.Scale;
        long maxBytes = options.Limits.MaxBytes;
        var values = new List<float>();
        List<int>? labels = options.LastColumnIsLabel ? [] : null;
        int columns = -1, columnsLine = 0, rows = 0, lineNumber = 0;
        bool first = true;
        float max = 0f;
        var lines = new BoundedLineReader(reader, options.Limits.MaxLineLength, sourceName);
        while (lines.TryReadLine(out ReadOnlySpan<char> text))
        {
            lineNumber = lines.LineNumber;
            if (first) text = text.TrimStart('\uFEFF');
            if (text.Trim().IsEmpty) continue;
            int cellCount = text.Count(sep) + 1;
            if (first)
            {
                first = false;
                if (IsHeader(text, sep, options.HasHeader, sourceName, lineNumber))
                {
                    columns = cellCount;
                    columnsLine = lineNumber;
                    continue;
                }
            }
            if (columns < 0)
            {
                columns = cellCount;
                columnsLine = lineNumber;
                if (options.LastColumnIsLabel && columns < 2)
                    throw Error(sourceName, lineNumber, $"has {columns} column, but a label column needs at least one feature column beside it");
            }
            else if (cellCount != columns)
            {
                throw Error(sourceName, lineNumber, $"has {cellCount} columns but line {columnsLine} has {columns}");
            }

            // Before parsing the row: the values so far and this row's, 8 bytes each (list and matrix).
            long memory = 2L * sizeof(float) * ((long)values.Count + (labels?.Count ?? 0) + columns);
            if (memory > maxBytes)
                throw Error(sourceName, lineNumber, $"the data up to this line needs {memory} bytes of memory, more than the read limit of {maxBytes} bytes (ReadLimits.MaxBytes)");

            int column = 0;
            foreach (Range range in text.Split(sep))
            {
                column++;
                ReadOnlySpan<char> cell = text[range].Trim();
                double d = ParseCell(cell, sourceName, lineNumber, column);
                if (labels is not null && column == columns)
                {
                    if (d != Math.Floor(d) || d < 0 || d > int.MaxValue)
                        throw Error(sourceName, lineNumber, column, $"label {UntrustedText.Quote(cell)} is not a non-negative integer");
                    labels.Add((int)d);
                    continue;
                }
                float v = (float)d;
                if (scale.ByMax)
                {
                    if (v < 0f)
                        throw Error(sourceName, lineNumber, column, $"value {UntrustedText.Quote(cell)} is negative; scaling by the maximum needs non-negative values");
                    max = Math.Max(max, v);
                }
                else
                {
                    v /= scale.Divisor;
                    if (!options.AnyFiniteValue && !(v >= 0f && v <= 1f))
                        throw Error(sourceName, lineNumber, column, scale.Divisor == 1f
                            ? $"value {UntrustedText.Quote(cell)} is outside [0, 1]; rescale the data (scale 'max' or a divisor such as 255)"
                            : $"value {UntrustedText.Quote(cell)} divided by {scale} is outside [0, 1]");
                }
                values.Add(v);
            }
            rows++;
        }
        if (rows == 0) throw new InvalidDataException($"{sourceName}: has no data rows.");

        // v ≤ max implies v / max ≤ 1 exactly: IEEE division is correctly rounded and 1 is representable.
        if (scale.ByMax && max > 0f)
        {
            Span<float> all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values);
            for (int i = 0; i < all.Length; i++) all[i] /= max;
        }
        int featureCount = labels is null ? columns : columns - 1;
        var features = new Matrix(rows, featureCount, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values));
        (int width, int height) = ImageShape(options, featureCount, sourceName);
        return Dataset.FromOwned(features, labels?.ToArray(), width, height);
    }

    private static bool IsHeader(ReadOnlySpan<char> text, char sep, bool? hasHeader, string source, int lineNumber)
    {
        if (hasHeader is bool known) return known;
        int column = 0, numeric = 0, firstText = 0;
        foreach (Range range in text.Split(sep))
        {
            column++;
            if (double.TryParse(text[range].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _)) numeric++;
            else if (firstText == 0) firstText = column;
        }
        if (numeric == 0) return true;
        if (firstText == 0) return false;
        // Partly numeric: more likely a typo in the first data row than a header; say so rather than guess.
        ReadOnlySpan<char> cell = Cell(text, sep, firstText);
        throw Error(source, lineNumber, firstText,
            $"{UntrustedText.Quote(cell)} is not a number (a header line may hold no numbers; set the header option to say whether there is one)");
    }

    private static ReadOnlySpan<char> Cell(ReadOnlySpan<char> text, char sep, int column)
    {
        int c = 0;
        foreach (Range range in text.Split(sep))
            if (++c == column) return text[range].Trim();
        return default;
    }

    private static double ParseCell(ReadOnlySpan<char> cell, string source, int line, int column)
    {
        if (cell.IsEmpty) throw Error(source, line, column, "the cell is empty");
        if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            throw Error(source, line, column, $"{UntrustedText.Quote(cell)} is not a number");
        if (!double.IsFinite(d)) throw Error(source, line, column, $"{UntrustedText.Quote(cell)} is not finite");
        if (float.IsInfinity((float)d)) throw Error(source, line, column, $"{UntrustedText.Quote(cell)} is too large for float32");
        return d;
    }

    private static (int Width, int Height) ImageShape(CsvOptions options, int featureCount, string source)
    {
        if (options.ImageWidth > 0)
        {
            if ((long)options.ImageWidth * options.ImageHeight != featureCount)
                throw new InvalidDataException($"{source}: has {featureCount} feature columns, which is not a {options.ImageWidth}x{options.ImageHeight} image.");
            return (options.ImageWidth, options.ImageHeight);
        }
        int side = (int)Math.Round(Math.Sqrt(featureCount));
        return side * side == featureCount ? (side, side) : (0, 0);
    }

    private static void ValidateOptions(CsvOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Scale, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Limits, nameof(options));
        char sep = options.Separator;
        if (char.IsAsciiDigit(sep) || sep is '.' or '-' or '+' or 'e' or 'E' or '\r' or '\n' or ' ')
            throw new ArgumentException($"{UntrustedText.Quote([sep])} cannot separate numeric cells.", nameof(options));
        if (options.ImageWidth < 0 || options.ImageHeight < 0 || (options.ImageWidth == 0) != (options.ImageHeight == 0))
            throw new ArgumentException("Give both image dimensions (positive) or neither.", nameof(options));
    }

    private static InvalidDataException Error(string source, int line, string problem) =>
        new($"{source}, line {line}: {problem}.");

    private static InvalidDataException Error(string source, int line, int column, string problem) =>
        new($"{source}, line {line}, column {column}: {problem}.");
}
