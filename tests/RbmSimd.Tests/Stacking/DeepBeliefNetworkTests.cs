using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Stacking;
using RbmSimd.Tests.Training;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Stacking;

public class DeepBeliefNetworkTests
{
    [Fact]
    public void Constructor_RejectsMismatchedLayers()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DeepBeliefNetwork(
            [BernoulliRbm.CreateRandom(10, 6, seed: 1), BernoulliRbm.CreateRandom(5, 3, seed: 2)]));
        Assert.Contains("Layer 1 has 5 visible units but layer 0 has 6 hidden units", ex.Message);
        Assert.Throws<ArgumentException>(() => new DeepBeliefNetwork([]));
    }

    [Fact]
    public void Transform_ComposesTheLayersConditionals()
    {
        var l0 = BernoulliRbm.CreateRandom(12, 7, seed: 1, weightStdDev: 1f);
        var l1 = BernoulliRbm.CreateRandom(7, 4, seed: 2, weightStdDev: 1f);
        var dbn = new DeepBeliefNetwork([l0, l1]);
        Matrix v = RbmTrainerTests.Prototypes(5, 3);
        var x = new Matrix(5, 12);
        for (int r = 0; r < 5; r++) v.Row(r)[..12].CopyTo(x.Row(r));
        var h1 = new Matrix(5, 7);
        var expected = new Matrix(5, 4);
        l0.MeanHiddens(x, h1);
        l1.MeanHiddens(h1, expected);
        var top = new Matrix(5, 4);
        dbn.Transform(x, top);
        Assert.Equal(expected.AsSpan().ToArray(), top.AsSpan().ToArray());
    }

    [Fact]
    public void GreedyTraining_LearnsEachLayer_AndSamplesLookLikeTheData()
    {
        Matrix data = RbmTrainerTests.Prototypes(300, 11);
        var histories = new List<EpochMetrics>[] { [], [] };
        var options = new TrainingOptions { Epochs = 30, BatchSize = 10, LearningRate = 0.1f, Seed = 4 };
        DeepBeliefNetwork dbn = GreedyLayerwiseTrainer.Train(new Dataset(data.Clone()), [16, 8], options,
            (layer, m) => histories[layer].Add(m));
        Assert.Equal([20, 16], dbn.Layers.Select(l => l.VisibleCount));
        Assert.All(histories, h => Assert.Equal(30, h.Count));
        Assert.All(histories, h => Assert.True(h[^1].ReconstructionError < 0.5 * h[0].ReconstructionError,
            $"{h[0].ReconstructionError} -> {h[^1].ReconstructionError}"));

        // Three prototypes with 5% noise: a sample is "data-like" within Hamming distance 3 of a
        // training row's prototype. Uniform random 20-bit vectors are that close with probability < 0.1%.
        Matrix samples = dbn.Sample(count: 60, gibbsSteps: 200, seed: 5);
        int close = 0;
        for (int s = 0; s < samples.Rows; s++)
        {
            int best = int.MaxValue;
            for (int r = 0; r < data.Rows; r++)
            {
                int d = 0;
                for (int i = 0; i < 20; i++) if ((samples[s, i] > 0.5f) != (data[r, i] > 0.5f)) d++;
                best = Math.Min(best, d);
            }
            if (best <= 3) close++;
        }
        Assert.True(close >= 45, $"{close} of 60 samples are data-like");
    }

    [Fact]
    public void Sample_IsReproducible()
    {
        var dbn = new DeepBeliefNetwork([BernoulliRbm.CreateRandom(9, 5, seed: 1, weightStdDev: 1f), BernoulliRbm.CreateRandom(5, 3, seed: 2, weightStdDev: 1f)]);
        Matrix a = dbn.Sample(10, 20, seed: 3), b = dbn.Sample(10, 20, seed: 3);
        Assert.Equal(a.AsSpan().ToArray(), b.AsSpan().ToArray());
        Assert.All(a.AsSpan().ToArray(), x => Assert.InRange(x, 0f, 1f));
        Assert.Equal((10, 9), (a.Rows, a.Cols));
    }
}
