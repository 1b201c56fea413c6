using System.Buffers.Binary;
using System.IO.Compression;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Data;

/// <summary>
/// Memory in proportion to the file for IDX data (issue 10, section 6: a 1 MB gzipped IDX file took
/// 2.1 GB): the declared size is checked against the plain file's length or the gzip trailer's
/// recorded length, and against <see cref="ReadLimits.MaxBytes"/>, before anything is allocated for
/// it; a lying trailer costs only what the file really inflates to.
/// </summary>
public class IdxLimitsTests
{
    private static byte[] Idx(uint[] dims, byte[] data)
    {
        var ms = new MemoryStream();
        ms.Write([0, 0, 0x08, (byte)dims.Length]);
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

    private static (string Message, long Allocated) LoadFails(byte[] file, Func<string, object> load)
    {
        using var dir = new TempFolder();
        string path = dir.File("x.idx");
        File.WriteAllBytes(path, file);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => load(path));
        return (ex.Message.Replace(path, "x.idx", StringComparison.Ordinal), GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Plain_DeclaredMoreThanTheFileHolds_RefusedBeforeAllocating()
    {
        var (message, allocated) = LoadFails(Idx([60000, 28, 28], new byte[1000]), p => IdxData.LoadBytes(p));
        Assert.Equal("x.idx: is truncated: the header claims 47040000 elements but the data ends after 1000.", message);
        Assert.True(allocated < (256 << 10), $"allocated {allocated} bytes");
    }

    [Fact]
    public void Plain_BytesAfterTheElements_RefusedBeforeAllocating()
    {
        var (message, allocated) = LoadFails(Idx([1000, 1000], new byte[1_000_001]), p => IdxData.LoadBytes(p));
        Assert.Equal("x.idx: has bytes after its 1000000 elements.", message);
        Assert.True(allocated < (256 << 10), $"allocated {allocated} bytes");
    }

    [Fact]
    public void Gzip_TrailerDisagreesWithTheHeader_RefusedBeforeInflating()
    {
        // MNIST's training shape declared over 1,000 bytes of data: the trailer records 1,016.
        var (message, allocated) = LoadFails(Gzip(Idx([60000, 28, 28], new byte[1000])), p => IdxData.Load(p));
        Assert.Equal("x.idx: is truncated or corrupt: its header claims 47040000 elements (47040016 bytes inflated) but its gzip trailer records 1016 bytes (modulo 2^32).", message);
        Assert.True(allocated < (256 << 10), $"allocated {allocated} bytes");
    }

    [Fact]
    public void Gzip_LyingTrailer_CostsOnlyWhatTheFileInflatesTo()
    {
        // The trailer's length is forged to agree with a 64 Mi-element header; the data is 1,000 bytes.
        byte[] file = Gzip(Idx([8192, 8192], new byte[1000]));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), 12 + 8192u * 8192u);
        var (message, allocated) = LoadFails(file, p => IdxData.Load(p));
        // The inflater itself notices the forged trailer once the data ends (zlib checks it); either
        // way the read stops there.
        Assert.StartsWith("x.idx: the compressed data is corrupt: ", message);
        Assert.True(allocated < (4 << 20), $"allocated {allocated} bytes");
    }

    [Fact]
    public void Gzip_LyingTrailer_BufferGrowsByDoubling_NotToTheClaim()
    {
        // 1.5 MiB of real data under a forged 64 Mi-element claim: the buffer doubles from 1 MiB to
        // 2 MiB with the data, never jumping to the declared 64 MiB.
        byte[] file = Gzip(Idx([8192, 8192], new byte[3 << 19]));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), 12 + 8192u * 8192u);
        var (message, allocated) = LoadFails(file, p => IdxData.LoadBytes(p));
        Assert.StartsWith("x.idx: the compressed data is corrupt: ", message);
        Assert.True(allocated < (8 << 20), $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadBytes_OneBytePerPixel_AtTheLimitAndOnePast(bool gzip)
    {
        byte[] file = Idx([3, 2, 2], new byte[12]);
        if (gzip) file = Gzip(file);
        using var dir = new TempFolder();
        string path = dir.File("i.idx");
        File.WriteAllBytes(path, file);
        Assert.Equal(3, IdxData.LoadBytes(path, null, null, new ReadLimits { MaxBytes = 12 }).RowCount);
        var ex = Assert.Throws<InvalidDataException>(() => IdxData.LoadBytes(path, null, null, new ReadLimits { MaxBytes = 11 }));
        Assert.Equal($"{path}: shape 3 x 2 x 2 of unsigned bytes needs 12 bytes of memory, more than the read limit of 11 bytes (ReadLimits.MaxBytes).", ex.Message);
    }

    [Fact]
    public void Load_FiveBytesPerPixel_LabelsShareTheLimit()
    {
        using var dir = new TempFolder();
        string images = dir.File("i.idx"), labels = dir.File("l.idx");
        File.WriteAllBytes(images, Idx([3, 2, 2], new byte[12]));
        File.WriteAllBytes(labels, Idx([3], [1, 2, 3]));
        // 12 pixels as bytes and floats: 60; 3 labels as bytes and ints: 15.
        Assert.Equal(3, IdxData.Load(images, null, new ReadLimits { MaxBytes = 60 }).Count);
        Assert.Equal($"{images}: shape 3 x 2 x 2 of unsigned bytes (5 bytes per element once decoded) needs 60 bytes of memory, more than the read limit of 59 bytes (ReadLimits.MaxBytes).",
            Assert.Throws<InvalidDataException>(() => IdxData.Load(images, null, new ReadLimits { MaxBytes = 59 })).Message);
        Assert.Equal([1, 2, 3], IdxData.Load(images, labels, new ReadLimits { MaxBytes = 75 }).Labels.ToArray());
        Assert.Equal($"{labels}: shape 3 of unsigned bytes (5 bytes per element once decoded) needs 15 bytes of memory, more than the 14 bytes left of the read limit of 74 bytes (ReadLimits.MaxBytes).",
            Assert.Throws<InvalidDataException>(() => IdxData.Load(images, labels, new ReadLimits { MaxBytes = 74 })).Message);
        Assert.Equal([1, 2, 3], IdxData.LoadBytes(images, labels, null, new ReadLimits { MaxBytes = 27 }).Labels.ToArray());
        Assert.Throws<InvalidDataException>(() => IdxData.LoadBytes(images, labels, null, new ReadLimits { MaxBytes = 26 }));
        Assert.Throws<ArgumentNullException>(() => IdxData.Load(images, null, null!));
        Assert.Throws<ArgumentNullException>(() => IdxData.LoadBytes(images, null, null, null!));
    }

    [Fact]
    public void Gzip_OverTheLimit_RefusedBeforeInflating()
    {
        byte[] file = Gzip(Idx([100, 1000], new byte[100_000]));
        var (message, allocated) = LoadFails(file, p => IdxData.LoadBytes(p, null, null, new ReadLimits { MaxBytes = 50_000 }));
        Assert.Equal("x.idx: shape 100 x 1000 of unsigned bytes needs 100000 bytes of memory, more than the read limit of 50000 bytes (ReadLimits.MaxBytes).", message);
        Assert.True(allocated < 50_000, $"allocated {allocated} bytes");
    }
}
