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
/// A gzipped file's true size is unknown until it is inflated, so the data buffer grows only as
/// bytes actually arrive (doubling, capped at the size the header claims): a header claiming 10¹²
/// elements costs no more memory than the file really holds.
/// </remarks>
internal static class IdxFile
{
    private const byte UnsignedByte = 0x08;
    private const int MaxRank = 8;

    /// <summary>Reads an unsigned-byte IDX file; returns its shape and elements.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid unsigned-byte IDX file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static (int[] Shape, byte[] Data) ReadBytes(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> probe = stackalloc byte[2];
        int n = NpyHeader.ReadFully(file, probe);
        file.Position = 0;
        if (n == 2 && probe[0] == 0x1F && probe[1] == 0x8B)
        {
            // The guard names the file in the inflater's own errors (corrupt or truncated gzip data).
            (int[] Shape, byte[] Data) result;
            uint crc;
            long inflated;
            using (var gzip = new CheckedReadStream(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true), path))
            {
                result = Read(gzip, path);
                crc = gzip.Crc;
                inflated = gzip.BytesRead;
            }
            VerifyGzipTrailer(file, crc, inflated, path);
            return result;
        }
        return Read(file, path);
    }

    private static (int[] Shape, byte[] Data) Read(Stream stream, string source)
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

        // Grow with the data actually read, never straight to the claimed size.
        byte[] data = new byte[Math.Min(count, 1 << 20)];
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

    /// <summary>
    /// GZipStream does not notice a missing or wrong trailer, so a file cut inside its last 8 bytes
    /// would load. The trailer holds the CRC-32 and the length (mod 2³²) of the inflated data; this
    /// assumes a single gzip member, which is how the MNIST family is distributed.
    /// </summary>
    private static void VerifyGzipTrailer(FileStream file, uint crc, long inflated, string source)
    {
        Span<byte> trailer = stackalloc byte[8];
        if (file.Length < 18) throw Error(source, "is truncated (too short to be a gzip file)");
        file.Seek(-8, SeekOrigin.End);
        if (NpyHeader.ReadFully(file, trailer) < 8
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer) != crc
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) != (uint)inflated)
            throw Error(source, "is truncated or corrupt: its gzip checksum or length does not match the data");
    }

    private static InvalidDataException Error(string source, string problem) => new($"{source}: {problem}.");
}
