using System.Buffers.Binary;
using System.Text;

namespace RbmSimd.Tests.IO;

/// <summary>
/// Reads a zip file's central directory by hand from the format description (PKWARE APPNOTE 4.3.12,
/// 4.3.16), independently of System.IO.Compression and of the project's reader: each entry's name,
/// compression method (0 stored, 8 deflated), sizes and the offset of its local header. Zip64
/// records are not followed; the archives written in the tests are small.
/// </summary>
internal static class ZipLayout
{
    internal readonly record struct Entry(string Name, int Method, long CompressedSize, long UncompressedSize, int LocalHeaderOffset, int CentralOffset);

    public static List<Entry> Entries(byte[] zip)
    {
        // End of central directory: signature 0x06054b50, 22 bytes without a comment.
        int eocd = zip.Length - 22;
        while (eocd >= 0 && BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(eocd)) != 0x06054b50) eocd--;
        if (eocd < 0) throw new InvalidOperationException("no end of central directory record");
        int count = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(eocd + 10));
        int offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(eocd + 16));
        var entries = new List<Entry>();
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> cd = zip.AsSpan(offset);
            if (BinaryPrimitives.ReadUInt32LittleEndian(cd) != 0x02014b50) throw new InvalidOperationException("bad central directory record");
            int method = BinaryPrimitives.ReadUInt16LittleEndian(cd[10..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(cd[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(cd[24..]);
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(cd[28..]);
            int extraLength = BinaryPrimitives.ReadUInt16LittleEndian(cd[30..]);
            int commentLength = BinaryPrimitives.ReadUInt16LittleEndian(cd[32..]);
            int local = (int)BinaryPrimitives.ReadUInt32LittleEndian(cd[42..]);
            string name = Encoding.UTF8.GetString(cd.Slice(46, nameLength));
            entries.Add(new Entry(name, method, compressed, uncompressed, local, offset));
            offset += 46 + nameLength + extraLength + commentLength;
        }
        return entries;
    }

    /// <summary>Sets an entry's compression method in both its local header (offset 8) and its central record (offset 10).</summary>
    public static void PatchMethod(byte[] zip, Entry entry, ushort method)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(entry.LocalHeaderOffset + 8), method);
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(entry.CentralOffset + 10), method);
    }

    /// <summary>Where an entry's data starts: after its 30-byte local header, name and extra field.</summary>
    public static int DataOffset(byte[] zip, Entry entry)
    {
        ReadOnlySpan<byte> local = zip.AsSpan(entry.LocalHeaderOffset);
        return entry.LocalHeaderOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(local[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(local[28..]);
    }
}
