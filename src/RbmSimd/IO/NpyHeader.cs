using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace RbmSimd.IO;

/// <summary>
/// The preamble and header of a <c>.npy</c> file: reading with validation, and writing.
/// </summary>
/// <remarks>
/// Format (numpy's <c>numpy.lib.format</c>, versions 1.0, 2.0 and 3.0):
/// <code>
/// offset 0  "\x93NUMPY"                 magic, 6 bytes
/// offset 6  major, minor                1 byte each
/// offset 8  HEADER_LEN                  uint16 LE (v1) or uint32 LE (v2, v3)
/// then      HEADER_LEN bytes            a Python dict literal, padded with spaces, ending in '\n':
///           {'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }
/// then      the raw elements            C order unless fortran_order is True
/// </code>
/// The dict is parsed by a small strict parser (no eval): exactly the three keys, string / bool /
/// tuple-of-integers values. The writer pads so the data starts at a multiple of 64 bytes, as numpy does.
/// </remarks>
internal sealed class NpyHeader
{
    /// <summary>
    /// Longest header accepted. numpy's own reader refuses more than 10,000 bytes by default; real
    /// headers are under 200. The cap keeps a hostile length field from causing a large allocation.
    /// </summary>
    public const int MaxHeaderLength = 65_536;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int DataAlignment = 64;

    private NpyHeader(NpyDtype dtype, bool fortranOrder, int[] shape, long elementCount)
    {
        Dtype = dtype;
        FortranOrder = fortranOrder;
        Shape = shape;
        ElementCount = elementCount;
    }

    public NpyDtype Dtype { get; }

    public bool FortranOrder { get; }

    public int[] Shape { get; }

    public long ElementCount { get; }

    /// <summary>
    /// Reads and validates the preamble and header from <paramref name="stream"/>, which holds
    /// <paramref name="length"/> bytes in all. Checks that the shape's byte size is exactly what
    /// remains, and reserves the decoded array's memory from <paramref name="budget"/>, before anyone
    /// allocates for the data.
    /// </summary>
    /// <exception cref="InvalidDataException">The header is malformed, unsupported, inconsistent with <paramref name="length"/>, or the array exceeds the budget.</exception>
    public static NpyHeader Read(Stream stream, long length, string source, MemoryBudget budget)
    {
        Span<byte> preamble = stackalloc byte[12];
        if (length < 10 || ReadFully(stream, preamble[..10]) < 10)
            throw Error(source, "is too short to be a .npy array (no complete header)");
        if (!preamble[..6].SequenceEqual(Magic))
            throw Error(source, "is not a .npy array (the magic string \\x93NUMPY is missing)");
        byte major = preamble[6], minor = preamble[7];
        long headerLength;
        int preambleLength;
        if (major == 1 && minor == 0)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..]);
            preambleLength = 10;
        }
        else if ((major == 2 || major == 3) && minor == 0)
        {
            if (length < 12 || ReadFully(stream, preamble[10..12]) < 2)
                throw Error(source, "is truncated inside the .npy preamble");
            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
            preambleLength = 12;
        }
        else
        {
            throw Error(source, $"has .npy format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are supported");
        }

        if (headerLength > MaxHeaderLength)
            throw Error(source, $"has a .npy header of {headerLength} bytes, more than the limit of {MaxHeaderLength}");
        if (headerLength > length - preambleLength)
            throw Error(source, $"is truncated: the .npy header claims {headerLength} bytes but only {length - preambleLength} follow");
        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerLength)
            throw Error(source, "is truncated inside the .npy header");

        // Versions 1 and 2 use latin-1 headers, version 3 UTF-8; the keys and values we accept are ASCII
        // either way, so anything else is an error rather than something to decode.
        foreach (byte b in headerBytes)
            if (b > 0x7E || (b < 0x20 && b != (byte)'\n' && b != (byte)'\t' && b != (byte)'\r'))
                throw Error(source, $"has a .npy header with a non-ASCII or control byte 0x{b:X2}");
        string text = Encoding.ASCII.GetString(headerBytes);

        var parser = new DictParser(text, source);
        var (descr, fortranOrder, shapeValues) = parser.ParseHeaderDict();

        if (!NpyDtype.TryParse(descr, out NpyDtype dtype, out string reason))
            throw Error(source, reason);
        if (shapeValues.Count > NpyArray.MaxRank)
            throw Error(source, $"has rank {shapeValues.Count}, more than the limit of {NpyArray.MaxRank}");

        string shapeText = "(" + string.Join(", ", shapeValues) + (shapeValues.Count == 1 ? ",)" : ")");
        var shape = new int[shapeValues.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            // Dimensions arrive as arbitrary-precision text; they were parsed into decimal-range
            // longs, so compare before narrowing.
            long d = shapeValues[i];
            if (d < 0) throw Error(source, $"has shape {shapeText} with a negative dimension");
            if (d > int.MaxValue) throw Error(source, $"has shape {shapeText}, too large for this reader");
            shape[i] = (int)d;
        }
        // Any zero dimension makes the array empty, whatever the others claim.
        if (Array.IndexOf(shape, 0) < 0)
            foreach (int d in shape)
            {
                if (count > Array.MaxLength / d)
                {
                    // Only for the message: the exact product may not fit a long, a double always does.
                    double claimed = 1;
                    foreach (int e in shape) claimed *= e;
                    throw Error(source, $"is corrupt or too large: shape {shapeText} has {claimed.ToString("G3", CultureInfo.InvariantCulture)} elements, more than a .NET array can hold, and only {length - preambleLength - headerLength} bytes of data follow the header");
                }
                count *= d;
            }
        else count = 0;

        long dataOffset = preambleLength + headerLength;
        long available = length - dataOffset;
        // ItemSize <= 2^31 and count <= Array.MaxLength, so the product fits a long.
        long needed = count * dtype.ItemSize;
        if (needed > available)
            throw Error(source, $"is truncated or corrupt: shape {shapeText} of {dtype.Descr} needs {needed} bytes of data but only {available} follow the header");
        if (needed < available)
            throw Error(source, $"is corrupt: shape {shapeText} of {dtype.Descr} needs {needed} bytes of data but {available} follow the header");
        // The memory the decoded array takes, checked before anyone allocates it: elements may be
        // wider in memory than in the file (int8 becomes int64), and zero-byte elements ('<U0') take
        // memory that the file's size does not bound. Reordering Fortran data holds two copies.
        // MemoryBytesPerElement <= 2^33 and count <= 2^31: no overflow.
        bool reorder = fortranOrder && shape.Length > 1;
        budget.Reserve(count * dtype.MemoryBytesPerElement * (reorder ? 2 : 1), source, $"shape {shapeText} of {dtype.Descr}{(reorder ? " in Fortran order" : "")}");
        return new NpyHeader(dtype, fortranOrder, shape, count);
    }

    /// <summary>The preamble and header for a C-order little-endian array, padded so the data starts at a multiple of 64.</summary>
    public static byte[] Format(ReadOnlySpan<int> shape, NpyDtype dtype)
    {
        var dict = new StringBuilder("{'descr': '")
            .Append(dtype.Descr)
            .Append("', 'fortran_order': False, 'shape': ")
            .Append(NpyArray.FormatShape(shape))
            .Append(", }");
        const int PreambleLength = 10; // version 1.0
        int unpadded = PreambleLength + dict.Length + 1; // +1 for the closing '\n'
        int padding = (DataAlignment - unpadded % DataAlignment) % DataAlignment;
        dict.Append(' ', padding).Append('\n');
        // Rank is capped at NpyArray.MaxRank and each dimension has at most 10 digits, so the header
        // is under 500 bytes and always fits version 1.0's 16-bit length field.
        int headerLength = dict.Length;
        var bytes = new byte[PreambleLength + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        Encoding.ASCII.GetBytes(dict.ToString(), bytes.AsSpan(PreambleLength));
        return bytes;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    public static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static InvalidDataException Error(string source, string problem) => new($"{source}: {problem}.");

    /// <summary>
    /// A strict parser for the header's Python dict literal: string keys, and string, True/False or
    /// tuple-of-integer values. Anything else (lists, nested dicts, expressions) is an error.
    /// </summary>
    private ref struct DictParser(string text, string source)
    {
        private readonly string _text = text;
        private readonly string _source = source;
        private int _pos;

        public (string Descr, bool FortranOrder, List<long> Shape) ParseHeaderDict()
        {
            string? descr = null;
            bool? fortran = null;
            List<long>? shape = null;
            Expect('{');
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') break;
                string key = ParseString();
                Expect(':');
                SkipSpace();
                switch (key)
                {
                    case "descr":
                        if (descr is not null) throw Fail("repeats the key 'descr'");
                        if (Peek() is '[' or '{') throw Fail("has a structured dtype, which is not supported");
                        descr = ParseString();
                        break;
                    case "fortran_order":
                        if (fortran is not null) throw Fail("repeats the key 'fortran_order'");
                        fortran = ParseBool();
                        break;
                    case "shape":
                        if (shape is not null) throw Fail("repeats the key 'shape'");
                        shape = ParseShape();
                        break;
                    default:
                        throw Fail($"has an unexpected key {UntrustedText.Quote(key)}");
                }
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                if (Peek() != '}') throw Fail("is not a well-formed dict (expected ',' or '}')");
            }
            _pos++;
            SkipSpace();
            if (_pos != _text.Length) throw Fail("has text after the closing '}'");
            if (descr is null) throw Fail("lacks the key 'descr'");
            if (fortran is null) throw Fail("lacks the key 'fortran_order'");
            if (shape is null) throw Fail("lacks the key 'shape'");
            return (descr, fortran.Value, shape);
        }

        private List<long> ParseShape()
        {
            var dims = new List<long>();
            Expect('(');
            bool sawComma = false;
            while (true)
            {
                SkipSpace();
                if (Peek() == ')') break;
                if (dims.Count > NpyArray.MaxRank) throw Fail($"has a shape with more than {NpyArray.MaxRank} dimensions");
                dims.Add(ParseInteger());
                SkipSpace();
                if (Peek() == ',') { _pos++; sawComma = true; continue; }
                sawComma = false;
                if (Peek() != ')') throw Fail("has a malformed shape tuple");
            }
            _pos++;
            // In Python "(3)" is the integer 3, not a tuple; numpy rejects it, and so do we.
            if (dims.Count == 1 && !sawComma) throw Fail("has a shape that is not a tuple");
            return dims;
        }

        private long ParseInteger()
        {
            int start = _pos;
            if (Peek() is '-' or '+') _pos++;
            int digitsStart = _pos;
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos])) _pos++;
            if (_pos == digitsStart) throw Fail("has a shape entry that is not an integer");
            ReadOnlySpan<char> digits = _text.AsSpan(start, _pos - start);
            // Old Python 2 files write long integers as "3L".
            if (Peek() == 'L') _pos++;
            // Anything that does not fit a long is absurd for a dimension; map it to a value the
            // caller reports as "too large" (or "negative") instead of failing here with less context.
            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                value = digits[0] == '-' ? -1 : long.MaxValue;
            return value;
        }

        private bool ParseBool()
        {
            if (Match("True")) return true;
            if (Match("False")) return false;
            throw Fail("has a fortran_order that is neither True nor False");
        }

        private string ParseString()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"')) throw Fail("is not a well-formed dict (expected a quoted string)");
            int start = ++_pos;
            while (_pos < _text.Length && _text[_pos] != quote)
            {
                // Escapes never occur in the keys and dtypes we accept; refusing them keeps the parser simple.
                if (_text[_pos] == '\\') throw Fail("has an escape sequence in a string");
                _pos++;
            }
            if (_pos >= _text.Length) throw Fail("has an unterminated string");
            return _text[start.._pos++];
        }

        private bool Match(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0) return false;
            _pos += word.Length;
            return true;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c) throw Fail($"is not a well-formed dict (expected '{c}')");
            _pos++;
        }

        private readonly char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\n' or '\r') _pos++;
        }

        private readonly InvalidDataException Fail(string problem) => Error(_source, $"has a bad .npy header: it {problem}");
    }
}
