using System.Text.Json;
using RbmSimd.Persistence;
using RbmSimd.Cli.Pictures;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

[Collection("Console")]
public class PictureCommandTests
{
    private static string SaveModel(TempFolder folder, int visible, int hidden, string name = "model.npz")
    {
        string path = folder.File(name);
        ModelFile.Save(BernoulliRbm.CreateRandom(visible, hidden, seed: 5, weightStdDev: 0.5f), path);
        return path;
    }

    private static void AssertOneLineError(int code, string stdout, string stderr, string expected)
    {
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("rbm: error:", stderr);
        Assert.Contains(expected, stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Show_WritesFiltersBesideTheModel()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 64, 12);
        var (code, stdout, stderr) = CliRunner.Run("show", model);
        Assert.True(code == 0, stderr);
        string png = folder.File("model-filters.png");
        Assert.Contains(png, stdout);
        var grid = new TileGrid(12, new ImageShape(8, 8));
        PngPixels pixels = PngPixels.Load(png);
        Assert.Equal((Math.Max(grid.Width, Caption.Width(FilterImage.DefaultCaption(12))), Caption.Height + grid.Height), (pixels.Width, pixels.Height));
    }

    [Fact]
    public void Show_GivenImageSize_AndOutput()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 12, 3);
        string png = Path.Combine(folder.Path, "sub", "f.png");
        var (code, _, stderr) = CliRunner.Run("show", model, "--image-width", "4", "--image-height", "3", "--output", png);
        Assert.True(code == 0, stderr);
        Assert.Equal(Math.Max(new TileGrid(3, new ImageShape(4, 3)).Width, Caption.Width(FilterImage.DefaultCaption(3))), PngPixels.Load(png).Width);
    }

    [Fact]
    public void Show_NonSquareWithoutImageSize_IsOneLineError()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 10, 3);
        var (code, stdout, stderr) = CliRunner.Run("show", model);
        AssertOneLineError(code, stdout, stderr, "--image-width");
        Assert.False(File.Exists(folder.File("filters.png")));
    }

    [Theory]
    [InlineData("-3", "4", "--image-width must be a whole number from 1 to 100000 (it is '-3')")]
    [InlineData("4", "0", "--image-height must be a whole number from 1 to 100000 (it is '0')")]
    [InlineData("5", "3", "does not cover the model's 12 visible units")]
    public void Show_BadImageSize_IsOneLineError(string width, string height, string expected)
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 12, 3);
        var (code, stdout, stderr) = CliRunner.Run("show", model, "--image-width", width, "--image-height", height);
        AssertOneLineError(code, stdout, stderr, expected);
    }

    [Fact]
    public void Show_OutputIsAFolder_IsOneLineError()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 16, 3);
        var (code, stdout, stderr) = CliRunner.Run("show", model, "--output", folder.Path);
        AssertOneLineError(code, stdout, stderr, "is a folder");
    }

    [Fact]
    public void Sample_FromRandomStarts_WritesPngAndNpz()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 16, 5);
        string npz = folder.File("s.npz");
        var (code, stdout, stderr) = CliRunner.Run("sample", model, "--count", "6", "--steps", "3", "--npz", npz, "--json");
        Assert.True(code == 0, stderr);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(6, json.GetProperty("count").GetInt32());
        Assert.Equal("random", json.GetProperty("start").GetString());
        double mean = json.GetProperty("mean_probability").GetDouble();
        Assert.InRange(mean, 0, 1);

        PngPixels png = PngPixels.Load(folder.File("model-samples.png"));
        var grid = new TileGrid(6, new ImageShape(4, 4));
        Assert.Equal((grid.Width, Caption.Height + grid.Height), (png.Width, png.Height));

        IReadOnlyDictionary<string, NpyArray> arrays = Npz.Read(npz);
        Assert.Equal([6, 16], arrays["samples"].Shape.ToArray());
        Assert.All(arrays["samples"].Values.ToArray(), v => Assert.True(v is 0f or 1f));
        Assert.Equal([6, 16], arrays["probabilities"].Shape.ToArray());
        Assert.Equal(mean, arrays["probabilities"].Values.ToArray().Average(v => (double)v), 1e-6);
    }

    [Fact]
    public void Sample_SameSeed_SameSamples()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 16, 5);
        CliRunner.Run("sample", model, "--count", "3", "--steps", "4", "--seed", "9", "--npz", folder.File("a.npz"));
        CliRunner.Run("sample", model, "--count", "3", "--steps", "4", "--seed", "9", "--npz", folder.File("b.npz"));
        Assert.Equal(Npz.Read(folder.File("a.npz"))["samples"].Values.ToArray(), Npz.Read(folder.File("b.npz"))["samples"].Values.ToArray());
    }

    [Fact]
    public void Sample_FromData_ShowsExamplesAboveSamples()
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 64, 8);
        string png = folder.File("out.png");
        var (code, stdout, stderr) = CliRunner.Run("sample", model, "--data", "digits", "--count", "5", "--steps", "2", "--output", png);
        Assert.True(code == 0, stderr);
        Assert.Contains("from data starts", stdout);
        PngPixels pixels = PngPixels.Load(png);
        var grid = new TileGrid(5, new ImageShape(8, 8));
        Assert.Equal(grid.Width, pixels.Width);
        Assert.True(pixels.Height > 2 * grid.Height);
    }

    [Theory]
    [InlineData("--count", "0", "--count")]
    [InlineData("--count", "100000", "--count")]
    [InlineData("--steps", "0", "--steps")]
    public void Sample_BadCounts_AreOneLineErrors(string option, string value, string expected)
    {
        using var folder = new TempFolder();
        string model = SaveModel(folder, 16, 5);
        var (code, stdout, stderr) = CliRunner.Run("sample", model, option, value);
        AssertOneLineError(code, stdout, stderr, expected);
        Assert.False(File.Exists(folder.File("samples.png")));
    }

    [Fact]
    public void Sample_MissingModel_AndDataShapeMismatch_AreOneLineErrors()
    {
        var (code, stdout, stderr) = CliRunner.Run("sample", "/nonexistent/model.npz");
        AssertOneLineError(code, stdout, stderr, "model.npz");
        using var folder = new TempFolder();
        string model = SaveModel(folder, 16, 5);
        (code, stdout, stderr) = CliRunner.Run("sample", model, "--data", "digits");
        AssertOneLineError(code, stdout, stderr, "64 columns");
    }

    [Fact]
    public void Info_Json_GivesShapesAndStatistics()
    {
        using var folder = new TempFolder();
        var rbm = new BernoulliRbm(2, 3, [1, 2, 3, 4, 5, 6], [-1, 1], [0, 0, 0]);
        string path = folder.File("m.npz");
        ModelFile.Save(rbm, path);
        var (code, stdout, stderr) = CliRunner.Run("info", path, "--json");
        Assert.True(code == 0, stderr);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(2, json.GetProperty("visible").GetInt32());
        Assert.Equal(3, json.GetProperty("hidden").GetInt32());
        Assert.Equal(1, json.GetProperty("format_version").GetDouble());
        Assert.Equal(6 + 2 + 3, json.GetProperty("parameters").GetInt32());
        JsonElement w = json.GetProperty("statistics").GetProperty("W");
        Assert.Equal(1, w.GetProperty("min").GetDouble());
        Assert.Equal(6, w.GetProperty("max").GetDouble());
        Assert.Equal(3.5, w.GetProperty("mean").GetDouble(), 1e-12);
        Assert.Equal(Math.Sqrt(35.0 / 12), w.GetProperty("std").GetDouble(), 1e-12);
        Assert.Equal(0, w.GetProperty("non_finite").GetInt32());
        Assert.Equal(1, json.GetProperty("statistics").GetProperty("visible_bias").GetProperty("std").GetDouble(), 1e-12);

        (code, stdout, stderr) = CliRunner.Run("info", path);
        Assert.True(code == 0, stderr);
        Assert.Contains("W (2x3)", stdout);
        Assert.Contains("non-finite", stdout);
    }

    [Fact]
    public void Info_NonFiniteWeights_AreCountedThenReportedAsError()
    {
        using var folder = new TempFolder();
        string path = folder.File("nan.npz");
        Npz.Write(path,
        [
            new(ModelFile.WeightsName, new NpyArray([2, 2], [1f, float.NaN, float.PositiveInfinity, 3f])),
            new(ModelFile.VisibleBiasName, NpyArray.FromVector([0f, 0f])),
            new(ModelFile.HiddenBiasName, NpyArray.FromVector([0f, 0f])),
        ]);
        var (code, stdout, stderr) = CliRunner.Run("info", path, "--json");
        Assert.Equal(2, code);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        Assert.False(json.GetProperty("valid").GetBoolean());
        Assert.Equal(2, json.GetProperty("statistics").GetProperty("W").GetProperty("non_finite").GetInt32());
        Assert.Equal(2, json.GetProperty("statistics").GetProperty("W").GetProperty("mean").GetDouble());
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("nan.npz", stderr);
    }

    [Fact]
    public void Info_MissingModel_IsOneLineError()
    {
        var (code, stdout, stderr) = CliRunner.Run("info", "/nonexistent/model.npz");
        AssertOneLineError(code, stdout, stderr, "model.npz");
    }

    [Fact]
    public void Help_ListsPictureCommands_WithExamples()
    {
        var (code, stdout, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        foreach (string command in new[] { "sample", "show", "info" })
        {
            Assert.Contains(command, stdout);
            var (c, help, _) = CliRunner.Run(command, "--help");
            Assert.Equal(0, c);
            Assert.Contains("Example", help);
            Assert.Contains($"rbm {command} ", help);
        }
    }
}
