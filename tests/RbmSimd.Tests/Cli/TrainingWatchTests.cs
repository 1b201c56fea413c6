using RbmSimd.Cli.Training;
using RbmSimd.Training;

using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>The rules of <see cref="TrainingWatch"/> on made-up epochs: best epoch, patience, divergence by log-likelihood and by reconstruction error.</summary>
public sealed class TrainingWatchTests
{
    private static EpochMetrics Epoch(int n, double recon, double? heldLl = null, double? trainLl = null) =>
        new(n, 0.1, recon, -10, heldLl is null ? null : -10.5, trainLl ?? heldLl, trainLl, heldLl);

    [Fact]
    public void EarlyStopping_StopsAfterPatienceEpochsWithoutImprovement_ByTheHeldOutLogLikelihood()
    {
        var watch = new TrainingWatch(patience: 3, DivergenceAction.Stop);
        double[] held = [-20, -18, -17.5, -17.6, -17.7, -17.8, -17.0];
        var stops = new List<string?>();
        for (int e = 0; e < 6; e++) stops.Add(watch.Observe(Epoch(e + 1, 0.1, held[e], trainLl: -1 - e)).Stop);
        Assert.Equal([null, null, null, null, null], stops.Take(5));
        Assert.StartsWith("stopped early", stops[5]);
        Assert.Contains("held-out log-likelihood", stops[5]);
        Assert.Equal(3, watch.BestEpoch);
    }

    [Fact]
    public void EarlyStopping_Off_NeverStops_AndBestFallsBackToTheTrainingLogLikelihood_ThenReconstruction()
    {
        var watch = new TrainingWatch(patience: 0, DivergenceAction.Stop);
        for (int e = 1; e <= 50; e++) Assert.Null(watch.Observe(Epoch(e, 0.1, trainLl: e == 2 ? -5 : -5.5)).Stop);
        Assert.Equal(2, watch.BestEpoch);
        Assert.Equal("training log-likelihood", watch.ScoreName);

        var recon = new TrainingWatch(patience: 2, DivergenceAction.Stop);
        Assert.True(recon.Observe(Epoch(1, 0.30)).Best);
        Assert.True(recon.Observe(Epoch(2, 0.20)).Best);
        Assert.False(recon.Observe(Epoch(3, 0.21)).Best);
        Assert.StartsWith("stopped early: the reconstruction error", recon.Observe(Epoch(4, 0.22)).Stop);
    }

    [Fact]
    public void Divergence_ByLogLikelihood_NeedsThreeEpochsBeyondTheMargin_AndStopOrContinueDecidesWhatHappens()
    {
        foreach (DivergenceAction action in new[] { DivergenceAction.Stop, DivergenceAction.Continue })
        {
            var watch = new TrainingWatch(patience: 0, action);
            watch.Observe(Epoch(1, 0.1, -20));
            // The margin is max(2, 5% of 20) = 2 nats: 1.9 below is within it and resets the count of epochs beyond it.
            double[] next = [-21.9, -22.5, -22.5, -21.9, -23, -23];
            for (int e = 0; e < next.Length; e++) Assert.Equal((false, (string?)null, (string?)null), watch.Observe(Epoch(e + 2, 0.1, next[e])));
            var (_, stop, warning) = watch.Observe(Epoch(8, 0.1, -23));
            if (action == DivergenceAction.Stop)
            {
                Assert.Contains("training looks divergent", stop);
                Assert.Null(warning);
            }
            else
            {
                Assert.Null(stop);
                Assert.Contains("carrying on", warning);
            }
        }
    }

    [Fact]
    public void Divergence_ByReconstruction_NeedsFiveRisesToOneAndAHalfTimesTheBest()
    {
        var watch = new TrainingWatch(patience: 0, DivergenceAction.Stop);
        double[] slowRise = [0.10, 0.101, 0.102, 0.103, 0.104, 0.105, 0.106];
        for (int e = 0; e < slowRise.Length; e++) Assert.Null(watch.Observe(Epoch(e + 1, slowRise[e])).Stop);

        var runaway = new TrainingWatch(patience: 0, DivergenceAction.Stop);
        double[] fast = [0.10, 0.11, 0.12, 0.13, 0.14, 0.16];
        string? stop = null;
        for (int e = 0; e < fast.Length; e++) stop = runaway.Observe(Epoch(e + 1, fast[e])).Stop;
        Assert.Contains("reconstruction error has risen for 5 epochs", stop);
    }
}
