using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RbmSimd.IO;

/// <summary>
/// Reads and writes numpy's <c>.npy</c> array files.
/// </summary>
/// <remarks>
/// <para>The writer emits format version 1.0, little-endian float32 (<c>'&lt;f4'</c>; int64
/// <c>'&lt;i8'</c> for integer arrays, UCS-4 <c>'&lt;U<em>n</em>'</c> for text arrays), C order, with
/// the data starting at a multiple of 64 bytes; <c>numpy.load(path, allow_pickle=False)</c> reads it.</para>
/// <para>The reader accepts versions 1.0–3.0; little-endian float16/32/64 and bool element types
/// (converted to float32; a float64 value too large for float32 is an error, not ∞), integer
/// types (read exactly, see <see cref="NpyArray.IsInteger"/>) and unicode strings (see
/// <see cref="NpyArray.IsText"/>; a code point that is a surrogate or above U+10FFFF is an error); and both
/// C and Fortran order (Fortran-order data is reordered to C order). It checks every length and the
/// shape against the bytes actually present <em>before</em> allocating for the data, so a hostile
/// header cannot make it allocate more than the file's own size.</para>
/// <para>The decoded array's memory (see <see cref="ReadLimits"/>) is checked against
/// <see cref="ReadLimits.MaxBytes"/> before it is allocated: <see cref="ReadLimits.Default"/> unless
/// the caller passes limits.</para>
/// <para>Every problem with a file's contents is reported as an <see cref="InvalidDataException"/>
/// whose one-line message starts with the file's name; file-system failures stay
/// <see cref="IOException"/>s.</para>
/// </remarks>
public static class Npy
{
    // Data is converted in slices of this many bytes so float64 input never needs a second full-size buffer.
    private const int ChunkBytes = 1 << 16;

    /// <summary>Reads a <c>.npy</c> file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid, supported <c>.npy</c> array.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static NpyArray Read(string path) => Read(path, ReadLimits.Default);

    /// <summary>Reads a <c>.npy</c> file within the given memory limit.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">The memory limit for the decoded array.</param>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid, supported <c>.npy</c> array, or the array exceeds <see cref="ReadLimits.MaxBytes"/>.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static NpyArray Read(string path, ReadLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(limits);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, stream.Length, path, verifyEnd: false, MemoryBudget.For(limits));
    }

    /// <summary>Reads a <c>.npy</c> array from the current position of a seekable stream to its end.</summary>
    /// <param name="stream">A seekable, readable stream.</param>
    /// <param name="sourceName">Names the data in error messages (e.g. a file name).</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not seekable or not readable.</exception>
    /// <exception cref="InvalidDataException">The bytes are not a valid, supported <c>.npy</c> array.</exception>
    public static NpyArray Read(Stream stream, string sourceName) => Read(stream, sourceName, ReadLimits.Default);

    /// <summary>Reads a <c>.npy</c> array from the current position of a seekable stream to its end, within the given memory limit.</summary>
    /// <param name="stream">A seekable, readable stream.</param>
    /// <param name="sourceName">Names the data in error messages (e.g. a file name).</param>
    /// <param name="limits">The memory limit for the decoded array.</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not seekable or not readable.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">The bytes are not a valid, supported <c>.npy</c> array, or the array exceeds <see cref="ReadLimits.MaxBytes"/>.</exception>
    public static NpyArray Read(Stream stream, string sourceName, ReadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(limits);
        // Without a known length the element count could not be checked before allocating.
        if (!stream.CanSeek || !stream.CanRead) throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
        return Read(stream, stream.Length - stream.Position, sourceName, verifyEnd: false, MemoryBudget.For(limits));
    }

    /// <summary>Writes a <c>.npy</c> file atomically (see <see cref="AtomicFile"/>).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    public static void Write(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        AtomicFile.Write(path, stream => Write(stream, array));
    }

    /// <summary>Writes a <c>.npy</c> array (version 1.0, C order; <c>'&lt;f4'</c>, <c>'&lt;i8'</c> for integer arrays, <c>'&lt;U<em>n</em>'</c> for text arrays) to a stream.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        Write(stream, array, BitConverter.IsLittleEndian);
    }

    /// <summary>Writes an array; <paramref name="copyNative"/> as in <see cref="WriteLittleEndian(Stream, ReadOnlySpan{float}, bool)"/>.</summary>
    internal static void Write(Stream stream, NpyArray array, bool copyNative)
    {
        if (array.IsText)
        {
            WriteTexts(stream, array);
        }
        else if (array.IsInteger)
        {
            stream.Write(NpyHeader.Format(array.Shape, NpyDtype.Int64));
            WriteLittleEndian(stream, array.Integers, copyNative);
        }
        else
        {
            stream.Write(NpyHeader.Format(array.Shape, NpyDtype.Float32));
            WriteLittleEndian(stream, array.Values, copyNative);
        }
    }

    /// <summary>Writes a text array as <c>'&lt;U<em>n</em>'</c>: each element as <em>n</em> UCS-4 little-endian code points, NUL-padded.</summary>
    private static void WriteTexts(Stream stream, NpyArray array)
    {
        ReadOnlySpan<string> texts = array.Texts;
        // numpy gives even an array of empty strings (or no strings) one code point per element.
        int width = 1;
        foreach (string t in texts) width = Math.Max(width, NpyArray.CodePointCount(t));
        stream.Write(NpyHeader.Format(array.Shape, NpyDtype.Unicode(width)));
        int itemSize = 4 * width;
        // Whole elements per buffer, at least one even when an element is larger than a chunk.
        int perBuffer = Math.Max(1, ChunkBytes / itemSize);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(perBuffer * itemSize);
        try
        {
            for (int start = 0; start < texts.Length; start += perBuffer)
            {
                int n = Math.Min(perBuffer, texts.Length - start);
                Span<byte> span = buffer.AsSpan(0, n * itemSize);
                span.Clear();
                for (int i = 0; i < n; i++)
                {
                    int offset = i * itemSize;
                    // NpyArray only holds well-formed strings, so every rune is a scalar value.
                    foreach (System.Text.Rune rune in texts[start + i].EnumerateRunes())
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(span[offset..], (uint)rune.Value);
                        offset += 4;
                    }
                }
                stream.Write(span);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes float32 values little-endian: as they lie in memory when <paramref name="copyNative"/> (little-endian hosts), else element by element (any host).</summary>
    internal static void WriteLittleEndian(Stream stream, ReadOnlySpan<float> values, bool copyNative)
    {
        if (copyNative)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < values.Length; start += ChunkBytes / sizeof(float))
            {
                int n = Math.Min(ChunkBytes / sizeof(float), values.Length - start);
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(sizeof(float) * i), values[start + i]);
                stream.Write(buffer, 0, n * sizeof(float));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes int64 values little-endian: as they lie in memory when <paramref name="copyNative"/> (little-endian hosts), else element by element (any host).</summary>
    internal static void WriteLittleEndian(Stream stream, ReadOnlySpan<long> values, bool copyNative)
    {
        if (copyNative)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (int start = 0; start < values.Length; start += ChunkBytes / sizeof(long))
            {
                int n = Math.Min(ChunkBytes / sizeof(long), values.Length - start);
                for (int i = 0; i < n; i++) BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(sizeof(long) * i), values[start + i]);
                stream.Write(buffer, 0, n * sizeof(long));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads one array of exactly <paramref name="length"/> bytes. With <paramref name="verifyEnd"/>
    /// it then checks the stream really ends there, reading at most one byte more: a stream that
    /// holds more than its declared size is refused rather than drained. (System.IO.Compression
    /// already stops inflating at an entry's declared size; <see cref="Npz"/> catches that case
    /// through the entry's CRC-32. This check guards any stream that does not.) The decoded array's
    /// memory is reserved from <paramref name="budget"/> before it is allocated.
    /// </summary>
    internal static NpyArray Read(Stream stream, long length, string source, bool verifyEnd, MemoryBudget budget)
    {
        NpyHeader header = NpyHeader.Read(stream, length, source, budget);
        NpyDtype dtype = header.Dtype;
        // NpyHeader.Read has already proved ElementCount * size == the bytes that remain, and
        // ElementCount <= Array.MaxLength, so this allocation is bounded by the input's size.
        float[]? floats = dtype.IsInteger || dtype.IsText ? null : new float[header.ElementCount];
        long[]? integers = dtype.IsInteger ? new long[header.ElementCount] : null;
        string[]? texts = dtype.IsText ? new string[header.ElementCount] : null;
        long count = header.ElementCount;
        // Whole elements per chunk, at least one: a long string may be larger than a chunk, but the
        // header check has proved the input holds that many bytes.
        int itemSize = dtype.ItemSize;
        int perChunk = itemSize == 0 ? int.MaxValue : Math.Max(1, ChunkBytes / itemSize);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, itemSize));
        try
        {
            for (long start = 0; start < count; start += perChunk)
            {
                int n = (int)Math.Min(perChunk, count - start);
                int want = n * itemSize;
                if (NpyHeader.ReadFully(stream, chunk.AsSpan(0, want)) < want)
                    throw new InvalidDataException($"{source}: is truncated: the data ends before element {start + n} of {count}.");
                if (texts is not null)
                {
                    int bad = dtype.ConvertTexts(chunk.AsSpan(0, want), texts.AsSpan((int)start, n), out uint codePoint);
                    if (bad >= 0)
                        throw new InvalidDataException($"{source}: element {start + bad} holds 0x{codePoint:X}, which is not a Unicode character (a surrogate or above U+10FFFF).");
                }
                else if (integers is not null)
                {
                    int bad = dtype.ConvertIntegers(chunk.AsSpan(0, want), integers.AsSpan((int)start, n));
                    if (bad >= 0)
                        throw new InvalidDataException($"{source}: element {start + bad} is {BinaryPrimitives.ReadUInt64LittleEndian(chunk.AsSpan(8 * bad))}, too large for int64.");
                }
                else
                {
                    int bad = dtype.Convert(chunk.AsSpan(0, want), floats.AsSpan((int)start, n));
                    if (bad >= 0)
                        throw new InvalidDataException($"{source}: element {start + bad} is {BinaryPrimitives.ReadDoubleLittleEndian(chunk.AsSpan(8 * bad)):R}, too large for float32.");
                }
            }
            if (verifyEnd && stream.Read(chunk, 0, 1) != 0)
                throw new InvalidDataException($"{source}: holds more bytes than its declared size of {length}.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        bool reorder = header.FortranOrder && header.Shape.Length > 1;
        if (texts is not null) return NpyArray.FromOwned(header.Shape, reorder ? FortranToC(texts, header.Shape) : texts);
        return integers is not null
            ? NpyArray.FromOwned(header.Shape, reorder ? FortranToC(integers, header.Shape) : integers)
            : NpyArray.FromOwned(header.Shape, reorder ? FortranToC(floats!, header.Shape) : floats!);
    }

    /// <summary>Reorders column-major (Fortran) data to row-major (C) order.</summary>
    private static T[] FortranToC<T>(T[] fortran, int[] shape)
    {
        var c = new T[fortran.Length];
        if (c.Length == 0) return c;
        int rank = shape.Length;
        // Walk the C-order index (last dimension fastest) and keep the Fortran offset in step:
        // in Fortran order dimension k has stride product(shape[0..k]).
        var fortranStride = new long[rank];
        long stride = 1;
        for (int k = 0; k < rank; k++) { fortranStride[k] = stride; stride *= shape[k]; }
        var index = new int[rank];
        long offset = 0;
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = fortran[offset];
            for (int k = rank - 1; k >= 0; k--)
            {
                if (++index[k] < shape[k]) { offset += fortranStride[k]; break; }
                offset -= (long)(shape[k] - 1) * fortranStride[k];
                index[k] = 0;
            }
        }
        return c;
    }
}
