using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Reference;
using RbmSimd.Training;

using Xunit;

namespace RbmSimd.Tests.Monitoring;

/// <summary>
/// The per-epoch monitors beyond the data's own figures: the free energy of random inputs (the article's "training data
/// against random samples") and the AIS estimate of log Z for models beyond exact enumeration.
/// </summary>
public sealed class TrainingMonitorTests
{
    private static readonly Matrix Bars = BarsAndStripes.Generate(3).Features;

    [Fact]
    public void RandomInputFreeEnergy_Bernoulli_IsTheMeanOverFairCoinFlips()
    {
        var rbm = BernoulliRbm.CreateRandom(9, 5, seed: 3, weightStdDev: 0.5f);
        var trainer = new RbmTrainer(rbm, new TrainingOptions { Epochs = 1, BatchSize = 4, LearningRate = 0.5f, Seed = 11, MonitorRandomRows = 1000 });
        EpochMetrics m = trainer.Train(Bars)[0];

        // The mean of F over all 2⁹ inputs, each equally likely under fair coin flips, in double precision.
        var naive = new NaiveRbm((BernoulliRbm)trainer.Model);
        double[] all = NaiveRbm.AllStates(9).Select(v => naive.FreeEnergy(v, 1, null)).ToArray();
        double mean = all.Average(), sd = Math.Sqrt(all.Select(f => (f - mean) * (f - mean)).Average());
        Assert.NotNull(m.FreeEnergyRandom);
        Assert.InRange(m.FreeEnergyRandom!.Value, mean - 5 * sd / Math.Sqrt(1000), mean + 5 * sd / Math.Sqrt(1000));
        Assert.Equal(m.FreeEnergyRandom - m.FreeEnergyTrain, m.FreeEnergyRandomGap);
    }

    [Fact]
    public void RandomInputFreeEnergy_Gaussian_IsTheMeanOverStandardNormalInputs()
    {
        var random = new Random(5);
        var data = new Matrix(200, 4);
        Span<float> d = data.AsSpan();
        for (int i = 0; i < d.Length; i++) d[i] = (float)Normal(random);
        var rbm = GaussianBernoulliRbm.CreateRandom(4, 3, seed: 2, new Dataset(data.Clone()));
        var trainer = new RbmTrainer(rbm, new TrainingOptions { Epochs = 1, BatchSize = 20, LearningRate = 0.1f, Seed = 4, MonitorRandomRows = 1000 });
        EpochMetrics m = trainer.Train(data)[0];

        var naive = new NaiveGaussianRbm((GaussianBernoulliRbm)trainer.Model);
        double[] f = Enumerable.Range(0, 200_000).Select(_ => naive.FreeEnergy([Normal(random), Normal(random), Normal(random), Normal(random)], 1, null)).ToArray();
        double mean = f.Average(), sd = Math.Sqrt(f.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(m.FreeEnergyRandom!.Value, mean - 5 * sd / Math.Sqrt(1000), mean + 5 * sd / Math.Sqrt(1000));
    }

    [Fact]
    public void RandomInputFreeEnergy_IsOffWithZeroRows_AndTheSameSetEveryEpoch()
    {
        var off = new RbmTrainer(BernoulliRbm.CreateRandom(9, 4, seed: 1), new TrainingOptions { Epochs = 1, BatchSize = 4, MonitorRandomRows = 0 });
        Assert.Null(off.Train(Bars)[0].FreeEnergyRandom);

        // The random rows come from the seed alone: epoch 3 of one run and epoch 3 of a run resumed after epoch 2 (a new
        // trainer) measure the same rows on the same model.
        var options = new TrainingOptions { Epochs = 3, BatchSize = 4, LearningRate = 0.1f, Seed = 9 };
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(9, 4, seed: 1), options);
        IReadOnlyList<EpochMetrics> run = trainer.Train(Bars);
        var twoEpochs = new RbmTrainer(BernoulliRbm.CreateRandom(9, 4, seed: 1), options with { Epochs = 2 });
        twoEpochs.Train(Bars);
        RbmTrainer resumed = RbmTrainer.Resume(twoEpochs.CreateCheckpoint(), epochs: 3);
        Assert.Equal(run[2].FreeEnergyRandom, resumed.Train(Bars)[0].FreeEnergyRandom);
    }

    [Fact]
    public void AisMonitor_EstimatesLogZ_WhenExactEnumerationIsOff()
    {
        var options = new TrainingOptions
        {
            Epochs = 5, BatchSize = 4, LearningRate = 0.3f, Seed = 2, ExactLogLikelihoodMaxUnits = 0, AisMonitorRuns = 100, AisMonitorTemperatures = 1000,
        };
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(9, 6, seed: 1), options);
        EpochMetrics last = trainer.Train(Bars)[^1];
        Assert.Equal("ais", last.LogZMethod);
        double exact = NaivePartitionFunction.LogZ(new NaiveRbm((BernoulliRbm)trainer.Model));
        Assert.InRange(last.LogZ!.Value, exact - 0.1, exact + 0.1);
        Assert.Equal(-last.FreeEnergyTrain - last.LogZ, last.LogLikelihoodTrain);

        var exactTrainer = new RbmTrainer(BernoulliRbm.CreateRandom(9, 6, seed: 1), options with { ExactLogLikelihoodMaxUnits = 20 });
        EpochMetrics e = exactTrainer.Train(Bars)[^1];
        Assert.Equal("exact", e.LogZMethod);

        var neither = new RbmTrainer(BernoulliRbm.CreateRandom(9, 6, seed: 1), options with { ExactLogLikelihoodMaxUnits = 0, AisMonitorRuns = 0 });
        EpochMetrics n = neither.Train(Bars)[^1];
        Assert.Null(n.LogZMethod);
        Assert.Null(n.LogZ);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void AisMonitorRuns_OutOfRange_IsRefused(int runs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions { AisMonitorRuns = runs }.Validate());

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
