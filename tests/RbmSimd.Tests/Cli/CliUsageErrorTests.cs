using RbmSimd.Persistence;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// Every user error is one line on stderr, exit code 2, nothing on stdout, naming the CLI option and its valid range,
/// never .NET's exception text or the library's internal names.
/// </summary>
[Collection("Console")]
public class CliUsageErrorTests
{
    internal static void AssertUserError((int Code, string Out, string Err) result, params string[] expected)
    {
        Assert.True(result.Code == 2, $"exit code {result.Code}; stdout: {result.Out}; stderr: {result.Err}");
        Assert.Equal("", result.Out);
        string line = Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("rbm: error: ", line);
        foreach (string text in expected) Assert.Contains(text, line);
        foreach (string leak in new[] { "System.", "(Parameter '", "Actual value was", "   at ", "Exception", "MaxDegreeOfParallelism", "stateLimit" })
            Assert.DoesNotContain(leak, line);
    }

    [Fact]
    public void MisspelledCommand_SuggestsTheCommand()
    {
        AssertUserError(CliRunner.Run("trian"), "'trian' is not an rbm command", "did you mean 'train'?", "the commands are train, logz");
    }

    [Fact]
    public void MisspelledOption_SuggestsTheOption()
    {
        AssertUserError(CliRunner.Run("train", "--hiden", "50"), "rbm train has no option '--hiden'", "did you mean '--hidden'?");
        AssertUserError(CliRunner.Run("logz", "m.npz", "--exakt"), "did you mean '--exact'?");
    }

    [Fact]
    public void UnparsableValue_NamesTheOptionAndItsRange()
    {
        AssertUserError(CliRunner.Run("train", "--epochs", "abc"), "--epochs must be a whole number of at least 1 (it is 'abc')");
        AssertUserError(CliRunner.Run("train", "--epochs"), "--epochs needs a value");
        AssertUserError(CliRunner.Run("logz"), "rbm logz needs MODEL");
        AssertUserError(CliRunner.Run("train", "--epochs", "2", "--epochs", "3"), "--epochs is given 2 times ('2', '3'); give it once");
    }

    [Fact]
    public void BareRbm_PrintsTheHelp_WithExitCode0()
    {
        var (code, stdout, stderr) = CliRunner.Run();
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("Usage: rbm COMMAND [options]", stdout);
        foreach (string command in new[] { "train", "logz", "score", "sample", "show", "info", "bench" })
            Assert.Matches($@"(?m)^  {command}\s+\S", stdout);
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs must be a whole number of at least 1")]
    [InlineData("--batch-size", "100001", "--batch-size must be a whole number from 1 to 100000")]
    [InlineData("--learning-rate", "-1", "--learning-rate must be a number in (0, 10]")]
    [InlineData("--learning-rate", "NaN", "--learning-rate must be a number in (0, 10]")]
    [InlineData("--k", "0", "--k must be a whole number from 1 to 1000")]
    [InlineData("--chains", "-1", "--chains must be a whole number from 0 to 100000")]
    [InlineData("--momentum", "1", "--momentum must be a number in [0, 1)")]
    [InlineData("--final-momentum", "2", "--final-momentum must be a number in [0, 1)")]
    [InlineData("--momentum-switch", "-1", "--momentum-switch must be a whole number of at least 0")]
    [InlineData("--weight-decay", "5", "--weight-decay must be a number in [0, 1]")]
    [InlineData("--sparsity-target", "1", "--sparsity-target must be a number in [0, 1)")]
    [InlineData("--sparsity-cost", "101", "--sparsity-cost must be a number in [0, 100]")]
    [InlineData("--held-out", "1", "--held-out must be a number in [0, 1)")]
    [InlineData("--seed", "-1", "--seed must be a whole number from 0 to 18446744073709551615")]
    [InlineData("--threads", "0", "--threads must be -1 (all cores) or a whole number of at least 1")]
    [InlineData("--hidden", "0", "--hidden must be a whole number from 1 to 100000")]
    [InlineData("--binarize", "1", "--binarize must be a number in [0, 1)")]
    [InlineData("--exact-ll-max-units", "27", "--exact-ll-max-units must be a whole number from 0 to 26")]
    [InlineData("--save-interval", "-1", "--save-interval must be a number of seconds in [0, 86400]")]
    [InlineData("--header", "maybe", "--header must be one of yes, no")]
    [InlineData("--label-column", "first", "--label-column must be one of last, none")]
    [InlineData("--separator", "x", "--separator must be comma, semicolon, tab or pipe")]
    [InlineData("--scale", "-255", "--scale must be none, max or a positive number")]
    public void Train_BadValue_NamesTheOptionAndItsRange(string option, string value, string expected)
    {
        AssertUserError(CliRunner.Run("train", option, value), expected, $"(it is '{value}')");
    }

    [Fact]
    public void Logz_HugeMaxStates_OnA41x41Model_IsACleanError()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(41, 41, seed: 1), path);
        AssertUserError(CliRunner.Run("logz", path, "--exact", "--max-states", "9223372036854775807"),
            "--max-states must be a whole number from 1 to 2^34");
        AssertUserError(CliRunner.Run("logz", path, "--exact", "--max-states", "17179869184"),
            "2^41 states", "no --max-states reaches it");
        AssertUserError(CliRunner.Run("logz", path, "--exact"), "2^41 states", "--max-states 67108864");
    }

    [Fact]
    public void Logz_ModelJustPastTheLimit_SaysWhichMaxStatesWouldDo()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(30, 27, seed: 1), path);
        AssertUserError(CliRunner.Run("logz", path, "--exact"), "2^27 states", "pass --max-states 134217728 to allow it");
    }

    [Fact]
    public void Folder_WhereAFileIsExpected_SaysItIsAFolder()
    {
        using var folder = new TempFolder();
        string[][] commands = [["logz", folder.Path, "--exact"], ["score", folder.Path], ["sample", folder.Path], ["show", folder.Path], ["info", folder.Path]];
        foreach (string[] args in commands) AssertUserError(CliRunner.Run(args), $"MODEL '{folder.Path}' is a folder, not a model file");
        AssertUserError(CliRunner.Run("train", "--data", folder.Path, "--output", folder.File("run")), "--data", "is a folder, not a data file");
    }

    [Fact]
    public void UnknownDataName_ListsTheValidNames()
    {
        AssertUserError(CliRunner.Run("train", "--data", "mnist"), "--data 'mnist' is neither a data set name nor an existing file",
            "digits, bars:N (N from 2 to 8), fashion-mnist and fashion-mnist:DIR");
        AssertUserError(CliRunner.Run("train", "--data", "digit"), "did you mean 'digits'?");
        AssertUserError(CliRunner.Run("train", "--data", "bars:99"), "bars:N with N a whole number from 2 to 8");
    }

    [Fact]
    public void Bench_MissingFolder_HintUsesBenchSyntax()
    {
        var result = CliRunner.Run("bench", "--data", "/nonexistent/fashion");
        AssertUserError(result, "pass --data DIR");
        Assert.DoesNotContain("fashion-mnist:DIR", result.Err);
    }
}
