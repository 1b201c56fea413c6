using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RbmSimd.IO;

/// <summary>
/// The element types the <c>.npy</c> reader accepts, parsed from numpy's <c>descr</c> string
/// (byte order, kind, size: <c>'&lt;f4'</c>), and their conversion to float32.
/// </summary>
/// <remarks>
/// Accepted: little-endian floats <c>f2 f4 f8</c> and booleans <c>b1</c> (read as float32; numpy
/// users often save binarised data as bool), and signed and unsigned integers of 1, 2, 4 and 8 bytes
/// (read exactly as int64; uint64 values above <see cref="long.MaxValue"/> are refused). Rejected
/// with a reason: object arrays (<c>|O</c>, which need pickle), big-endian data, and everything else.
/// </remarks>
internal readonly record struct NpyDtype(char Kind, int Size)
{
    /// <summary>float32 little-endian, the type the writer emits for float arrays.</summary>
    public static NpyDtype Float32 => new('f', 4);

    /// <summary>int64 little-endian, the type the writer emits for integer arrays.</summary>
    public static NpyDtype Int64 => new('i', 8);

    /// <summary>The descr string numpy writes for this type.</summary>
    public string Descr => (Size == 1 ? "|" : "<") + Kind + Size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a descr string, or returns a one-line reason why it is not supported.</summary>
    public static bool TryParse(string descr, out NpyDtype dtype, out string reason)
    {
        dtype = default;
        if (descr.Length < 2)
        {
            reason = $"dtype '{descr}' is not a recognised numpy type";
            return false;
        }
        char order = descr[0];
        string rest = order is '<' or '>' or '|' or '=' ? descr[1..] : descr;
        if (rest.Length > 0 && rest[0] == 'O')
        {
            reason = $"dtype '{descr}' is an object array, which needs pickle; object arrays are refused";
            return false;
        }
        if (rest.Length < 2 || !int.TryParse(rest.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size)
            || !IsSupported(rest[0], size))
        {
            reason = $"dtype '{descr}' is not supported (expected float16/32/64, an integer type or bool)";
            return false;
        }
        // One-byte types have no byte order ('|'); wider ones must say little-endian explicitly,
        // because '=' (native) in a file means whatever machine wrote it.
        bool orderOk = size == 1 ? order is '|' or '<' or '>' or '=' : order == '<';
        if (!orderOk)
        {
            reason = order == '>'
                ? $"dtype '{descr}' is big-endian; only little-endian data is supported"
                : $"dtype '{descr}' does not state little-endian byte order";
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
        _ => false,
    };

    /// <summary>Whether elements are integers, read exactly into <see cref="long"/>s.</summary>
    public bool IsInteger => Kind is 'i' or 'u';

    /// <summary>
    /// Converts <c>destination.Length</c> float or bool elements from little-endian
    /// <paramref name="source"/>. Returns the index of the first float64 value too large for
    /// float32, or −1.
    /// </summary>
    public int Convert(ReadOnlySpan<byte> source, Span<float> destination)
    {
        int n = destination.Length;
        switch (Kind, Size)
        {
            case ('f', 4):
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(source[..(4 * n)]).CopyTo(destination);
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
    public int ConvertIntegers(ReadOnlySpan<byte> source, Span<long> destination)
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
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, long>(source[..(8 * n)]).CopyTo(destination);
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
}
