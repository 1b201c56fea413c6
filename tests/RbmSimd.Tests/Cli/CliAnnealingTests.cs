using System.Text.Json;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Tests.IO;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>rbm logz --ais and rbm score --ais: the JSON keys issue 11 names, estimates near the exact values computed here, and a bracket on the same rows.</summary>
[Collection("Console")]
public class CliAnnealingTests
{
    private static JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement;
    }

    private static (string Path, BernoulliRbm Model) SmallModel(TempFolder folder)
    {
        var rbm = BernoulliRbm.CreateRandom(9, 6, seed: 8, weightStdDev: 0.8f);
        string path = folder.File("m.npz");
        ModelFile.Save(rbm, path);
        return (path, rbm);
    }

    [Fact]
    public void Logz_Ais_PrintsTheEstimateWithItsIntervalAndSettings_NearTheExactValue()
    {
        using var folder = new TempFolder();
        var (path, rbm) = SmallModel(folder);
        double exact = NaivePartitionFunction.LogZ(new NaiveRbm(rbm));
        JsonElement ais = Json("logz", path, "--ais", "--runs", "200", "--betas", "3000", "--data", "bars:3", "--json");
        Assert.Equal("ais", ais.GetProperty("method").GetString());
        Assert.Equal(200, ais.GetProperty("runs").GetInt32());
        Assert.Equal(3000, ais.GetProperty("betas").GetInt32());
        Assert.InRange(ais.GetProperty("logz").GetDouble(), exact - 0.1, exact + 0.1);
        Assert.InRange(exact, ais.GetProperty("lower").GetDouble(), ais.GetProperty("upper").GetDouble());

        JsonElement e = Json("logz", path, "--exact", "--json");
        Assert.Equal("exact", e.GetProperty("method").GetString());
        Assert.Equal(exact, e.GetProperty("logz").GetDouble(), 4); // float activations: about 1e-6 relative
        Assert.Equal(e.GetProperty("logz").GetDouble(), e.GetProperty("lower").GetDouble());
        Assert.Equal(e.GetProperty("logz").GetDouble(), e.GetProperty("upper").GetDouble());
    }

    [Fact]
    public void Score_Ais_BracketsOnTheRowsReverseAisScored()
    {
        using var folder = new TempFolder();
        var (path, rbm) = SmallModel(folder);
        var naive = new NaiveRbm(rbm);
        double logZ = NaivePartitionFunction.LogZ(naive);
        Matrix bars = BarsAndStripes.Generate(3).Features;
        double FirstRows(int n) => Enumerable.Range(0, n).Average(r => -naive.FreeEnergy(bars.Row(r).ToArray().Select(x => (double)x).ToArray()) - logZ);

        JsonElement s = Json("score", path, "--data", "bars:3", "--ais", "--betas", "3000", "--raise-rows", "5", "--raise-runs", "20", "--json");
        Assert.Equal(14, s.GetProperty("rows").GetInt32());
        Assert.Equal(5, s.GetProperty("raise_rows").GetInt32());
        Assert.Equal(FirstRows(14), s.GetProperty("log_likelihood").GetDouble(), 4);
        Assert.Equal(FirstRows(5), s.GetProperty("raise_rows_log_likelihood").GetDouble(), 4);
        // The AIS figure on those rows differs from the exact one by exactly the log Z difference.
        Assert.Equal(s.GetProperty("logz").GetDouble() - s.GetProperty("logz_ais").GetDouble(),
            s.GetProperty("raise_rows_log_likelihood_ais").GetDouble() - s.GetProperty("raise_rows_log_likelihood").GetDouble(), 9);
        double raise = s.GetProperty("log_likelihood_raise").GetDouble(), error = s.GetProperty("raise_standard_error").GetDouble();
        Assert.InRange(raise, FirstRows(5) - 0.5, FirstRows(5) + 3 * error);
    }
}
