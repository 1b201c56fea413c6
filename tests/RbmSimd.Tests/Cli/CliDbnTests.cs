using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using RbmSimd.Cli;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;
using RbmSimd.Stacking;
using RbmSimd.Tests.IO;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// Deep Belief Networks from the CLI: <c>rbm stack</c> trains what the library's greedy trainer trains on the same rows, and
/// <c>rbm sample</c>, <c>transform</c> and <c>info</c> read its <c>dbn.npz</c>; the commands that need a single model say so.
/// </summary>
[Collection("Console")]
public class CliDbnTests
{
    /// <summary>rbm stack on the shipped digits, 16 and 8 hidden units, 2 epochs a layer.</summary>
    private static string Stack(TempFolder folder, params string[] more)
    {
        string output = folder.File("dbn");
        var (code, stdout, stderr) = CliRunner.Run(["stack", "--data", "digits", "--hidden", "16,8", "--epochs", "2", "--output", output, .. more]);
        Assert.True(code == 0, stderr);
        Assert.Equal(4, stdout.Split('\n').Count(l => l.StartsWith("layer ", StringComparison.Ordinal)));
        return Path.Combine(output, "dbn.npz");
    }

    [Fact]
    public void Stack_OnDigits_TrainsWhatTheLibraryTrains_AndWritesPerLayerMetrics()
    {
        using var folder = new TempFolder();
        string path = Stack(folder);
        DeepBeliefNetwork cli = DbnFile.Load(path);

        // The same rows (digits, a tenth held out with the seed) and the options rbm train's defaults give.
        var (train, held) = Digits.Load().Split(0.1, seed: 1);
        var d = RbmSimd.Cli.Commands.KindDefaults.Bernoulli;
        var options = new TrainingOptions
        {
            Epochs = 2, BatchSize = d.BatchSize, LearningRate = d.LearningRate, LearningRateDecayEpochs = d.LearningRateDecayEpochs, CdSteps = 1,
            InitialMomentum = d.Momentum, FinalMomentum = d.FinalMomentum, MomentumSwitchEpoch = 5, WeightDecay = d.WeightDecay,
            LogVarianceLearningRate = d.LearningRate / 10, Seed = 1, ExactLogLikelihoodMaxUnits = 20,
        };
        var metrics = new List<(int Layer, EpochMetrics M)>();
        DeepBeliefNetwork library = GreedyLayerwiseTrainer.Train(train, [16, 8], options, (l, m) => metrics.Add((l, m)), held);
        Assert.Equal([64, 16], cli.Layers.Select(l => l.VisibleCount));
        Assert.Equal(8, cli.TopCount);
        for (int l = 0; l < 2; l++)
            foreach (Parameter p in library.Layers[l].Parameters)
                Assert.Equal(p.Span.ToArray(), cli.Layers[l].Parameters[p.Name].Span.ToArray());

        string[] csv = File.ReadAllLines(Path.Combine(folder.File("dbn"), "metrics.csv"));
        Assert.Equal("layer," + RbmSimd.Cli.Training.MetricsCsv.Header.TrimEnd(), csv[0]);
        Assert.Equal(["0,1", "0,2", "1,1", "1,2"], csv[1..].Select(r => string.Join(',', r.Split(',')[..2])));
        for (int i = 0; i < 4; i++)
        {
            string[] cells = csv[i + 1].Split(',');
            Assert.Equal(metrics[i].M.ReconstructionError, double.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(metrics[i].M.FreeEnergyHeldOut!.Value, double.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture));
        }
        // The second layer (8 hidden units) has an exact log-likelihood, the first (16) too: both at most 20 units.
        Assert.All(csv[1..], row => Assert.NotEqual("", row.Split(',')[7]));
    }

    [Fact]
    public void Stack_GaussianFirstLayer_TrainsWhatTheLibraryTrains_BehindTheStoredTransform_AndTransformAndSampleUseIt()
    {
        using var folder = new TempFolder();
        // Real values well outside [0, 1]: 300 rows of 6 columns with different scales.
        var random = new Random(4);
        var rows = new Matrix(300, 6);
        for (int r = 0; r < 300; r++)
            for (int c = 0; c < 6; c++) rows[r, c] = (float)((random.NextDouble() - 0.3) * 40 * (c + 1) + (r % 3) * 10 * c);
        string data = folder.File("real.npy");
        Npy.Write(data, NpyArray.FromMatrix(rows));
        var (code, _, stderr) = CliRunner.Run("stack", "--data", data, "--visible", "gaussian", "--hidden", "5,3", "--epochs", "2", "--held-out", "0",
            "--output", folder.File("dbn"));
        Assert.True(code == 0, stderr);
        string path = Path.Combine(folder.File("dbn"), "dbn.npz");
        var (cli, transform) = DbnFile.LoadWithTransform(path);

        // The library's way: standardisation fitted on the rows (rbm train's auto for data other than the patches), a
        // Gaussian-Bernoulli first layer initialised as rbm train initialises one, Bernoulli layers above, Gaussian defaults.
        Transform standardise = RbmSimd.Preprocessing.Standardization.Fit(new Dataset(rows.Clone()), epsilon: 0.01);
        Assert.NotNull(transform);
        Assert.Equal(standardise.ToArrays().Select(a => a.Values.ToArray()), transform.ToArrays().Select(a => a.Values.ToArray()));
        var prepared = new Matrix(300, 6);
        standardise.Forward(rows, prepared);
        var g = RbmSimd.Cli.Commands.KindDefaults.Gaussian;
        var options = new TrainingOptions
        {
            Epochs = 2, BatchSize = g.BatchSize, LearningRate = g.LearningRate, LearningRateDecayEpochs = g.LearningRateDecayEpochs,
            InitialMomentum = g.Momentum, FinalMomentum = g.FinalMomentum, WeightDecay = g.WeightDecay, LogVarianceLearningRate = g.LearningRate / 10, Seed = 1,
        };
        var first = GaussianBernoulliRbm.CreateRandom(6, 5, seed: 1, new Dataset(prepared.Clone()), new GaussianBernoulliInitialization { ComponentWeight = 0.1f });
        DeepBeliefNetwork library = GreedyLayerwiseTrainer.Train(new Dataset(prepared.Clone()), first, [3], options);
        Assert.IsType<GaussianBernoulliRbm>(cli.Layers[0]);
        for (int l = 0; l < 2; l++)
            foreach (Parameter p in library.Layers[l].Parameters)
                Assert.Equal(p.Span.ToArray(), cli.Layers[l].Parameters[p.Name].Span.ToArray());

        // rbm transform reads the real values (as train does) and applies the stored transform before the layers.
        (code, _, stderr) = CliRunner.Run("transform", path, "--data", data, "--output", folder.File("f.npy"));
        Assert.True(code == 0, stderr);
        var top = new Matrix(300, 3);
        library.Transform(prepared, top);
        Assert.Equal(top.AsSpan().ToArray(), Npy.Read(folder.File("f.npy")).Values.ToArray());

        // rbm sample shows the samples in the data's space: the network's means through the inverse transform.
        (code, _, stderr) = CliRunner.Run("sample", path, "--count", "5", "--steps", "3", "--seed", "2", "--npz", folder.File("s.npz"), "--image-width", "3", "--image-height", "2");
        Assert.True(code == 0, stderr);
        Matrix means = library.Sample(5, 3, seed: 2), back = new Matrix(5, 6);
        standardise.Inverse(means, back);
        Assert.Equal(back.AsSpan().ToArray(), Npz.Read(folder.File("s.npz"))["probabilities"].Values.ToArray());
    }

    [Fact]
    public void Stack_HasTrainsTrainingOptions_WithTheSameDefaultsAndRanges()
    {
        RootCommand root = CliApp.CreateRoot();
        Command train = root.Subcommands.Single(c => c.Name == "train"), stack = root.Subcommands.Single(c => c.Name == "stack");
        // What train has that a stack does not: one model's size, resuming, interval saves, the watch over one run and the
        // conditional model's options; a stack
        // lists the convolutional layers' sizes per layer (compared below).
        string[] trainOnly = ["--hidden", "--resume", "--save-interval", "--early-stopping", "--on-divergence", "--help", "--filters", "--filter-size", "--pool",
            "--history", "--context", "--context-learning-rate-scale", "--context-weight-decay"];
        foreach (string perLayer in new[] { "--filters", "--filter-size", "--pool" })
            Assert.Contains("whole numbers", Valid(stack.Options.Single(o => o.Name == perLayer).Description));
        foreach (Option option in train.Options.Where(o => !trainOnly.Contains(o.Name) && o is not System.CommandLine.Help.HelpOption))
        {
            Option? twin = stack.Options.SingleOrDefault(o => o.Name == option.Name);
            Assert.True(twin is not null, $"rbm stack has no {option.Name}, which rbm train has");
            // A stack's layers are dense or convolutional; only train makes a conditional model.
            Assert.Equal(Valid(option.Description).Replace(", conditional.", ".", StringComparison.Ordinal), Valid(twin!.Description));
            Assert.Equal(option.Aliases.Order(), twin.Aliases.Order());
            Assert.Equal(Default(train, option), Default(stack, twin));
        }

        static string Valid(string? description) => Regex.Match(description ?? "", @"Valid: .*$").Value;

        static string? Default(Command command, Option option) =>
            command.Parse([]).GetResult(option) is { } result ? result.GetValueOrDefault<object>()?.ToString() : null;
    }

    public static TheoryData<string[], string> StackErrors() => new()
    {
        { ["--hidden", "0,5"], "--hidden must be 1 to 32 whole numbers from 1 to 100000, separated by commas (it is '0,5')" },
        { ["--hidden", "16,,8"], "--hidden must be 1 to 32 whole numbers" },
        { ["--hidden", "abc"], "--hidden must be 1 to 32 whole numbers" },
        { ["--chains", "10"], "--chains applies to --pcd and --parallel-tempering only" },
        { ["--epochs", "0"], "--epochs must be a whole number of at least 1 (it is '0')" },
        { ["--data", "bars:9"], "use bars:N with N a whole number from 2 to 8" },
    };

    [Theory]
    [MemberData(nameof(StackErrors))]
    public void Stack_UserError_IsOneLineWithCode2_AndMakesNoFolder(string[] args, string expected)
    {
        using var folder = new TempFolder();
        string output = folder.File("out");
        var (code, stdout, stderr) = CliRunner.Run(["stack", "--output", output, .. args]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.True(stderr.Contains(expected, StringComparison.Ordinal), stderr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Stack_IntoAFolderHoldingARun_IsRefusedUnlessForce()
    {
        using var folder = new TempFolder();
        string path = Stack(folder);
        byte[] first = File.ReadAllBytes(path);
        var (code, _, stderr) = CliRunner.Run("stack", "--data", "digits", "--hidden", "4", "--epochs", "1", "--output", folder.File("dbn"));
        Assert.Equal(2, code);
        Assert.Contains("already holds a run", stderr);
        Assert.Equal(first, File.ReadAllBytes(path));
        (code, _, stderr) = CliRunner.Run("stack", "--data", "digits", "--hidden", "4", "--epochs", "1", "--output", folder.File("dbn"), "--force");
        Assert.True(code == 0, stderr);
        Assert.Equal(4, DbnFile.Load(path).TopCount);
        // A train run into the folder is refused too: dbn.npz marks it as holding a run.
        (code, _, stderr) = CliRunner.Run("train", "--data", "bars:2", "--hidden", "2", "--epochs", "1", "--output", folder.File("dbn"));
        Assert.Equal(2, code);
        Assert.Contains("dbn.npz", stderr);
    }

    [Fact]
    public void Stack_WithoutHidden_StacksTheDefault100And50()
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = CliRunner.Run("stack", "--epochs", "1", "--output", folder.File("dbn"));
        Assert.True(code == 0, stderr);
        Assert.Equal([100, 50], DbnFile.Load(Path.Combine(folder.File("dbn"), "dbn.npz")).Layers.Select(l => l.HiddenCount));
    }

    [Fact]
    public void Stack_StoppedByCtrlC_KeepsTheMetrics_AndWritesNoNetwork()
    {
        using var folder = new TempFolder();
        RbmSimd.Cli.Commands.StackCommand.StopAfterEpochForTests = (layer, m) => layer == 1 && m.Epoch == 1;
        try
        {
            var (code, stdout, _) = CliRunner.Run("stack", "--hidden", "8,4", "--epochs", "3", "--output", folder.File("dbn"));
            Assert.Equal(130, code);
            Assert.Contains("stopped by SIGINT", stdout);
        }
        finally
        {
            RbmSimd.Cli.Commands.StackCommand.StopAfterEpochForTests = null;
        }
        // Layer 0's three epochs and layer 1's first: the stop comes after the current minibatch, and the epoch it cut short is not recorded.
        string[] csv = File.ReadAllLines(Path.Combine(folder.File("dbn"), "metrics.csv"));
        Assert.Equal(["0,1", "0,2", "0,3", "1,1"], csv[1..].Select(r => string.Join(',', r.Split(',')[..2])));
        Assert.False(File.Exists(Path.Combine(folder.File("dbn"), "dbn.npz")));
        Assert.False(File.Exists(Path.Combine(folder.File("dbn"), ".rbm.lock")));
    }

    [Fact]
    public void Sample_Dbn_DrawsTheLibrarysSamples()
    {
        using var folder = new TempFolder();
        string path = Stack(folder), npz = folder.File("s.npz"), png = folder.File("s.png");
        var (code, stdout, stderr) = CliRunner.Run("sample", path, "--count", "10", "--steps", "20", "--seed", "3", "--npz", npz, "--output", png, "--json");
        Assert.True(code == 0, stderr);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(10, json.GetProperty("count").GetInt32());
        Assert.Equal("random", json.GetProperty("start").GetString());
        Matrix expected = DbnFile.Load(path).Sample(10, 20, seed: 3);
        IReadOnlyDictionary<string, NpyArray> arrays = Npz.Read(npz);
        Assert.Equal(expected.AsSpan().ToArray(), arrays["probabilities"].Values.ToArray());
        Assert.Equal([10, 64], arrays["samples"].Shape.ToArray());
        Assert.All(arrays["samples"].Values.ToArray(), x => Assert.True(x is 0f or 1f));
        // A draw from the means: as many units on as the means say, within four standard deviations.
        float[] p = arrays["probabilities"].Values.ToArray(), s = arrays["samples"].Values.ToArray();
        double sd = Math.Sqrt(p.Sum(x => (double)x * (1 - x)));
        Assert.InRange(s.Sum() - p.Sum(), -4 * sd - 1, 4 * sd + 1);
        Assert.Equal(p.Average(), json.GetProperty("mean_probability").GetDouble(), 1e-6);
        Assert.True(new FileInfo(png).Length > 0);
    }

    [Fact]
    public void Sample_Dbn_WithData_IsRefused()
    {
        using var folder = new TempFolder();
        string path = Stack(folder);
        var (code, _, stderr) = CliRunner.Run("sample", path, "--data", "digits");
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("a Deep Belief Network's chains start in its top layer from random states", stderr);
    }

    [Fact]
    public void Info_Dbn_ShowsTheLayers()
    {
        using var folder = new TempFolder();
        string path = Stack(folder);
        var (code, stdout, stderr) = CliRunner.Run("info", path);
        Assert.True(code == 0, stderr);
        Assert.Contains("layers          2: 64-16-8 units", stdout);
        Assert.Matches(@"(?m)^0\s+bernoulli\s+64\s+16\s+1,104$", stdout);
        Assert.Matches(@"(?m)^1\s+bernoulli\s+16\s+8\s+152$", stdout);
        Assert.Contains("layer1.W (16x8)", stdout);

        (code, stdout, stderr) = CliRunner.Run("info", path, "--json");
        Assert.True(code == 0, stderr);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("dbn", json.GetProperty("kind").GetString());
        Assert.Equal(64, json.GetProperty("visible").GetInt32());
        Assert.Equal(8, json.GetProperty("hidden").GetInt32());
        Assert.Equal(1104 + 152, json.GetProperty("parameters").GetInt64());
        Assert.True(json.GetProperty("valid").GetBoolean());
        JsonElement layer1 = json.GetProperty("layers")[1];
        Assert.Equal(16, layer1.GetProperty("visible").GetInt32());
        Assert.Equal(8, layer1.GetProperty("hidden").GetInt32());
        float[] w = ((BernoulliRbm)DbnFile.Load(path).Layers[1]).Weights.ToArray();
        Assert.Equal(w.Max(), layer1.GetProperty("statistics").GetProperty("W").GetProperty("max").GetDouble());
    }

    [Fact]
    public void Info_BrokenDbn_DescribesWhatItCan_ThenOneLineError()
    {
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        var arrays = new Dictionary<string, NpyArray>(DbnFile.ToArrays(new DeepBeliefNetwork(
            [BernoulliRbm.CreateRandom(6, 4, seed: 1), BernoulliRbm.CreateRandom(4, 2, seed: 2)])))
        {
            ["layer1.hidden_bias"] = NpyArray.FromVector([0f, float.PositiveInfinity]),
        };
        Npz.Write(path, arrays);
        var (code, stdout, stderr) = CliRunner.Run("info", path);
        Assert.Equal(2, code);
        Assert.Contains("layer1.hidden_bias (2)", stdout);
        Assert.Matches(@"layer1\.hidden_bias \(2\)\s+.*\s1$", stdout.Split('\n').Single(l => l.StartsWith("layer1.hidden_bias", StringComparison.Ordinal)));
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("array 'hidden_bias' holds Infinity at [1]", stderr);

        arrays.Remove("layer1.W");
        Npz.Write(path, arrays);
        (code, stdout, stderr) = CliRunner.Run("info", path);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("array 'W' is missing", stderr);
    }

    [Theory]
    [InlineData("score")]
    [InlineData("logz")]
    [InlineData("show")]
    public void SingleModelCommands_OnADbn_SayWhatTheFileIs(string command)
    {
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        DbnFile.Save(new DeepBeliefNetwork([BernoulliRbm.CreateRandom(64, 4, seed: 1)]), path);
        var (code, _, stderr) = CliRunner.Run(command == "logz" ? [command, path, "--exact"] : [command, path]);
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("holds a Deep Belief Network (model_kind 'dbn'), not a single model", stderr);
    }

    [Fact]
    public void Model_MissingBesideADbn_PointsToIt()
    {
        using var folder = new TempFolder();
        string path = Stack(folder);
        var (code, _, stderr) = CliRunner.Run("show", Path.Combine(folder.File("dbn"), "model.npz"));
        Assert.Equal(2, code);
        Assert.Contains($"that folder holds a Deep Belief Network, '{path}'", stderr);
        (code, _, stderr) = CliRunner.Run("transform", folder.File("dbn"), "--data", "digits", "--output", folder.File("f.npy"));
        Assert.Equal(2, code);
        Assert.Contains($"did you mean '{path}'", stderr);
    }
}
