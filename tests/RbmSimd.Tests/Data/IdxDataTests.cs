using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Data;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Data;

public class IdxDataTests
{
    /// <summary>An IDX file built from the format description: 0, 0, type, rank, big-endian sizes, data.</summary>
    private static byte[] Idx(byte type, uint[] dims, byte[] data)
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

    // Two 2-row by 3-column images: pixel values 0..255.
    private static readonly byte[] Pixels = [0, 255, 51, 102, 0, 0, /* second */ 255, 255, 255, 0, 0, 0];
    private static byte[] Images => Idx(0x08, [2, 2, 3], Pixels);
    private static byte[] Labels => Idx(0x08, [2], [7, 3]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_ImagesAndLabels_PlainOrGzipped(bool gzip)
    {
        using var dir = new TempFolder();
        string images = dir.File("images"), labels = dir.File("labels");
        File.WriteAllBytes(images, gzip ? Gzip(Images) : Images);
        File.WriteAllBytes(labels, gzip ? Gzip(Labels) : Labels);
        Dataset d = IdxData.Load(images, labels);
        Assert.Equal(2, d.Count);
        Assert.Equal(6, d.FeatureCount);
        Assert.Equal((3, 2), (d.ImageWidth, d.ImageHeight));
        Assert.Equal([7, 3], d.Labels.ToArray());
        Assert.Equal(Pixels.Select(p => p / 255f), d.Features.AsSpan().ToArray());
        Assert.False(IdxData.Load(images).HasLabels);
    }

    private static Exception? TryLoad(byte[] bytes)
    {
        using var dir = new TempFolder();
        string path = dir.File("x.idx");
        File.WriteAllBytes(path, bytes);
        try
        {
            IdxData.Load(path);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_TruncatedAtEveryOffset_ThrowsInvalidData(bool gzip)
    {
        byte[] valid = gzip ? Gzip(Images) : Images;
        for (int length = 0; length < valid.Length; length++)
        {
            Exception? e = TryLoad(valid[..length]);
            Assert.True(e is InvalidDataException, $"length {length}: {e?.GetType().Name ?? "loaded"}: {e?.Message}");
        }
    }

    [Theory]
    [InlineData(0x0D, new uint[] { 2, 2, 3 }, "element type 0x0D")]
    [InlineData(0x08, new uint[] { 1000000, 1000000, 1 }, "more elements")]
    [InlineData(0x08, new uint[] { 0, 2, 3 }, "dimension 0 of size 0")]
    [InlineData(0x08, new uint[] { 2, 2, 2 }, "has bytes after its 8 elements")]
    [InlineData(0x08, new uint[] { 1, 2, 2, 3 }, "has 4 dimensions")]
    [InlineData(0x08, new uint[] { 12 }, "has 1 dimensions")]
    public void Load_BadHeader_ThrowsNamingTheProblem(byte type, uint[] dims, string expected)
    {
        Exception? e = TryLoad(Idx(type, dims, Pixels));
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_HugeClaimWithLittleData_FailsWithoutAllocatingTheClaim()
    {
        // 2^30 elements fit a .NET array; only the missing data can reveal the lie.
        byte[] file = Gzip(Idx(0x08, [1 << 10, 1 << 10, 1 << 10], new byte[100]));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? e = TryLoad(file);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (16 << 20));
        Assert.IsType<InvalidDataException>(e);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Load_LabelCountMismatch_Throws()
    {
        using var dir = new TempFolder();
        string images = dir.File("i"), labels = dir.File("l");
        File.WriteAllBytes(images, Images);
        File.WriteAllBytes(labels, Idx(0x08, [3], [1, 2, 3]));
        var ex = Assert.Throws<InvalidDataException>(() => IdxData.Load(images, labels));
        Assert.Equal($"{labels}: has 3 labels but {images} has 2 images.", ex.Message);
    }

    [Property(MaxTest = 300)]
    public Property Load_RandomBitFlips_LoadOrThrowInvalidData() =>
        Prop.ForAll(
            (from gzip in Gen.Elements(false, true)
             from flips in Gen.Choose(0, int.MaxValue).ArrayOf().Where(f => f.Length is > 0 and <= 4)
             select (gzip, flips)).ToArbitrary(),
            input =>
            {
                byte[] bytes = input.gzip ? Gzip(Images) : Images;
                foreach (int f in input.flips)
                {
                    int bit = f % (bytes.Length * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                }
                Exception? e = TryLoad(bytes);
                return (e is null or InvalidDataException).Label($"{e?.GetType().Name}: {e?.Message}").Classify(e is null, "loaded");
            });
}
