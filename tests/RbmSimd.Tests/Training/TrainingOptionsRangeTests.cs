using RbmSimd.Model;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// Every option's documented range, at each edge: the edge itself is accepted, the nearest value outside
/// is rejected with an <see cref="ArgumentOutOfRangeException"/> whose parameter name and message name the option.
/// </summary>
public class TrainingOptionsRangeTests
{
    private static readonly Dictionary<string, Func<object, TrainingOptions>> Set = new()
    {
        [nameof(TrainingOptions.Epochs)] = x => new TrainingOptions { Epochs = (int)x },
        [nameof(TrainingOptions.BatchSize)] = x => new TrainingOptions { BatchSize = (int)x },
        [nameof(TrainingOptions.LearningRate)] = x => new TrainingOptions { LearningRate = (float)x },
        [nameof(TrainingOptions.CdSteps)] = x => new TrainingOptions { CdSteps = (int)x },
        [nameof(TrainingOptions.PersistentChains)] = x => new TrainingOptions { PersistentChains = (int)x },
        [nameof(TrainingOptions.InitialMomentum)] = x => new TrainingOptions { InitialMomentum = (float)x },
        [nameof(TrainingOptions.FinalMomentum)] = x => new TrainingOptions { FinalMomentum = (float)x },
        [nameof(TrainingOptions.MomentumSwitchEpoch)] = x => new TrainingOptions { MomentumSwitchEpoch = (int)x },
        [nameof(TrainingOptions.WeightDecay)] = x => new TrainingOptions { WeightDecay = (float)x },
        [nameof(TrainingOptions.SparsityTarget)] = x => new TrainingOptions { SparsityTarget = (float)x },
        [nameof(TrainingOptions.SparsityCost)] = x => new TrainingOptions { SparsityCost = (float)x },
        [nameof(TrainingOptions.SparsityDecay)] = x => new TrainingOptions { SparsityDecay = (float)x },
        [nameof(TrainingOptions.MonitorRows)] = x => new TrainingOptions { MonitorRows = (int)x },
        [nameof(TrainingOptions.ExactLogLikelihoodMaxUnits)] = x => new TrainingOptions { ExactLogLikelihoodMaxUnits = (int)x },
        [nameof(TrainingOptions.MaxDegreeOfParallelism)] = x => new TrainingOptions { MaxDegreeOfParallelism = (int)x },
        [nameof(TrainingOptions.ContextLearningRateScale)] = x => new TrainingOptions { ContextLearningRateScale = (float)x },
        [nameof(TrainingOptions.ContextWeightDecay)] = x => new TrainingOptions { ContextWeightDecay = (float)x },
    };

    private static readonly float BelowZero = -float.Epsilon;
    private static readonly float BelowOne = MathF.BitDecrement(1f);
    private static readonly float AboveOne = MathF.BitIncrement(1f);

    /// <summary>(option, value at an edge of its range, which is inside).</summary>
    public static TheoryData<string, object> Inside() => new()
    {
        { "Epochs", 1 },
        { "BatchSize", 1 }, { "BatchSize", 100_000 },
        { "LearningRate", float.Epsilon }, { "LearningRate", 10f },
        { "CdSteps", 1 }, { "CdSteps", 1000 },
        { "PersistentChains", 0 }, { "PersistentChains", 100_000 },
        { "InitialMomentum", 0f }, { "InitialMomentum", BelowOne },
        { "FinalMomentum", 0f }, { "FinalMomentum", BelowOne },
        { "MomentumSwitchEpoch", 0 },
        { "WeightDecay", 0f }, { "WeightDecay", 1f },
        { "SparsityTarget", 0f }, { "SparsityTarget", BelowOne },
        { "SparsityCost", 0f }, { "SparsityCost", 100f },
        { "SparsityDecay", 0f }, { "SparsityDecay", BelowOne },
        { "MonitorRows", 0 },
        { "ExactLogLikelihoodMaxUnits", 0 }, { "ExactLogLikelihoodMaxUnits", 26 },
        { "MaxDegreeOfParallelism", -1 }, { "MaxDegreeOfParallelism", 1 },
        { "ContextLearningRateScale", 0f }, { "ContextLearningRateScale", 10f },
        { "ContextWeightDecay", 0f }, { "ContextWeightDecay", 1f },
    };

    /// <summary>(option, the nearest value outside an edge of its range, or a non-finite float).</summary>
    public static TheoryData<string, object> Outside() => new()
    {
        { "Epochs", 0 },
        { "BatchSize", 0 }, { "BatchSize", 100_001 },
        { "LearningRate", 0f }, { "LearningRate", MathF.BitIncrement(10f) }, { "LearningRate", float.NaN }, { "LearningRate", float.PositiveInfinity },
        { "CdSteps", 0 }, { "CdSteps", 1001 },
        { "PersistentChains", -1 }, { "PersistentChains", 100_001 },
        { "InitialMomentum", BelowZero }, { "InitialMomentum", 1f }, { "InitialMomentum", float.NaN },
        { "FinalMomentum", BelowZero }, { "FinalMomentum", 1f }, { "FinalMomentum", float.NaN },
        { "MomentumSwitchEpoch", -1 },
        { "WeightDecay", BelowZero }, { "WeightDecay", AboveOne }, { "WeightDecay", float.NaN },
        { "SparsityTarget", BelowZero }, { "SparsityTarget", 1f }, { "SparsityTarget", float.NaN },
        { "SparsityCost", BelowZero }, { "SparsityCost", MathF.BitIncrement(100f) }, { "SparsityCost", float.PositiveInfinity },
        { "SparsityDecay", BelowZero }, { "SparsityDecay", 1f }, { "SparsityDecay", float.NegativeInfinity },
        { "MonitorRows", -1 },
        { "ExactLogLikelihoodMaxUnits", -1 }, { "ExactLogLikelihoodMaxUnits", 27 },
        { "MaxDegreeOfParallelism", 0 }, { "MaxDegreeOfParallelism", -2 },
        { "ContextLearningRateScale", BelowZero }, { "ContextLearningRateScale", MathF.BitIncrement(10f) }, { "ContextLearningRateScale", float.NaN },
        { "ContextWeightDecay", BelowZero }, { "ContextWeightDecay", AboveOne }, { "ContextWeightDecay", float.PositiveInfinity },
    };

    // Kills: an inclusive edge made exclusive (>= → >, <= → <), e.g. WeightDecay = 1 or BatchSize = 100,000 rejected.
    [Theory]
    [MemberData(nameof(Inside))]
    public void Validate_AcceptsTheEdgesOfEachRange(string option, object value) => Set[option](value).Validate();

    // Kills: a range check removed, an exclusive edge made inclusive (> → >=, < → <=), the finiteness test
    // dropped, or the error naming another option.
    [Theory]
    [MemberData(nameof(Outside))]
    public void Validate_RejectsJustOutsideEachRange_NamingTheOption(string option, object value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Set[option](value).Validate());
        Assert.Equal(option, ex.ParamName);
        Assert.StartsWith($"{option} is ", ex.Message);
    }

    // Kills: the trainer or the checkpoint not validating their options.
    [Fact]
    public void TrainerAndCheckpoint_ValidateTheirOptions()
    {
        var rbm = BernoulliRbm.CreateRandom(3, 2, seed: 1);
        var bad = new TrainingOptions { SparsityDecay = 1f };
        Assert.Equal("SparsityDecay", Assert.Throws<ArgumentOutOfRangeException>(() => new RbmTrainer(rbm, bad)).ParamName);
        Assert.Equal("SparsityDecay", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TrainingCheckpoint(rbm, bad, BernoulliParameters.Zeros(3, 2), null, new float[2], 0, 0, 0)).ParamName);
    }

    // Kills: PersistentChainCount taking 0 chains literally (> 0 → >= 0) or ignoring a positive count.
    [Fact]
    public void PersistentChainCount_IsTheBatchSizeWhenZero()
    {
        Assert.Equal(12, new TrainingOptions { BatchSize = 12 }.PersistentChainCount);
        Assert.Equal(1, new TrainingOptions { BatchSize = 12, PersistentChains = 1 }.PersistentChainCount);
        Assert.Equal(30, new TrainingOptions { BatchSize = 12, PersistentChains = 30 }.PersistentChainCount);
    }

    // Kills: the context weights taking the weights' rate or decay (or the weights the context's), or the scale applied to
    // every group.
    [Fact]
    public void ContextWeights_HaveTheirOwnRateAndDecay()
    {
        var o = new TrainingOptions { LearningRate = 0.2f, ContextLearningRateScale = 0.25f, WeightDecay = 0.01f, ContextWeightDecay = 0.03f };
        Assert.Equal(0.05f, o.LearningRateFor(ParameterGroup.ContextWeights));
        Assert.Equal(0.2f, o.LearningRateFor(ParameterGroup.Weights));
        Assert.Equal(0.2f, o.LearningRateFor(ParameterGroup.Biases));
        Assert.Equal(0.03f, o.WeightDecayFor(ParameterGroup.ContextWeights));
        Assert.Equal(0.01f, o.WeightDecayFor(ParameterGroup.Weights));
        Assert.Equal(0f, o.WeightDecayFor(ParameterGroup.Biases));
    }
}
