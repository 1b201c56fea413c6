using RbmSimd.Persistence;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>Bad files reach the user as one line naming the file and the problem, exit code 2, and no output folder.</summary>
[Collection("Console")]
public class CliHostileInputTests
{
    public static TheoryData<string, string, string> BadCsv => new()
    {
        { "nan.csv", "0,1,0\n0,NaN,1\n", "line 2" },
        { "range.csv", "0,1,0\n0,2,1\n", "line 2" },
        { "ragged.csv", "0,1,0\n0,1\n", "line 2" },
        { "text.csv", "0,1,0\n0,x,1\n", "line 2" },
        { "empty.csv", "", "empty.csv" },
    };

    [Theory]
    [MemberData(nameof(BadCsv))]
    public void Train_BadCsv_OneLineNoOutput(string name, string content, string expected)
    {
        using var folder = new TempFolder();
        string csv = folder.File(name), output = folder.File("run");
        File.WriteAllText(csv, content);
        var (code, _, stderr) = CliRunner.Run("train", "--data", csv, "--hidden", "2", "--epochs", "1", "--output", output);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(name, stderr);
        Assert.Contains(expected, stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Score_PickledObjectArray_IsRejected()
    {
        using var folder = new TempFolder();
        string path = folder.File("evil.npz");
        // A zip with one .npy entry whose dtype is '|O' (a pickled object array).
        using (var zip = new System.IO.Compression.ZipArchive(File.Create(path), System.IO.Compression.ZipArchiveMode.Create))
        using (Stream entry = zip.CreateEntry("W.npy").Open())
        {
            string header = "{'descr': '|O', 'fortran_order': False, 'shape': (2, 2), }";
            header = header.PadRight(118 - 10 + 9) + "\n";
            var bytes = new List<byte> { 0x93 };
            bytes.AddRange("NUMPY"u8.ToArray());
            bytes.AddRange([1, 0, (byte)header.Length, 0]);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
            bytes.AddRange(new byte[32]);
            entry.Write(bytes.ToArray());
        }
        var (code, _, stderr) = CliRunner.Run("score", path, "--data", "digits");
        Assert.Equal(2, code);
        Assert.Contains("evil.npz", stderr);
        Assert.Contains("pickle", stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Logz_NonFiniteParameters_AreRejected()
    {
        using var folder = new TempFolder();
        string path = folder.File("nan.npz");
        Npz.Write(path,
        [
            new("W", new NpyArray([2, 2], [0f, float.NaN, 0f, 0f])),
            new("visible_bias", NpyArray.FromVector([0f, 0f])),
            new("hidden_bias", NpyArray.FromVector([0f, 0f])),
        ]);
        var (code, _, stderr) = CliRunner.Run("logz", path, "--exact");
        Assert.Equal(2, code);
        Assert.Contains("nan.npz", stderr);
        Assert.Contains("NaN", stderr);
    }

    [Fact]
    public void Sample_ModelDataMismatch_IsRejected()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(9, 3, seed: 1), path);
        var (code, _, stderr) = CliRunner.Run("score", path, "--data", "bars:4");
        Assert.Equal(2, code);
        Assert.Contains("16 columns", stderr);
    }
}
