using RbmSimd.Persistence;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.IO;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

public class CheckpointTests
{
    private static readonly Matrix Data = RbmTrainerTests.Prototypes(95, 8);

    private static TrainingOptions Options(bool pcd) => new()
    {
        Epochs = 4, BatchSize = 10, Persistent = pcd, PersistentChains = pcd ? 7 : 0, CdSteps = 2, Seed = 21,
        SparsityTarget = 0.1f, SparsityCost = 0.5f, WeightDecay = 1e-3f, MomentumSwitchEpoch = 2,
    };

    private static float[] Parameters(BernoulliRbm rbm) => [.. rbm.Weights, .. rbm.VisibleBias, .. rbm.HiddenBias];

    [Theory]
    [InlineData(false, 13)]   // stops mid-epoch (step 13 of 40: epoch 2, batch 4)
    [InlineData(true, 13)]
    [InlineData(true, 20)]    // stops exactly at an epoch boundary
    public void ResumeFromFile_GivesTheSameBitsAsNotStopping(bool pcd, int stopAfterSteps)
    {
        var uninterrupted = BernoulliRbm.CreateRandom(20, 6, seed: 2);
        new RbmTrainer(uninterrupted, Options(pcd)).Train(Data);

        var rbm = BernoulliRbm.CreateRandom(20, 6, seed: 2);
        var trainer = new RbmTrainer(rbm, Options(pcd));
        using var cts = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => trainer.Train(Data, default, null, cts.Token,
            onBatch: _ => { if (trainer.CompletedSteps == stopAfterSteps) cts.Cancel(); }));
        Assert.Equal(stopAfterSteps, trainer.CompletedSteps);

        using var folder = new TempFolder();
        string path = folder.File("checkpoint.npz");
        CheckpointFile.Save(trainer.CreateCheckpoint(), path, new Dictionary<string, string> { ["data"] = "prototypes" });
        var (checkpoint, metadata) = CheckpointFile.Load(path);
        Assert.Equal("prototypes", metadata["data"]);
        Assert.Equal(Options(pcd), checkpoint.Options);

        RbmTrainer resumed = RbmTrainer.Resume(checkpoint);
        resumed.Train(Data);
        Assert.Equal(40, resumed.CompletedSteps);
        Assert.Equal(Parameters(uninterrupted), Parameters((BernoulliRbm)resumed.Model));
    }

    [Fact]
    public void Resume_CanExtendEpochs_ButNotRewind()
    {
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(20, 6, seed: 2), Options(false) with { Epochs = 2 });
        trainer.Train(Data);
        TrainingCheckpoint checkpoint = trainer.CreateCheckpoint();
        Assert.Throws<ArgumentOutOfRangeException>(() => RbmTrainer.Resume(checkpoint, epochs: 1));
        RbmTrainer more = RbmTrainer.Resume(checkpoint, epochs: 3);
        Assert.Single(more.Train(Data));
    }

    [Fact]
    public void Checkpoint_LoadsAsAModelToo()
    {
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(20, 6, seed: 2), Options(true) with { Epochs = 1 });
        trainer.Train(Data);
        using var folder = new TempFolder();
        string path = folder.File("c.npz");
        CheckpointFile.Save(trainer.CreateCheckpoint(), path);
        Assert.Equal(Parameters((BernoulliRbm)trainer.Model), Parameters(ModelFile.Load<BernoulliRbm>(path)));
    }

    [Fact]
    public void Checkpoint_TruncatedAnywhere_IsInvalidDataOnly()
    {
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(5, 3, seed: 2), Options(true) with { Epochs = 1, BatchSize = 4, PersistentChains = 2 });
        trainer.Train(CutColumns(RbmTrainerTests.Prototypes(8, 1), 5));
        using var folder = new TempFolder();
        string path = folder.File("c.npz");
        CheckpointFile.Save(trainer.CreateCheckpoint(), path);
        byte[] bytes = File.ReadAllBytes(path);
        string cut = folder.File("cut.npz");
        for (int length = 0; length < bytes.Length; length += 7)
        {
            File.WriteAllBytes(cut, bytes[..length]);
            Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(cut));
        }
    }

    [Fact]
    public void ModelFile_IsNotACheckpoint()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(4, 2, seed: 1), path);
        var ex = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path));
        Assert.Contains("not an RbmSimd checkpoint", ex.Message);
    }

    private static Matrix CutColumns(Matrix v, int cols)
    {
        var m = new Matrix(v.Rows, cols);
        for (int r = 0; r < v.Rows; r++) v.Row(r)[..cols].CopyTo(m.Row(r));
        return m;
    }
}
