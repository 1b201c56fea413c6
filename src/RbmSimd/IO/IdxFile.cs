using System.Buffers.Binary;
using System.IO.Compression;

namespace RbmSimd.IO;

/// <summary>
/// Reads the IDX format of MNIST and Fashion-MNIST (LeCun's <c>*-idx3-ubyte</c>,
/// <c>*-idx1-ubyte</c> files), plain or gzipped.
/// </summary>
/// <remarks>
/// <code>
/// bytes 0–1   0x00 0x00
/// byte  2     element type (0x08 = unsigned byte; the only one these data sets use, and the only one accepted)
/// byte  3     number of dimensions d
/// then        d sizes, uint32 big-endian
/// then        the elements, row-major
/// </code>
/// Before allocating, the declared size is checked against what the file can hold: a plain file's
/// length must be exactly header + elements, a gzipped file's trailer must record that length (modulo
/// 2³², as gzip does), and the memory the caller will use is reserved from its
/// <see cref="ReadLimits.MaxBytes"/> budget. A gzip trailer is only four bytes and may lie, so for
/// gzipped files the data buffer still grows only as bytes actually arrive (doubling, capped at the
/// declared size): a header and trailer claiming a gigabyte cost no more memory than the file really
/// inflates to.
/// </remarks>
internal static class IdxFile
{
    private const byte UnsignedByte = 0x08;
    private const int MaxRank = 8;
    private const int InitialBuffer = 1 << 20;

    /// <summary>Reads an unsigned-byte IDX file; returns its shape and elements.</summary>
    /// <param name="path">The file, plain or gzipped.</param>
    /// <param name="budget">Memory the read may reserve.</param>
    /// <param name="bytesPerElement">The memory the caller will use per element, the byte itself included (5 when it also makes floats).</param>
    /// <exception cref="InvalidDataException">The file is not a valid unsigned-byte IDX file, or it exceeds the budget.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (int[] Shape, byte[] Data) ReadBytes(string path, MemoryBudget budget, int bytesPerElement = 1)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> probe = stackalloc byte[2];
        int n = NpyHeader.ReadFully(file, probe);
        file.Position = 0;
        if (n == 2 && probe[0] == 0x1F && probe[1] == 0x8B)
        {
            // The trailer's last four bytes hold the inflated length modulo 2^32.
            if (file.Length < 18) throw Error(path, "is truncated (too short to be a gzip file)");
            Span<byte> size = stackalloc byte[4];
            file.Seek(-4, SeekOrigin.End);
            NpyHeader.ReadFully(file, size);
            uint inflatedSize = BinaryPrimitives.ReadUInt32LittleEndian(size);
            file.Position = 0;
            // The guard names the file in the inflater's own errors (corrupt or truncated gzip data,
            // and a trailer whose checksum or length does not match: GZipStream checks both when it
            // reaches the end, as IdxFormatTests pins).
            using var gzip = new CheckedReadStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true), path);
            return Read(gzip, path, budget, bytesPerElement, fileLength: null, inflatedSize);
        }
        return Read(file, path, budget, bytesPerElement, file.Length, inflatedSize: null);
    }

    private static (int[] Shape, byte[] Data) Read(Stream stream, string source, MemoryBudget budget, int bytesPerElement, long? fileLength, uint? inflatedSize)
    {
        Span<byte> magic = stackalloc byte[4];
        if (NpyHeader.ReadFully(stream, magic) < 4) throw Error(source, "is too short to be an IDX file");
        if (magic[0] != 0 || magic[1] != 0) throw Error(source, "is not an IDX file (it does not start with two zero bytes)");
        if (magic[2] != UnsignedByte) throw Error(source, $"has IDX element type 0x{magic[2]:X2}; only unsigned bytes (0x08) are supported");
        int rank = magic[3];
        if (rank is < 1 or > MaxRank) throw Error(source, $"has {rank} dimensions; 1 to {MaxRank} are supported");
        Span<byte> sizes = stackalloc byte[4 * rank];
        if (NpyHeader.ReadFully(stream, sizes) < sizes.Length) throw Error(source, "is truncated inside its header");
        var shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            uint d = BinaryPrimitives.ReadUInt32BigEndian(sizes[(4 * i)..]);
            if (d == 0 || d > int.MaxValue) throw Error(source, $"has dimension {i} of size {d}");
            shape[i] = (int)d;
            if (count > Array.MaxLength / d) throw Error(source, $"claims more elements ({string.Join(" x ", shape[..(i + 1)])} …) than a .NET array can hold");
            count *= d;
        }

        // The declared size against what the file can hold, before allocating anything for it.
        long headerLength = 4 + 4 * rank;
        long total = headerLength + count;
        if (fileLength is long length)
        {
            if (length < total) throw Error(source, $"is truncated: the header claims {count} elements but the data ends after {length - headerLength}");
            if (length > total) throw Error(source, $"has bytes after its {count} elements");
        }
        if (inflatedSize is uint recorded && recorded != (uint)total)
            throw Error(source, $"is truncated or corrupt: its header claims {count} elements ({total} bytes inflated) but its gzip trailer records {recorded} bytes (modulo 2^32)");
        string dims = string.Join(" x ", shape);
        budget.Reserve(count * bytesPerElement, source, bytesPerElement == 1
            ? $"shape {dims} of unsigned bytes"
            : $"shape {dims} of unsigned bytes ({bytesPerElement} bytes per element once decoded)");

        // A plain file has proved its size; inflated data grows with what actually arrives.
        byte[] data = new byte[fileLength is null ? Math.Min(count, InitialBuffer) : count];
        long filled = 0;
        while (filled < count)
        {
            if (filled == data.Length) Array.Resize(ref data, (int)Math.Min(count, 2L * data.Length));
            int got = stream.Read(data, (int)filled, data.Length - (int)filled);
            if (got == 0) throw Error(source, $"is truncated: the header claims {count} elements but the data ends after {filled}");
            filled += got;
        }
        if (stream.ReadByte() >= 0) throw Error(source, $"has bytes after its {count} elements");
        return (shape, data);
    }

    private static InvalidDataException Error(string source, string problem) => new($"{source}: {problem}.");
}
