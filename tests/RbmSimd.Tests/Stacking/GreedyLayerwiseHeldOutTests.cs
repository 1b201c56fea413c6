using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Stacking;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.Training;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Stacking;

/// <summary>Held-out rows in greedy training: passed up with the training rows, measured per layer, and never trained on.</summary>
public class GreedyLayerwiseHeldOutTests
{
    private static readonly TrainingOptions Options = new() { Epochs = 4, BatchSize = 10, LearningRate = 0.1f, Seed = 3 };

    [Fact]
    public void HeldOutMetrics_AreEachLayersFreeEnergyOfTheHeldOutRowsPassedUp()
    {
        Matrix train = RbmTrainerTests.Prototypes(200, 1), held = RbmTrainerTests.Prototypes(40, 2);
        var last = new Dictionary<int, EpochMetrics>();
        DeepBeliefNetwork dbn = GreedyLayerwiseTrainer.Train(new Dataset(train.Clone()), [12, 6], Options, (l, m) => last[l] = m, new Dataset(held.Clone()));

        // The held-out rows up the finished network, in double precision, layer by layer.
        var layer0 = new NaiveRbm((BernoulliRbm)dbn.Layers[0]);
        var layer1 = new NaiveRbm((BernoulliRbm)dbn.Layers[1]);
        double[][] rows = Enumerable.Range(0, held.Rows).Select(r => held.Row(r).ToArray().Select(x => (double)x).ToArray()).ToArray();
        double[][] up = rows.Select(v => layer0.MeanHiddens(v)).ToArray();
        double f0 = rows.Average(v => layer0.FreeEnergy(v)), f1 = up.Average(h => layer1.FreeEnergy(h));

        // The last epoch's metrics are measured with the finished parameters.
        Assert.Equal(f0, last[0].FreeEnergyHeldOut!.Value, 1e-4 * Math.Abs(f0));
        Assert.Equal(f1, last[1].FreeEnergyHeldOut!.Value, 1e-4 * Math.Abs(f1));
        Assert.NotNull(last[1].LogLikelihoodHeldOut);
    }

    [Fact]
    public void HeldOutRows_DoNotChangeWhatIsTrained()
    {
        Matrix train = RbmTrainerTests.Prototypes(200, 1), held = RbmTrainerTests.Prototypes(40, 2);
        DeepBeliefNetwork with = GreedyLayerwiseTrainer.Train(new Dataset(train.Clone()), [12, 6], Options, heldOut: new Dataset(held));
        var metrics = new List<EpochMetrics>();
        DeepBeliefNetwork without = GreedyLayerwiseTrainer.Train(new Dataset(train.Clone()), [12, 6], Options, (_, m) => metrics.Add(m));
        for (int l = 0; l < 2; l++)
            Assert.Equal(((BernoulliRbm)without.Layers[l]).Weights.ToArray(), ((BernoulliRbm)with.Layers[l]).Weights.ToArray());
        Assert.All(metrics, m => Assert.Null(m.FreeEnergyHeldOut));
    }

    [Fact]
    public void Cancellation_StopsTraining()
    {
        using var cancel = new CancellationTokenSource();
        int epochs = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => GreedyLayerwiseTrainer.Train(new Dataset(RbmTrainerTests.Prototypes(100, 1)), [8, 4], Options,
            (_, _) =>
            {
                if (++epochs == 2) cancel.Cancel();
            }, cancellationToken: cancel.Token));
        Assert.Equal(2, epochs);
    }
}
