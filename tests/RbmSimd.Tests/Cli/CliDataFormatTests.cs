using System.IO.Compression;
using System.Text;
using System.Text.Json;
using RbmSimd.Persistence;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>--data files are recognised by their content, CSV options are reachable from the CLI, and what rbm detects it says.</summary>
[Collection("Console")]
public class CliDataFormatTests
{
    private const string Bars = "1,1,0,0\n0,0,1,1\n1,0,1,0\n0,1,0,1\n1,1,1,1\n0,0,0,0\n";

    private static (int Code, string Out, string Err) Train(TempFolder folder, string data, params string[] more) =>
        CliRunner.Run(["train", "--data", data, "--hidden", "2", "--epochs", "2", "--held-out", "0", "--output", folder.File("run-" + Guid.NewGuid().ToString("N")[..8]), .. more]);

    private static void AssertTrained((int Code, string Out, string Err) result, int rows)
    {
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains($"visible units) on {rows} rows", result.Out);
    }

    [Fact]
    public void Png_IsRefusedAsAPicture()
    {
        using var folder = new TempFolder();
        string png = folder.File("digits.csv");
        File.WriteAllBytes(png, [0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13]);
        CliUsageErrorTests.AssertUserError(Train(folder, png), "is a PNG picture, not data", "CSV (plain or .gz), IDX (plain or .gz), .npy and .npz");
    }

    [Fact]
    public void GzippedCsv_IsRead()
    {
        using var folder = new TempFolder();
        string path = folder.File("bars.csv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal)) gzip.Write(Encoding.UTF8.GetBytes(Bars));
        AssertTrained(Train(folder, path), 6);
    }

    [Fact]
    public void BinaryGarbage_IsRefusedWithoutPrintingIt()
    {
        using var folder = new TempFolder();
        string path = folder.File("blob.csv");
        File.WriteAllBytes(path, [0x1B, (byte)']', (byte)'0', (byte)';', 0, 0xFF, 0xFE, 7, 0x1B, (byte)'c']);
        var result = Train(folder, path);
        CliUsageErrorTests.AssertUserError(result, "is neither text (CSV) nor a format rbm reads");
        Assert.DoesNotContain('\x1B', result.Err);
    }

    [Fact]
    public void IdxWithoutItsUsualName_IsRecognisedByContent()
    {
        using var folder = new TempFolder();
        string path = folder.File("images.bin");
        // IDX: magic 00 00 08 03, 3 images of 2x2 unsigned bytes.
        byte[] idx = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 255, 255, 0, 255, 0, 0, 255, 255, 255, 0, 0];
        File.WriteAllBytes(path, idx);
        AssertTrained(Train(folder, path), 3);
        string gz = folder.File("images.gz.data");
        using (var gzip = new GZipStream(File.Create(gz), CompressionLevel.Optimal)) gzip.Write(idx);
        AssertTrained(Train(folder, gz), 3);
    }

    [Fact]
    public void Npy_AndNpz_AreData()
    {
        using var folder = new TempFolder();
        float[] values = [1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0];
        string npy = folder.File("x.npy");
        Npy.Write(npy, new NpyArray([3, 4], values));
        AssertTrained(Train(folder, npy), 3);
        string npz = folder.File("x.npz");
        Npz.Write(npz, [new("labels", NpyArray.FromVector([0f, 1f, 2f])), new("X", new NpyArray([3, 4], values))]);
        AssertTrained(Train(folder, npz), 3);
        string scaled = folder.File("pixels.npy");
        Npy.Write(scaled, new NpyArray([3, 4], values.Select(v => v * 255).ToArray()));
        CliUsageErrorTests.AssertUserError(Train(folder, scaled), "row 1, column 1 is 255", "--scale max");
        AssertTrained(Train(folder, scaled, "--scale", "255"), 3);
    }

    [Fact]
    public void Npz_WithoutAnObviousDataArray_ListsItsArrays_Escaped()
    {
        using var folder = new TempFolder();
        string npz = folder.File("two.npz");
        // numpy writes any entry name; the library refuses to, so the archive is made by hand.
        using (var zip = new ZipArchive(File.Create(npz), ZipArchiveMode.Create))
            foreach (string name in new[] { "a\x1B[2J.npy", "b.npy" })
                using (Stream entry = zip.CreateEntry(name).Open())
                using (var buffer = new MemoryStream())
                {
                    Npy.Write(buffer, new NpyArray([2, 2], [0f, 1f, 1f, 0f]));
                    entry.Write(buffer.ToArray());
                }
        var result = Train(folder, npz);
        CliUsageErrorTests.AssertUserError(result, "cannot tell which array is the data; name it train (and test), X, data or samples", @"'a\x1B[2J' (2, 2)");
        Assert.DoesNotContain('\x1B', result.Err);
    }

    [Fact]
    public void SemicolonCsv_SeparatorIsDetected_AndSaid()
    {
        using var folder = new TempFolder();
        string path = folder.File("semi.csv");
        File.WriteAllText(path, Bars.Replace(',', ';'));
        var result = Train(folder, path);
        AssertTrained(result, 6);
        Assert.Contains("separator ';' detected (set it with --separator)", result.Out);
        // Given explicitly as a comma, line 1 is one non-number cell: the error says it was taken as a header.
        result = Train(folder, path, "--separator", "comma");
        CliUsageErrorTests.AssertUserError(result, "line 2", "(Detected: line 1 is a header (1;1;0;0); pass --header no if it is data.)");
    }

    [Fact]
    public void CsvHeaderAndLabelColumn_AreDetected_AndSaid()
    {
        using var folder = new TempFolder();
        string path = folder.File("labelled.csv");
        File.WriteAllText(path, "p1,p2,p3,p4,label\n" + string.Join('\n', Bars.TrimEnd().Split('\n').Select((l, i) => $"{l},{i % 3}")) + "\n");
        var result = Train(folder, path);
        AssertTrained(result, 6);
        Assert.Contains("line 1 is a header (p1,p2,p3,p4,label); pass --header no if it is data", result.Out);
        Assert.Contains("the last column ('label') is a label, not a feature; pass --label-column none", result.Out);
        Assert.Contains("4x2 RBM", result.Out);

        string unnamed = folder.File("unnamed.csv");
        File.WriteAllText(unnamed, string.Join('\n', Bars.TrimEnd().Split('\n').Select((l, i) => $"{l},{i + 2}")) + "\n");
        result = Train(folder, unnamed);
        AssertTrained(result, 6);
        Assert.Contains("whole numbers above 1 beside features in [0, 1], so it is read as a label", result.Out);
        result = Train(folder, unnamed, "--label-column", "none");
        CliUsageErrorTests.AssertUserError(result with { Out = "" }, "is outside [0, 1]", "--scale max");
    }

    [Fact]
    public void CsvOptions_AreReachable_AndTheAdviceNamesThem()
    {
        using var folder = new TempFolder();
        string path = folder.File("pixels.csv");
        File.WriteAllText(path, "0,255,0,255\n255,0,255,0\n255,255,0,0\n");
        CliUsageErrorTests.AssertUserError(Train(folder, path), "value '255' is outside [0, 1]", "pass --scale max, or --scale N to divide by N");
        AssertTrained(Train(folder, path, "--scale", "255"), 3);
        AssertTrained(Train(folder, path, "--scale", "max"), 3);
        string tabs = folder.File("tabs.tsv");
        File.WriteAllText(tabs, "a\tb\tc\td\n" + Bars.Replace(',', '\t'));
        AssertTrained(Train(folder, tabs, "--separator", "tab", "--header", "yes", "--label-column", "none"), 6);

        string mixed = folder.File("mixed.csv");
        File.WriteAllText(mixed, "0,1,x,1\n" + Bars);
        CliUsageErrorTests.AssertUserError(Train(folder, mixed), "line 1 mixes numbers and text (column 3 is 'x')", "pass --header yes");
    }

    [Fact]
    public void CsvOptions_ForDataThatIsNotCsv_AreRefused()
    {
        using var folder = new TempFolder();
        CliUsageErrorTests.AssertUserError(Train(folder, "digits", "--header", "yes"), "--header applies to CSV files only, not to --data 'digits'");
        CliUsageErrorTests.AssertUserError(Train(folder, "bars:3", "--scale", "255"), "--scale applies to CSV, .npy and .npz files only");
    }

    [Fact]
    public void CsvCellWithEscapeSequences_IsEscapedInTheError()
    {
        using var folder = new TempFolder();
        string path = folder.File("evil.csv");
        File.WriteAllText(path, "0,1,0\n0,\x1B]0;pwned\x07\x1B[2J\u202E,1\n");
        var result = Train(folder, path);
        Assert.Equal(2, result.Code);
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(@"\x1B]0;pwned\x07\x1B[2J\u{202E}", result.Err);
        foreach (char c in result.Err.TrimEnd('\n')) Assert.False(char.IsControl(c), $"control character U+{(int)c:X4} reached the terminal");
    }

    [Fact]
    public void FileNameWithControlCharacters_IsEscaped()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Run("info", folder.File("model\x1B[31m\n.npz"));
        CliUsageErrorTests.AssertUserError(result, @"model\x1B[31m\x0A.npz");
    }

    [Fact]
    public void Score_NonBinaryData_IsRefusedUnlessBinarised_AndSaysSo()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(64, 4, seed: 1), model);
        CliUsageErrorTests.AssertUserError(CliRunner.Run("score", model, "--data", "digits"),
            "--data 'digits' is not binary (row 1, column 3 is 0.3125)", "pass --binarize T");
        var (code, stdout, stderr) = CliRunner.Run("score", model, "--data", "digits", "--binarize", "0.5");
        Assert.True(code == 0, stderr);
        Assert.Contains("rows                  1797 (binarised: value > 0.5 → 1)", stdout);
        (code, stdout, stderr) = CliRunner.Run("score", model, "--data", "digits", "--binarize", "0.5", "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(0.5, JsonDocument.Parse(stdout).RootElement.GetProperty("binarize").GetDouble());
    }
}
