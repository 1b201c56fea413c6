using System.IO.Compression;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// What <see cref="Npz.Read(Stream, string)"/> documents: it leaves the caller's stream open, it
/// refuses streams it cannot seek, it refuses an entry whose declared size is impossible for its
/// compressed size before allocating anything for it, and it reports every kind of bad content as an
/// <see cref="InvalidDataException"/> naming the archive and the array.
/// </summary>
public class NpzReadContractTests
{
    /// <summary>A memory stream that records whether it was disposed.</summary>
    private sealed class TrackingStream(byte[] bytes) : MemoryStream(bytes)
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    private static byte[] ValidNpz(bool compress)
    {
        var ms = new MemoryStream();
        Npz.Write(ms, [new("W", new NpyArray([2, 2], [1, 2, 3, 4])), new("b", NpyArray.FromVector([5f]))], compress);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_Success_LeavesCallersStreamOpen(bool compress)
    {
        var stream = new TrackingStream(ValidNpz(compress));
        Assert.Equal(["W", "b"], Npz.Read(stream, "ok.npz").Keys);
        Assert.False(stream.Disposed);
        Assert.True(stream.CanRead);
        // Still usable: rewind and read again.
        stream.Position = 0;
        Assert.Equal([1f, 2, 3, 4], Npz.Read(stream, "ok.npz")["W"].Values.ToArray());
    }

    [Fact]
    public void Read_NotAZip_LeavesCallersStreamOpen()
    {
        var stream = new TrackingStream([1, 2, 3, 4, 5, 6, 7, 8]);
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(stream, "junk.npz"));
        Assert.StartsWith("junk.npz: not a valid .npz (zip) archive: ", ex.Message);
        Assert.False(stream.Disposed);
    }

    [Fact]
    public void Read_BadEntry_LeavesCallersStreamOpen()
    {
        byte[] zip = NpzTests.ZipOf("W.npy", NpyTests.HandBuilt("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", NpyTests.Floats(1)), CompressionLevel.Optimal);
        var stream = new TrackingStream(zip);
        Assert.Equal("bad.npz: array 'W': dtype '>f4' is big-endian; only little-endian data is supported.",
            Assert.Throws<InvalidDataException>(() => Npz.Read(stream, "bad.npz")).Message);
        Assert.False(stream.Disposed);
    }

    private sealed class Restricted(byte[] bytes, bool canSeek, bool canRead) : MemoryStream(bytes)
    {
        public override bool CanSeek => canSeek;

        public override bool CanRead => canRead;
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(false, false)]
    public void Read_StreamNotSeekableOrNotReadable_ThrowsArgumentException(bool canSeek, bool canRead)
    {
        var npz = Assert.Throws<ArgumentException>(() => Npz.Read(new Restricted(ValidNpz(false), canSeek, canRead), "s.npz"));
        Assert.Equal("stream", npz.ParamName);
        var npy = Assert.Throws<ArgumentException>(() => Npy.Read(new Restricted(NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", NpyTests.Floats(1)), canSeek, canRead), "s.npy"));
        Assert.Equal("stream", npy.ParamName);
    }

    [Fact]
    public void Read_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => Npz.Read(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => Npz.Read(new MemoryStream(ValidNpz(false)), null!));
        Assert.Throws<ArgumentNullException>(() => Npz.Read((string)null!));
        Assert.Throws<ArgumentException>(() => Npz.Read(""));
        Assert.Throws<ArgumentNullException>(() => Npy.Read(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => Npy.Read(new MemoryStream(), null!));
        Assert.Throws<ArgumentException>(() => Npy.Read(""));
    }

    // ---- The declared-size check (deflate expands at most 1032 : 1, plus 1024 bytes of slack).

    private static (byte[] Zip, long Compressed) DeflatedEntry(byte[] npy)
    {
        byte[] zip = NpzTests.ZipOf("W.npy", npy, CompressionLevel.SmallestSize);
        return (zip, ZipLayout.Entries(zip).Single().CompressedSize);
    }

    [Fact]
    public void Read_DeclaredSizeAtTheRatioLimit_PassesTheCheck_OnePastIsRefused()
    {
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyTests.Floats(1, 2));
        (byte[] zip, long compressed) = DeflatedEntry(npy);
        // The largest size allowed: (declared − 1024) / 1032 ≤ compressed in integer division.
        long allowed = 1024 + 1032 * (compressed + 1) - 1;
        NpzTests.PatchUncompressedSize(zip, (uint)allowed);
        string passed = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "r.npz")).Message;
        // Past the ratio check, the .npy header sees the declared length and finds too many bytes.
        Assert.Equal($"r.npz: array 'W': is corrupt: shape (2,) of <f4 needs 8 bytes of data but {allowed - (npy.Length - 8)} follow the header.", passed);

        NpzTests.PatchUncompressedSize(zip, (uint)(allowed + 1));
        Assert.Equal($"r.npz: array 'W': its zip entry declares {allowed + 1} bytes from {compressed} compressed bytes, which is impossible (corrupt file or zip bomb).",
            Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "r.npz")).Message);
    }

    [Fact]
    public void Read_HeaderAgreeingWithAnImpossibleDeclaredSize_RefusedBeforeAllocating()
    {
        // The header claims 500,000,000 floats and the zip entry declares exactly the bytes they need,
        // from a few hundred compressed bytes. Without the ratio check the reader would allocate 2 GB
        // for the array before noticing the data is missing.
        const string Dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (500000000,), }";
        byte[] npy = NpyTests.HandBuilt(Dict, NpyTests.Floats(1, 2));
        long declared = npy.Length - 8 + 2_000_000_000L;
        (byte[] zip, long compressed) = DeflatedEntry(npy);
        NpzTests.PatchUncompressedSize(zip, (uint)declared);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "bomb.npz"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal($"bomb.npz: array 'W': its zip entry declares {declared} bytes from {compressed} compressed bytes, which is impossible (corrupt file or zip bomb).", ex.Message);
        Assert.True(allocated < (1 << 20), $"allocated {allocated} bytes");
    }

    [Fact]
    public void Read_StoredEntry_DeclaredSizeEqualToCompressed_Passes()
    {
        // Stored entries have a ratio of 1; tiny entries rely on the slack.
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", NpyTests.Floats(7));
        byte[] zip = NpzTests.ZipOf("s.npy", npy, CompressionLevel.NoCompression);
        Assert.Equal(0, ZipLayout.Entries(zip).Single().Method);
        Assert.Equal([7f], Npz.Read(new MemoryStream(zip), "s.npz")["s"].Values.ToArray());
    }

    // ---- Each failure of the zip layer is one exception type with the archive and the array named.

    [Fact]
    public void Read_UnknownCompressionMethod_ThrowsCannotBeOpened()
    {
        byte[] zip = ValidNpz(compress: false);
        ZipLayout.PatchMethod(zip, ZipLayout.Entries(zip)[0], 99);
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "m.npz"));
        Assert.StartsWith("m.npz: array 'W': its zip entry cannot be opened: ", ex.Message);
    }

    [Fact]
    public void Read_CorruptDeflateData_ThrowsCompressedDataCorrupt()
    {
        byte[] zip = ValidNpz(compress: true);
        ZipLayout.Entry w = ZipLayout.Entries(zip)[0];
        Assert.Equal(8, w.Method);
        // 0xFF opens a deflate block of the reserved type 3, which no inflater accepts.
        zip[ZipLayout.DataOffset(zip, w)] = 0xFF;
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "c.npz"));
        Assert.StartsWith("c.npz: array 'W': the compressed data is corrupt: ", ex.Message);
    }

    [Fact]
    public void Read_StoredDataBitFlip_ThrowsChecksum()
    {
        byte[] zip = ValidNpz(compress: false);
        ZipLayout.Entry w = ZipLayout.Entries(zip)[0];
        // The last byte of the entry is in the last float's exponent: the array still parses.
        zip[ZipLayout.DataOffset(zip, w) + (int)w.CompressedSize - 1] ^= 0x01;
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "f.npz"));
        Assert.Equal("f.npz: array 'W': its zip entry's checksum does not match its data (corrupt file, or an entry longer than its declared size).", ex.Message);
    }

    [Fact]
    public void Read_NonNpyEntriesSkipped_NamesKeepTheirCase()
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (string name in new[] { "A.npy", "b.NPY", "c.npy.txt", "d.npyx", "e.npy" })
                using (var s = zip.CreateEntry(name).Open())
                    s.Write(NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", NpyTests.Floats(1)));
        }
        Assert.Equal(["A", "e"], Npz.Read(new MemoryStream(ms.ToArray()), "n.npz").Keys);
    }
}
