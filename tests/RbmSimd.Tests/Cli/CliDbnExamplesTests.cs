using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;
using RbmSimd.Stacking;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// The examples of <c>rbm stack</c> and <c>rbm transform</c> (and the DBN examples of <c>sample</c> and <c>info</c>), in their
/// --help and in the README, do what they say: a stack's network has the layers its --hidden names and a metrics row per
/// layer and epoch, a transform's .npy holds the features of every row of the data it names, a DBN's samples number --count.
/// (<see cref="CliExamplesTests"/> runs every example; this checks what these ones claim.)
/// </summary>
[Collection("Console")]
[Trait("Category", "Examples")]
public class CliDbnExamplesTests
{
    private static bool IsDbnExample(string command) =>
        command.StartsWith("rbm stack", StringComparison.Ordinal) || command.StartsWith("rbm transform", StringComparison.Ordinal)
        || command.Contains("dbn.npz", StringComparison.Ordinal);

    [Fact]
    public void HelpExamples_DoWhatTheySay()
    {
        List<string> examples = CliExamplesTests.HelpExamples().Where(IsDbnExample).ToList();
        Assert.Contains(examples, e => e.StartsWith("rbm stack", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.StartsWith("rbm transform", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.StartsWith("rbm sample", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.StartsWith("rbm info", StringComparison.Ordinal));
        RunAndCheck(examples);
    }

    [Fact]
    public void ReadMeExamples_DoWhatTheySay()
    {
        List<string> examples = CliExamplesTests.ReadMeCommands().Where(IsDbnExample).ToList();
        Assert.Contains(examples, e => e.StartsWith("rbm stack", StringComparison.Ordinal));
        Assert.Contains(examples, e => e.StartsWith("rbm transform", StringComparison.Ordinal));
        RunAndCheck(examples);
    }

    /// <summary>Runs the examples in order in a fresh folder holding data/ and a model at runs/latest/model.npz, checking each.</summary>
    private static void RunAndCheck(List<string> examples)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "data"));
        File.Copy(Path.Combine(CliExamplesTests.RepositoryRoot(), "data", "optdigits-8x8.csv.gz"), Path.Combine(folder.Path, "data", "optdigits-8x8.csv.gz"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "runs", "latest"));
        ModelFile.Save(BernoulliRbm.CreateRandom(64, 24, seed: 9, weightStdDev: 0.5f), Path.Combine(folder.Path, "runs", "latest", "model.npz"));
        // The convolutional examples name the model rbm train's convolutional example writes.
        Directory.CreateDirectory(Path.Combine(folder.Path, "runs", "conv"));
        ModelFile.Save(ConvolutionalRbm.CreateRandom(new RbmSimd.Kernels.ConvolutionShape(1, 8, 8, 8, 3), 2, VisibleUnitKind.Bernoulli, seed: 9, weightStdDev: 0.5f),
            Path.Combine(folder.Path, "runs", "conv", "model.npz"));
        string old = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder.Path;
        try
        {
            foreach (string example in examples)
            {
                string[] args = example.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
                var (code, stdout, stderr) = CliRunner.Run(args);
                Assert.True(code == 0, $"'{example}' exited with {code}: {stderr}");
                switch (args[0])
                {
                    case "stack": CheckStack(example, args, stdout); break;
                    case "transform": CheckTransform(example, args); break;
                    case "sample": CheckSample(example, args); break;
                    case "info": Assert.Contains("layers ", stdout); break;
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = old;
        }
    }

    private static string? Value(string[] args, string option)
    {
        int i = Array.IndexOf(args, option);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static void CheckStack(string example, string[] args, string stdout)
    {
        bool convolutional = Value(args, "--model") == "convolutional";
        int[] hidden = Value(args, convolutional ? "--filters" : "--hidden")!.Split(',').Select(int.Parse).ToArray();
        int epochs = int.Parse(Value(args, "--epochs") ?? (convolutional ? "10" : "30"));
        string output = Value(args, "--output") ?? throw new InvalidOperationException($"'{example}' names no --output");
        var (network, transform) = DbnFile.LoadWithTransform(Path.Combine(output, "dbn.npz"));
        // A convolutional stack's layers have the listed filters; a dense one's the listed hidden units.
        Assert.Equal(hidden, network.Layers.Select(l => l is ConvolutionalRbm c ? c.Shape.Filters : l.HiddenCount));
        // The data's 64 columns (digits, patches), through the stored transform where --visible gaussian fitted one.
        Assert.Equal(64, transform?.InputCount ?? network.VisibleCount);
        Assert.Equal(Value(args, "--visible") == "gaussian", transform is not null);
        Assert.Equal(hidden.Length * epochs, File.ReadAllLines(Path.Combine(output, "metrics.csv")).Length - 1);
        Assert.Equal(hidden.Length * epochs, stdout.Split('\n').Count(l => l.StartsWith("layer ", StringComparison.Ordinal)));
    }

    private static void CheckTransform(string example, string[] args)
    {
        string model = args[1], output = Value(args, "--output")!;
        IReadOnlyDictionary<string, NpyArray> arrays = Npz.Read(model);
        IReadOnlyList<IRbm> layers;
        Transform? transform;
        if (DbnFile.IsDbn(arrays))
        {
            (DeepBeliefNetwork network, transform) = DbnFile.FromArraysWithTransform(arrays, model);
            layers = network.Layers;
        }
        else
        {
            IRbm single = ModelFile.FromArrays(arrays, model);
            (layers, transform) = ([single], ModelFile.ReadTransform(arrays, single, model));
        }
        // The examples name the digits, shipped or as the CSV file (the same 1,797 rows), or the natural patches' training or test rows.
        Matrix h = Value(args, "--data") switch
        {
            "digits" or "data/optdigits-8x8.csv.gz" => Digits.Load().Features,
            "patches" => Value(args, "--part") == "test" ? NaturalPatches.Load().Test.Features : NaturalPatches.Load().Train.Features,
            _ => throw new InvalidOperationException($"'{example}': the test does not know its data"),
        };
        if (transform is not null)
        {
            var mapped = new Matrix(h.Rows, transform.OutputCount);
            transform.Forward(h, mapped);
            h = mapped;
        }
        int rows = h.Rows;
        foreach (IRbm layer in layers)
        {
            // A convolutional layer's features are its pooling units' probabilities of being on.
            var next = new Matrix(h.Rows, layer is ConvolutionalRbm c ? c.PooledCount : layer.HiddenCount);
            if (layer is ConvolutionalRbm conv) conv.MeanPooled(h, next);
            else layer.MeanHiddens(h, next, Temperature.One);
            h = next;
        }
        NpyArray features = Npy.Read(output);
        Assert.Equal([rows, h.Cols], features.Shape.ToArray());
        Assert.Equal(h.AsSpan().ToArray(), features.Values.ToArray());
    }

    private static void CheckSample(string example, string[] args)
    {
        int count = int.Parse(Value(args, "--count") ?? "64");
        if (Value(args, "--npz") is { } npz) Assert.Equal(count, Npz.Read(npz)["probabilities"].Shape[0]);
        else Assert.True(File.Exists(Value(args, "--output") ?? Path.ChangeExtension(args[1], null) + "-samples.png"), example);
    }
}
