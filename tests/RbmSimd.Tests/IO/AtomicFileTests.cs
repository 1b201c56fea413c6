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

    // ---- Leftover temporaries (issue 10, section 6): removed by the next write of the same target
    // when old and exactly of the pattern .NAME.<32 lowercase hex>.tmp; nothing else is touched.

    private static string Leftover(TempFolder dir, string name, TimeSpan age)
    {
        string path = dir.File(name);
        File.WriteAllText(path, "partial");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    private const string Hex = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void Write_RemovesOldLeftoversOfTheSameTarget_KeepsEverythingElse()
    {
        using var dir = new TempFolder();
        string target = dir.File("model.npz");
        TimeSpan old = AtomicFile.StaleTemporaryAge + TimeSpan.FromMinutes(5);
        string stale = Leftover(dir, $".model.npz.{Hex}.tmp", old);
        string stale2 = Leftover(dir, $".model.npz.{new string('f', 32)}.tmp", TimeSpan.FromDays(30));
        string[] kept =
        [
            Leftover(dir, $".model.npz.{Hex[..^1]}a.tmp", AtomicFile.StaleTemporaryAge - TimeSpan.FromMinutes(5)), // young: a writer may be at work
            Leftover(dir, $".other.npz.{Hex}.tmp", old),                 // another target
            Leftover(dir, $".model.npz.{Hex.ToUpperInvariant()}.tmp", old), // not how Guid "N" prints
            Leftover(dir, $".model.npz.{Hex[1..]}.tmp", old),            // 31 digits
            Leftover(dir, $".model.npz.{Hex}0.tmp", old),                // 33 digits
            Leftover(dir, $".model.npz.{Hex[..^1]}g.tmp", old),          // not hex
            Leftover(dir, $"model.npz.{Hex}.tmp", old),                  // no leading dot
            Leftover(dir, $".model.npz.{Hex}.tmpx", old),                // other suffix
            Leftover(dir, $".model.npz_{Hex}.tmp", old),                 // other separator
            Leftover(dir, $".model.npzz{Hex}.tmp", old),
            Leftover(dir, $"_model.npz.{Hex}.tmp", old),
            Leftover(dir, $".model.npx.{Hex}.tmp", old),                 // same length, other name
            Leftover(dir, $".model.npz.{Hex}_tmp", old),
        ];
        AtomicFile.WriteAllText(target, "new");
        Assert.False(File.Exists(stale));
        Assert.False(File.Exists(stale2));
        Assert.All(kept, k => Assert.True(File.Exists(k), k));
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(kept.Length + 1, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void Write_LeftoverThatIsAFolderOrALink_Untouched()
    {
        using var dir = new TempFolder();
        string folder = dir.File($".m.bin.{Hex}.tmp");
        Directory.CreateDirectory(folder);
        Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow - TimeSpan.FromDays(2));
        string elsewhere = dir.File("precious.txt");
        File.WriteAllText(elsewhere, "keep");
        string link = dir.File($".m.bin.{Hex.Replace('0', '1')}.tmp");
        File.CreateSymbolicLink(link, elsewhere);
        // The link's own time (lstat), which .NET reports for it: .NET has no call that sets it, touch -h does.
        using (var touch = System.Diagnostics.Process.Start("touch", ["-h", "-d", "2 days ago", link]))
        {
            touch.WaitForExit();
            Assert.Equal(0, touch.ExitCode);
        }
        Assert.True(new FileInfo(link).LastWriteTimeUtc < DateTime.UtcNow - TimeSpan.FromDays(1));
        AtomicFile.WriteAllText(dir.File("m.bin"), "x");
        Assert.True(Directory.Exists(folder));
        Assert.True(File.Exists(link));
        Assert.Equal("keep", File.ReadAllText(elsewhere));
    }

    [Fact]
    public void Write_StaleCleanupFailsQuietly_WhenTheFolderIsMissing()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "gone", "x.bin");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(path, "x"));
        // The error names the file asked for, not the hidden temporary.
        Assert.Contains(path, ex.Message);
        Assert.DoesNotContain(".tmp", ex.Message);
        Assert.IsType<DirectoryNotFoundException>(ex.InnerException);
    }

    [Fact]
    public void Write_DiskFullWhileWriting_NamesTheTarget()
    {
        // A full disk surfaces as an IOException from the temporary's FileStream, naming that stream's
        // path (for example "No space left on device : '/runs/.model.npz.<guid>.tmp'").
        using var dir = new TempFolder();
        string target = dir.File("model.npz");
        string? tempPath = null;
        var ex = Assert.Throws<IOException>(() => AtomicFile.Write(target, s =>
        {
            tempPath = ((FileStream)s).Name;
            throw new IOException($"No space left on device : '{tempPath}'");
        }));
        Assert.Equal($"No space left on device : '{target}'", ex.Message);
        Assert.NotNull(ex.InnerException);
        Assert.Contains(".tmp", ex.InnerException!.Message);
        Assert.False(File.Exists(tempPath));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Write_OtherErrors_PassThroughUnchanged()
    {
        using var dir = new TempFolder();
        var own = new IOException("the source data vanished");
        Assert.Same(own, Assert.Throws<IOException>(() => AtomicFile.Write(dir.File("a"), _ => throw own)));
        var denied = new UnauthorizedAccessException("no");
        Assert.Same(denied, Assert.Throws<UnauthorizedAccessException>(() => AtomicFile.Write(dir.File("a"), _ => throw denied)));
    }

    [Theory]
    [InlineData(typeof(UnauthorizedAccessException))]
    [InlineData(typeof(FileNotFoundException))]
    [InlineData(typeof(PathTooLongException))]
    [InlineData(typeof(DirectoryNotFoundException))]
    [InlineData(typeof(EndOfStreamException))]
    public void Write_FileSystemErrorNamingTheTemporary_KeepsItsKind(Type kind)
    {
        using var dir = new TempFolder();
        string target = dir.File("t.bin");
        var ex = Assert.ThrowsAny<Exception>(() => AtomicFile.Write(target, s =>
            throw (Exception)Activator.CreateInstance(kind, $"failed on {((FileStream)s).Name}")!));
        Assert.Equal($"failed on {target}", ex.Message);
        Assert.IsType(kind == typeof(EndOfStreamException) ? typeof(IOException) : kind, ex);
        if (ex is FileNotFoundException notFound) Assert.Equal(target, notFound.FileName);
    }

    [Theory]
    [InlineData(".a.0123456789abcdef0123456789abcdef.tmp", "a", true)]
    [InlineData(".a.b.0123456789abcdef0123456789abcdef.tmp", "a.b", true)]
    [InlineData(".a.0123456789abcdef0123456789abcdef.tmp", "b", false)]
    [InlineData(".ab.0123456789abcdef0123456789abcdef.tmp", "a", false)]
    [InlineData("..0123456789abcdef0123456789abcdef.tmp", "", true)]
    [InlineData(".a.0123456789abcdef0123456789abcdef.tmq", "a", false)]
    [InlineData(".a.0123456789abcdef0123456789abcdef_tmp", "a", false)]
    public void IsTemporaryOf_ExactPattern(string name, string fileName, bool expected)
    {
        Assert.Equal(expected, AtomicFile.IsTemporaryOf(name, fileName));
    }
}
