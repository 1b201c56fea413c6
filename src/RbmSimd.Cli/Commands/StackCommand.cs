using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using RbmSimd.Cli.Terminal;
using RbmSimd.Cli.Training;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;
using RbmSimd.Stacking;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm stack</c>: trains a Deep Belief Network greedily, layer by layer, and writes <c>dbn.npz</c> and <c>metrics.csv</c>.</summary>
internal static class StackCommand
{
    public const string NetworkName = "dbn.npz", MetricsName = "metrics.csv";

    /// <summary>The layers <c>--hidden</c> gives when not given.</summary>
    private static readonly int[] DefaultHidden = [100, 50];

    /// <summary>The most layers <c>--hidden</c> may list.</summary>
    public const int MaxLayers = 32;

    /// <summary>Tests stop a run in-process as Ctrl+C would: called after each epoch with the layer, true stops after the current minibatch.</summary>
    internal static Func<int, EpochMetrics, bool>? StopAfterEpochForTests { get; set; }

    /// <summary>Seconds between writes of metrics.csv within a layer (it is always written when a layer ends).</summary>
    private const double MetricsInterval = 5;

    public static Command Create()
    {
        var data = CommonOptions.Data("digits");
        var binarize = CommonOptions.Binarize();
        var csv = new CommonOptions.Csv();
        var hidden = CliOption.IntList("--hidden", "Hidden units of each layer, data side first: 100,50 stacks a 100-unit RBM on the data and a 50-unit RBM on its hidden units.",
            "100,50", 1, 100_000, MaxLayers);
        var training = new TrainingOptionSet(stack: true);
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output folder. Default: a new folder runs/YYYYMMDD-HHMMSS, with runs/latest a link to it. " +
                "A folder that already holds a run is refused unless --force.",
        };
        var force = new Option<bool>("--force") { Description = "Replace the run in --output (its network, model, checkpoint, metrics and pictures)." };
        var command = new Command("stack", "Train a Deep Belief Network greedily: an RBM on the data, then an RBM on its hidden probabilities, and so on.\n\n" +
            "With --model convolutional every layer is a convolutional RBM with probabilistic max-pooling, and each layer's pooled maps are the next " +
            "layer's input channels (a convolutional DBN, Lee et al. 2009); --filters, --filter-size and --pool list one value per layer.\n\n" +
            "Layer 1 is an RBM trained on --data: Bernoulli, or with --visible gaussian Gaussian-Bernoulli behind a transform fitted on the training " +
            "rows and stored in dbn.npz; layer l + 1 is a Bernoulli RBM trained on P(h = 1 | ·) that the trained layers below give " +
            "the data (Hinton, Osindero and Teh, 2006). Every layer trains with the same options (those of rbm train; layer l uses seed --seed + l), " +
            "and held-out rows are passed up with the training rows, so each layer reports its own free-energy gap. Prints one line per epoch, " +
            "and writes dbn.npz (every layer, see rbm info, sample and transform) and metrics.csv (one row per layer and epoch) into the run's folder.\n\n" +
            "Examples:\n" +
            "  rbm stack --data digits --hidden 64,32 --epochs 5 --output runs/dbn\n" +
            "  rbm stack --data data/optdigits-8x8.csv.gz --scale 16 --label-column last --hidden 100,50,16 --epochs 3 --output runs/dbn3\n" +
            "  rbm stack --data patches --visible gaussian --hidden 64,32 --epochs 2 --output runs/dbn-patches\n" +
            "  rbm stack --model convolutional --data digits --filters 8,6 --filter-size 3,2 --pool 2,1 --epochs 2 --output runs/conv-dbn")
        {
            data, binarize, hidden,
        };
        training.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(force);
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            TrainingOptions options = training.Read(parse);
            bool gaussian = training.Gaussian(parse);
            if (gaussian && parse.GetValue(binarize) is not null)
                throw new UsageException("--binarize gives binary data, which Bernoulli visible units model; leave it out with --visible gaussian.");
            var request = new DataRequest(parse.GetValue(data)!, parse.GetValue(binarize), csv.Read(parse)) { RealValued = gaussian };
            if (training.Convolutional(parse))
            {
                if (parse.GetResult(hidden) is { Implicit: false })
                    throw new UsageException("--hidden sets dense layers' hidden units; convolutional layers come from --filters, --filter-size and --pool.");
                return RunConvolutional(request, parse.GetValue(training.HeldOut), training.Convolution.Layers(parse), options, training.Preparation(parse),
                    training.FirstLayer(parse), parse.GetValue(output), parse.GetValue(force));
            }
            return Run(request, parse.GetValue(training.HeldOut), parse.GetValue(hidden) is { Length: > 0 } sizes ? sizes : DefaultHidden, options,
                training.Preparation(parse), training.FirstLayer(parse), parse.GetValue(output), parse.GetValue(force));
        }));
        return command;
    }

    /// <summary>A convolutional DBN: every layer a convolutional RBM whose channels are the pooled maps of the layer below.</summary>
    private static int RunConvolutional(DataRequest request, double heldOutFraction, IReadOnlyList<ConvolutionChoice> layers, TrainingOptions options,
        DataPreparation preparation, ModelChoice firstLayer, string? output, bool force)
    {
        LoadedData data = DataSource.Load(request, heldOutFraction, options.Seed);
        foreach (string note in data.Notes) Console.WriteLine($"note: {note}");
        Transform? transform = preparation.Fit(data);
        LoadedData prepared = DataPreparation.Apply(transform, data);
        // Every layer's geometry is checked before any folder is made.
        var shapes = new List<RbmSimd.Kernels.ConvolutionShape> { layers[0].Resolve(prepared.Columns, data.ImageWidth, data.ImageHeight) };
        for (int l = 1; l < layers.Count; l++)
        {
            var below = shapes[^1];
            int h = below.OutputHeight / layers[l - 1].Pool, w = below.OutputWidth / layers[l - 1].Pool;
            try
            {
                shapes.Add(layers[l].Resolve(h, w));
            }
            catch (UsageException e)
            {
                throw new UsageException($"layer {l + 1} (its input: the {below.Filters}x{h}x{w} pooled maps of layer {l}): {e.Message}");
            }
        }
        using RunFolder folder = RunFolder.ForNewRun(output, force);
        foreach (string note in folder.Notes) Console.WriteLine($"note: {note}");
        string shape = string.Join(" → ", shapes.Select((s, l) => $"{s.Channels}x{s.Height}x{s.Width}")
            .Append($"{shapes[^1].Filters}x{shapes[^1].OutputHeight / layers[^1].Pool}x{shapes[^1].OutputWidth / layers[^1].Pool}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stacking a convolutional DBN {shape} ({layers.Count} layers: {string.Join(", ", layers.Select(c => $"{c.Filters} filters {c.FilterSize}x{c.FilterSize}, pool {c.Pool}"))}; " +
            $"{(firstLayer.Visible == VisibleUnitKind.Gaussian ? "Gaussian" : "Bernoulli")} visible units, {DataPreparation.Describe(transform)}) on {data.Train.RowCount:N0} rows " +
            $"({data.HeldOut?.RowCount ?? 0:N0} held out), {(options.Persistent ? "PCD" : "CD")}-{options.CdSteps}, batch {options.BatchSize}, η {options.LearningRate}, " +
            $"{options.Epochs} epochs a layer, seed {options.Seed}; writing to {Display.Quote(folder.DisplayPath)}{(folder.IsLatest ? $" ({Path.Combine(RunFolder.RunsRoot, RunFolder.LatestName)})" : "")}"));
        var stackLayers = layers.Select(c => new ConvolutionLayer(c.Filters, c.FilterSize, c.Pool)).ToArray();
        return Train(folder, transform, request, layers.Count, options, (onEpoch, token) =>
            GreedyLayerwiseTrainer.TrainConvolutional(prepared.Train, shapes[0].Channels, shapes[0].Height, shapes[0].Width, stackLayers, firstLayer.Visible, options,
                firstLayer.WeightInit ?? 0.01f, ModelChoice.ConvolutionalHiddenBias, onEpoch, prepared.HeldOut, token), shape);
    }

    private static int Run(DataRequest request, double heldOutFraction, int[] sizes, TrainingOptions options, DataPreparation preparation, ModelChoice firstLayer,
        string? output, bool force)
    {
        // The data is read and checked, and a Gaussian first layer's transform fitted, before any folder is made: bad data leaves nothing behind.
        LoadedData data = DataSource.Load(request, heldOutFraction, options.Seed);
        foreach (string note in data.Notes) Console.WriteLine($"note: {note}");
        Transform? transform = preparation.Fit(data);
        LoadedData prepared = DataPreparation.Apply(transform, data);
        IRbm first = firstLayer.Create(prepared.Train, sizes[0], options.Seed);
        using RunFolder folder = RunFolder.ForNewRun(output, force);
        foreach (string note in folder.Notes) Console.WriteLine($"note: {note}");
        string shape = string.Join('-', sizes.Prepend(prepared.Columns));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stacking a {shape} DBN ({sizes.Length} layers; {(first.VisibleUnits == VisibleUnitKind.Gaussian ? "Gaussian" : "Bernoulli")} visible units, " +
            $"{DataPreparation.Describe(transform)}) on {data.Train.RowCount:N0} rows ({data.HeldOut?.RowCount ?? 0:N0} held out), " +
            $"{(options.Persistent ? "PCD" : "CD")}-{options.CdSteps}, batch {options.BatchSize}, η {options.LearningRate}, {options.Epochs} epochs a layer, seed {options.Seed}; " +
            $"writing to {Display.Quote(folder.DisplayPath)}{(folder.IsLatest ? $" ({Path.Combine(RunFolder.RunsRoot, RunFolder.LatestName)})" : "")}"));

        return Train(folder, transform, request, sizes.Length, options, (onEpoch, token) =>
            GreedyLayerwiseTrainer.Train(prepared.Train, first, sizes[1..], options, onEpoch, prepared.HeldOut, token), shape);
    }

    /// <summary>Trains the layers <paramref name="train"/> makes, with the metrics, the terminal lines and Ctrl+C of every stack, and writes dbn.npz.</summary>
    private static int Train(RunFolder folder, Transform? transform, DataRequest request, int layerCount, TrainingOptions options,
        Func<Action<int, EpochMetrics>, CancellationToken, DeepBeliefNetwork> train, string shape)
    {
        string metricsPath = folder.File(MetricsName);
        var metrics = new StringBuilder(StackMetrics.Header);
        AtomicFile.WriteAllText(metricsPath, metrics.ToString());
        var sinceWrite = Stopwatch.StartNew();
        using var stop = new StopSignals();
        DeepBeliefNetwork network;
        try
        {
            network = train((layer, m) =>
            {
                metrics.Append(StackMetrics.Row(layer, m));
                Console.WriteLine(StackMetrics.Line(layer, layerCount, m, options.Epochs));
                if (m.Epoch == options.Epochs || sinceWrite.Elapsed.TotalSeconds >= MetricsInterval)
                {
                    AtomicFile.WriteAllText(metricsPath, metrics.ToString());
                    sinceWrite.Restart();
                }
                if (StopAfterEpochForTests?.Invoke(layer, m) == true) stop.Request(System.Runtime.InteropServices.PosixSignal.SIGINT);
            }, stop.Token);
        }
        catch (OperationCanceledException) when (stop.Signal is not null)
        {
            AtomicFile.WriteAllText(metricsPath, metrics.ToString());
            Console.WriteLine($"stopped by {stop.Signal}; the metrics so far are in {Display.Quote(RunFolder.Shown(metricsPath))}, and {NetworkName} was not written (the network is incomplete).");
            return stop.ExitCode;
        }
        catch (TrainingDivergedException e)
        {
            AtomicFile.WriteAllText(metricsPath, metrics.ToString());
            return CliErrors.Report($"{e.Message} {NetworkName} was not written; the metrics so far are in {Display.Quote(RunFolder.Shown(metricsPath))}.");
        }
        string networkPath = folder.File(NetworkName);
        DbnFile.Save(network, transform, networkPath);
        string Shown(string p) => Display.Escape(RunFolder.Shown(p));
        Console.WriteLine($"wrote {Shown(networkPath)} ({shape}) and {Shown(metricsPath)}");
        Console.WriteLine($"features: rbm transform {Shown(networkPath)} --data {Display.Escape(request.Spec)} --output features.npy");
        return 0;
    }
}

/// <summary>The per-layer, per-epoch metrics of <c>rbm stack</c>: <c>metrics.csv</c> as <c>rbm train</c> writes it, with a leading <c>layer</c> column (from 0).</summary>
internal static class StackMetrics
{
    public const string Header = "layer," + MetricsCsv.Header;

    public static string Row(int layer, EpochMetrics m) => layer.ToString(CultureInfo.InvariantCulture) + "," + MetricsCsv.Row(m);

    /// <summary>The terminal line of one epoch.</summary>
    public static string Line(int layer, int layers, EpochMetrics m, int epochs)
    {
        var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"layer {layer + 1}/{layers}  epoch {m.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs}  " +
            $"recon {m.ReconstructionError:F5}  F(train) {m.FreeEnergyTrain:F3}"));
        if (m.FreeEnergyHeldOut is { } held) line.Append(CultureInfo.InvariantCulture, $"  F(held) {held:F3}");
        if (m.LogLikelihoodTrain is { } ll) line.Append(CultureInfo.InvariantCulture, $"  logL(train) {ll:F3}");
        if (m.LogLikelihoodHeldOut is { } llHeld) line.Append(CultureInfo.InvariantCulture, $"  logL(held) {llHeld:F3}");
        line.Append(CultureInfo.InvariantCulture, $"  {m.Seconds:F2}s");
        return line.ToString();
    }
}
