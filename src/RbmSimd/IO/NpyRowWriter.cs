using System.Runtime.InteropServices;
using RbmSimd.Numerics;

namespace RbmSimd.IO;

/// <summary>
/// Writes a two-dimensional float32 <c>.npy</c> array a block of rows at a time, so that an array larger than
/// memory (features of a whole data set) can be written while only one block is held.
/// </summary>
/// <remarks>
/// The header (shape <c>(rows, cols)</c>, <c>'&lt;f4'</c>, C order, format 1.0: what <see cref="Npy.Write(Stream, NpyArray)"/>
/// writes) comes first, so the row count is fixed up front; <see cref="Complete"/> checks that exactly that many rows
/// were written. <see cref="WriteFile"/> writes through <see cref="AtomicFile"/>: a failure part-way, including too few
/// rows, leaves an existing file unchanged and no partial one behind.
/// </remarks>
public sealed class NpyRowWriter
{
    private readonly Stream _stream;

    /// <summary>Writes the header of a <paramref name="rows"/> × <paramref name="cols"/> float32 array to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or the array has more elements than the largest .NET array.</exception>
    public NpyRowWriter(Stream stream, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        _stream = stream;
        Rows = rows;
        Cols = cols;
        stream.Write(NpyHeader.Format([rows, cols], NpyDtype.Float32));
    }

    /// <summary>The rows the array has (its first dimension).</summary>
    public int Rows { get; }

    /// <summary>The values in a row (its second dimension).</summary>
    public int Cols { get; }

    /// <summary>The rows written so far.</summary>
    public int RowsWritten { get; private set; }

    /// <summary>Appends the rows of <paramref name="block"/>.</summary>
    /// <exception cref="ArgumentException">The block's width is not <see cref="Cols"/>, or it would take the array past <see cref="Rows"/> rows.</exception>
    public void Write(ReadOnlyMatrixView block)
    {
        if (block.Cols != Cols) throw new ArgumentException($"The block has {block.Cols} columns but the array has {Cols}.", nameof(block));
        if (block.Rows > Rows - RowsWritten)
            throw new ArgumentException($"{block.Rows} more rows would make {RowsWritten + block.Rows} but the array has {Rows}.", nameof(block));
        for (int r = 0; r < block.Rows; r++) WriteLittleEndian(block.Row(r));
        RowsWritten += block.Rows;
    }

    /// <summary>Checks that every row was written.</summary>
    /// <exception cref="InvalidOperationException">Fewer than <see cref="Rows"/> rows were written.</exception>
    public void Complete()
    {
        if (RowsWritten != Rows) throw new InvalidOperationException($"{RowsWritten} of the array's {Rows} rows were written.");
    }

    /// <summary>
    /// Writes a <paramref name="rows"/> × <paramref name="cols"/> float32 <c>.npy</c> file atomically: <paramref name="fill"/>
    /// writes every row through the writer it is given.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="fill"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="fill"/> wrote fewer rows than <paramref name="rows"/>; nothing is written.</exception>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; an existing file is unchanged.</exception>
    public static void WriteFile(string path, int rows, int cols, Action<NpyRowWriter> fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if ((long)rows * cols > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(rows), $"A {rows}x{cols} array has more elements than the largest array ({Array.MaxLength}).");
        AtomicFile.Write(path, stream =>
        {
            // Rows are small writes; a buffer turns them into large ones. Not disposed: that would close AtomicFile's stream.
            var buffered = new BufferedStream(stream, 1 << 16);
            var writer = new NpyRowWriter(buffered, rows, cols);
            fill(writer);
            writer.Complete();
            buffered.Flush();
        });
    }

    private void WriteLittleEndian(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            _stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> bytes = stackalloc byte[4];
        foreach (float v in values)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, v);
            _stream.Write(bytes);
        }
    }
}
