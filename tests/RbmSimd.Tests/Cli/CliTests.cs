using System.Text.Json;
using RbmSimd.Persistence;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

[Collection("Console")]
public class CliTests
{
    [Fact]
    public void Train_OnBars_WritesModelAndMetrics_ThatLogzAndScoreRead()
    {
        using var folder = new TempFolder();
        string output = Path.Combine(folder.Path, "run");
        var (code, stdout, stderr) = CliRunner.Run("train", "--data", "bars:3", "--hidden", "6", "--epochs", "3", "--held-out", "0", "--output", output);
        Assert.True(code == 0, stderr);
        Assert.Equal(3, EpochLines(stdout));
        string model = Path.Combine(output, "model.npz");
        string[] csv = File.ReadAllLines(Path.Combine(output, "metrics.csv"));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("epoch,", csv[0]);

        (code, stdout, stderr) = CliRunner.Run("logz", model, "--exact", "--json");
        Assert.True(code == 0, stderr);
        double logZ = JsonDocument.Parse(stdout).RootElement.GetProperty("logz").GetDouble();
        BernoulliRbm rbm = ModelFile.Load<BernoulliRbm>(model);
        Assert.Equal(ExactPartitionFunction.LogPartitionFunction(rbm), logZ, 1e-9);

        (code, stdout, stderr) = CliRunner.Run("score", model, "--data", "bars:3", "--json");
        Assert.True(code == 0, stderr);
        JsonElement score = JsonDocument.Parse(stdout).RootElement;
        Dataset bars = BarsAndStripes.Generate(3);
        Assert.Equal(bars.Count, score.GetProperty("rows").GetInt32());
        double expected = ExactPartitionFunction.AverageLogLikelihood(rbm, bars.Features, logZ);
        Assert.Equal(expected, score.GetProperty("log_likelihood").GetDouble(), 1e-6);
    }

    /// <summary>The epoch lines of rbm train's output: rows of the table that start with the epoch number.</summary>
    internal static int EpochLines(string stdout) =>
        stdout.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+\s+\d"));

    [Fact]
    public void Logz_MissingFile_IsOneLineErrorWithCode2()
    {
        var (code, stdout, stderr) = CliRunner.Run("logz", "/nonexistent/model.npz", "--exact");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("rbm: error:", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void Logz_CorruptFile_IsOneLineError()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "bad.npz");
        File.WriteAllBytes(path, [1, 2, 3, 4]);
        var (code, _, stderr) = CliRunner.Run("logz", path, "--exact");
        Assert.Equal(2, code);
        Assert.Contains("bad.npz", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Logz_ModelTooLarge_SaysHowManyStates()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "big.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(64, 40, seed: 1), path);
        var (code, _, stderr) = CliRunner.Run("logz", path, "--exact");
        Assert.Equal(2, code);
        Assert.Contains("2^40", stderr);
    }

    [Fact]
    public void Train_BadOption_NamesIt()
    {
        var (code, _, stderr) = CliRunner.Run("train", "--learning-rate", "-1", "--epochs", "1");
        Assert.Equal(2, code);
        Assert.Contains("--learning-rate must be a number in (0, 10] (it is '-1')", stderr);
        Assert.DoesNotContain("LearningRate", stderr);
        (code, _, stderr) = CliRunner.Run("train", "--data", "bars:99");
        Assert.Equal(2, code);
        Assert.Contains("bars:N", stderr);
    }

    [Fact]
    public void Score_ShapeMismatch_IsClearError()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(10, 3, seed: 1), path);
        var (code, _, stderr) = CliRunner.Run("score", path, "--data", "digits");
        Assert.Equal(2, code);
        Assert.Contains("64 columns", stderr);
        Assert.Contains("10 visible", stderr);
    }

    [Fact]
    public void Help_ListsCommands()
    {
        var (code, stdout, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        foreach (string command in new[] { "train", "logz", "score" }) Assert.Contains(command, stdout);
        (code, stdout, _) = CliRunner.Run("train", "--help");
        Assert.Equal(0, code);
        Assert.Contains("Examples:", stdout);
    }
}

[Collection("Console")]
public class CliResumeTests
{
    [Fact]
    public void Resume_ContinuesToTheSameModelAsOneRun()
    {
        using var folder = new TempFolder();
        string once = Path.Combine(folder.Path, "once"), twice = Path.Combine(folder.Path, "twice");
        string[] common = ["--data", "bars:3", "--hidden", "5", "--pcd", "--chains", "7", "--held-out", "0.2", "--seed", "9"];
        Assert.Equal(0, CliRunner.Run(["train", .. common, "--epochs", "6", "--output", once]).Code);
        Assert.Equal(0, CliRunner.Run(["train", .. common, "--epochs", "3", "--output", twice]).Code);
        var (code, stdout, stderr) = CliRunner.Run("train", "--resume", twice, "--epochs", "6", "--threads", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("resuming", stdout);
        BernoulliRbm a = ModelFile.Load<BernoulliRbm>(Path.Combine(once, "model.npz")), b = ModelFile.Load<BernoulliRbm>(Path.Combine(twice, "model.npz"));
        Assert.Equal(a.Weights.ToArray(), b.Weights.ToArray());
        Assert.Equal(a.HiddenBias.ToArray(), b.HiddenBias.ToArray());
        Assert.Equal(File.ReadAllLines(Path.Combine(once, "metrics.csv")).Length, File.ReadAllLines(Path.Combine(twice, "metrics.csv")).Length);
    }

    [Fact]
    public void Resume_WithoutCheckpoint_IsOneLineError()
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = CliRunner.Run("train", "--resume", folder.Path);
        Assert.Equal(2, code);
        Assert.Contains("checkpoint.npz not found", stderr);
    }

    [Fact]
    public void Divergence_KeepsTheLastGoodCheckpoint()
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = CliRunner.Run("train", "--data", "bars:3", "--hidden", "5", "--epochs", "60", "--learning-rate", "10",
            "--weight-decay", "1", "--held-out", "0", "--on-divergence", "continue", "--learning-rate-decay-epochs", "0", "--output", folder.Path);
        Assert.Equal(2, code);
        Assert.Contains("diverged in epoch", stderr);
        Assert.Contains("last good checkpoint", stderr);
        Assert.True(ModelFile.Load<BernoulliRbm>(Path.Combine(folder.Path, "checkpoint.npz")).HasFiniteParameters());
    }
}
