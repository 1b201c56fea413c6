using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RbmSimd.Cli.Pictures;
using RbmSimd.IO;
using RbmSimd.Persistence;
using RbmSimd.Numerics;

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
        var steps = new Option<int>("--steps", "-k") { Description = "Full Gibbs steps v → h → v per chain.", DefaultValueFactory = _ => 1000 };
        var count = new Option<int>("--count", "-n") { Description = $"Number of chains (samples), 1 to {MaxCount}.", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the random starts and the Gibbs chains.", DefaultValueFactory = _ => 1UL };
        var output = new Option<string?>("--output", "-o") { Description = "PNG to write (default: samples.png beside the model)." };
        var npz = new Option<string?>("--npz")
        {
            Description = "Also write the samples to this .npz: 'samples' (count × nv, binary v of the last step) and 'probabilities' (P(v = 1 | h) of the last step).",
        };
        var width = ImageOptions.Width();
        var height = ImageOptions.Height();
        var json = CommonOptions.Json();
        var command = new Command("sample", "Run independent Gibbs chains of a model and draw the last step's P(v = 1 | h) as a grid of pictures " +
            "(data rows above their chains when started from --data).\n\n" +
            "Examples:\n  rbm sample runs/latest/model.npz\n  rbm sample model.npz --data digits --count 36 --steps 200 --output samples.png\n" +
            "  rbm sample model.npz --count 1000 --npz samples.npz --json")
        {
            model, data, binarize, steps, count, seed, output, npz, width, height, json,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            int chainCount = parse.GetValue(count), stepCount = parse.GetValue(steps);
            // ArgumentOutOfRangeException would add a second line ("Actual value was …"); the message already says it.
            if (chainCount < 1 || chainCount > MaxCount)
                throw new ArgumentException($"--count must be from 1 to {MaxCount} (it is {chainCount}).");
            if (stepCount < 1)
                throw new ArgumentException($"--steps must be at least 1 (it is {stepCount}).");
            ImageOptions.Validate(parse.GetValue(width), parse.GetValue(height));
            string modelPath = parse.GetValue(model)!;
            var rbm = ModelFile.Load(modelPath);
            ulong seedValue = parse.GetValue(seed);

            LoadedData? loaded = parse.GetValue(data) is { } spec ? DataSource.Load(spec, parse.GetValue(binarize), 0, seedValue) : null;
            if (loaded is not null && loaded.Columns != rbm.VisibleCount)
                throw new ArgumentException($"The data has {loaded.Columns} columns but the model has {rbm.VisibleCount} visible units.");
            int? w = parse.GetValue(width), h = parse.GetValue(height);
            if (w is null && h is null && loaded is { ImageWidth: > 0 }) (w, h) = (loaded.ImageWidth, loaded.ImageHeight);
            ImageShape shape = ImageShape.Resolve(rbm.VisibleCount, w, h);
            string path = parse.GetValue(output) ?? ImageOptions.BesideModel(modelPath, "samples.png");
            string? npzPath = parse.GetValue(npz);
            // Check both destinations before the chains run, so that a bad path writes nothing.
            ImageOptions.EnsureFolder(path, "samples.png");
            if (npzPath is not null) ImageOptions.EnsureFolder(npzPath, "samples.npz");

            var clock = Stopwatch.StartNew();
            Matrix starts = loaded is not null ? ChainSampler.DataStarts(loaded.Train, chainCount) : ChainSampler.RandomStarts(chainCount, rbm.VisibleCount, seedValue);
            ChainSamples chains = ChainSampler.Run(rbm, starts, stepCount, seedValue);
            double seconds = clock.Elapsed.TotalSeconds;

            SampleGridImage.Render(chains.Probabilities, shape, loaded is not null ? starts.AsReadOnlyView() : default(ReadOnlyMatrixView),
                sampleCaption: SampleGridImage.SamplesCaption(stepCount), exampleCaption: SampleGridImage.StartsCaption).SavePng(path);
            if (npzPath is not null)
                Npz.Write(npzPath,
                [
                    new("samples", NpyArray.FromMatrix(chains.Samples)),
                    new("probabilities", NpyArray.FromMatrix(chains.Probabilities)),
                ]);

            double meanProbability = Mean(chains.Probabilities.AsSpan()), meanOn = Mean(chains.Samples.AsSpan());
            string start = loaded is not null ? "data" : "random";
            if (parse.GetValue(json))
            {
                var result = new JsonObject
                {
                    ["output"] = path,
                    ["npz"] = npzPath,
                    ["count"] = starts.Rows,
                    ["steps"] = stepCount,
                    ["start"] = start,
                    ["seed"] = seedValue,
                    ["mean_probability"] = meanProbability,
                    ["mean_sample"] = meanOn,
                    ["seconds"] = seconds,
                };
                Console.WriteLine(result.ToJsonString());
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{starts.Rows} chains x {stepCount} Gibbs steps from {start} starts in {seconds:F2} s; mean P(v=1|h) {meanProbability:F4}"));
                Console.WriteLine($"wrote {path}{(npzPath is not null ? $" and {npzPath}" : "")}");
            }
            return 0;
        }));
        return command;
    }

    private static double Mean(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += v;
        return values.IsEmpty ? 0 : sum / values.Length;
    }
}
