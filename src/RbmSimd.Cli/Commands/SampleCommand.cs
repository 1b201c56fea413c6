using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Cli.Pictures;
using RbmSimd.Cli.Terminal;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Persistence;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Stacking;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm sample MODEL</c>: runs Gibbs chains and draws their samples (optionally saving them as .npz).</summary>
internal static class SampleCommand
{
    /// <summary>More chains than this make a picture too large to read; it also bounds the memory a typo can claim.</summary>
    public const int MaxCount = 10_000;

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = new Option<string?>("--data")
        {
            Description = "Start the chains from rows of this data set (shown above the samples) instead of random coin flips. " + DataSource.Help,
        };
        var binarize = CommonOptions.Binarize();
        var csv = new CommonOptions.Csv();
        var steps = CliOption.Int("--steps", "Full Gibbs steps v → h → v per chain.", 1000, 1, 1_000_000, aliases: "-k");
        var count = CliOption.Int("--count", "Number of chains (samples).", 64, 1, MaxCount, aliases: "-n");
        var seed = CliOption.Seed("Seed of the random starts and the Gibbs chains.");
        var output = new Option<string?>("--output", "-o")
        {
            Description = "PNG to write (replaced if it exists). Default: MODEL-samples.png beside the model (model-samples.png for model.npz), " +
                "so the samples.png that rbm train wrote is kept.",
        };
        var npz = new Option<string?>("--npz")
        {
            Description = "Also write the samples to this .npz: 'samples' (count × nv: v of the last step) and 'probabilities' (its means, P(v = 1 | h) for " +
                "Bernoulli units), both in the data's space (through the inverse of a model's data transform).",
        };
        var width = ImageOptions.Width();
        var height = ImageOptions.Height();
        var scale = ImageOptions.TileScale();
        var maxSize = ImageOptions.MaxSize();
        var json = CommonOptions.Json();
        var classOption = CliOption.OptionalInt("--class",
            "A conditional model given a class (rbm train --model conditional --context label): draw examples of this class (from 0). " +
            "Not given: the chains go through the classes in turn.", 0, 100_000);
        var command = new Command("sample", "Run independent Gibbs chains of a model and draw the last step's P(v = 1 | h) as a grid of pictures.\n\n" +
            "Chains start from random coin flips, or from rows of --data (drawn above their chains). For a Deep Belief Network (rbm stack's " +
            "dbn.npz) the chains run --steps Gibbs steps in the top layer from random states, then one pass down through the layers below " +
            "(each sampled, the data layer's means drawn): the 'probabilities' of --npz are those means, 'samples' a draw from them.\n\n" +
            "Examples:\n  rbm sample runs/latest/model.npz\n  rbm sample runs/latest/model.npz --data digits --count 36 --steps 200 --output digits-samples.png\n" +
            "  rbm sample runs/latest/model.npz --count 1000 --npz samples.npz --json\n" +
            "  rbm sample runs/dbn/dbn.npz --count 36 --steps 200 --npz dbn-samples.npz\n" +
            "  rbm sample runs/digits-by-class/model.npz --class 3 --count 16 --steps 200 --output threes.png\n" +
            "  rbm sample runs/conv/model.npz --count 16 --steps 100 --output conv-samples.png")
        {
            model, data, binarize, steps, count, seed, output, npz, width, height, scale, maxSize, json, classOption,
        };
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            int chainCount = parse.GetValue(count), stepCount = parse.GetValue(steps);
            string modelPath = InputFile.RequireModel(parse.GetValue(model)!);
            using NpzArchive archive = Npz.Open(modelPath);
            var arrays = new NpzArrays(archive);
            ulong seedValue = parse.GetValue(seed);
            if (DbnFile.IsDbn(arrays))
            {
                if (parse.GetValue(data) is not null || parse.GetValue(binarize) is not null || csv.All.Any(o => parse.GetResult(o) is { Implicit: false }))
                    throw new UsageException($"--data starts the chains of a single model; a Deep Belief Network's chains start in its top layer from random states, so leave out --data (and --binarize and the CSV options).");
                var (network, dataTransform) = DbnFile.FromArraysWithTransform(arrays, modelPath);
                var request = new DbnSampleRequest(modelPath, network, new DataSpaceView(network.Layers[0], dataTransform), chainCount, stepCount, seedValue, parse.GetValue(output),
                    parse.GetValue(npz), parse.GetValue(width), parse.GetValue(height), parse.GetValue(scale), parse.GetValue(maxSize), parse.GetValue(json));
                return SampleDbn(request);
            }
            IRbm rbm = ModelFile.FromArrays(arrays, modelPath);
            var view = new DataSpaceView(rbm, ModelFile.ReadTransform(arrays, rbm, modelPath));
            int? givenClass = parse.GetValue(classOption);
            if (rbm is ConditionalRbm conditional)
            {
                if (conditional.HistoryLength > 0)
                    throw new UsageException($"{Display.Quote(modelPath)} is conditioned on previous frames: draw its sequences with rbm generate MODEL --history-from ….");
                if (parse.GetValue(data) is not null || parse.GetValue(binarize) is not null)
                    throw new UsageException("--data and --binarize start chains of an unconditional model; a conditional model's chains start at random and take their class from --class.");
                if (givenClass is { } k && k >= conditional.ContextCount)
                    throw new UsageException($"--class {k}: the model knows {conditional.ContextCount} classes, 0 to {conditional.ContextCount - 1}.");
                return SampleByClass(new ClassSampleRequest(modelPath, conditional, view, givenClass, chainCount, stepCount, seedValue, parse.GetValue(output),
                    parse.GetValue(npz), parse.GetValue(width), parse.GetValue(height), parse.GetValue(scale), parse.GetValue(maxSize), parse.GetValue(json)));
            }
            if (givenClass is not null) throw new UsageException("--class applies to a conditional model given a class (rbm train --model conditional --context label).");

            LoadedData? loaded = parse.GetValue(data) is { } spec
                ? DataSource.LoadAll(new DataRequest(spec, parse.GetValue(binarize), csv.Read(parse)) { RealValued = view.RealValued })
                : null;
            if (loaded is null && (parse.GetValue(binarize) is not null || csv.All.Any(o => parse.GetResult(o) is { Implicit: false })))
                throw new UsageException("--binarize and the CSV options apply to --data, which is not given (the chains start from random coin flips).");
            if (loaded is not null && loaded.Columns != view.Columns)
                throw new UsageException($"The data has {loaded.Columns} columns but the model takes {view.Columns}.");
            int? w = parse.GetValue(width), h = parse.GetValue(height);
            if (w is null && h is null && loaded is { ImageWidth: > 0 }) (w, h) = (loaded.ImageWidth, loaded.ImageHeight);
            ImageShape shape = ImageShape.Resolve(view.Columns, w, h);
            string path = parse.GetValue(output) ?? ImageOptions.BesideModel(modelPath, "samples");
            string? npzPath = parse.GetValue(npz);
            // Check both destinations before the chains run, so that a bad path writes nothing.
            ImageOptions.EnsureFolder(path, "--output", "samples.png");
            if (npzPath is not null) ImageOptions.EnsureFolder(npzPath, "--npz", "samples.npz");
            int? tileScale = parse.GetValue(scale);
            int maxSide = parse.GetValue(maxSize);
            int tiles = Math.Min(chainCount, loaded?.Train.RowCount ?? chainCount);
            var grid = new TileGrid(tiles, shape, (int)Math.Ceiling(Math.Sqrt(tiles)), scale: tileScale ?? 0, maxSide: maxSide);
            ImageOptions.RequireFits(grid.Width, (loaded is null ? 1 : 2) * (grid.Height + Caption.Height) + 8, maxSide, tileScale);

            var clock = Stopwatch.StartNew();
            Matrix? dataStarts = loaded is not null ? ChainSampler.DataStarts(loaded.Train, chainCount) : null;
            Matrix starts = dataStarts is not null ? view.ToModelSpace(dataStarts)
                : view.RealValued ? ChainSampler.BiasStarts(rbm, chainCount) : ChainSampler.RandomStarts(chainCount, rbm.VisibleCount, seedValue);
            ChainSamples chains = ChainSampler.Run(rbm, starts, stepCount, seedValue);
            double seconds = clock.Elapsed.TotalSeconds;
            // Samples and their means in the data's own space (through the inverse of the model's data transform).
            Matrix samples = view.ToDataSpace(chains.Samples), means = view.ToDataSpace(chains.Probabilities);

            SampleGridImage.Render(view.Displayable(means), shape, dataStarts is not null ? view.Displayable(dataStarts).AsReadOnlyView() : default(ReadOnlyMatrixView),
                sampleCaption: SampleGridImage.SamplesCaption(stepCount), exampleCaption: SampleGridImage.StartsCaption, scale: grid.Scale).SavePng(path);
            if (npzPath is not null)
                Npz.Write(npzPath,
                [
                    new("samples", NpyArray.FromMatrix(samples)),
                    new("probabilities", NpyArray.FromMatrix(means)),
                ]);

            double meanProbability = Mean(means.AsSpan()), meanOn = Mean(samples.AsSpan());
            string start = loaded is not null ? "data" : "random";
            if (parse.GetValue(json))
                CliJson.Print(new SampleResult(modelPath, path, npzPath, starts.Rows, stepCount, start, seedValue,
                    CliJson.Finite(meanProbability), CliJson.Finite(meanOn), seconds), CliJsonContext.Default.SampleResult);
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{starts.Rows} chains x {stepCount} Gibbs steps from {start} starts in {seconds:F2} s; mean P(v=1|h) {meanProbability:F4}"));
                foreach (string note in loaded?.Notes ?? []) Console.WriteLine($"note: {note}");
                Console.WriteLine($"wrote {Display.Escape(path)}{(npzPath is not null ? $" and {Display.Escape(npzPath)}" : "")}");
            }
            return 0;
        }));
        return command;
    }

    private sealed record ClassSampleRequest(string ModelPath, ConditionalRbm Model, DataSpaceView View, int? Class, int Count, int Steps, ulong Seed, string? Output,
        string? Npz, int? Width, int? Height, int? TileScale, int MaxSide, bool Json);

    /// <summary>
    /// Samples of a conditional model given a class: chains from random coin flips (Bernoulli units) or the visible biases (Gaussian
    /// units) beside the one-hot class, --class or, without it, class i mod C for chain i; the frames drawn as pictures.
    /// </summary>
    private static int SampleByClass(ClassSampleRequest r)
    {
        ConditionalRbm model = r.Model;
        DataSpaceView view = r.View;
        int nv = model.FrameCount, classes = model.ContextCount;
        ImageShape shape = ImageShape.Resolve(view.Columns, r.Width, r.Height);
        string path = r.Output ?? ImageOptions.BesideModel(r.ModelPath, "samples");
        ImageOptions.EnsureFolder(path, "--output", "samples.png");
        if (r.Npz is not null) ImageOptions.EnsureFolder(r.Npz, "--npz", "samples.npz");
        var grid = new TileGrid(r.Count, shape, (int)Math.Ceiling(Math.Sqrt(r.Count)), scale: r.TileScale ?? 0, maxSide: r.MaxSide);
        ImageOptions.RequireFits(grid.Width, grid.Height + Caption.Height + 8, r.MaxSide, r.TileScale);

        var clock = Stopwatch.StartNew();
        Matrix frames = model.VisibleUnits == VisibleUnitKind.Bernoulli
            ? ChainSampler.RandomStarts(r.Count, nv, r.Seed)
            : ChainSampler.BiasStarts(model.FrameModel, r.Count);
        var starts = new Matrix(r.Count, model.VisibleCount);
        for (int i = 0; i < r.Count; i++)
        {
            frames.Row(i).CopyTo(starts.Row(i));
            RbmSimd.Data.LabelContextRows.OneHot(r.Class ?? i % classes, starts.Row(i)[nv..]);
        }
        ChainSamples chains = ChainSampler.Run(model, starts, r.Steps, r.Seed);
        double seconds = clock.Elapsed.TotalSeconds;
        Matrix samples = view.ToDataSpace(ChainSampler.Frames(chains.Samples, model)), means = view.ToDataSpace(ChainSampler.Frames(chains.Probabilities, model));
        string caption = r.Class is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"class {c}: samples ({r.Steps} Gibbs steps)")
            : string.Create(CultureInfo.InvariantCulture, $"classes 0 to {classes - 1} in turn: samples ({r.Steps} Gibbs steps)");
        SampleGridImage.Render(view.Displayable(means), shape, sampleCaption: caption, scale: grid.Scale).SavePng(path);
        if (r.Npz is not null)
            Npz.Write(r.Npz,
            [
                new("samples", NpyArray.FromMatrix(samples)),
                new("probabilities", NpyArray.FromMatrix(means)),
            ]);
        double meanProbability = Mean(means.AsSpan()), meanOn = Mean(samples.AsSpan());
        string start = r.Class is { } k ? string.Create(CultureInfo.InvariantCulture, $"class {k}") : "each class";
        if (r.Json)
            CliJson.Print(new SampleResult(r.ModelPath, path, r.Npz, r.Count, r.Steps, start, r.Seed, CliJson.Finite(meanProbability), CliJson.Finite(meanOn), seconds),
                CliJsonContext.Default.SampleResult);
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Count} chains x {r.Steps} Gibbs steps given {start} in {seconds:F2} s; mean P(v=1|h) {meanProbability:F4}"));
            Console.WriteLine($"wrote {Display.Escape(path)}{(r.Npz is not null ? $" and {Display.Escape(r.Npz)}" : "")}");
        }
        return 0;
    }

    private sealed record DbnSampleRequest(string ModelPath, DeepBeliefNetwork Network, DataSpaceView View, int Count, int Steps, ulong Seed, string? Output,
        string? Npz, int? Width, int? Height, int? TileScale, int MaxSide, bool Json);

    /// <summary>
    /// Samples of a Deep Belief Network (<see cref="DeepBeliefNetwork.Sample"/>): the data layer's means, drawn as pictures, and a draw
    /// of the data layer's units from them (from a stream derived from the seed); both in the data's space, through the inverse of
    /// the data transform stored with the network, as for a single model.
    /// </summary>
    private static int SampleDbn(DbnSampleRequest request)
    {
        DeepBeliefNetwork network = request.Network;
        DataSpaceView view = request.View;
        ImageShape shape = ImageShape.Resolve(view.Columns, request.Width, request.Height);
        string path = request.Output ?? ImageOptions.BesideModel(request.ModelPath, "samples");
        ImageOptions.EnsureFolder(path, "--output", "samples.png");
        if (request.Npz is not null) ImageOptions.EnsureFolder(request.Npz, "--npz", "samples.npz");
        var grid = new TileGrid(request.Count, shape, (int)Math.Ceiling(Math.Sqrt(request.Count)), scale: request.TileScale ?? 0, maxSide: request.MaxSide);
        ImageOptions.RequireFits(grid.Width, grid.Height + Caption.Height + 8, request.MaxSide, request.TileScale);

        var clock = Stopwatch.StartNew();
        Matrix modelMeans = network.Sample(request.Count, request.Steps, request.Seed, maxDegreeOfParallelism: -1);
        Matrix modelSamples = modelMeans.Clone();
        var random = new RandomStream(request.Seed).Derive(0xDB5A3UL);
        network.Layers[0].SampleVisiblesFromMeans(modelSamples, ref random, maxDegreeOfParallelism: -1);
        double seconds = clock.Elapsed.TotalSeconds;
        Matrix means = view.ToDataSpace(modelMeans), samples = view.ToDataSpace(modelSamples);

        string caption = string.Create(CultureInfo.InvariantCulture, $"DBN samples ({request.Steps} Gibbs steps)");
        SampleGridImage.Render(view.Displayable(means), shape, sampleCaption: caption, scale: grid.Scale).SavePng(path);
        if (request.Npz is not null)
            Npz.Write(request.Npz,
            [
                new("samples", NpyArray.FromMatrix(samples)),
                new("probabilities", NpyArray.FromMatrix(means)),
            ]);
        double meanProbability = Mean(means.AsSpan()), meanOn = Mean(samples.AsSpan());
        if (request.Json)
            CliJson.Print(new SampleResult(request.ModelPath, path, request.Npz, request.Count, request.Steps, "random", request.Seed,
                CliJson.Finite(meanProbability), CliJson.Finite(meanOn), seconds), CliJsonContext.Default.SampleResult);
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{request.Count} samples of a {network.Layers.Count}-layer DBN ({request.Steps} Gibbs steps in the top layer, then down) in {seconds:F2} s; mean P(v=1|h) {meanProbability:F4}"));
            Console.WriteLine($"wrote {Display.Escape(path)}{(request.Npz is not null ? $" and {Display.Escape(request.Npz)}" : "")}");
        }
        return 0;
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += v;
        return values.IsEmpty ? 0 : sum / values.Length;
    }
}
