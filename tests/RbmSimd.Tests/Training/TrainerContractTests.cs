using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// The trainer's documented contract beyond single updates: the learning-rate schedule and per-group rates and
/// decays, one thread at a time, every row once per epoch in a uniformly random order, frozen and floored
/// log-variances of Gaussian units, the decayed rate applied to a step, and the checkpoint's chain shapes.
/// </summary>
public class TrainerContractTests
{
    // ---- Options' schedules -------------------------------------------------------------------------

    [Fact]
    public void LearningRateFactor_FallsLinearlyOverTheDecayEpochs_ThenStays()
    {
        var o = new TrainingOptions { LearningRateDecayEpochs = 5, FinalLearningRateFactor = 0.1f };
        // 1 − (1 − 0.1)·e/4 for e = 0 … 4, then 0.1; a negative epoch counts as 0.
        float[] expected = [1f, 0.775f, 0.55f, 0.325f, 0.1f, 0.1f, 0.1f];
        for (int e = 0; e < expected.Length; e++) Assert.Equal(expected[e], o.LearningRateFactorAt(e), 6);
        Assert.Equal(1f, o.LearningRateFactorAt(-3), 6);
        Assert.Equal(0.1f, o.LearningRateFactorAt(1000), 6);
        Assert.Equal(1f, new TrainingOptions().LearningRateFactorAt(0));
        Assert.Equal(1f, new TrainingOptions { FinalLearningRateFactor = 0.5f }.LearningRateFactorAt(7));
        // One decay epoch: the final factor from the start.
        var one = new TrainingOptions { LearningRateDecayEpochs = 1, FinalLearningRateFactor = 0.25f };
        Assert.Equal((0.25f, 0.25f), (one.LearningRateFactorAt(0), one.LearningRateFactorAt(5)));
        var two = new TrainingOptions { LearningRateDecayEpochs = 2, FinalLearningRateFactor = 0.25f };
        Assert.Equal((1f, 0.25f, 0.25f), (two.LearningRateFactorAt(0), two.LearningRateFactorAt(1), two.LearningRateFactorAt(2)));
    }

    [Fact]
    public void RatesAndDecays_DependOnTheParameterGroup()
    {
        var o = new TrainingOptions { LearningRate = 0.3f, LogVarianceLearningRate = 0.02f, WeightDecay = 0.01f, ContextLearningRateScale = 0.5f, ContextWeightDecay = 0.002f };
        Assert.Equal(0.3f, o.LearningRateFor(ParameterGroup.Weights));
        Assert.Equal(0.3f, o.LearningRateFor(ParameterGroup.Biases));
        Assert.Equal(0.15f, o.LearningRateFor(ParameterGroup.ContextWeights));
        Assert.Equal(0.02f, o.LearningRateFor(ParameterGroup.LogVariances));
        Assert.Equal(0.01f, o.WeightDecayFor(ParameterGroup.Weights));
        Assert.Equal(0.002f, o.WeightDecayFor(ParameterGroup.ContextWeights));
        Assert.Equal(0f, new TrainingOptions { WeightDecay = 0.01f }.WeightDecayFor(ParameterGroup.ContextWeights));
        Assert.Equal(0f, o.WeightDecayFor(ParameterGroup.Biases));
        Assert.Equal(0f, o.WeightDecayFor(ParameterGroup.LogVariances));
        Assert.False(o.KeepsChains);
        Assert.True((o with { Persistent = true }).KeepsChains);
        Assert.True((o with { ParallelTemperingReplicas = 2 }).KeepsChains);
        Assert.Equal(0.5f, o.MomentumAt(4));
        Assert.Equal(0.9f, o.MomentumAt(5));
    }

    // ---- One thread at a time ----------------------------------------------------------------------

    [Fact]
    public void Trainer_RefusesASecondCallWhileBusy_AndIsFreeAfterwards()
    {
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(3, 2, seed: 1), new TrainingOptions { Epochs = 2, BatchSize = 2, MaxDegreeOfParallelism = 1, MonitorRandomRows = 0 });
        var data = new Matrix(4, 3);
        var errors = new List<Exception>();
        trainer.Train(data, onBatch: _ =>
        {
            errors.Add(Assert.Throws<InvalidOperationException>(() => trainer.Step(new Matrix(1, 3))));
            errors.Add(Assert.Throws<InvalidOperationException>(() => trainer.TrainEpoch(data)));
        });
        Assert.Equal(8, errors.Count);
        Assert.All(errors, e => Assert.Equal("This trainer is already training on another thread; a trainer is not thread-safe.", e.Message));
        // Free again: each public entry point in turn, twice.
        trainer.Step(new Matrix(1, 3));
        trainer.Step(new Matrix(2, 3));
        trainer.TrainEpoch(data);
        trainer.TrainEpoch(data);
        trainer.Train(data, default, null, CancellationToken.None);
        // Four steps in Train, two by Step, two per TrainEpoch; the last Train has no epoch left to run.
        Assert.Equal(4 + 2 + 2 * 2, trainer.CompletedSteps);
    }

    // ---- The shuffle ---------------------------------------------------------------------------------

    /// <summary>A row source that records which rows are read.</summary>
    private sealed class RecordingRows(int rows, int cols) : IRowSource
    {
        public List<int> Reads { get; } = [];

        public int RowCount => rows;

        public int ColumnCount => cols;

        public void CopyRow(int row, Span<float> destination)
        {
            Reads.Add(row);
            destination[..cols].Fill(row % 2);
        }
    }

    [Fact]
    public void EveryEpoch_TakesEachRowOnce_InAUniformlyRandomOrder()
    {
        // Three rows in minibatches of one: the row of each step is the last one read before its progress report.
        const int Epochs = 600;
        var data = new RecordingRows(3, 2);
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(2, 1, seed: 1), new TrainingOptions
        {
            Epochs = Epochs, BatchSize = 1, LearningRate = 1e-3f, MaxDegreeOfParallelism = 1, MonitorRows = 1, MonitorRandomRows = 0, ExactLogLikelihoodMaxUnits = 0,
        });
        var order = new List<int>();
        trainer.Train(data, onBatch: _ => order.Add(data.Reads[^1]));
        Assert.Equal(3 * Epochs, order.Count);
        var counts = new Dictionary<string, int>();
        for (int e = 0; e < Epochs; e++)
        {
            int[] epoch = order.Skip(3 * e).Take(3).ToArray();
            Assert.Equal([0, 1, 2], epoch.Order());
            string key = string.Join("", epoch);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        // Six orders, 100 expected each; a uniform shuffle stays within 5 standard deviations (√(600·⅙·⅚) ≈ 9.1).
        Assert.Equal(6, counts.Count);
        Assert.All(counts.Values, n => Assert.InRange(n, 100 - 46, 100 + 46));
    }

    // ---- Gaussian visible units: frozen and floored variances ----------------------------------------

    private static GaussianBernoulliRbm Gaussian(float logVariance) =>
        new(3, 2, [0.5f, -0.5f, 0.25f, 0.3f, -0.2f, 0.1f], [0f, 1f, -1f], [0.1f, -0.1f], [logVariance, logVariance, logVariance]);

    [Fact]
    public void LogVariances_WithAZeroRate_StayExactlyAsTheyAre_EvenBelowTheFloor()
    {
        // z = log σ² below the floor 2·log 0.5: a zero rate holds them fixed, floor or not, with zero velocity.
        float z = 2 * MathF.Log(0.5f) - 1f;
        GaussianBernoulliRbm model = Gaussian(z);
        float[] w0 = model.Weights.ToArray();
        var trainer = new RbmTrainer(model, new TrainingOptions
        {
            Epochs = 2, BatchSize = 4, LearningRate = 0.1f, LogVarianceLearningRate = 0f, MinVisibleStandardDeviation = 0.5f, MaxDegreeOfParallelism = 1, MonitorRandomRows = 0,
        });
        var data = new Matrix(4, 3, [0.5f, 1f, -1f, 2f, 0f, 0.3f, -1.5f, 1.2f, -0.7f, 0.1f, 0.9f, -2f]);
        trainer.Train(data);
        Assert.Equal([z, z, z], model.LogVariance.ToArray());
        Assert.Equal(new float[3], trainer.CreateCheckpoint().Velocity[GaussianBernoulliRbm.LogVarianceName].Span.ToArray());
        Assert.NotEqual(w0, model.Weights.ToArray()); // the other parameters did train
    }

    [Fact]
    public void LogVariances_AreFlooredAtTwiceTheLogOfTheMinimumDeviation()
    {
        // Every data row at the means: the data phase's squared deviations are zero, so the gradient pushes z down;
        // a large rate would take it far below the floor 2·log 0.5, where it must stop.
        float floor = 2 * MathF.Log(0.5f);
        GaussianBernoulliRbm model = Gaussian(floor + 0.01f);
        var trainer = new RbmTrainer(model, new TrainingOptions
        {
            Epochs = 1, BatchSize = 4, LearningRate = 1e-3f, LogVarianceLearningRate = 10f, MinVisibleStandardDeviation = 0.5f, MaxDegreeOfParallelism = 1, MonitorRandomRows = 0,
        });
        var data = new Matrix(4, 3, [0f, 1f, -1f, 0f, 1f, -1f, 0f, 1f, -1f, 0f, 1f, -1f]);
        trainer.Train(data);
        Assert.Equal([floor, floor, floor], model.LogVariance.ToArray());
        // The velocity keeps the unclamped step: it went below the floor.
        Assert.All(trainer.CreateCheckpoint().Velocity[GaussianBernoulliRbm.LogVarianceName].Span.ToArray(), v => Assert.True(v < -0.01f, $"velocity {v}"));
    }

    // ---- The decayed rate applies to a whole step --------------------------------------------------

    [Fact]
    public void Step_InALaterEpoch_UsesTheDecayedRateAndThatEpochsMomentum()
    {
        // Epoch 1 of a two-epoch decay to ¼: the step is ¼·η·∇ (momentum 0 from epoch 1, no weight decay), with ∇
        // the gradient of the same step stream on the same model, taken by a second trainer.
        var rbm = BernoulliRbm.CreateRandom(5, 4, seed: 3, weightStdDev: 0.5f);
        var options = new TrainingOptions
        {
            Epochs = 1, BatchSize = 3, LearningRate = 0.4f, LearningRateDecayEpochs = 2, FinalLearningRateFactor = 0.25f,
            InitialMomentum = 0.5f, FinalMomentum = 0f, MomentumSwitchEpoch = 1, Seed = 8, MaxDegreeOfParallelism = 1, MonitorRandomRows = 0,
        };
        var trainer = new RbmTrainer(rbm, options);
        var batch = new Matrix(3, 5, [1f, 0f, 1f, 1f, 0f, 0f, 0f, 1f, 0f, 1f, 1f, 1f, 0f, 0f, 0f]);
        trainer.TrainEpoch(batch);
        Assert.Equal((1, 1L), (trainer.CompletedEpochs, trainer.CompletedSteps));

        BernoulliRbm mirror = rbm.Clone();
        var probe = new RbmTrainer(mirror, options);
        ParameterSet gradient = mirror.Parameters.CreateZeros();
        RandomStream random = probe.StepStream(1);
        probe.ComputeGradient(batch, ref random, gradient);
        float[] w1 = rbm.Weights.ToArray(), b1 = rbm.HiddenBias.ToArray();
        trainer.Step(batch);
        for (int i = 0; i < w1.Length; i++)
            Assert.Equal(w1[i] + 0.25 * 0.4 * gradient["W"].Span[i], rbm.Weights[i], 5);
        for (int j = 0; j < b1.Length; j++)
            Assert.Equal(b1[j] + 0.25 * 0.4 * gradient["hidden_bias"].Span[j], rbm.HiddenBias[j], 5);
        Assert.Contains(gradient["W"].Span.ToArray(), g => Math.Abs(g) > 1e-3);
    }

    // ---- Checkpoints of tempered training -----------------------------------------------------------

    [Fact]
    public void Checkpoint_OfParallelTempering_KeepsEveryReplicasVisibleStates()
    {
        var model = BernoulliRbm.CreateRandom(4, 3, seed: 1);
        var options = new TrainingOptions { ParallelTemperingReplicas = 3, PersistentChains = 2, BatchSize = 2 };
        TrainingCheckpoint checkpoint = new RbmTrainer(model, options).CreateCheckpoint();
        Assert.Equal((6, 4), (checkpoint.Chains!.Rows, checkpoint.Chains.Cols));
        var velocity = model.Parameters.CreateZeros();
        var ex = Assert.Throws<ArgumentException>(() => new TrainingCheckpoint(model, options, velocity, new Matrix(2, 3), new float[3], 0, 0, 0));
        Assert.Equal("chains", ex.ParamName);
        Assert.StartsWith("The chains are 2x3 but the options need 6x4 (visible states of every replica).", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TrainingCheckpoint(model, options with { ParallelTemperingReplicas = 0, Persistent = true }, velocity, new Matrix(6, 4), new float[3], 0, 0, 0));
        Assert.StartsWith("The chains are 6x4 but the options need 2x3 (hidden states).", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TrainingCheckpoint(model, options, velocity, null, new float[3], 0, 0, 0));
        Assert.StartsWith("PCD and parallel tempering need their chains.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new TrainingCheckpoint(model, options with { ParallelTemperingReplicas = 0 }, velocity, new Matrix(2, 3), new float[3], 0, 0, 0));
        Assert.StartsWith("CD-k has no persistent chains.", ex.Message);
        // The negative phase the options choose: parallel tempering's state has visible columns, PCD's hidden ones.
        Assert.IsType<ParallelTempering>(new RbmTrainer(model, options).NegativePhase);
        Assert.IsType<PersistentContrastiveDivergence>(new RbmTrainer(model, options with { ParallelTemperingReplicas = 0, Persistent = true }).NegativePhase);
        Assert.IsType<ContrastiveDivergence>(new RbmTrainer(model, options with { ParallelTemperingReplicas = 0 }).NegativePhase);
    }
}
