using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary><see cref="TrainingCheckpoint"/>'s constructor checks and copies, and what <see cref="RbmTrainer.Resume"/> restores.</summary>
public class CheckpointContractTests
{
    private static readonly TrainingOptions Cd = new() { BatchSize = 4, MaxDegreeOfParallelism = 1 };
    private static readonly TrainingOptions Pcd = Cd with { Persistent = true, PersistentChains = 3 };

    // Kills: any one of the checkpoint's shape checks removed (velocity shape, chains present/absent and
    // their shape, sparsity-mean length), each reported against the part that is wrong.
    [Fact]
    public void Constructor_RejectsPartsThatDoNotFit_NamingThem()
    {
        var rbm = BernoulliRbm.CreateRandom(5, 3, seed: 1);
        string Name(Action make) => Assert.Throws<ArgumentException>(make).ParamName!;

        Assert.Equal("velocity", Name(() => new TrainingCheckpoint(rbm, Cd, BernoulliParameters.Zeros(5, 4), null, new float[3], 0, 0, 0)));
        Assert.Equal("velocity", Name(() => new TrainingCheckpoint(rbm, Cd, BernoulliParameters.Zeros(4, 3), null, new float[3], 0, 0, 0)));
        Assert.Equal("chains", Name(() => new TrainingCheckpoint(rbm, Cd, BernoulliParameters.Zeros(5, 3), new Matrix(4, 3), new float[3], 0, 0, 0)));
        Assert.Equal("chains", Name(() => new TrainingCheckpoint(rbm, Pcd, BernoulliParameters.Zeros(5, 3), null, new float[3], 0, 0, 0)));
        Assert.Equal("chains", Name(() => new TrainingCheckpoint(rbm, Pcd, BernoulliParameters.Zeros(5, 3), new Matrix(4, 3), new float[3], 0, 0, 0)));
        Assert.Equal("chains", Name(() => new TrainingCheckpoint(rbm, Pcd, BernoulliParameters.Zeros(5, 3), new Matrix(3, 5), new float[3], 0, 0, 0)));
        Assert.Equal("sparsityMean", Name(() => new TrainingCheckpoint(rbm, Cd, BernoulliParameters.Zeros(5, 3), null, new float[2], 0, 0, 0)));
        Assert.Equal("sparsityMean", Name(() => new TrainingCheckpoint(rbm, Cd, BernoulliParameters.Zeros(5, 3), null, new float[4], 0, 0, 0)));
    }

    // Kills: a negative position check removed (each of the three) or tightened to reject 0.
    [Theory]
    [InlineData(-1, 0L, 0, "completedEpochs")]
    [InlineData(0, -1L, 0, "completedSteps")]
    [InlineData(0, 0L, -1, "epochPosition")]
    public void Constructor_RejectsNegativePositions(int epochs, long steps, int position, string name)
    {
        var rbm = BernoulliRbm.CreateRandom(5, 3, seed: 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingCheckpoint(rbm, Cd, BernoulliParameters.Zeros(5, 3), null, new float[3], epochs, steps, position));
        Assert.Equal(name, ex.ParamName);
        var zero = new TrainingCheckpoint(rbm, Cd, BernoulliParameters.Zeros(5, 3), null, new float[3], 0, 0, 0);
        Assert.Equal((0, 0L, 0), (zero.CompletedEpochs, zero.CompletedSteps, zero.EpochPosition));
    }

    // Kills: the checkpoint keeping references to the caller's model, velocity, chains or sparsity means instead of copies.
    [Fact]
    public void Constructor_CopiesEveryPart()
    {
        BernoulliRbm rbm = new RbmCase(5, 3, 1, 1.0, 3).CreateModel();
        var velocity = BernoulliParameters.Zeros(5, 3);
        velocity["W"].Span.Fill(0.25f);
        velocity["visible_bias"].Span.Fill(0.5f);
        velocity["hidden_bias"].Span.Fill(0.75f);
        var chains = new Matrix(3, 3, [1, 0, 1, 0, 1, 0, 1, 1, 0]);
        float[] q = [0.1f, 0.2f, 0.3f];
        var checkpoint = new TrainingCheckpoint(rbm, Pcd, velocity, chains, q, 2, 17, 1);
        float w0 = rbm.Weights[0];

        rbm.MutableWeights[0] = 99f;
        velocity.Clear();
        chains[0, 0] = 0f;
        q[0] = 0.9f;
        Assert.Equal(w0, ((BernoulliRbm)checkpoint.Model).Weights[0]);
        Assert.All(checkpoint.Velocity["W"].Span.ToArray(), x => Assert.Equal(0.25f, x));
        Assert.All(checkpoint.Velocity["visible_bias"].Span.ToArray(), x => Assert.Equal(0.5f, x));
        Assert.All(checkpoint.Velocity["hidden_bias"].Span.ToArray(), x => Assert.Equal(0.75f, x));
        Assert.Equal(1f, checkpoint.Chains![0, 0]);
        Assert.Equal(new[] { 0.1f, 0.2f, 0.3f }, checkpoint.SparsityMean);
        Assert.Equal((2, 17L, 1), (checkpoint.CompletedEpochs, checkpoint.CompletedSteps, checkpoint.EpochPosition));
    }

    /// <summary>Resume restores each part into a trainer whose own checkpoint gives them back unchanged.</summary>
    // Kills: Resume dropping the velocity (any of its three parts), the chains, the sparsity means or a position.
    [Fact]
    public void Resume_RestoresEveryPart()
    {
        BernoulliRbm rbm = new RbmCase(5, 3, 1, 1.0, 4).CreateModel();
        var velocity = BernoulliParameters.Zeros(5, 3);
        for (int k = 0; k < 15; k++) velocity["W"].Span[k] = k / 16f;
        velocity["visible_bias"].Span.Fill(-0.5f);
        velocity["hidden_bias"].Span.Fill(0.125f);
        var chains = new Matrix(3, 3, [1, 0, 1, 0, 1, 0, 1, 1, 0]);
        var options = Pcd with { Epochs = 9, SparsityTarget = 0.1f, SparsityCost = 1f };
        var checkpoint = new TrainingCheckpoint(rbm, options, velocity, chains, [0.05f, 0.15f, 0.25f], 3, 40, 2);

        TrainingCheckpoint back = RbmTrainer.Resume(checkpoint).CreateCheckpoint();
        Assert.Equal(((BernoulliRbm)checkpoint.Model).Weights.ToArray(), ((BernoulliRbm)back.Model).Weights.ToArray());
        Assert.Equal(checkpoint.Velocity["W"].Span.ToArray(), back.Velocity["W"].Span.ToArray());
        Assert.Equal(checkpoint.Velocity["visible_bias"].Span.ToArray(), back.Velocity["visible_bias"].Span.ToArray());
        Assert.Equal(checkpoint.Velocity["hidden_bias"].Span.ToArray(), back.Velocity["hidden_bias"].Span.ToArray());
        Assert.Equal(chains.AsSpan().ToArray(), back.Chains!.AsSpan().ToArray());
        Assert.Equal(checkpoint.SparsityMean, back.SparsityMean);
        Assert.Equal((3, 40L, 2), (back.CompletedEpochs, back.CompletedSteps, back.EpochPosition));
        Assert.Equal(options, back.Options);
    }

    // Kills: Resume's epochs check off by one (< → <=: resuming with exactly the completed epochs is a no-op, not an error),
    // a thread count that changes other options (or is dropped), and a checkpoint position past the data's end accepted.
    [Fact]
    public void Resume_EdgeCases()
    {
        BernoulliRbm rbm = BernoulliRbm.CreateRandom(5, 3, seed: 2);
        var checkpoint = new TrainingCheckpoint(rbm, Cd with { Epochs = 3 }, BernoulliParameters.Zeros(5, 3), null, new float[3], 3, 12, 0);
        Assert.Equal(checkpoint.Options with { MaxDegreeOfParallelism = 2 }, RbmTrainer.Resume(checkpoint, maxDegreeOfParallelism: 2).Options);
        RbmTrainer same = RbmTrainer.Resume(checkpoint, epochs: 3);
        Assert.Equal(checkpoint.Options, same.Options);
        Assert.Empty(same.Train(new Matrix(4, 5)));
        Assert.Equal("epochs", Assert.Throws<ArgumentOutOfRangeException>(() => RbmTrainer.Resume(checkpoint, epochs: 2)).ParamName);

        var midEpoch = new TrainingCheckpoint(rbm, Cd with { Epochs = 3 }, BernoulliParameters.Zeros(5, 3), null, new float[3], 1, 5, 9);
        var ex = Assert.Throws<ArgumentException>(() => RbmTrainer.Resume(midEpoch).Train(new Matrix(8, 5)));
        Assert.Equal("data", ex.ParamName);
    }
}
