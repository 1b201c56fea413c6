using System.Globalization;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Tests.IO;
using RbmSimd.Tests.Reference;

using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// rbm train watching its run: early stopping and divergence keep the best model in best-model.npz, the per-epoch AIS
/// estimate and the random-input free energy reach metrics.csv.
/// </summary>
[Collection("Console")]
public sealed class CliWatchTests
{
    [Fact]
    public void EarlyStopping_StopsAfterThePatience_AndKeepsTheBestModel()
    {
        using var folder = new TempFolder();
        var (code, stdout, stderr) = CliRunner.Run("train", "--data", "bars:3", "--hidden", "6", "--epochs", "2000", "--held-out", "0",
            "--learning-rate", "1", "--learning-rate-decay-epochs", "0", "--early-stopping", "4", "--output", folder.Path, "--save-interval", "3600");
        Assert.True(code == 0, stderr);
        Assert.Contains("stopped early: the training log-likelihood has not improved for 4 epochs", stdout);
        var rows = Metrics(folder.File("metrics.csv"));
        int best = rows.MaxBy(r => r.LogLikelihood).Epoch;
        Assert.Equal(best + 4, rows[^1].Epoch);
        Assert.True(rows.Count < 2000);
        Assert.Contains($"The best model (epoch {best}) is", stdout);
        // The kept model is the best epoch's: its log-likelihood, recomputed in double precision, is the best in the file.
        Assert.Equal(rows.Max(r => r.LogLikelihood), NaiveLogLikelihood(ModelFile.Load<BernoulliRbm>(folder.File("best-model.npz"))), 3);
        Assert.Equal(rows[^1].LogLikelihood, NaiveLogLikelihood(ModelFile.Load<BernoulliRbm>(folder.File("model.npz"))), 3);
    }

    [Fact]
    public void Divergence_StopsByDefault_NamingTheBestModel_ContinueOnlyWarns()
    {
        using var folder = new TempFolder();
        string[] args = ["train", "--data", "bars:3", "--hidden", "5", "--epochs", "60", "--learning-rate", "10", "--weight-decay", "1", "--held-out", "0", "--save-interval", "3600"];
        var (code, _, stderr) = CliRunner.Run([.. args, "--output", folder.File("stop")]);
        Assert.Equal(2, code);
        Assert.Contains("training looks divergent: the training log-likelihood has been more than", stderr);
        Assert.Contains("best-model.npz", stderr);
        var rows = Metrics(Path.Combine(folder.File("stop"), "metrics.csv"));
        var bestModel = ModelFile.Load<BernoulliRbm>(Path.Combine(folder.File("stop"), "best-model.npz"));
        Assert.Equal(rows.Max(r => r.LogLikelihood), NaiveLogLikelihood(bestModel), 3);
        Assert.Contains($"(epoch {rows.MaxBy(r => r.LogLikelihood).Epoch})", stderr);

        var (_, stdout, _) = CliRunner.Run([.. args, "--output", folder.File("continue"), "--on-divergence", "continue"]);
        Assert.Contains("warning: training looks divergent", stdout);
        Assert.Contains("carrying on", stdout);
        // Said once per run-away, not on every epoch after it.
        Assert.Equal(1, stdout.Split('\n').Count(l => l.StartsWith("warning: training looks divergent", StringComparison.Ordinal)));
    }

    [Fact]
    public void AisMonitor_And_RandomInputs_ReachMetricsCsv()
    {
        using var folder = new TempFolder();
        var (code, stdout, stderr) = CliRunner.Run("train", "--data", "bars:3", "--hidden", "6", "--epochs", "3", "--held-out", "0",
            "--exact-ll-max-units", "0", "--ais-monitor", "50", "--ais-monitor-betas", "500", "--output", folder.Path);
        Assert.True(code == 0, stderr);
        Assert.Contains("AIS estimate of log Z", stdout);
        string[] lines = File.ReadAllLines(folder.File("metrics.csv"));
        string[] header = lines[0].Split(',');
        int method = Array.IndexOf(header, "log_z_method"), logZ = Array.IndexOf(header, "log_z"), random = Array.IndexOf(header, "free_energy_random_gap");
        Assert.All(lines[1..], l => Assert.Equal("ais", l.Split(',')[method]));
        string[] last = lines[^1].Split(',');
        double exact = NaivePartitionFunction.LogZ(new NaiveRbm(ModelFile.Load<BernoulliRbm>(folder.File("model.npz"))));
        Assert.InRange(double.Parse(last[logZ], CultureInfo.InvariantCulture), exact - 0.15, exact + 0.15);
        Assert.True(double.IsFinite(double.Parse(last[random], CultureInfo.InvariantCulture)));
    }

    private static double NaiveLogLikelihood(BernoulliRbm model)
    {
        var naive = new NaiveRbm(model);
        double logZ = NaivePartitionFunction.LogZ(naive);
        Matrix data = BarsAndStripes.Generate(3).Features;
        double sum = 0;
        for (int r = 0; r < data.Rows; r++) sum += -naive.FreeEnergy(data.Row(r).ToArray().Select(x => (double)x).ToArray()) - logZ;
        return sum / data.Rows;
    }

    private static List<(int Epoch, double LogLikelihood)> Metrics(string path)
    {
        string[] lines = File.ReadAllLines(path);
        int ll = Array.IndexOf(lines[0].Split(','), "log_likelihood_train");
        return lines[1..].Select(l => l.Split(',')).Select(c => (int.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[ll], CultureInfo.InvariantCulture))).ToList();
    }
}
