using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>A seed fixes every bit of training, whatever the number of threads.</summary>
public class DeterminismTests
{
    [Theory]
    [InlineData(false, 1, 0.3)]
    [InlineData(true, 1, 0.3)]
    [InlineData(false, 3, 0.3)]
    [InlineData(true, 2, 0.3)]
    [InlineData(false, 1, 0.08)] // sparse enough for the set-bit product
    public void Training_SameBitsForAnyThreadCount(bool persistent, int k, double density)
    {
        // Wider than one block of every parallel loop (64 columns, 64 gradient rows, 8 sample rows),
        // with a ragged last minibatch.
        var random = new Random(5);
        var data = new Matrix(157, 150);
        Span<float> d = data.AsSpan();
        for (int i = 0; i < d.Length; i++) d[i] = random.NextDouble() < density ? 1f : 0f;

        float[] Train(int threads)
        {
            var rbm = BernoulliRbm.CreateRandom(150, 270, seed: 3, weightStdDev: 0.1f);
            var options = new TrainingOptions
            {
                Epochs = 2, BatchSize = 20, Persistent = persistent, CdSteps = k, Seed = 11,
                MaxDegreeOfParallelism = threads, SparsityTarget = 0.1f, SparsityCost = 0.1f, WeightDecay = 1e-3f,
            };
            new RbmTrainer(rbm, options).Train(data);
            return [.. rbm.Weights, .. rbm.VisibleBias, .. rbm.HiddenBias];
        }

        float[] one = Train(1);
        Assert.Equal(one, Train(2));
        Assert.Equal(one, Train(16));
    }

    [Fact]
    public void Conditionals_SameBitsForAnyThreadCount()
    {
        var rbm = BernoulliRbm.CreateRandom(200, 130, seed: 8, weightStdDev: 1f);
        var random = new Random(1);
        var v = new Matrix(33, 200);
        Span<float> s = v.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = (float)random.NextDouble();
        var h1 = new Matrix(33, 130);
        var h4 = new Matrix(33, 130);
        rbm.MeanHiddens(v, h1, 1);
        rbm.MeanHiddens(v, h4, 4);
        Assert.True(h1.AsSpan().SequenceEqual(h4.AsSpan()));
        var r1 = new Matrix(33, 200);
        var r4 = new Matrix(33, 200);
        rbm.MeanVisibles(h1, r1, 1);
        rbm.MeanVisibles(h1, r4, 4);
        Assert.True(r1.AsSpan().SequenceEqual(r4.AsSpan()));
    }
}
