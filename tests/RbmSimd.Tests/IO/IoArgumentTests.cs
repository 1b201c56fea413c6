using System.IO.Compression;
using System.Text;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// Argument checks of the IO API: each public method checks its own arguments first, with the
/// documented exception type (exactly), parameter name and message, before touching the file system
/// or the stream.
/// </summary>
public class IoArgumentTests
{
    private sealed class NonSeekable : MemoryStream
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public void Npy_Arguments()
    {
        // Exact types: an empty path is reported before the null limits.
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Npy.Read("", null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Npy.Read((string)null!, null!)).ParamName);
        Assert.Equal("limits", Assert.Throws<ArgumentNullException>(() => Npy.Read("x.npy", null!)).ParamName);
        var ex = Assert.Throws<ArgumentException>(() => Npy.Read(new NonSeekable(), "s"));
        Assert.Equal("The stream must be readable and seekable. (Parameter 'stream')", ex.Message);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => Npy.Write((Stream)null!, null!)).ParamName);
        Assert.Equal("array", Assert.Throws<ArgumentNullException>(() => Npy.Write(new MemoryStream(), null!)).ParamName);
        // The array is checked before the file system is touched: no DirectoryNotFoundException.
        using var dir = new TempFolder();
        Assert.Equal("array", Assert.Throws<ArgumentNullException>(() => Npy.Write(Path.Combine(dir.Path, "missing", "a.npy"), null!)).ParamName);
    }

    [Fact]
    public void Npz_Arguments()
    {
        Assert.Equal("The stream must be readable and seekable. (Parameter 'stream')",
            Assert.Throws<ArgumentException>(() => Npz.Open(new NonSeekable(), "s")).Message);
        Assert.Equal("The stream must be readable and seekable. (Parameter 'stream')",
            Assert.Throws<ArgumentException>(() => Npz.Read(new NonSeekable(), "s")).Message);
        Assert.Equal("arrays", Assert.Throws<ArgumentNullException>(() => Npz.Write("x.npz", null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => Npz.Write((Stream)null!, null!)).ParamName);
        Assert.Equal("arrays", Assert.Throws<ArgumentNullException>(() => Npz.Write(new MemoryStream(), null!)).ParamName);
        Assert.Equal("limits", Assert.Throws<ArgumentNullException>(() => Npz.Read(new MemoryStream(), "s", null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Npz.Read("", null!)).ParamName);
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => Npz.Read(null!, null!, null!)).ParamName);
        Assert.Equal("sourceName", Assert.Throws<ArgumentNullException>(() => Npz.Read(new MemoryStream(), null!, null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => Npz.Open("", null)).ParamName);
    }

    [Fact]
    public void NpzArchive_NullNames()
    {
        var ms = new MemoryStream();
        Npz.Write(ms, [new("a", NpyArray.FromScalar(1))]);
        using NpzArchive archive = Npz.Open(new MemoryStream(ms.ToArray()), "a.npz");
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => archive.Contains(null!)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => archive.TryRead(null!, out _)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => archive.Read(null!)).ParamName);
    }

    [Fact]
    public void NpyArray_TextArguments()
    {
        Assert.StartsWith("Element 1 is null.", Assert.Throws<ArgumentException>(() => NpyArray.FromStrings([2], ["a", null!])).Message);
        // The code-point limit (536,870,911, over 1 GiB of UTF-16 to reach) at a small limit.
        NpyArray.ValidateText("ab\U0001D11E", 0, "texts", maxCodePoints: 3);
        var ex = Assert.Throws<ArgumentException>(() => NpyArray.ValidateText("abcd", 4, "texts", maxCodePoints: 3));
        Assert.StartsWith("Element 4 is longer than 3 code points.", ex.Message);
        Assert.Equal("texts", ex.ParamName);
    }

    [Fact]
    public void AtomicFile_Arguments()
    {
        // Exact types: an empty path is reported before the null callback.
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => AtomicFile.Write("", null!)).ParamName);
        Assert.Equal("write", Assert.Throws<ArgumentNullException>(() => AtomicFile.Write("x", null!)).ParamName);
        using var dir = new TempFolder();
        string folder = dir.Path + Path.DirectorySeparatorChar;
        Assert.StartsWith($"'{folder}' names a folder, not a file.", Assert.Throws<ArgumentException>(() => AtomicFile.Write(folder, _ => { })).Message);
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => AtomicFile.WriteAllText(dir.File("t.txt"), null!)).ParamName);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void AtomicFile_WriteAllText_Utf8WithoutByteOrderMark()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.txt");
        AtomicFile.WriteAllText(path, "é€");
        Assert.Equal(Encoding.UTF8.GetBytes("é€"), File.ReadAllBytes(path));
        Assert.Equal([0xC3, 0xA9, 0xE2, 0x82, 0xAC], File.ReadAllBytes(path));
    }

    [Fact]
    public void NpyDtype_TryParse_EmptyReasonOnSuccess_UnreachableKindsThrow()
    {
        Assert.True(NpyDtype.TryParse("<f4", out NpyDtype dtype, out string reason));
        Assert.Equal("", reason);
        Assert.Equal(NpyDtype.Float32, dtype);
        Assert.True(NpyDtype.TryParse($"<U{NpyDtype.MaxTextChars}", out dtype, out _));
        Assert.Equal(NpyDtype.MaxTextChars, dtype.Size);
        Assert.False(NpyDtype.TryParse($"<U{NpyDtype.MaxTextChars + 1}", out _, out _));
        Assert.Equal("Unreachable: dtype <U2 is not a float type.",
            Assert.Throws<InvalidOperationException>(() => NpyDtype.Unicode(2).Convert(new byte[8], new float[1])).Message);
        Assert.Equal("Unreachable: dtype <f4 is not an integer type.",
            Assert.Throws<InvalidOperationException>(() => NpyDtype.Float32.ConvertIntegers(new byte[4], new long[1])).Message);
    }
}
