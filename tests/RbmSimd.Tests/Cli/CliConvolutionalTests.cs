using System.Text.Json;
using RbmSimd.Cli.Commands;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Stacking;
using RbmSimd.Tests.IO;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// <c>--model convolutional</c> from the CLI: <c>rbm train</c> and <c>rbm stack</c> train what the library trains on the same rows
/// with the convolutional defaults; <c>transform</c> writes pooled means, <c>info</c>, <c>show</c>, <c>sample</c> and <c>logz</c> serve
/// the kind; bad options are one line on stderr, exit 2, naming the option and its valid range.
/// </summary>
[Collection("Console")]
public class CliConvolutionalTests
{
    private static TrainingOptions Defaults(int epochs) => new()
    {
        Epochs = epochs, BatchSize = KindDefaults.Convolutional.BatchSize, LearningRate = KindDefaults.Convolutional.LearningRate,
        LearningRateDecayEpochs = KindDefaults.Convolutional.LearningRateDecayEpochs, CdSteps = 1, InitialMomentum = KindDefaults.Convolutional.Momentum,
        FinalMomentum = KindDefaults.Convolutional.FinalMomentum, MomentumSwitchEpoch = 5, WeightDecay = KindDefaults.Convolutional.WeightDecay,
        LogVarianceLearningRate = 0, Seed = 1, ExactLogLikelihoodMaxUnits = 20,
    };

    private static string Train(TempFolder folder, params string[] more)
    {
        string output = folder.File("conv");
        var (code, stdout, stderr) = CliRunner.Run(["train", "--model", "convolutional", "--data", "digits", "--filters", "5", "--filter-size", "3",
            "--pool", "2", "--epochs", "2", "--output", output, .. more]);
        Assert.True(code == 0, stderr);
        Assert.Contains("convolutional RBM (1x8x8 images, 5 filters 3x3 → 5x6x6 maps, 2x2 pooling)", stdout);
        return output;
    }

    [Fact]
    public void Train_TrainsWhatTheLibraryTrains_AndDrawsTheFilters()
    {
        using var folder = new TempFolder();
        string output = Train(folder);
        var cli = ModelFile.Load<ConvolutionalRbm>(Path.Combine(output, "model.npz"));

        var (train, held) = Digits.Load().Split(0.1, seed: 1);
        var library = ConvolutionalRbm.CreateRandom(new ConvolutionShape(1, 8, 8, 5, 3), 2, VisibleUnitKind.Bernoulli, 1, 0.01f, -0.1f, train);
        new RbmTrainer(library, Defaults(2)).Train(train, held);
        foreach (Parameter p in library.Parameters)
            Assert.Equal(p.Span.ToArray(), cli.Parameters[p.Name].Span.ToArray());

        // filters.png: one 3 × 3 tile per filter, under a caption naming them.
        Assert.True(File.Exists(Path.Combine(output, "filters.png")));
        Assert.True(File.Exists(Path.Combine(output, "samples.png")));
        var (code, stdout, stderr) = CliRunner.Run("show", Path.Combine(output, "model.npz"), "--output", folder.File("f.png"));
        Assert.True(code == 0, stderr);
        Assert.Contains("5 filters of 3x3", stdout);
    }

    [Fact]
    public void Transform_WritesEachPoolingUnitsProbability_AndInfoDescribesTheModel()
    {
        using var folder = new TempFolder();
        string model = Path.Combine(Train(folder), "model.npz");
        string features = folder.File("features.npy");
        var (code, stdout, stderr) = CliRunner.Run("transform", model, "--data", "digits", "--output", features, "--chunk-rows", "300");
        Assert.True(code == 0, stderr);
        Assert.Contains("pooled P(on|v)", stdout);
        NpyArray array = Npy.Read(features);
        var conv = ModelFile.Load<ConvolutionalRbm>(model);
        Dataset digits = Digits.Load();
        Assert.Equal([digits.Features.Rows, conv.PooledCount], array.Shape.ToArray());
        var expected = new Matrix(digits.Features.Rows, conv.PooledCount);
        conv.MeanPooled(digits.Features, expected, maxDegreeOfParallelism: 1);
        Assert.Equal(expected.AsSpan().ToArray(), array.Values.ToArray());

        (code, stdout, stderr) = CliRunner.Run("info", model, "--json");
        Assert.True(code == 0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("convolutional", root.GetProperty("kind").GetString());
        Assert.Equal([1, 8, 8], root.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([5, 1, 3, 3], root.GetProperty("filter_shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(2, root.GetProperty("pool_size").GetInt32());
        Assert.Equal(45, root.GetProperty("pooled").GetInt32());
        Assert.Equal(45, root.GetProperty("statistics").GetProperty("filters").GetProperty("count").GetInt32());
        (code, stdout, _) = CliRunner.Run("info", model);
        Assert.Equal(0, code);
        Assert.Contains("filters         5 of 3x3: maps 5x6x6", stdout);
    }

    [Fact]
    public void LogZ_Exact_ForATinyPooledModel_EqualsTheLibrarys_AndAisBracketsIt()
    {
        using var folder = new TempFolder();
        // 4 × 4 images, 2 filters of 3 × 3: 2 × 2 maps, one pooling block each (5² states), exactly enumerable.
        var rows = new Matrix(60, 16);
        new RbmSimd.Sampling.RandomStream(3).NextSingles(rows.AsSpan());
        string data = folder.File("tiny.npy");
        Npy.Write(data, NpyArray.FromMatrix(rows));
        string output = folder.File("tiny");
        var (code, _, stderr) = CliRunner.Run("train", "--model", "convolutional", "--data", data, "--filters", "2", "--filter-size", "3", "--epochs", "3", "--output", output);
        Assert.True(code == 0, stderr);
        string model = Path.Combine(output, "model.npz");
        (code, string stdout, stderr) = CliRunner.Run("logz", model, "--exact", "--json");
        Assert.True(code == 0, stderr);
        double exact = JsonDocument.Parse(stdout).RootElement.GetProperty("logz").GetDouble();
        Assert.Equal(ExactPartitionFunctionOf(model), exact);
        (code, stdout, stderr) = CliRunner.Run("logz", model, "--ais", "--runs", "50", "--betas", "2000", "--json");
        Assert.True(code == 0, stderr);
        JsonElement ais = JsonDocument.Parse(stdout).RootElement;
        Assert.InRange(exact, ais.GetProperty("lower").GetDouble() - 0.05, ais.GetProperty("upper").GetDouble() + 0.05);
    }

    private static double ExactPartitionFunctionOf(string model) =>
        RbmSimd.Estimation.ExactPartitionFunction.LogPartitionFunction(ModelFile.Load(model));

    [Fact]
    public void Stack_TrainsWhatTheLibraryTrains_AndSampleAndTransformReadIt()
    {
        using var folder = new TempFolder();
        string output = folder.File("dbn");
        var (code, stdout, stderr) = CliRunner.Run("stack", "--model", "convolutional", "--data", "digits", "--filters", "6,4", "--filter-size", "3,2",
            "--pool", "2,1", "--epochs", "2", "--output", output);
        Assert.True(code == 0, stderr);
        Assert.Contains("convolutional DBN 1x8x8 → 6x3x3 → 4x2x2", stdout);
        DeepBeliefNetwork cli = DbnFile.Load(Path.Combine(output, "dbn.npz"));

        var (train, held) = Digits.Load().Split(0.1, seed: 1);
        DeepBeliefNetwork library = GreedyLayerwiseTrainer.TrainConvolutional(train, 1, 8, 8, [new ConvolutionLayer(6, 3, 2), new ConvolutionLayer(4, 2, 1)],
            VisibleUnitKind.Bernoulli, Defaults(2), 0.01f, -0.1f, heldOut: held);
        for (int l = 0; l < 2; l++)
            foreach (Parameter p in library.Layers[l].Parameters)
                Assert.Equal(p.Span.ToArray(), cli.Layers[l].Parameters[p.Name].Span.ToArray());

        string features = folder.File("features.npy");
        (code, _, stderr) = CliRunner.Run("transform", Path.Combine(output, "dbn.npz"), "--data", "digits", "--output", features);
        Assert.True(code == 0, stderr);
        Assert.Equal([Digits.Load().Features.Rows, 16], Npy.Read(features).Shape.ToArray());
        (code, _, stderr) = CliRunner.Run("sample", Path.Combine(output, "dbn.npz"), "--count", "9", "--steps", "5", "--output", folder.File("s.png"));
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = CliRunner.Run("info", Path.Combine(output, "dbn.npz"));
        Assert.True(code == 0, stderr);
        Assert.Contains("layers          2: 64-54-16 units", stdout);
    }

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { ["train", "--data", "digits", "--filters", "4"], "--filters applies to --model convolutional only." },
        { ["train", "--model", "convolutional", "--data", "digits", "--hidden", "4"], "--hidden sets a dense model's hidden units" },
        { ["train", "--model", "convolutional", "--data", "digits", "--filters", "0"], "--filters must be a whole number from 1 to 4096 (it is '0')." },
        { ["train", "--model", "convolutional", "--data", "digits", "--filter-size", "9"], "--filter-size 9 does not fit the 8x8 images: it must be from 1 to 8." },
        { ["train", "--model", "convolutional", "--data", "digits", "--filter-size", "4"], "--pool 2 must divide the 5x5 detection maps (--filter-size 4 on 8x8 images); valid here: 1, 5." },
        { ["train", "--model", "convolutional", "--data", "digits", "--channels", "3"], "--channels 3: the data's rows of 64 values are not 3 planes of equal size" },
        { ["train", "--model", "convolutional", "--data", "digits", "--pool", "0"], "--pool must be a whole number from 1 to 64 (it is '0')." },
        { ["train", "--model", "convolutional", "--data", "patches", "--visible", "gaussian", "--preprocess", "pca"], "--preprocess pca gives whitened coordinates, not images" },
        { ["train", "--model", "convolutional", "--data", "patches", "--visible", "gaussian", "--variance", "fixed"], "--variance applies to dense Gaussian models" },
        { ["train", "--model", "recurrent"], "--model must be one of dense, convolutional, conditional (it is 'recurrent')." },
        { ["stack", "--model", "convolutional", "--data", "digits", "--filters", "6,4", "--filter-size", "3,4", "--pool", "2,1"], "layer 2 (its input: the 6x3x3 pooled maps of layer 1): --filter-size 4 does not fit" },
        { ["stack", "--model", "convolutional", "--data", "digits", "--filters", "6,4,2", "--filter-size", "3,2"], "--filter-size lists 2 values but --filters lists 3 layers" },
        { ["stack", "--data", "digits", "--pool", "2"], "--pool applies to --model convolutional only." },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void BadOptions_AreOneLineOnStderr_Exit2_NamingTheOption(string[] args, string message)
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = CliRunner.Run([.. args, "--output", folder.File("run")]);
        Assert.Equal(2, code);
        Assert.Contains(message, stderr);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(folder.File("run")), "a refused run leaves no folder behind");
    }
}
