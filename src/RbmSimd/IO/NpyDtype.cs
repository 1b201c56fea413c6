using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RbmSimd.IO;

/// <summary>
/// The element types the <c>.npy</c> reader accepts, parsed from numpy's <c>descr</c> string
/// (byte order, kind, size: <c>'&lt;f4'</c>), and their conversion to float32, int64 or text.
/// </summary>
/// <remarks>
/// <para>Accepted: little-endian floats <c>f2 f4 f8</c> and booleans <c>b1</c> (read as float32; numpy
/// users often save binarised data as bool), signed and unsigned integers of 1, 2, 4 and 8 bytes
/// (read exactly as int64; uint64 values above <see cref="long.MaxValue"/> are refused), and
/// little-endian unicode strings <c>&lt;U<em>n</em></c> (read as .NET strings). Rejected
/// with a reason: object arrays (<c>|O</c>, which need pickle), big-endian data, and everything else.</para>
/// <para><see cref="Size"/> is numpy's number in the descr: bytes per element for numbers, code points
/// per element for unicode strings (<c>'&lt;U18'</c> is 18 code points of 4 bytes each, UCS-4,
/// NUL-padded); <see cref="ItemSize"/> is always bytes.</para>
/// </remarks>
internal readonly record struct NpyDtype(char Kind, int Size)
{
    /// <summary>
    /// The most code points per element accepted in a unicode string type, so that an element's byte
    /// size (4 per code point) fits an <see cref="int"/>.
    /// </summary>
    public const int MaxTextChars = int.MaxValue / 4;

    /// <summary>The highest Unicode code point.</summary>
    private const uint MaxCodePoint = 0x10FFFF;

    /// <summary>float32 little-endian, the type the writer emits for float arrays.</summary>
    public static NpyDtype Float32 => new('f', 4);

    /// <summary>int64 little-endian, the type the writer emits for integer arrays.</summary>
    public static NpyDtype Int64 => new('i', 8);

    /// <summary>A little-endian UCS-4 string type of <paramref name="chars"/> code points per element (<c>'&lt;U<em>chars</em>'</c>).</summary>
    public static NpyDtype Unicode(int chars) => new('U', chars);

    /// <summary>The descr string numpy writes for this type.</summary>
    public string Descr => (Kind != 'U' && Size == 1 ? "|" : "<") + Kind + Size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Bytes per element in the file.</summary>
    public int ItemSize => Kind == 'U' ? 4 * Size : Size;

    /// <summary>Whether elements are unicode strings, read as .NET strings.</summary>
    public bool IsText => Kind == 'U';

    /// <summary>
    /// Bytes of memory one decoded element takes, as <see cref="ReadLimits"/> counts it: 4 for a
    /// float32 (any float or bool type), 8 for an int64 (any integer type), and for a string a
    /// reference and a string object of at most two UTF-16 units per code point: 32 + 4 × width.
    /// </summary>
    public long MemoryBytesPerElement => Kind switch
    {
        'i' or 'u' => sizeof(long),
        'U' => 32 + 4L * Size,
        _ => sizeof(float),
    };

    /// <summary>Parses a descr string, or returns a one-line reason why it is not supported.</summary>
    public static bool TryParse(string descr, out NpyDtype dtype, out string reason)
    {
        dtype = default;
        if (descr.Length < 2)
        {
            reason = $"dtype {UntrustedText.Quote(descr)} is not a recognised numpy type";
            return false;
        }
        char order = descr[0];
        string rest = order is '<' or '>' or '|' or '=' ? descr[1..] : descr;
        // descr has at least two characters, so rest has at least one.
        if (rest[0] == 'O')
        {
            reason = $"dtype {UntrustedText.Quote(descr)} is an object array, which needs pickle; object arrays are refused";
            return false;
        }
        if (rest.Length < 2 || !int.TryParse(rest.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size)
            || !IsSupported(rest[0], size))
        {
            reason = $"dtype {UntrustedText.Quote(descr)} is not supported (expected float16/32/64, an integer type, bool or a unicode string)";
            return false;
        }
        // One-byte numbers have no byte order (numpy writes '|', any mark or none means the same);
        // wider ones must say little-endian explicitly, because '=' (native) in a file means
        // whatever machine wrote it. numpy writes unicode strings as '<U…' whatever their length
        // (even '<U0').
        bool orderOk = (size == 1 && rest[0] != 'U') || order == '<';
        if (!orderOk)
        {
            reason = order == '>'
                ? $"dtype {UntrustedText.Quote(descr)} is big-endian; only little-endian data is supported"
                : $"dtype {UntrustedText.Quote(descr)} does not state little-endian byte order";
            return false;
        }
        dtype = new NpyDtype(rest[0], size);
        reason = "";
        return true;
    }

    private static bool IsSupported(char kind, int size) => kind switch
    {
        'f' => size is 2 or 4 or 8,
        'i' or 'u' => size is 1 or 2 or 4 or 8,
        'b' => size == 1,
        'U' => size <= MaxTextChars,
        _ => false,
    };

    /// <summary>Whether elements are integers, read exactly into <see cref="long"/>s.</summary>
    public bool IsInteger => Kind is 'i' or 'u';

    /// <summary>
    /// Converts <c>destination.Length</c> float or bool elements from little-endian
    /// <paramref name="source"/>. Returns the index of the first float64 value too large for
    /// float32, or −1.
    /// </summary>
    public int Convert(ReadOnlySpan<byte> source, Span<float> destination) => Convert(source, destination, BitConverter.IsLittleEndian);

    /// <inheritdoc cref="Convert(ReadOnlySpan{byte}, Span{float})"/>
    /// <param name="source">The little-endian elements.</param>
    /// <param name="destination">Where the converted elements go.</param>
    /// <param name="copyNative">
    /// Copy float32 data as it lies, which is right only on a little-endian host; false takes the
    /// portable element-by-element path, right on any host (so tests run it everywhere).
    /// </param>
    internal int Convert(ReadOnlySpan<byte> source, Span<float> destination, bool copyNative)
    {
        int n = destination.Length;
        switch (Kind, Size)
        {
            case ('f', 4):
                if (copyNative) MemoryMarshal.Cast<byte, float>(source[..(4 * n)]).CopyTo(destination);
                else for (int i = 0; i < n; i++) destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                return -1;
            case ('f', 8):
                for (int i = 0; i < n; i++)
                {
                    double d = BinaryPrimitives.ReadDoubleLittleEndian(source[(8 * i)..]);
                    float f = (float)d;
                    // NaN and ±∞ stay as they are (the caller decides whether they are allowed);
                    // a finite double that becomes ∞ would silently change the data, so refuse it.
                    if (float.IsInfinity(f) && double.IsFinite(d)) return i;
                    destination[i] = f;
                }
                return -1;
            case ('f', 2):
                for (int i = 0; i < n; i++) destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(2 * i)..]);
                return -1;
            case ('b', 1):
                // numpy stores bool as one byte 0 or 1; any non-zero byte reads as true.
                for (int i = 0; i < n; i++) destination[i] = source[i] != 0 ? 1f : 0f;
                return -1;
            default:
                throw new InvalidOperationException($"Unreachable: dtype {Descr} is not a float type.");
        }
    }

    /// <summary>
    /// Converts <c>destination.Length</c> integer elements from little-endian
    /// <paramref name="source"/>. Returns the index of the first uint64 value above
    /// <see cref="long.MaxValue"/>, or −1.
    /// </summary>
    public int ConvertIntegers(ReadOnlySpan<byte> source, Span<long> destination) => ConvertIntegers(source, destination, BitConverter.IsLittleEndian);

    /// <inheritdoc cref="ConvertIntegers(ReadOnlySpan{byte}, Span{long})"/>
    /// <param name="source">The little-endian elements.</param>
    /// <param name="destination">Where the converted elements go.</param>
    /// <param name="copyNative">Copy int64 data as it lies (little-endian hosts only); false takes the portable path.</param>
    internal int ConvertIntegers(ReadOnlySpan<byte> source, Span<long> destination, bool copyNative)
    {
        int n = destination.Length;
        switch (Kind, Size)
        {
            case ('i', 1):
                for (int i = 0; i < n; i++) destination[i] = (sbyte)source[i];
                return -1;
            case ('u', 1):
                for (int i = 0; i < n; i++) destination[i] = source[i];
                return -1;
            case ('i', 2):
                for (int i = 0; i < n; i++) destination[i] = BinaryPrimitives.ReadInt16LittleEndian(source[(2 * i)..]);
                return -1;
            case ('u', 2):
                for (int i = 0; i < n; i++) destination[i] = BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]);
                return -1;
            case ('i', 4):
                for (int i = 0; i < n; i++) destination[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]);
                return -1;
            case ('u', 4):
                for (int i = 0; i < n; i++) destination[i] = BinaryPrimitives.ReadUInt32LittleEndian(source[(4 * i)..]);
                return -1;
            case ('i', 8):
                if (copyNative) MemoryMarshal.Cast<byte, long>(source[..(8 * n)]).CopyTo(destination);
                else for (int i = 0; i < n; i++) destination[i] = BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]);
                return -1;
            case ('u', 8):
                for (int i = 0; i < n; i++)
                {
                    ulong u = BinaryPrimitives.ReadUInt64LittleEndian(source[(8 * i)..]);
                    if (u > long.MaxValue) return i;
                    destination[i] = (long)u;
                }
                return -1;
            default:
                throw new InvalidOperationException($"Unreachable: dtype {Descr} is not an integer type.");
        }
    }

    /// <summary>
    /// Decodes <c>destination.Length</c> unicode string elements (UCS-4 little-endian, <see cref="Size"/>
    /// code points each, NUL-padded) from <paramref name="source"/>. Trailing NULs are padding and are
    /// dropped, as numpy drops them; NULs before the last other code point are kept. Returns the index
    /// of the first element holding a code point that is not a Unicode scalar value (a surrogate or
    /// above U+10FFFF), with that code point in <paramref name="invalid"/>, or −1.
    /// </summary>
    public int ConvertTexts(ReadOnlySpan<byte> source, Span<string> destination, out uint invalid)
    {
        invalid = 0;
        int chars = Size;
        // At most two UTF-16 units per code point.
        char[] scratch = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(1, 2 * chars));
        try
        {
            for (int i = 0; i < destination.Length; i++)
            {
                ReadOnlySpan<byte> item = source.Slice(i * ItemSize, ItemSize);
                int used = chars;
                while (used > 0 && BinaryPrimitives.ReadUInt32LittleEndian(item[(4 * (used - 1))..]) == 0) used--;
                int n = 0;
                for (int k = 0; k < used; k++)
                {
                    uint cp = BinaryPrimitives.ReadUInt32LittleEndian(item[(4 * k)..]);
                    if (!IsScalarValue(cp))
                    {
                        invalid = cp;
                        return i;
                    }
                    n += new System.Text.Rune(cp).EncodeToUtf16(scratch.AsSpan(n));
                }
                destination[i] = new string(scratch, 0, n);
            }
            return -1;
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(scratch);
        }
    }

    /// <summary>Whether <paramref name="codePoint"/> is a Unicode scalar value (not a surrogate, at most U+10FFFF).</summary>
    public static bool IsScalarValue(uint codePoint) => codePoint <= MaxCodePoint && codePoint is not (>= 0xD800 and <= 0xDFFF);
}
