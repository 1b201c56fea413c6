using System.Text.Json;
using RbmSimd.Cli.Commands;
using RbmSimd.Cli.Training;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Tests.IO;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// <c>rbm train --model conditional</c>, <c>generate</c>, <c>score</c>, <c>sample --class</c> and <c>info</c> on conditional models:
/// what they write equals the library's computation on the same data, and every user error is one line naming the option.
/// </summary>
[Collection("Console")]
public class CliConditionalTests
{
    private static (int Code, string Out, string Err) Run(TempFolder folder, params string[] args)
    {
        string old = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder.Path;
        try
        {
            return CliRunner.Run(args);
        }
        finally
        {
            Environment.CurrentDirectory = old;
        }
    }

    private static void Ok((int Code, string Out, string Err) result) => Assert.True(result.Code == 0, $"exit {result.Code}: {result.Err}");

    /// <summary>The built-in set's training and held-out sequences, as the documentation says they are made.</summary>
    private static (SequenceSet Train, SequenceSet HeldOut) Balls(int n) =>
        (BouncingBalls.Generate(n, 100, 1), BouncingBalls.Generate(Math.Max(2, n / 20), 100, 2));

    // Kills: the CLI's data not the documented sequences (seeds, held-out count), its defaults not the documented ones, the
    // context weights' rate or decay not applied, the monitor's prediction error not written.
    [Fact]
    public void Train_EqualsTheLibrarysTrainingOnTheSameSequences_AndRecordsThePredictionError()
    {
        using var folder = new TempFolder();
        Ok(Run(folder, "train", "--model", "conditional", "--data", "bouncing-balls:6", "--history", "2", "--hidden", "12", "--epochs", "2",
            "--context-learning-rate-scale", "0.5", "--context-weight-decay", "0.001", "--threads", "1", "--output", "run"));
        var trained = ModelFile.Load<ConditionalRbm>(Path.Combine(folder.Path, "run", "model.npz"));

        var (train, held) = Balls(6);
        SequenceContextRows rows = train.ContextRows(2), heldRows = held.ContextRows(2);
        ConditionalRbm expected = ConditionalRbm.CreateRandom(VisibleUnitKind.Bernoulli, 900, 1800, 12, 1, rows, historyLength: 2);
        KindDefaults d = ConditionalTrainRun.Bernoulli;
        var options = new TrainingOptions
        {
            Epochs = 2, BatchSize = d.BatchSize, LearningRate = d.LearningRate, LearningRateDecayEpochs = d.LearningRateDecayEpochs,
            InitialMomentum = d.Momentum, FinalMomentum = d.FinalMomentum, WeightDecay = d.WeightDecay, ContextLearningRateScale = 0.5f,
            ContextWeightDecay = 0.001f, Seed = 1, MaxDegreeOfParallelism = 1,
        };
        List<EpochMetrics> metrics = [.. new RbmTrainer(expected, options).Train(rows, heldRows)];
        for (int p = 0; p < expected.Parameters.Count; p++)
            Assert.Equal(expected.Parameters[p].Span.ToArray(), trained.Parameters[p].Span.ToArray());
        Assert.Equal(2, trained.HistoryLength);

        string[] csv = File.ReadAllLines(Path.Combine(folder.Path, "run", "metrics.csv"));
        int column = Array.IndexOf(csv[0].Split(','), "prediction_error_held_out");
        Assert.True(column >= 0, "metrics.csv has no prediction error column");
        for (int e = 0; e < 2; e++)
            Assert.Equal(metrics[e].PredictionErrorHeldOut!.Value, double.Parse(csv[e + 1].Split(',')[column], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(File.Exists(Path.Combine(folder.Path, "run", "samples.png")));
    }

    /// <summary>With the context weights held fixed the trained model is the unconditional RBM of the frames (A = B = 0).</summary>
    [Fact]
    public void Train_WithFixedContextWeights_IsTheUnconditionalRbm()
    {
        using var folder = new TempFolder();
        Ok(Run(folder, "train", "--model", "conditional", "--data", "bouncing-balls:4", "--hidden", "8", "--epochs", "1", "--context-learning-rate-scale", "0",
            "--output", "run"));
        var trained = ModelFile.Load<ConditionalRbm>(Path.Combine(folder.Path, "run", "model.npz"));
        Assert.All(trained.ContextVisibleWeights.ToArray(), x => Assert.Equal(0f, x));
        Assert.All(trained.ContextHiddenWeights.ToArray(), x => Assert.Equal(0f, x));
    }

    // Kills: the histories not the first frames of the held-out sequences, the context not most recent first, the frames
    // written in the wrong order or shape, the true continuation not the frames that follow.
    [Fact]
    public void Generate_WritesTheLibrarysGeneratedFrames_AndTheirError()
    {
        using var folder = new TempFolder();
        Ok(Run(folder, "train", "--model", "conditional", "--data", "bouncing-balls:4", "--history", "2", "--hidden", "10", "--epochs", "1", "--output", "run"));
        var (code, stdout, stderr) = Run(folder, "generate", "run/model.npz", "--history-from", "bouncing-balls:4", "--frames", "7", "--sequences", "2",
            "--mode", "mean-field", "--steps", "3", "--output", "g.png", "--npy", "g.npy", "--json");
        Assert.True(code == 0, stderr);
        var model = ModelFile.Load<ConditionalRbm>(Path.Combine(folder.Path, "run", "model.npz"));
        SequenceSet held = BouncingBalls.Generate(2, 100, 2);
        var contexts = new Matrix(2, 1800);
        for (int s = 0; s < 2; s++) ConditionalPrediction.ContextFromHistory(model, held.Sequence(s).AsReadOnlyView().SliceRows(0, 2), contexts.Row(s));
        Matrix expected = ConditionalPrediction.Generate(model, contexts, 7, new PredictionOptions { GibbsSteps = 3 }, seed: 1);
        NpyArray written = Npy.Read(Path.Combine(folder.Path, "g.npy"));
        Assert.Equal([2, 7, 30, 30], written.Shape.ToArray());
        Assert.Equal(expected.AsSpan().ToArray(), written.Values.ToArray());
        double error = 0;
        for (int s = 0; s < 2; s++)
        {
            Matrix truth = held.Sequence(s);
            for (int t = 0; t < 7; t++)
                for (int i = 0; i < 900; i++) error += Math.Pow(truth[2 + t, i] - (double)expected[s * 7 + t, i], 2);
        }
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal(error / 14, json.RootElement.GetProperty("error").GetDouble(), 9);
        Assert.True(File.Exists(Path.Combine(folder.Path, "g.png")));
    }

    // Kills: the scored rows not the held-out sequences, the copy-last or AR baseline computed on other rows, the AR fitted on
    // the held-out rows, the prediction steps ignored.
    [Fact]
    public void Score_ReportsTheLibrarysPredictionErrorAndBaselines()
    {
        using var folder = new TempFolder();
        Ok(Run(folder, "train", "--model", "conditional", "--data", "motion:6", "--history", "2", "--epochs", "3", "--hidden", "10", "--output", "run"));
        var (code, stdout, stderr) = Run(folder, "score", "run/model.npz", "--data", "motion:6", "--baselines", "--steps", "2", "--json");
        Assert.True(code == 0, stderr);
        var (model, transform) = ModelFile.LoadWithTransform(Path.Combine(folder.Path, "run", "model.npz"));
        var crbm = (ConditionalRbm)model;
        Assert.NotNull(transform);
        SequenceSet all = WalkerMotion.Generate(6, 200, 1), held = WalkerMotion.Generate(2, 200, 2);
        SequenceSet Mapped(SequenceSet s) => s.WithFrames(DataPreparation.Map(transform!, s.Frames));
        // --baselines holds out the last tenth of the built-in training sequences (at least one) to fit on the rest.
        SequenceContextRows scored = Mapped(held).ContextRows(2), train = Mapped(all).ContextRows(2);
        double prediction = PredictionError.Mean(crbm, scored, new PredictionOptions { GibbsSteps = 2 }, seed: 1);
        double copyLast = PredictionError.CopyLastFrame(scored, 12);
        double ar = RidgeAutoregression.Fit(train, 12).MeanSquaredError(scored);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(prediction, root.GetProperty("prediction_error").GetDouble(), 12);
        Assert.Equal(copyLast, root.GetProperty("copy_last_error").GetDouble(), 12);
        Assert.Equal(ar, root.GetProperty("ridge_ar_error").GetDouble(), 12);
        Assert.Equal(scored.RowCount, root.GetProperty("rows").GetInt32());
    }

    [Fact]
    public void SampleByClass_DrawsThatClassesFrames_AndInfoDescribesTheContext()
    {
        using var folder = new TempFolder();
        Ok(Run(folder, "train", "--model", "conditional", "--data", "digits", "--hidden", "16", "--epochs", "2", "--output", "run"));
        Ok(Run(folder, "sample", "run/model.npz", "--class", "7", "--count", "4", "--steps", "5", "--output", "s.png", "--npz", "s.npz"));
        IReadOnlyDictionary<string, NpyArray> samples = Npz.Read(Path.Combine(folder.Path, "s.npz"));
        Assert.Equal([4, 64], samples["samples"].Shape.ToArray());
        var (code, stdout, _) = Run(folder, "info", "run/model.npz", "--json");
        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal(10, json.RootElement.GetProperty("context").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("history").GetInt32());
        Assert.Equal(64, json.RootElement.GetProperty("visible").GetInt32());
        Assert.Equal("bernoulli", json.RootElement.GetProperty("visible_units").GetString());
        CliUsageErrorTests.AssertUserError(Run(folder, "sample", "run/model.npz", "--class", "10"), "--class 10", "0 to 9");
        CliUsageErrorTests.AssertUserError(Run(folder, "generate", "run/model.npz", "--history-from", "motion:2"), "conditioned on a label", "rbm sample --class");
    }

    public static TheoryData<string[], string[]> UsageErrors => new()
    {
        { ["train", "--model", "recurrent"], ["--model", "dense", "conditional"] },
        { ["train", "--model", "conditional", "--data", "bouncing-balls:2", "--history", "0"], ["--history", "1"] },
        { ["train", "--history", "2"], ["--history applies to --model conditional only"] },
        { ["train", "--model", "conditional", "--data", "digits", "--context", "label", "--history", "2"], ["--history applies to --context history"] },
        { ["train", "--model", "conditional", "--data", "bouncing-balls:2", "--parallel-tempering", "3"], ["--parallel-tempering", "CD-k or --pcd"] },
        { ["train", "--model", "conditional", "--data", "bouncing-balls:2", "--binarize", "0.5"], ["--binarize does not apply to --model conditional"] },
        { ["train", "--model", "conditional", "--data", "bouncing-balls:0"], ["bouncing-balls:N", "1 to 1000000"] },
        { ["train", "--model", "conditional", "--data", "bouncing-balls:2", "--context-learning-rate-scale", "11"], ["--context-learning-rate-scale", "[0, 10]"] },
        { ["train", "--model", "conditional", "--data", "motion:2", "--preprocess", "pca"], ["--preprocess pca", "standardize or none"] },
        { ["train", "--model", "conditional", "--data", "motion:2", "--history", "300"], ["--history 300", "nothing to predict"] },
        { ["score", "nothing.npz", "--baselines"], ["nothing.npz"] },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void UsageErrors_AreOneLineNamingTheOption(string[] args, string[] expected)
    {
        using var folder = new TempFolder();
        CliUsageErrorTests.AssertUserError(Run(folder, args), expected);
    }

    /// <summary>A conditional run resumed after its first epoch ends with the bits of the run trained straight through.</summary>
    // Kills: a resume that rebuilds other rows (another history, context or held-out split), refits the standardisation, or
    // loses the chains' or the momentum's state.
    [Theory]
    [InlineData("bouncing-balls:3", "--pcd")]
    [InlineData("motion:3", "--k")]
    public void Resume_GivesTheBitsOfAnUninterruptedRun(string data, string negative)
    {
        using var folder = new TempFolder();
        string[] common = ["train", "--model", "conditional", "--data", data, "--history", "2", "--hidden", "6", negative, .. (negative == "--k" ? new[] { "2" } : []),
            "--save-interval", "0"];
        Ok(Run(folder, [.. common, "--epochs", "2", "--output", "straight"]));
        Ok(Run(folder, [.. common, "--epochs", "1", "--output", "stopped"]));
        Ok(Run(folder, "train", "--resume", "stopped", "--epochs", "2"));
        var straight = ModelFile.Load<ConditionalRbm>(Path.Combine(folder.Path, "straight", "model.npz"));
        var resumed = ModelFile.Load<ConditionalRbm>(Path.Combine(folder.Path, "stopped", "model.npz"));
        for (int p = 0; p < straight.Parameters.Count; p++)
            Assert.Equal(straight.Parameters[p].Span.ToArray(), resumed.Parameters[p].Span.ToArray());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder.Path, "stopped", "metrics.csv")).Length);
    }

    [Fact]
    public void ModelMismatches_AreUserErrors()
    {
        using var folder = new TempFolder();
        Ok(Run(folder, "train", "--model", "conditional", "--data", "bouncing-balls:2", "--hidden", "4", "--epochs", "1", "--output", "run"));
        CliUsageErrorTests.AssertUserError(Run(folder, "train", "--resume", "run", "--model", "conditional"), "--model cannot be used with --resume");
        Ok(Run(folder, "train", "--data", "bars:3", "--held-out", "0", "--hidden", "4", "--epochs", "1", "--output", "dense"));
        CliUsageErrorTests.AssertUserError(Run(folder, "generate", "dense/model.npz", "--history-from", "bouncing-balls:2"), "bernoulli model", "--model conditional");
        CliUsageErrorTests.AssertUserError(Run(folder, "sample", "dense/model.npz", "--class", "1"), "--class applies to a conditional model");
        CliUsageErrorTests.AssertUserError(Run(folder, "score", "dense/model.npz", "--data", "bars:3", "--baselines"), "--baselines applies to conditional models only");
        CliUsageErrorTests.AssertUserError(Run(folder, "generate", "run/model.npz", "--history-from", "motion:2"), "frames of 12 values", "900");
        CliUsageErrorTests.AssertUserError(Run(folder, "logz", "run/model.npz", "--exact"), "conditional model", "rbm score");
        CliUsageErrorTests.AssertUserError(Run(folder, "sample", "run/model.npz"), "conditioned on previous frames", "rbm generate");
    }

    /// <summary>
    /// Time series files: a CSV whose last column is a sequence id (a new sequence where it changes) and a 3-D .npy
    /// (sequences × frames × values); with history 1 a sequence of T frames gives T − 1 rows, never one across a boundary.
    /// </summary>
    // Kills: sequences read as one (a row would pair the last frame of one sequence with the first of the next), the id
    // column read as a value.
    [Fact]
    public void TimeSeriesFiles_KeepTheirSequenceBoundaries()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "series.csv"),
            "a,b,sequence\n0,1,7\n1,0,7\n1,1,7\n0,0,9\n1,0,9\n0,1,9\n1,1,9\n0,1,4\n1,1,4\n");
        Ok(Run(folder, "train", "--model", "conditional", "--data", "series.csv", "--label-column", "last", "--history", "1", "--hidden", "3", "--epochs", "1",
            "--held-out", "0", "--output", "csv"));
        var (code, stdout, stderr) = Run(folder, "score", "csv/model.npz", "--data", "series.csv", "--label-column", "last", "--json");
        Assert.True(code == 0, stderr);
        using (JsonDocument json = JsonDocument.Parse(stdout)) Assert.Equal(2 + 3 + 1, json.RootElement.GetProperty("rows").GetInt32());

        var values = new float[3 * 5 * 2];
        for (int i = 0; i < values.Length; i++) values[i] = (i * 7 % 5) / 4f;
        Npy.Write(Path.Combine(folder.Path, "series.npy"), new NpyArray([3, 5, 2], values));
        Ok(Run(folder, "train", "--model", "conditional", "--data", "series.npy", "--history", "2", "--hidden", "3", "--epochs", "1", "--held-out", "0",
            "--output", "npy"));
        (code, stdout, stderr) = Run(folder, "score", "npy/model.npz", "--data", "series.npy", "--json");
        Assert.True(code == 0, stderr);
        using (JsonDocument json = JsonDocument.Parse(stdout)) Assert.Equal(3 * (5 - 2), json.RootElement.GetProperty("rows").GetInt32());
    }
}
