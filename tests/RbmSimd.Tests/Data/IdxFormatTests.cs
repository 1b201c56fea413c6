using System.Buffers.Binary;
using System.IO.Compression;
using RbmSimd.IO;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Data;

/// <summary>
/// The IDX reader (<see cref="IdxFile"/>) against LeCun's format description: every header message in
/// full, each limit exactly at and one past, gzip detection by its two magic bytes, gzipped data
/// larger than the reader's first buffer, and gzip trailers that do not match the data.
/// </summary>
public class IdxFormatTests
{
    private static byte[] Idx(uint[] dims, byte[] data, byte type = 0x08)
    {
        var ms = new MemoryStream();
        ms.Write([0, 0, type, (byte)dims.Length]);
        foreach (uint d in dims) ms.Write([(byte)(d >> 24), (byte)(d >> 16), (byte)(d >> 8), (byte)d]);
        ms.Write(data);
        return ms.ToArray();
    }

    private static byte[] Gzip(byte[] bytes)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(bytes);
        return ms.ToArray();
    }

    private static (int[] Shape, byte[] Data) Read(byte[] file)
    {
        using var dir = new TempFolder();
        string path = dir.File("f.idx");
        File.WriteAllBytes(path, file);
        return IdxFile.ReadBytes(path, new MemoryBudget(ReadLimits.DefaultMaxBytes));
    }

    private static string Fails(byte[] file)
    {
        using var dir = new TempFolder();
        string path = dir.File("f.idx");
        File.WriteAllBytes(path, file);
        string message = Assert.Throws<InvalidDataException>(() => IdxFile.ReadBytes(path, new MemoryBudget(ReadLimits.DefaultMaxBytes))).Message;
        return message.Replace(path, "f.idx", StringComparison.Ordinal);
    }

    public static TheoryData<byte[], string> BadHeaders => new()
    {
        { [], "f.idx: is too short to be an IDX file." },
        { [0, 0, 8], "f.idx: is too short to be an IDX file." },
        { [0, 1, 8, 1, 0, 0, 0, 1, 5], "f.idx: is not an IDX file (it does not start with two zero bytes)." },
        { [1, 0, 8, 1, 0, 0, 0, 1, 5], "f.idx: is not an IDX file (it does not start with two zero bytes)." },
        { [0, 0x8B, 8, 1, 0, 0, 0, 1, 5], "f.idx: is not an IDX file (it does not start with two zero bytes)." },
        { [0, 0, 9, 1, 0, 0, 0, 1, 5], "f.idx: has IDX element type 0x09; only unsigned bytes (0x08) are supported." },
        { [0, 0, 8, 0], "f.idx: has 0 dimensions; 1 to 8 are supported." },
        { [0, 0, 8, 9], "f.idx: has 9 dimensions; 1 to 8 are supported." },
        { [0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0], "f.idx: is truncated inside its header." },
        { [0, 0, 8, 1, 0, 0, 0, 0], "f.idx: has dimension 0 of size 0." },
        { [0, 0, 8, 2, 0, 0, 0, 1, 0x80, 0, 0, 0], "f.idx: has dimension 1 of size 2147483648." },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Header_EachMessage(byte[] file, string expected)
    {
        Assert.Equal(expected, Fails(file));
    }

    [Fact]
    public void Rank_EightAccepted()
    {
        var (shape, data) = Read(Idx([1, 1, 1, 1, 1, 1, 1, 2], [4, 5]));
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 2], shape);
        Assert.Equal([4, 5], data);
    }

    [Fact]
    public void Dimensions_AtTheArrayLimit_ReachTheSizeCheck_OnePastRefused()
    {
        int max = Array.MaxLength;
        // int.MaxValue is a valid dimension by itself but more elements than an array holds.
        Assert.Equal("f.idx: claims more elements (2147483647 …) than a .NET array can hold.", Fails(Idx([int.MaxValue], [1])));
        Assert.Equal($"f.idx: is truncated: the header claims {max} elements but the data ends after 1.", Fails(Idx([(uint)max], [1])));
        Assert.Equal($"f.idx: claims more elements ({max + 1} …) than a .NET array can hold.", Fails(Idx([(uint)max + 1], [1])));
        Assert.Equal($"f.idx: is truncated: the header claims {2L * (max / 2)} elements but the data ends after 1.", Fails(Idx([2, (uint)(max / 2)], [1])));
        Assert.Equal($"f.idx: claims more elements (2 x {max / 2 + 1} …) than a .NET array can hold.", Fails(Idx([2, (uint)(max / 2 + 1), 7], [1])));
    }

    [Fact]
    public void Gzip_LargerThanTheFirstBuffer_GrowsAndLoads()
    {
        // 3 MiB of data: the reader's buffer starts at 1 MiB and doubles (capped at the declared size).
        byte[] data = new byte[3 << 20];
        for (int i = 0; i < data.Length; i += 4099) data[i] = (byte)(i / 4099);
        var (shape, read) = Read(Gzip(Idx([3, 1 << 20], data)));
        Assert.Equal([3, 1 << 20], shape);
        Assert.Equal(data, read);
    }

    [Fact]
    public void Plain_ReadIntoOneBufferOfTheProvenSize()
    {
        byte[] data = new byte[3 << 20];
        byte[] file = Idx([3, 1 << 20], data);
        Read(file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Read(file);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, data.Length, data.Length + (256 << 10));
    }

    [Theory]
    [InlineData(17, "f.idx: is truncated (too short to be a gzip file).")]
    [InlineData(2, "f.idx: is truncated (too short to be a gzip file).")]
    public void Gzip_ShorterThanHeaderAndTrailer_Throws(int length, string expected)
    {
        Assert.Equal(expected, Fails(Gzip(Idx([2], [1, 2]))[..length]));
    }

    [Fact]
    public void Gzip_EighteenBytes_IsNotTooShort()
    {
        // Ten bytes of header and eight of trailer are a possible size: it fails later, on its contents.
        Assert.DoesNotContain("too short", Fails(Gzip(Idx([2], [1, 2]))[..18]));
    }

    [Fact]
    public void Gzip_DetectedByBothMagicBytes()
    {
        // 0x1F alone is not gzip: a one-byte file is simply too short for IDX.
        Assert.Equal("f.idx: is too short to be an IDX file.", Fails([0x1F]));
        Assert.Equal("f.idx: is not an IDX file (it does not start with two zero bytes).", Fails([0x1F, 0x00, 8, 1, 0, 0, 0, 1, 5]));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(5)]
    [InlineData(4)]
    [InlineData(1)]
    public void Gzip_TrailerByteChanged_Throws(int fromEnd)
    {
        byte[] file = Gzip(Idx([4], [1, 2, 3, 4]));
        file[^fromEnd] ^= 0x01;
        Assert.StartsWith("f.idx: ", Fails(file));
    }

    [Fact]
    public void Gzip_MoreDataThanDeclared_WithAMatchingLength_Throws()
    {
        // Four elements declared, a megabyte more present, the trailer's length forged to agree with
        // the header: the reader stops after the declared data and finds one more byte (0, so a test
        // of > 0 would miss it) long before the inflater reaches the trailer.
        byte[] file = Gzip(Idx([4], [1, 2, 3, 4, .. new byte[1 << 20]]));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), 12);
        Assert.Equal("f.idx: has bytes after its 4 elements.", Fails(file));
    }
}
