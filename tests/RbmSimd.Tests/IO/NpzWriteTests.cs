using System.IO.Compression;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// <see cref="Npz.Write(Stream, IEnumerable{KeyValuePair{string, NpyArray}}, bool)"/> and its file
/// overload against their documented contract: stored entries by default, deflated with
/// <c>compress: true</c> (checked in the zip's own central directory, read by hand), entry names and
/// order, the argument checks, and nothing written when an argument is bad.
/// </summary>
public class NpzWriteTests
{
    private static readonly NpyArray Zeros = new([1000], new float[1000]);

    private static KeyValuePair<string, NpyArray> Entry(string name, NpyArray array) => new(name, array);

    private static byte[] WriteToBytes(bool? compress, params KeyValuePair<string, NpyArray>[] arrays)
    {
        var ms = new MemoryStream();
        if (compress is bool c) Npz.Write(ms, arrays, c);
        else Npz.Write(ms, arrays);
        return ms.ToArray();
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(false, 0)]
    [InlineData(true, 8)]
    public void Write_CompressFlag_SetsTheEntryMethod(bool? compress, int method)
    {
        byte[] zip = WriteToBytes(compress, Entry("zeros", Zeros), Entry("one", NpyArray.FromScalar(1)));
        List<ZipLayout.Entry> entries = ZipLayout.Entries(zip);
        Assert.Equal(["zeros.npy", "one.npy"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.Equal(method, e.Method));
        ZipLayout.Entry zeros = entries[0];
        // 128-byte header + 4000 bytes of data; deflate shrinks the zeros, storing keeps them.
        Assert.Equal(4128, zeros.UncompressedSize);
        if (method == 0) Assert.Equal(zeros.UncompressedSize, zeros.CompressedSize);
        else Assert.True(zeros.CompressedSize < 200, $"{zeros.CompressedSize} bytes");
        Assert.Equal(new float[1000], Npz.Read(new MemoryStream(zip), "z.npz")["zeros"].Values.ToArray());
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 8)]
    public void Write_File_CompressFlag_SetsTheEntryMethod(bool compress, int method)
    {
        using var dir = new TempFolder();
        string path = dir.File("c.npz");
        Npz.Write(path, [new("zeros", Zeros)], compress);
        Assert.Equal(method, ZipLayout.Entries(File.ReadAllBytes(path)).Single().Method);
        Npz.Write(path, [new("zeros", Zeros)]);
        Assert.Equal(0, ZipLayout.Entries(File.ReadAllBytes(path)).Single().Method);
    }

    private sealed class WriteOnly : MemoryStream
    {
        public override bool CanSeek => false;

        public override bool CanRead => false;

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_NonSeekableStream_GivesAReadableArchive(bool compress)
    {
        var stream = new WriteOnly();
        Npz.Write(stream, [new("W", new NpyArray([2], [1, 2])), new("n", NpyArray.FromInteger(-3))], compress);
        byte[] bytes = stream.ToArray();
        var read = Npz.Read(new MemoryStream(bytes), "ns.npz");
        Assert.Equal([1f, 2f], read["W"].Values.ToArray());
        Assert.Equal([-3L], read["n"].Integers.ToArray());
        // System.IO.Compression agrees on the entries.
        using var zip = new ZipArchive(new MemoryStream(bytes));
        Assert.Equal(["W.npy", "n.npy"], zip.Entries.Select(e => e.FullName));
    }

    [Fact]
    public void Write_LeavesCallersStreamOpen()
    {
        var ms = new MemoryStream();
        Npz.Write(ms, [new("a", NpyArray.FromScalar(1))]);
        Assert.True(ms.CanWrite);
        Assert.Throws<ArgumentException>(() => Npz.Write(ms, [new("", NpyArray.FromScalar(1))]));
        Assert.True(ms.CanWrite);
    }

    public static TheoryData<string?, string> BadNames => new()
    {
        { "", "Array names must not be empty." },
        { null, "Array names must not be empty." },
        { "a/b", "The array name 'a/b' contains a path separator or control character." },
        { "a\\b", "The array name 'a\\\\b' contains a path separator or control character." },
        { "/", "The array name '/' contains a path separator or control character." },
        { "a\nb", "The array name 'a\\x0Ab' contains a path separator or control character." },
        { "\0", "The array name '\\x00' contains a path separator or control character." },
        { "a\u001b]0;x\u0007", "The array name 'a\\x1B]0;x\\x07' contains a path separator or control character." },
        { "a\u007f", "The array name 'a\\x7F' contains a path separator or control character." },
        { "a\u0085", "The array name 'a\\x85' contains a path separator or control character." },
    };

    [Theory]
    [MemberData(nameof(BadNames))]
    public void Write_BadName_ThrowsAndWritesNothing(string? name, string message)
    {
        using var dir = new TempFolder();
        string path = dir.File("m.npz");
        File.WriteAllText(path, "old");
        var a = NpyArray.FromScalar(1);
        var ex = Assert.Throws<ArgumentException>(() => Npz.Write(path, [new("ok", a), new(name!, a)]));
        Assert.Equal("arrays", ex.ParamName);
        Assert.StartsWith(message, ex.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
        ex = Assert.Throws<ArgumentException>(() => Npz.Write(new MemoryStream(), [new("ok", a), new(name!, a)]));
        Assert.Equal("arrays", ex.ParamName);
        Assert.StartsWith(message, ex.Message);
        // Arguments are checked before the file system is touched: a bad name is reported even
        // when the folder does not exist.
        Assert.Throws<ArgumentException>(() => Npz.Write(Path.Combine(dir.Path, "missing", "m.npz"), [new("ok", a), new(name!, a)]));
    }

    [Theory]
    [InlineData("é")]
    [InlineData("with space")]
    [InlineData("dots.in.name")]
    [InlineData("x.npy")]
    [InlineData("\U0001D11E")]
    public void Write_UnusualButValidNames_RoundTrip(string name)
    {
        byte[] zip = WriteToBytes(null, Entry(name, NpyArray.FromScalar(2)));
        Assert.Equal([name + ".npy"], ZipLayout.Entries(zip).Select(e => e.Name));
        Assert.Equal([name], Npz.Read(new MemoryStream(zip), "u.npz").Keys);
    }

    [Fact]
    public void Write_DuplicateName_ThrowsAndWritesNothing()
    {
        using var dir = new TempFolder();
        string path = dir.File("d.npz");
        var a = NpyArray.FromScalar(1);
        var ex = Assert.Throws<ArgumentException>(() => Npz.Write(path, [new("a", a), new("b", a), new("a", a)]));
        Assert.Equal("arrays", ex.ParamName);
        Assert.StartsWith("The name 'a' appears twice.", ex.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
        Assert.Throws<ArgumentException>(() => Npz.Write(Path.Combine(dir.Path, "missing", "d.npz"), [new("a", a), new("a", a)]));
        ex = Assert.Throws<ArgumentException>(() => Npz.Write(new MemoryStream(), [new("a", a), new("b", a), new("a", a)]));
        Assert.StartsWith("The name 'a' appears twice.", ex.Message);
        // Names differing only in case are different entries.
        Assert.Equal(["a", "A"], Npz.Read(new MemoryStream(WriteToBytes(null, Entry("a", a), Entry("A", a))), "c.npz").Keys);
    }

    [Fact]
    public void Write_NullArrayOrArguments_ThrowArgumentNull()
    {
        using var dir = new TempFolder();
        string path = dir.File("n.npz");
        var ex = Assert.Throws<ArgumentNullException>(() => Npz.Write(path, [new("ok", NpyArray.FromScalar(1)), new("x", null!)]));
        Assert.Equal("arrays", ex.ParamName);
        Assert.StartsWith("The array named 'x' is null.", ex.Message);
        Assert.Empty(Directory.GetFiles(dir.Path));
        Assert.Throws<ArgumentNullException>(() => Npz.Write(Path.Combine(dir.Path, "missing", "n.npz"), [new("x", null!)]));
        ex = Assert.Throws<ArgumentNullException>(() => Npz.Write(new MemoryStream(), [new("x", null!)]));
        Assert.StartsWith("The array named 'x' is null.", ex.Message);
        Assert.Throws<ArgumentNullException>(() => Npz.Write(path, null!));
        Assert.Throws<ArgumentNullException>(() => Npz.Write(new MemoryStream(), null!));
        Assert.Throws<ArgumentNullException>(() => Npz.Write((Stream)null!, []));
        Assert.Throws<ArgumentException>(() => Npz.Write("", []));
    }

    [Fact]
    public void Write_NoArrays_AnEmptyArchive()
    {
        byte[] zip = WriteToBytes(null);
        Assert.Empty(ZipLayout.Entries(zip));
        Assert.Empty(Npz.Read(new MemoryStream(zip), "e.npz"));
    }

    [Fact]
    public void Write_FixedTimestamp_1980()
    {
        // DOS date 1980-01-01 00:00 is time 0x0000, date 0x0021 in the local header (offsets 10, 12).
        byte[] zip = WriteToBytes(null, Entry("a", NpyArray.FromScalar(1)));
        Assert.Equal([0x00, 0x00, 0x21, 0x00], zip[10..14]);
    }
}
