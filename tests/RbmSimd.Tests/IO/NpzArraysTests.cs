using System.IO.Compression;
using System.Text;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Persistence;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// Readers decode only the arrays they use (issue 10: a 527 KB .npz with an unused int8 entry took 4.2 GB): a model file
/// with a 64-million-element entry beside the model loads with a few megabytes, and the lazy dictionary reads on lookup.
/// </summary>
public class NpzArraysTests
{
    private const int JunkLength = 64 << 20;

    /// <summary>A valid model file with an extra int8 entry of <see cref="JunkLength"/> zeros (a small file: zeros deflate well).</summary>
    private static string ModelWithJunk(TempFolder folder)
    {
        string path = folder.File("m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(9, 4, seed: 1), path);
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        using (Stream entry = zip.CreateEntry("junk.npy", CompressionLevel.Optimal).Open())
        {
            string dict = $"{{'descr': '|i1', 'fortran_order': False, 'shape': ({JunkLength},), }}";
            int total = 10 + dict.Length + 1;
            string header = dict + new string(' ', (64 - total % 64) % 64) + "\n";
            entry.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
            entry.Write(Encoding.ASCII.GetBytes(header));
            var zeros = new byte[1 << 20];
            for (int i = 0; i < JunkLength / zeros.Length; i++) entry.Write(zeros);
        }
        Assert.True(new FileInfo(path).Length < 1 << 20, "the test file should be small");
        return path;
    }

    [Fact]
    public void ModelFileLoad_DoesNotDecodeAnUnusedEntry()
    {
        using var folder = new TempFolder();
        string path = ModelWithJunk(folder);
        ModelFile.Load(path); // warm-up: JIT and static data
        long before = GC.GetAllocatedBytesForCurrentThread();
        IRbm model = ModelFile.LoadWithTransform(path).Model;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(9, model.VisibleCount);
        Assert.True(allocated < 4 << 20, $"{allocated:N0} bytes allocated to load a 9x4 model");
        using NpzArchive archive = Npz.Open(path);
        Assert.Equal(JunkLength, archive.Read("junk").Length); // the entry is valid: reading it on purpose works
    }

    [Fact]
    public void Lookup_ReadsOnce_EnumerationReadsEverything_MissingIsNotFound()
    {
        using var folder = new TempFolder();
        string path = folder.File("a.npz");
        Npz.Write(path, [new("x", new NpyArray([2], [1f, 2f])), new("y", new NpyArray([1], [3f]))]);
        using NpzArchive archive = Npz.Open(path);
        var arrays = new NpzArrays(archive);
        Assert.Equal(["x", "y"], arrays.Keys);
        Assert.Equal(2, arrays.Count);
        Assert.Same(arrays["x"], arrays["x"]);
        Assert.True(arrays.ContainsKey("y"));
        Assert.False(arrays.TryGetValue("z", out _));
        Assert.Throws<KeyNotFoundException>(() => arrays["z"]);
        Assert.Equal([1f, 2f, 3f], arrays.Values.SelectMany(a => a.Values.ToArray()));
        Assert.Equal(["x", "y"], arrays.Select(kv => kv.Key));
    }
}
