using System.Buffers.Binary;
using System.IO.Compression;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

public class NpzTests
{
    /// <summary>Floats chosen to break sloppy converters: signed zeros, subnormals, extremes, non-finite values.</summary>
    private static readonly float[] Extremes =
        [0f, -0f, 1f, -1f, float.Epsilon, -float.Epsilon, 1.17549435e-38f, float.MaxValue, float.MinValue,
         float.NaN, float.PositiveInfinity, float.NegativeInfinity, 16777217f, 0.1f];

    private static Gen<float> AnyFloat =>
        Gen.OneOf(Gen.Elements(Extremes), Gen.Choose(int.MinValue, int.MaxValue).Select(BitConverter.Int32BitsToSingle));

    private static Gen<long> AnyLong =>
        Gen.OneOf(Gen.Elements(0L, -1L, long.MinValue, long.MaxValue, (1L << 53) + 1),
                  Gen.Choose(int.MinValue, int.MaxValue).Two().Select(t => ((long)t.Item1 << 32) ^ (uint)t.Item2));

    /// <summary>Rank 0 to 3, dimensions 1 to 7 (1×1 and 1-element vectors included), any float bits or any 64-bit integers.</summary>
    private static Arbitrary<NpyArray> Arrays =>
        (from rank in Gen.Choose(0, 3)
         from shape in Gen.Choose(1, 7).ArrayOf(rank)
         from integer in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
         from array in integer
             ? AnyLong.ArrayOf(shape.Aggregate(1, (p, d) => p * d)).Select(v => NpyArray.FromIntegers(shape, v))
             : AnyFloat.ArrayOf(shape.Aggregate(1, (p, d) => p * d)).Select(v => new NpyArray(shape, v))
         select array).ToArbitrary();

    private static void AssertSameBits(NpyArray expected, NpyArray actual)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        Assert.Equal(expected.IsInteger, actual.IsInteger);
        if (expected.IsInteger) Assert.Equal(expected.Integers.ToArray(), actual.Integers.ToArray());
        Assert.Equal(expected.Values.ToArray().Select(BitConverter.SingleToInt32Bits), actual.Values.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Property(MaxTest = 200)]
    public Property RoundTrip_AnyShapesAndBits_Stored_And_Compressed() =>
        Prop.ForAll(Arrays, Arrays, (a, b) =>
        {
            foreach (bool compress in new[] { false, true })
            {
                var ms = new MemoryStream();
                Npz.Write(ms, [new("first", a), new("second_one", b)], compress);
                ms.Position = 0;
                var read = Npz.Read(ms, "mem.npz");
                Assert.Equal(["first", "second_one"], read.Keys);
                AssertSameBits(a, read["first"]);
                AssertSameBits(b, read["second_one"]);
            }
        });

    [Fact]
    public void RoundTrip_File_1x1()
    {
        using var dir = new TempFolder();
        string path = dir.File("m.npz");
        var one = new NpyArray([1, 1], [float.MinValue]);
        Npz.Write(path, [new("W", one)]);
        AssertSameBits(one, Npz.Read(path)["W"]);
    }

    [Fact]
    public void Write_SameArrays_SameBytes()
    {
        var a = new NpyArray([2], [1, 2]);
        var m1 = new MemoryStream();
        var m2 = new MemoryStream();
        Npz.Write(m1, [new("a", a)]);
        Npz.Write(m2, [new("a", a)]);
        Assert.Equal(m1.ToArray(), m2.ToArray());
    }

    [Fact]
    public void Write_BadNames_ThrowArgumentExceptionAndWriteNothing()
    {
        using var dir = new TempFolder();
        string path = dir.File("m.npz");
        var a = NpyArray.FromScalar(1);
        Assert.Throws<ArgumentException>(() => Npz.Write(path, [new("", a)]));
        Assert.Throws<ArgumentException>(() => Npz.Write(path, [new("a/b", a)]));
        Assert.Throws<ArgumentException>(() => Npz.Write(path, [new("a", a), new("a", a)]));
        Assert.Throws<ArgumentNullException>(() => Npz.Write(path, [new("a", null!)]));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Read_HandBuiltZipOfHandBuiltNpy_StoredAndDeflated()
    {
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyTests.Floats(3, 4));
        foreach (CompressionLevel level in new[] { CompressionLevel.NoCompression, CompressionLevel.SmallestSize })
        {
            var ms = new MemoryStream();
            using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var s = zip.CreateEntry("x.npy", level).Open()) s.Write(npy);
                // numpy ignores nothing but .npy entries matter to us; other files are skipped.
                using (var s = zip.CreateEntry("README.txt").Open()) s.Write("hi"u8);
            }
            ms.Position = 0;
            var read = Npz.Read(ms, "hand.npz");
            Assert.Equal(["x"], read.Keys);
            Assert.Equal([3f, 4f], read["x"].Values.ToArray());
        }
    }

    /// <summary>A small valid archive used as the seed for the hostile-input tests.</summary>
    private static byte[] SmallValidNpz(bool compress)
    {
        var ms = new MemoryStream();
        Npz.Write(ms, [new("W", new NpyArray([2, 3], [1, 2, 3, 4, 5, 6])), new("b", NpyArray.FromVector([0.5f, -0.5f]))], compress);
        return ms.ToArray();
    }

    private static Exception? TryRead(byte[] bytes)
    {
        try
        {
            Npz.Read(new MemoryStream(bytes), "hostile.npz");
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
    public void Read_TruncatedAtEveryOffset_ThrowsInvalidData(bool compress)
    {
        byte[] valid = SmallValidNpz(compress);
        for (int length = 0; length < valid.Length; length++)
        {
            Exception? e = TryRead(valid[..length]);
            Assert.True(e is InvalidDataException, $"length {length} of {valid.Length}: {e?.GetType().Name ?? "no exception"}: {e?.Message}");
        }
    }

    [Fact]
    public void Read_NpyTruncatedAtEveryOffset_ThrowsInvalidData()
    {
        var ms = new MemoryStream();
        Npy.Write(ms, new NpyArray([2, 3], [1, 2, 3, 4, 5, 6]));
        byte[] valid = ms.ToArray();
        for (int length = 0; length < valid.Length; length++)
        {
            int copy = length;
            Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(valid[..copy]), "t.npy"));
        }
    }

    [Property(MaxTest = 500)]
    public Property Read_RandomBitFlips_LoadOrThrowInvalidData() =>
        Prop.ForAll(
            (from compress in Gen.Elements(false, true)
             from flips in Gen.Choose(0, int.MaxValue).ArrayOf().Where(f => f.Length is > 0 and <= 8)
             select (compress, flips)).ToArbitrary(),
            input =>
            {
                byte[] bytes = SmallValidNpz(input.compress);
                foreach (int f in input.flips)
                {
                    int bit = f % (bytes.Length * 8);
                    bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                }
                Exception? e = TryRead(bytes);
                return (e is null or InvalidDataException).Label($"{e?.GetType().Name}: {e?.Message}").Classify(e is null, "loaded").Classify(e is not null, "rejected");
            });

    [Property(MaxTest = 300)]
    public Property Read_RandomBytes_LoadOrThrowInvalidData() =>
        Prop.ForAll(Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().ToArbitrary(), bytes =>
        {
            Exception? e = TryRead(bytes);
            bool npyOk;
            try { Npy.Read(new MemoryStream(bytes), "r.npy"); npyOk = true; }
            catch (InvalidDataException) { npyOk = true; }
            catch (Exception) { npyOk = false; }
            return (e is null or InvalidDataException && npyOk).Label(e?.ToString() ?? "");
        });

    internal static byte[] ZipOf(string entryName, byte[] payload, CompressionLevel level)
    {
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        using (var s = zip.CreateEntry(entryName, level).Open())
            s.Write(payload);
        return ms.ToArray();
    }

    /// <summary>Overwrites the 32-bit uncompressed size in the (single) local header and central directory record.</summary>
    internal static void PatchUncompressedSize(byte[] zip, uint size)
    {
        Assert.Equal(0x04034b50u, BinaryPrimitives.ReadUInt32LittleEndian(zip));
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(22), size);
        int cd = zip.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x50, 0x4b, 0x01, 0x02]);
        Assert.True(cd > 0);
        BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(cd + 24), size);
    }

    [Fact]
    public void Read_EntryInflatingBeyondDeclaredSize_ThrowsWithoutInflatingIt()
    {
        // A valid 2-element array followed by 64 MiB of zeros (deflates to ~64 KiB), with the declared
        // size patched to the array's true size: a reader that trusts the stream would inflate it all.
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyTests.Floats(1, 2));
        byte[] payload = new byte[npy.Length + (64 << 20)];
        npy.CopyTo(payload, 0);
        byte[] zip = ZipOf("bomb.npy", payload, CompressionLevel.SmallestSize);
        PatchUncompressedSize(zip, (uint)npy.Length);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "bomb.npz"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.StartsWith("bomb.npz: array 'bomb': ", ex.Message);
        Assert.Contains("checksum", ex.Message);
        Assert.True(allocated < (8 << 20), $"allocated {allocated} bytes");
    }

    [Fact]
    public void Read_EntryDeclaringImpossibleRatio_Throws()
    {
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyTests.Floats(1, 2));
        byte[] zip = ZipOf("W.npy", npy, CompressionLevel.SmallestSize);
        PatchUncompressedSize(zip, 0xF000_0000);
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "bomb.npz"));
        Assert.Contains("zip bomb", ex.Message);
    }

    [Fact]
    public void Read_HeaderClaiming10To12Elements_ThrowsBeforeAllocating()
    {
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", NpyTests.Floats(1, 2));
        byte[] zip = ZipOf("W.npy", npy, CompressionLevel.NoCompression);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "big.npz"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20));
        Assert.StartsWith("big.npz: array 'W': ", ex.Message);
        Assert.Contains("(1000000, 1000000)", ex.Message);
    }

    [Fact]
    public void Read_HeaderClaimingMoreThanEntryHolds_ThrowsBeforeAllocating()
    {
        // 500,000,000 floats fit a .NET array, so only the byte count can catch this lie.
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (500000000,), }", NpyTests.Floats(1, 2));
        byte[] zip = ZipOf("W.npy", npy, CompressionLevel.NoCompression);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "big.npz"));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < (1 << 20));
        Assert.Contains("needs 2000000000 bytes", ex.Message);
    }

    [Theory]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "pickle")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }", "negative")]
    public void Read_HostileEntry_ThrowsNamingArchiveAndArray(string dict, string expected)
    {
        byte[] zip = ZipOf("W.npy", NpyTests.HandBuilt(dict, NpyTests.Floats(1, 2)), CompressionLevel.Optimal);
        var ex = Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(zip), "m.npz"));
        Assert.StartsWith("m.npz: array 'W': ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Read_DuplicateEntry_Throws()
    {
        byte[] npy = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyTests.Floats(1, 2));
        var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            for (int i = 0; i < 2; i++)
                using (var s = zip.CreateEntry("W.npy").Open()) s.Write(npy);
        Assert.Contains("twice", Assert.Throws<InvalidDataException>(() => Npz.Read(new MemoryStream(ms.ToArray()), "d.npz")).Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => Npz.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".npz")));
    }
}
