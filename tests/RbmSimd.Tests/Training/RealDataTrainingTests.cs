using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>Training on the shipped and generated data sets, with outcomes that a broken trainer misses.</summary>
public class RealDataTrainingTests
{
    [Fact]
    public void Pcd_OnBarsAndStripes3x3_ApproachesTheOptimumLikelihood()
    {
        Dataset bars = BarsAndStripes.Generate(3);       // 14 patterns, uniform: optimum −log 14 = −2.639
        double optimum = BarsAndStripes.OptimalLogLikelihood(3);
        var rbm = BernoulliRbm.CreateRandom(9, 16, seed: 1, data: bars.Features);
        double start = ExactPartitionFunction.AverageLogLikelihood(rbm, bars.Features, ExactPartitionFunction.LogPartitionFunction(rbm));
        var options = new TrainingOptions
        {
            // Full-batch PCD-1 with 200 chains; with as few chains as rows (14) and a higher rate, PCD on
            // this data rises and then drifts away again, as Fischer and Igel (2010) report.
            Epochs = 8000, BatchSize = 14, LearningRate = 0.02f, Persistent = true, PersistentChains = 200, CdSteps = 1,
            InitialMomentum = 0.5f, FinalMomentum = 0.5f, Seed = 3, ExactLogLikelihoodMaxUnits = 0, MonitorRows = 14,
        };
        new RbmTrainer(rbm, options).Train(bars.Features);
        double end = ExactPartitionFunction.AverageLogLikelihood(rbm, bars.Features, ExactPartitionFunction.LogPartitionFunction(rbm));
        // Start ≈ log 2⁻⁹ plus what the data-set biases give (about −5.7); a trained model gets within 1 nat of the optimum.
        Assert.True(end > start + 2, $"start {start}, end {end}");
        Assert.True(end > optimum - 1.0, $"end {end}, optimum {optimum}");
        Assert.True(end <= optimum + 1e-6, $"end {end} cannot beat the optimum {optimum}");
    }

    [Fact]
    public void Cd1_OnDigits_ReconstructionFalls_AndGapIsReported()
    {
        Dataset digits = Digits.Load(binarize: true);
        var (train, held) = digits.Split(0.2, seed: 1);
        var rbm = BernoulliRbm.CreateRandom(64, 32, seed: 2, data: train.Features);
        double before = ModelMetrics.ReconstructionError(rbm, train.Features);
        var options = new TrainingOptions { Epochs = 8, BatchSize = 10, LearningRate = 0.05f, Seed = 4, MonitorRows = 0 };
        IReadOnlyList<EpochMetrics> history = new RbmTrainer(rbm, options).Train(train.Features, held.Features);
        Assert.True(history[^1].ReconstructionError < 0.6 * before, $"{before} -> {history[^1].ReconstructionError}");
        Assert.True(history[^1].ReconstructionError < history[0].ReconstructionError);
        Assert.All(history, m => Assert.NotNull(m.FreeEnergyGap));
        Assert.All(history, m => Assert.True(double.IsFinite(m.FreeEnergyGap!.Value)));
        Assert.All(history, m => Assert.Null(m.LogZ)); // 2³² states: beyond the default exact-likelihood limit of 2²⁰
    }
}
