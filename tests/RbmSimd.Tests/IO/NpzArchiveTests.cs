using System.IO.Compression;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// Reading only the arrays asked for (<see cref="Npz.Open(string, ReadLimits?)"/>), and the memory limit
/// (<see cref="ReadLimits"/>) as documented: counted as the decoded arrays hold the data (an int8
/// element costs 8 bytes, a float64 one 4, a string 32 + 4 per code point of width, Fortran order
/// twice), checked before allocating, exactly at the limit and one past.
/// </summary>
public class NpzArchiveTests
{
    private static byte[] Zip(params (string Name, byte[] Npy, CompressionLevel Level)[] entries)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, npy, level) in entries)
                using (var s = zip.CreateEntry(name, level).Open())
                    s.Write(npy);
        return ms.ToArray();
    }

    private static byte[] Int8Zeros(int count) =>
        NpyTests.HandBuilt($"{{'descr': '|i1', 'fortran_order': False, 'shape': ({count},), }}", new byte[count]);

    private static readonly byte[] SmallW = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyTests.Floats(1, 2));

    [Fact]
    public void Open_ReadsOnlyTheArraysAskedFor()
    {
        // An unused 8 MB int8 entry (deflated to a few KB) would need 64 MB once widened: the limit of
        // 16 MB refuses reading everything, but reading W alone neither touches nor counts it.
        byte[] zip = Zip(("W.npy", SmallW, CompressionLevel.Optimal), ("unused.npy", Int8Zeros(8 << 20), CompressionLevel.Optimal));
        Assert.True(zip.Length < 100_000);
        var limits = new ReadLimits { MaxBytes = 16 << 20 };
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "big.npz", limits));
        Assert.Equal($"big.npz: array 'unused': shape ({8 << 20},) of |i1 needs {8L * (8 << 20)} bytes of memory, more than the {(16 << 20) - 8} bytes left of the read limit of {16 << 20} bytes (ReadLimits.MaxBytes).", ex.Message);

        long before = GC.GetAllocatedBytesForCurrentThread();
        using NpzArchive archive = Npz.Open(new MemoryStream(zip), "big.npz", limits);
        Assert.Equal(["W", "unused"], archive.Names);
        Assert.Equal([1f, 2f], archive.Read("W").Values.ToArray());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20));
    }

    [Fact]
    public void Open_ACorruptEntryNotRead_DoesNotMatter()
    {
        byte[] zip = Zip(("W.npy", SmallW, CompressionLevel.NoCompression), ("bad.npy", SmallW, CompressionLevel.NoCompression));
        ZipLayout.Entry bad = ZipLayout.Entries(zip)[1];
        zip[ZipLayout.DataOffset(zip, bad) + (int)bad.CompressedSize - 1] ^= 1;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "c.npz")).Message);
        using NpzArchive archive = Npz.Open(new MemoryStream(zip), "c.npz");
        Assert.Equal([1f, 2f], archive.Read("W").Values.ToArray());
        Assert.Equal("c.npz: array 'bad': its zip entry's checksum does not match its data (corrupt file, or an entry longer than its declared size).",
            Assert.Throws<InvalidDataException>(() => archive.Read("bad")).Message);
    }

    [Fact]
    public void Read_MissingArray_ThrowsNamingIt_TryReadReturnsFalse()
    {
        using NpzArchive archive = Npz.Open(new MemoryStream(Zip(("W.npy", SmallW, CompressionLevel.Optimal))), "m.npz");
        Assert.True(archive.Contains("W"));
        Assert.False(archive.Contains("w"));
        Assert.Equal("m.npz: has no array 'b\\x1B[2J'.", Assert.Throws<InvalidDataException>(() => archive.Read("b\u001b[2J")).Message);
        Assert.False(archive.TryRead("b", out NpyArray? missing));
        Assert.Null(missing);
        Assert.True(archive.TryRead("W", out NpyArray? w));
        Assert.Equal(2, w.Length);
        Assert.Throws<ArgumentNullException>(() => archive.Read(null!));
        Assert.Throws<ArgumentNullException>(() => archive.TryRead(null!, out _));
        Assert.Throws<ArgumentNullException>(() => archive.Contains(null!));
    }

    [Fact]
    public void Open_DuplicateOrNotAZip_Throws()
    {
        byte[] twice = Zip(("W.npy", SmallW, CompressionLevel.Optimal), ("W.npy", SmallW, CompressionLevel.Optimal));
        Assert.Equal("d.npz: array 'W' appears twice in the archive.", Assert.Throws<InvalidDataException>(() => Npz.Open(new MemoryStream(twice), "d.npz")).Message);
        Assert.StartsWith("j.npz: not a valid .npz (zip) archive: ", Assert.Throws<InvalidDataException>(() => Npz.Open(new MemoryStream([1, 2, 3]), "j.npz")).Message);
        Assert.Throws<ArgumentException>(() => Npz.Open(new NonSeekable(), "s.npz"));
        Assert.Throws<ArgumentNullException>(() => Npz.Open((Stream)null!, "s.npz"));
        Assert.Throws<ArgumentNullException>(() => Npz.Open(new MemoryStream(), null!));
        Assert.Throws<ArgumentException>(() => Npz.Open(""));
    }

    private sealed class NonSeekable : MemoryStream
    {
        public override bool CanSeek => false;
    }

    /// <summary>Whether another handle can lock the file exclusively, i.e. no reader holds it open.</summary>
    private static bool IsClosed(string path)
    {
        try
        {
            using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public void OpenPath_DisposeClosesTheFile_ReadAfterDisposeThrows()
    {
        using var dir = new TempFolder();
        string path = dir.File("a.npz");
        Npz.Write(path, [new("W", NpyArray.FromScalar(3))]);
        NpzArchive archive = Npz.Open(path);
        Assert.False(IsClosed(path));
        Assert.Equal([3f], archive.Read("W").Values.ToArray());
        archive.Dispose();
        Assert.True(IsClosed(path));
        archive.Dispose();
        Assert.Throws<ObjectDisposedException>(() => archive.Read("W"));
        Assert.Throws<ObjectDisposedException>(() => archive.TryRead("W", out _));
        // Npz.Read(path) closes it too.
        Npz.Read(path);
        Assert.True(IsClosed(path));
    }

    [Fact]
    public void OpenPath_NotAZip_ClosesTheFile()
    {
        using var dir = new TempFolder();
        string path = dir.File("junk.npz");
        File.WriteAllBytes(path, [1, 2, 3, 4]);
        Assert.StartsWith($"{path}: not a valid .npz (zip) archive: ", Assert.Throws<InvalidDataException>(() => Npz.Open(path)).Message);
        Assert.True(IsClosed(path));
    }

    [Fact]
    public void OpenStream_DisposeLeavesTheStreamOpen()
    {
        var ms = new MemoryStream(Zip(("W.npy", SmallW, CompressionLevel.Optimal)));
        Npz.Open(ms, "s.npz").Dispose();
        Assert.True(ms.CanRead);
    }

    // ---- The limit, counted as the decoded arrays hold the data.

    public static TheoryData<string, string, int, long> Costs => new()
    {
        // dtype, shape, data bytes, memory bytes
        { "|i1", "(5,)", 5, 40 },
        { "|u1", "(5,)", 5, 40 },
        { "<i2", "(3,)", 6, 24 },
        { "<f8", "(3,)", 24, 12 },
        { "<f2", "(3,)", 6, 12 },
        { "|b1", "(3,)", 3, 12 },
        { "<f4", "(2, 3)", 24, 24 },
        { "<U3", "(2,)", 24, 2 * (32 + 12) },
        { "<U0", "(4,)", 0, 4 * 32 },
    };

    [Theory]
    [MemberData(nameof(Costs))]
    public void Read_MemoryCountedAsDecoded_AtTheLimitAndOnePast(string descr, string shape, int dataBytes, long memory)
    {
        byte[] npy = NpyTests.HandBuilt($"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}", new byte[dataBytes]);
        Assert.NotNull(Npy.Read(new MemoryStream(npy), "x.npy", new ReadLimits { MaxBytes = memory }));
        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(npy), "x.npy", new ReadLimits { MaxBytes = memory - 1 }));
        Assert.Equal($"x.npy: shape {shape} of {descr} needs {memory} bytes of memory, more than the read limit of {memory - 1} bytes (ReadLimits.MaxBytes).", ex.Message);
        byte[] zip = Zip(("x.npy", npy, CompressionLevel.Optimal));
        Assert.Single(Npz.Read(new MemoryStream(zip), "x.npz", new ReadLimits { MaxBytes = Math.Max(memory, npy.Length) }));
    }

    [Fact]
    public void Read_FortranOrder_CountsTwoCopies()
    {
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new byte[24]);
        Assert.Equal(6, Npy.Read(new MemoryStream(npy), "f.npy", new ReadLimits { MaxBytes = 48 }).Length);
        Assert.Equal("f.npy: shape (2, 3) of <f4 in Fortran order needs 48 bytes of memory, more than the read limit of 47 bytes (ReadLimits.MaxBytes).",
            Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(npy), "f.npy", new ReadLimits { MaxBytes = 47 })).Message);
        // A one-dimensional array needs no reordering: one copy.
        npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': True, 'shape': (6,), }", new byte[24]);
        Assert.Equal(6, Npy.Read(new MemoryStream(npy), "f.npy", new ReadLimits { MaxBytes = 24 }).Length);
    }

    [Fact]
    public void Read_LimitCoversAllArraysOfOneArchive()
    {
        byte[] a = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (100,), }", new byte[400]);
        byte[] zip = Zip(("a.npy", a, CompressionLevel.Optimal), ("b.npy", a, CompressionLevel.Optimal));
        Assert.Equal(2, Npz.Read(new MemoryStream(zip), "two.npz", new ReadLimits { MaxBytes = 800 }).Count);
        Assert.Equal("two.npz: array 'b': shape (100,) of <f4 needs 400 bytes of memory, more than the 399 bytes left of the read limit of 799 bytes (ReadLimits.MaxBytes).",
            Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "two.npz", new ReadLimits { MaxBytes = 799 })).Message);
        using NpzArchive archive = Npz.Open(new MemoryStream(zip), "two.npz", new ReadLimits { MaxBytes = 799 });
        archive.Read("b");
        Assert.Throws<InvalidDataException>(() => archive.Read("a"));
    }

    [Fact]
    public void Read_EntryLargerThanTheLimit_RefusedBeforeInflating()
    {
        // float64 data halves in memory, so only the entry's own size catches a 1,000-byte limit here.
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f8', 'fortran_order': False, 'shape': (200,), }", new byte[1600]);
        byte[] zip = Zip(("d.npy", npy, CompressionLevel.Optimal));
        var limits = new ReadLimits { MaxBytes = 1000 };
        Assert.Equal($"e.npz: array 'd': its zip entry holds {npy.Length} bytes, more than the read limit of 1000 bytes (ReadLimits.MaxBytes).",
            Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "e.npz", limits)).Message);
        Assert.Single(Npz.Read(new MemoryStream(zip), "e.npz", new ReadLimits { MaxBytes = npy.Length }));
    }

    [Fact]
    public void ReadPath_WithLimits()
    {
        using var dir = new TempFolder();
        string npy = dir.File("a.npy"), npz = dir.File("a.npz");
        Npy.Write(npy, new NpyArray([4], [1, 2, 3, 4]));
        Npz.Write(npz, [new("a", new NpyArray([4], [1, 2, 3, 4]))]);
        Assert.Equal(4, Npy.Read(npy, new ReadLimits { MaxBytes = 16 }).Length);
        Assert.StartsWith($"{npy}: shape (4,) of <f4 needs 16 bytes", Assert.Throws<InvalidDataException>(() => Npy.Read(npy, new ReadLimits { MaxBytes = 15 })).Message);
        Assert.Single(Npz.Read(npz, new ReadLimits { MaxBytes = 200 }));
        Assert.StartsWith($"{npz}: array 'a': its zip entry holds 144 bytes", Assert.Throws<InvalidDataException>(() => Npz.Read(npz, new ReadLimits { MaxBytes = 15 })).Message);
        using NpzArchive archive = Npz.Open(npz, new ReadLimits { MaxBytes = 15 });
        Assert.Throws<InvalidDataException>(() => archive.Read("a"));
        Assert.Throws<ArgumentNullException>(() => Npy.Read(npy, null!));
        Assert.Throws<ArgumentNullException>(() => Npz.Read(npz, null!));
        Assert.Throws<ArgumentNullException>(() => Npy.Read(new MemoryStream(), "x", null!));
        Assert.Throws<ArgumentNullException>(() => Npz.Read(new MemoryStream(), "x", null!));
    }

    [Fact]
    public void ReadLimits_DefaultsAndValidation()
    {
        Assert.Equal(1L << 30, ReadLimits.Default.MaxBytes);
        Assert.Equal(1 << 20, ReadLimits.Default.MaxLineLength);
        Assert.Equal(ReadLimits.DefaultMaxBytes, new ReadLimits().MaxBytes);
        Assert.Equal(7, (ReadLimits.Default with { MaxLineLength = 7 }).MaxLineLength);
        Assert.Equal(1L << 30, ReadLimits.Default.MaxBytes);
        Assert.Equal("MaxBytes", Assert.Throws<ArgumentOutOfRangeException>(() => new ReadLimits { MaxBytes = 0 }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadLimits { MaxBytes = -1 });
        Assert.Equal("MaxLineLength", Assert.Throws<ArgumentOutOfRangeException>(() => new ReadLimits { MaxLineLength = 0 }).ParamName);
        Assert.Equal(1, new ReadLimits { MaxBytes = 1, MaxLineLength = 1 }.MaxLineLength);
    }
}
