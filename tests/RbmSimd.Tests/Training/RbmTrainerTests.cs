using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Numerics;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

public class RbmTrainerTests
{
    /// <summary>Rows drawn from three noisy 20-unit prototypes: structure an RBM can learn quickly.</summary>
    internal static Matrix Prototypes(int rows, int seed)
    {
        var random = new Random(seed);
        var protos = new bool[3, 20];
        for (int p = 0; p < 3; p++)
            for (int i = 0; i < 20; i++) protos[p, i] = random.NextDouble() < 0.5;
        var m = new Matrix(rows, 20);
        for (int r = 0; r < rows; r++)
        {
            int p = random.Next(3);
            for (int i = 0; i < 20; i++) m[r, i] = protos[p, i] ^ (random.NextDouble() < 0.05) ? 1f : 0f;
        }
        return m;
    }

    [Fact]
    public void Cd1_LowersReconstructionErrorAndRaisesLikelihood()
    {
        Matrix data = Prototypes(300, 1);
        var rbm = BernoulliRbm.CreateRandom(20, 8, seed: 2, data: data);
        double before = ModelMetrics.ReconstructionError(rbm, data);
        double llBefore = ExactPartitionFunction.AverageLogLikelihood(rbm, data, ExactPartitionFunction.LogPartitionFunction(rbm));
        var trainer = new RbmTrainer(rbm, new TrainingOptions { Epochs = 15, BatchSize = 10, LearningRate = 0.1f });
        IReadOnlyList<EpochMetrics> history = trainer.Train(data);
        Assert.Equal(15, history.Count);
        Assert.True(history[^1].ReconstructionError < 0.5 * before, $"{before} -> {history[^1].ReconstructionError}");
        Assert.NotNull(history[^1].LogLikelihoodTrain);
        // Three prototypes with 5% noise: the entropy bound is about −log 3 − 20·H(0.05) ≈ −5.1 nats.
        Assert.True(history[^1].LogLikelihoodTrain > llBefore + 5, $"{llBefore} -> {history[^1].LogLikelihoodTrain}");
    }

    [Fact]
    public void SameSeed_SameBits_DifferentSeed_DifferentBits()
    {
        Matrix data = Prototypes(100, 3);
        float[] Train(ulong seed, bool pcd)
        {
            var rbm = BernoulliRbm.CreateRandom(20, 6, seed: 4);
            new RbmTrainer(rbm, new TrainingOptions { Epochs = 3, Seed = seed, Persistent = pcd, CdSteps = 2 }).Train(data);
            return rbm.Weights.ToArray();
        }
        Assert.Equal(Train(7, false), Train(7, false));
        Assert.Equal(Train(7, true), Train(7, true));
        Assert.NotEqual(Train(7, false), Train(8, false));
    }

    [Fact]
    public void HeldOut_GivesFreeEnergyGap()
    {
        Matrix data = Prototypes(200, 5);
        Matrix held = Prototypes(50, 5);
        var rbm = BernoulliRbm.CreateRandom(20, 6, seed: 4);
        var seen = new List<EpochMetrics>();
        new RbmTrainer(rbm, new TrainingOptions { Epochs = 2 }).Train(data, held, seen.Add);
        Assert.Equal(2, seen.Count);
        Assert.Equal(ModelMetrics.MeanFreeEnergy(rbm, held) - ModelMetrics.MeanFreeEnergy(rbm, data), seen[^1].FreeEnergyGap!.Value, 1e-9);
        Assert.Equal(new[] { 1, 2 }, seen.Select(m => m.Epoch));
    }

    [Fact]
    public void WeightDecay_ShrinksWeightsWithoutData()
    {
        // With v = 0 rows the data term is zero, so decay shrinks W relative to no decay.
        var zeros = new Matrix(20, 20);
        float Norm(float decay)
        {
            var rbm = BernoulliRbm.CreateRandom(20, 5, seed: 9, weightStdDev: 0.5f);
            new RbmTrainer(rbm, new TrainingOptions { Epochs = 5, WeightDecay = decay, Seed = 3 }).Train(zeros);
            return rbm.Weights.ToArray().Sum(w => w * w);
        }
        Assert.True(Norm(0.1f) < 0.9f * Norm(0f));
    }

    [Fact]
    public void SparsityTarget_LowersMeanHiddenActivation()
    {
        Matrix data = Prototypes(300, 6);
        double MeanActivation(float cost)
        {
            var rbm = BernoulliRbm.CreateRandom(20, 10, seed: 2);
            new RbmTrainer(rbm, new TrainingOptions { Epochs = 10, SparsityTarget = 0.05f, SparsityCost = cost }).Train(data);
            var h = new Matrix(data.Rows, 10);
            rbm.MeanHiddens(data, h);
            return h.AsSpan().ToArray().Average(x => (double)x);
        }
        double free = MeanActivation(0f), sparse = MeanActivation(1f);
        Assert.True(sparse < 0.6 * free, $"without penalty {free}, with {sparse}");
    }

    [Fact]
    public void Options_OutOfRange_NamesTheParameter()
    {
        var rbm = BernoulliRbm.CreateRandom(4, 2, seed: 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RbmTrainer(rbm, new TrainingOptions { LearningRate = 0f }));
        Assert.Equal("LearningRate", ex.ParamName);
        Assert.Contains("(0, 10]", ex.Message);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RbmTrainer(rbm, new TrainingOptions { FinalMomentum = 1f }));
        Assert.Equal("FinalMomentum", ex.ParamName);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new RbmTrainer(rbm, new TrainingOptions { BatchSize = 0 }));
        Assert.Equal("BatchSize", ex.ParamName);
    }

    [Fact]
    public void Data_OutsideUnitInterval_IsRejected()
    {
        var rbm = BernoulliRbm.CreateRandom(2, 2, seed: 1);
        var trainer = new RbmTrainer(rbm, new TrainingOptions());
        var ex = Assert.Throws<ArgumentException>(() => trainer.Train(new Matrix(2, 2, [0, 1, 0.5f, 2])));
        Assert.Contains("Row 1, column 1", ex.Message);
        Assert.Throws<ArgumentException>(() => trainer.Train(new Matrix(1, 2, [float.NaN, 0])));
        Assert.Throws<ArgumentException>(() => trainer.Train(new Matrix(1, 3)));
    }

    [Fact]
    public void Divergence_IsReportedWithTheEpoch()
    {
        // η·λ = 10 makes each step multiply W by about −9: it overflows float within a few epochs.
        var rbm = BernoulliRbm.CreateRandom(20, 5, seed: 1, weightStdDev: 1f);
        var trainer = new RbmTrainer(rbm, new TrainingOptions { LearningRate = 10f, WeightDecay = 1f, Epochs = 30, MonitorRows = 5 });
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Train(Prototypes(50, 1)));
        Assert.InRange(ex.Epoch, 2, 30);
        Assert.Equal(ex.Epoch - 1, trainer.CompletedEpochs);
        Assert.Contains($"epoch {ex.Epoch}", ex.Message);
    }

    [Fact]
    public void MomentumSchedule_SwitchesAtTheConfiguredEpoch()
    {
        var o = new TrainingOptions { InitialMomentum = 0.5f, FinalMomentum = 0.9f, MomentumSwitchEpoch = 5 };
        Assert.Equal(0.5f, o.MomentumAt(0));
        Assert.Equal(0.5f, o.MomentumAt(4));
        Assert.Equal(0.9f, o.MomentumAt(5));
    }
}

public class ParameterUpdateTests
{
    [Fact]
    public void TwoSteps_FollowMomentumAndDecayFormula()
    {
        // Δθ₁ = η(∇₁ − λW₀); Δθ₂ = μΔθ₁ + η(∇₂ − λW₁) for the weights, without the decay for biases.
        Matrix data = RbmTrainerTests.Prototypes(10, 2);
        const float eta = 0.3f, mu = 0.5f, lambda = 0.01f;
        var options = new TrainingOptions { BatchSize = 10, LearningRate = eta, InitialMomentum = mu, WeightDecay = lambda, Seed = 6 };
        var rbm = BernoulliRbm.CreateRandom(20, 7, seed: 1, weightStdDev: 0.3f);
        var mirror = rbm.Clone();
        var trainer = new RbmTrainer(rbm, options);
        var probe = new RbmTrainer(mirror, options);

        double[] w0 = rbm.Weights.ToArray().Select(x => (double)x).ToArray();
        double[] b0 = rbm.HiddenBias.ToArray().Select(x => (double)x).ToArray();
        ParameterSet g1 = mirror.Parameters.CreateZeros();
        var random = probe.StepStream(0);
        probe.ComputeGradient(data, ref random, g1);
        trainer.Step(data);
        double[] dw1 = w0.Select((w, i) => eta * (g1["W"].Span[i] - lambda * w)).ToArray();
        double[] db1 = b0.Select((_, j) => (double)eta * g1["hidden_bias"].Span[j]).ToArray();
        for (int i = 0; i < w0.Length; i++) Assert.Equal(w0[i] + dw1[i], rbm.Weights[i], 1e-6);
        for (int j = 0; j < b0.Length; j++) Assert.Equal(b0[j] + db1[j], rbm.HiddenBias[j], 1e-6);

        // The probe's model must reach the same W₁ before its second gradient is taken.
        rbm.Weights.CopyTo(mirror.MutableWeights);
        rbm.VisibleBias.CopyTo(mirror.MutableVisibleBias);
        rbm.HiddenBias.CopyTo(mirror.MutableHiddenBias);
        double[] w1 = rbm.Weights.ToArray().Select(x => (double)x).ToArray();
        ParameterSet g2 = mirror.Parameters.CreateZeros();
        random = probe.StepStream(1);
        probe.ComputeGradient(data, ref random, g2);
        trainer.Step(data);
        for (int i = 0; i < w1.Length; i++)
            Assert.Equal(w1[i] + mu * dw1[i] + eta * (g2["W"].Span[i] - lambda * w1[i]), rbm.Weights[i], 1e-6);
    }
}
