using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Data;

public class ByteDatasetTests
{
    [Fact]
    public void CopyRow_DecodesScaledAndBinarised()
    {
        var data = new ByteDataset([0, 127, 128, 255], 2, 2);
        var row = new float[2];
        data.CopyRow(1, row);
        Assert.Equal([128 / 255f, 1f], row);
        data.Binarize(127).CopyRow(0, row);
        Assert.Equal([0f, 0f], row);
        data.Binarize(127).CopyRow(1, row);
        Assert.Equal([1f, 1f], row);
    }

    [Fact]
    public void Constructor_RejectsInconsistentShapes()
    {
        Assert.Throws<ArgumentException>(() => new ByteDataset(new byte[5], 2, 2));
        Assert.Throws<ArgumentException>(() => new ByteDataset(new byte[4], 2, 2, labels: [1]));
        Assert.Throws<ArgumentException>(() => new ByteDataset(new byte[8], 2, 4, imageWidth: 3, imageHeight: 1));
    }

    [Fact]
    public void Training_OnBytes_GivesTheSameBitsAsOnTheirFloatCopy()
    {
        var random = new Random(3);
        var bytes = new byte[90 * 30];
        random.NextBytes(bytes);
        var compact = new ByteDataset(bytes, 90, 30, binarizeAbove: 100);
        Dataset dense = compact.ToDataset();
        Dataset held = compact.ToDataset(80, 10);

        float[] Train(Func<RbmTrainer, IReadOnlyList<EpochMetrics>> run, out IReadOnlyList<EpochMetrics> history)
        {
            var rbm = BernoulliRbm.CreateRandom(30, 12, seed: 1);
            history = run(new RbmTrainer(rbm, new TrainingOptions { Epochs = 2, BatchSize = 16, Seed = 5 }));
            return rbm.Weights.ToArray();
        }
        float[] a = Train(t => t.Train(compact, held), out var ha);
        float[] b = Train(t => t.Train(dense.Features, held.Features), out var hb);
        Assert.Equal(a, b);
        Assert.Equal(hb[^1].ReconstructionError, ha[^1].ReconstructionError);
        Assert.Equal(hb[^1].FreeEnergyGap, ha[^1].FreeEnergyGap);
    }
}
