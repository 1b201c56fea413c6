using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Write_NewFile_HasContents()
    {
        using var dir = new TempFolder();
        string path = dir.File("a.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_ExistingFile_IsReplaced()
    {
        using var dir = new TempFolder();
        string path = dir.File("a.txt");
        File.WriteAllText(path, "old contents that are longer");
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_WriterThrows_TargetUntouchedAndNoTempLeft()
    {
        using var dir = new TempFolder();
        string path = dir.File("model.npz");
        File.WriteAllText(path, "good");
        var ex = Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write(new byte[10_000]);
            throw new InvalidOperationException("disk full (simulated)");
        }));
        Assert.Equal("disk full (simulated)", ex.Message);
        Assert.Equal("good", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_WriterThrows_NoTargetCreated()
    {
        using var dir = new TempFolder();
        string path = dir.File("new.npz");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, _ => throw new InvalidOperationException()));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_MissingFolder_ThrowsIOException()
    {
        using var dir = new TempFolder();
        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(Path.Combine(dir.Path, "no", "such.txt"), "x"));
    }

    [Fact]
    public void Write_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => AtomicFile.Write("", _ => { }));
        Assert.Throws<ArgumentNullException>(() => AtomicFile.Write("x", null!));
        Assert.Throws<ArgumentException>(() => AtomicFile.Write(Path.GetTempPath(), _ => { }));
    }
}
