using System.Text.Json;
using RbmSimd.Persistence;
using RbmSimd.Cli.Pictures;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Tests.IO;
using ScottPlot;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>JSON that shares its keys across commands, pictures that do not overwrite a run's, and their size options.</summary>
[Collection("Console")]
public class CliOutputTests
{
    private static JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Single(stdout.TrimEnd('\n').Split('\n'));
        return JsonDocument.Parse(stdout).RootElement;
    }

    [Fact]
    public void Json_LogzScoreInfo_ShareTheirKeys()
    {
        using var folder = new TempFolder();
        string model = folder.File("m\"odel.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(9, 4, seed: 2, weightStdDev: 0.3f), model);
        JsonElement logz = Json("logz", model, "--exact", "--json");
        JsonElement score = Json("score", model, "--data", "bars:3", "--json");
        JsonElement info = Json("info", model, "--json");
        foreach (JsonElement result in new[] { logz, score, info })
        {
            Assert.Equal(model, result.GetProperty("model").GetString());
            Assert.Equal(9, result.GetProperty("visible").GetInt32());
            Assert.Equal(4, result.GetProperty("hidden").GetInt32());
            foreach (JsonProperty property in result.EnumerateObject())
                Assert.Matches("^[a-z][a-z0-9_]*$|^W$", property.Name);
        }
        Assert.Equal(logz.GetProperty("logz").GetDouble(), score.GetProperty("logz").GetDouble(), 12);
        Assert.Equal(14, score.GetProperty("rows").GetInt32());
        Assert.Equal(JsonValueKind.Null, score.GetProperty("binarize").ValueKind);
        Assert.Equal(16, logz.GetProperty("states").GetInt64());
    }

    [Fact]
    public void Json_Score_LogLikelihoodIsNull_WhenLogZIsOutOfReach()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(9, 4, seed: 2), model);
        JsonElement score = Json("score", model, "--data", "bars:3", "--max-states", "8", "--json");
        Assert.Equal(JsonValueKind.Null, score.GetProperty("log_likelihood").ValueKind);
        Assert.Equal(JsonValueKind.Null, score.GetProperty("logz").ValueKind);
        Assert.True(double.IsFinite(score.GetProperty("free_energy").GetDouble()));
    }

    [Fact]
    public void ShowAndSample_KeepTheRunsPictures()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        Assert.Equal(0, CliRunner.Run("train", "--data", "bars:4", "--hidden", "6", "--epochs", "2", "--output", run).Code);
        byte[] filters = File.ReadAllBytes(Path.Combine(run, "filters.png")), samples = File.ReadAllBytes(Path.Combine(run, "samples.png"));
        string model = Path.Combine(run, "model.npz");
        var (code, stdout, stderr) = CliRunner.Run("show", model);
        Assert.True(code == 0, stderr);
        Assert.Contains(Path.Combine(run, "model-filters.png"), stdout);
        (code, stdout, stderr) = CliRunner.Run("sample", model, "--count", "4", "--steps", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains(Path.Combine(run, "model-samples.png"), stdout);
        Assert.Equal(filters, File.ReadAllBytes(Path.Combine(run, "filters.png")));
        Assert.Equal(samples, File.ReadAllBytes(Path.Combine(run, "samples.png")));
    }

    [Fact]
    public void TileScale_AndMaxSize_SetThePictureSize()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(64, 100, seed: 2, weightStdDev: 0.3f), model);
        string png = folder.File("f.png");
        var (code, _, stderr) = CliRunner.Run("show", model, "--tile-scale", "2", "--output", png);
        Assert.True(code == 0, stderr);
        Assert.Equal(new TileGrid(100, new ImageShape(8, 8), scale: 2).Height + Caption.Height, PngPixels.Load(png).Height);
        (code, _, stderr) = CliRunner.Run("show", model, "--max-size", "200", "--output", png);
        Assert.True(code == 0, stderr);
        Assert.True(PngPixels.Load(png).Height <= 200 + Caption.Height);
        CliUsageErrorTests.AssertUserError(CliRunner.Run("show", model, "--tile-scale", "64", "--max-size", "1000", "--output", png),
            "--tile-scale 64 makes a", "larger than --max-size 1000");
        (code, _, stderr) = CliRunner.Run("sample", model, "--tile-scale", "1", "--count", "9", "--steps", "1", "--output", png);
        Assert.True(code == 0, stderr);
        Assert.Equal(new TileGrid(9, new ImageShape(8, 8), scale: 1).Width, PngPixels.Load(png).Width);
    }

    [Fact]
    public void Filters_HaveACaption()
    {
        if (Caption.Width("x") == 0) return; // no font installed: the strip stays plain
        var model = BernoulliRbm.CreateRandom(64, 4, seed: 2, weightStdDev: 0.3f);
        GrayImage image = FilterImage.Render(model, new ImageShape(8, 8), caption: FilterImage.DefaultCaption(4));
        int dark = 0;
        for (int y = 0; y < Caption.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (image[x, y] < 128) dark++;
        Assert.InRange(dark, 20, image.Width * Caption.Height / 2);
        Assert.True(image.Width >= Caption.Width(FilterImage.DefaultCaption(4)), "the picture is widened to show the whole caption");
    }

    [Fact]
    public void Curves_OneEpoch_ValueAxesFitTheValues()
    {
        var rows = new[] { new MetricsRow(1, 0.25, -2.5, -1.7, -6.2, -7.0) };
        IReadOnlyList<Plot> plots = CurvesImage.CreatePlots(rows);
        AxisLimits recon = plots[0].Axes.GetLimits();
        Assert.True(recon.Bottom >= 0 && recon.Bottom < 0.25 && recon.Top > 0.25 && recon.Top < 0.4, $"recon axis {recon.Bottom}..{recon.Top}");
        AxisLimits free = plots[1].Axes.GetLimits();
        Assert.True(free.Bottom < -2.5 && free.Bottom > -2.7 && free.Top > -1.7 && free.Top < -1.5, $"free-energy axis {free.Bottom}..{free.Top}");
        Assert.True(recon.Left < 1 && recon.Right > 1);
    }
}
