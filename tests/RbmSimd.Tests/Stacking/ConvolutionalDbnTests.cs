using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Sampling;
using RbmSimd.Stacking;
using RbmSimd.Tests.IO;
using RbmSimd.Tests.Model;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Stacking;

/// <summary>
/// Convolutional Deep Belief Networks: each layer's input channels are the pooled maps of the layer below, the features are the
/// pooled means composed layer by layer, the network survives the DBN file format, and the down pass spreads pooling units.
/// </summary>
public class ConvolutionalDbnTests
{
    private static Dataset Images(int rows, int length, int seed)
    {
        var m = new Matrix(rows, length);
        var random = new RandomStream((ulong)seed);
        random.NextSingles(m.AsSpan());
        Span<float> x = m.AsSpan();
        for (int i = 0; i < x.Length; i++) x[i] = x[i] < 0.3f ? 1f : 0f;
        return new Dataset(m);
    }

    private static DeepBeliefNetwork TwoLayers(out Dataset data)
    {
        data = Images(40, 12 * 12, 3);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 10, LearningRate = 0.01f, Seed = 4, MaxDegreeOfParallelism = 2 };
        return GreedyLayerwiseTrainer.TrainConvolutional(data, 1, 12, 12, [new ConvolutionLayer(4, 3, 2), new ConvolutionLayer(3, 2, 2)],
            VisibleUnitKind.Bernoulli, options);
    }

    [Fact]
    public void Layers_TakeThePooledMapsBelowAsChannels_AndFeaturesAreThePooledMeansComposed()
    {
        DeepBeliefNetwork network = TwoLayers(out Dataset data);
        var first = Assert.IsType<ConvolutionalRbm>(network.Layers[0]);
        var second = Assert.IsType<ConvolutionalRbm>(network.Layers[1]);
        Assert.Equal(new ConvolutionShape(1, 12, 12, 4, 3), first.Shape);
        Assert.Equal(new ConvolutionShape(4, 5, 5, 3, 2), second.Shape);
        Assert.Equal(VisibleUnitKind.Bernoulli, second.VisibleUnits);
        Assert.Equal(3 * 2 * 2, network.TopCount);

        var features = new Matrix(data.Features.Rows, network.TopCount);
        network.Transform(data.Features, features, maxDegreeOfParallelism: 3);
        var pooled = new Matrix(data.Features.Rows, first.PooledCount);
        first.MeanPooled(data.Features, pooled);
        var expected = new Matrix(data.Features.Rows, second.PooledCount);
        second.MeanPooled(pooled, expected);
        Assert.Equal(expected.AsSpan().ToArray(), features.AsSpan().ToArray());
    }

    [Fact]
    public void DbnFile_RoundTrip_KeepsEveryConvolutionalLayer_AndRefusesChannelsThatDoNotMatch()
    {
        DeepBeliefNetwork network = TwoLayers(out _);
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        DbnFile.Save(network, path);
        DeepBeliefNetwork loaded = DbnFile.Load(path);
        for (int l = 0; l < 2; l++)
        {
            var a = (ConvolutionalRbm)network.Layers[l];
            var b = Assert.IsType<ConvolutionalRbm>(loaded.Layers[l]);
            Assert.Equal(a.Shape, b.Shape);
            Assert.Equal(a.PoolSize, b.PoolSize);
            Assert.Equal(a.Filters.ToArray(), b.Filters.ToArray());
        }

        // A second layer whose images do not match the first layer's pooled maps (7 × 7 where 5 × 5 is needed).
        var arrays = Npz.Read(path).ToDictionary(p => p.Key, p => p.Value);
        arrays["layer1.input_shape"] = NpyArray.FromIntegers([3], [4, 7, 7]);
        Npz.Write(path, arrays);
        var e = Assert.Throws<InvalidDataException>(() => DbnFile.Load(path));
        Assert.True(e.Message.Contains("has 196 visible units, but layer 0 has 100 pooling units"), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Sample_RunsTheTopLayer_ThenSpreadsPoolingUnitsDown()
    {
        DeepBeliefNetwork network = TwoLayers(out _);
        Matrix samples = network.Sample(5, 3, 7, maxDegreeOfParallelism: 2);
        Assert.Equal(5, samples.Rows);
        Assert.Equal(144, samples.Cols);
        Assert.All(samples.AsSpan().ToArray(), p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(samples.AsSpan().ToArray(), network.Sample(5, 3, 7, maxDegreeOfParallelism: 1).AsSpan().ToArray());
    }

    [Fact]
    public void TrainConvolutional_RefusesLayersThatDoNotFit()
    {
        Dataset data = Images(4, 64, 1);
        var options = new TrainingOptions { Epochs = 1, BatchSize = 2 };
        Assert.Throws<ArgumentException>(() => GreedyLayerwiseTrainer.TrainConvolutional(data, 1, 8, 8, [new ConvolutionLayer(2, 9, 1)], VisibleUnitKind.Bernoulli, options));
        Assert.Throws<ArgumentException>(() => GreedyLayerwiseTrainer.TrainConvolutional(data, 1, 8, 8, [new ConvolutionLayer(2, 2, 2)], VisibleUnitKind.Bernoulli, options));
        Assert.Throws<ArgumentException>(() => GreedyLayerwiseTrainer.TrainConvolutional(data, 1, 8, 7, [new ConvolutionLayer(2, 3, 2)], VisibleUnitKind.Bernoulli, options));
        Assert.Throws<ArgumentException>(() => GreedyLayerwiseTrainer.TrainConvolutional(data, 1, 8, 8, [], VisibleUnitKind.Bernoulli, options));
    }
}
