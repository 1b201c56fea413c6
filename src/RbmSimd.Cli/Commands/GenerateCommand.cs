using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Cli.Pictures;
using RbmSimd.Cli.Terminal;
using RbmSimd.Cli.Training;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm generate MODEL --history-from …</c>: rolls a conditional model's sequences forward from given histories.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var historyFrom = new Option<string>("--history-from")
        {
            Description = "Where the histories come from: bouncing-balls, bouncing-balls-grey or motion (their held-out sequences, which training never saw) " +
                "or a time series file (.npy, .npz, CSV, as --data of rbm train --model conditional). Each sequence's first --history frames (the model's) start it.",
            Required = true,
        };
        var frames = CliOption.Int("--frames", "Frames to generate after each history.", 50, 1, 100_000);
        var sequences = CliOption.Int("--sequences", "Sequences to continue: the first ones of --history-from.", 4, 1, 1000);
        var steps = CliOption.Int("--steps", "Gibbs steps per frame, with the context clamped.", new PredictionOptions().GibbsSteps, 1, 10_000, aliases: "-k");
        var mode = CliOption.Choice("--mode",
            "sampled (the default: hidden states are drawn, as Taylor generates) or mean-field (means passed between steps: deterministic and smooth). " +
            "Each frame is the visible mean of its last step either way.", ["sampled", "mean-field"]);
        var seed = CliOption.Seed("Seed of the sampled steps.");
        var output = new Option<string?>("--output", "-o")
        {
            Description = "PNG to write: rows of true and generated frames (image frames), or the channels plotted (other frames). " +
                "Default: MODEL-generated.png beside the model.",
        };
        var npy = new Option<string?>("--npy")
        {
            Description = "Also write the generated frames to this .npy (float32, sequences × frames × values, or × height × width for image frames), in the data's space.",
        };
        var csv = new CommonOptions.Csv();
        var json = CommonOptions.Json();
        var command = new Command("generate", "Generate sequences with a conditional model: from each history, predict the next frame and feed it back.\n\n" +
            "Each frame is the visible mean after --steps Gibbs steps with the context (the previous frames) clamped, starting from the last frame; " +
            "it then becomes the newest frame of the next context. Where the source has the true continuation, the picture shows it above the " +
            "generated frames and the mean squared error per frame of the generated frames against it is printed.\n\n" +
            "Examples:\n  rbm generate runs/balls/model.npz --history-from bouncing-balls --frames 20 --output generated.png\n" +
            "  rbm generate runs/motion/model.npz --history-from motion --frames 60 --sequences 2 --output motion-generated.png --npy motion-frames.npy --json")
        {
            model, historyFrom, frames, sequences, steps, mode, seed, output, npy, json,
        };
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string path = InputFile.RequireModel(parse.GetValue(model)!);
            (IRbm loaded, Transform? transform) = ModelFile.LoadWithTransform(path);
            if (loaded is not ConditionalRbm crbm)
                throw new UsageException($"{Display.Quote(path)} holds a {loaded.Kind} model; rbm generate rolls sequences forward with a conditional model (rbm train --model conditional).");
            if (crbm.HistoryLength < 1)
                throw new UsageException($"{Display.Quote(path)} is conditioned on a label, not on previous frames: draw its examples with rbm sample --class N.");
            int n = crbm.HistoryLength, count = parse.GetValue(frames);
            string spec = parse.GetValue(historyFrom)!;
            var (trainSet, heldSet, _, channels, notes) = ConditionalDataSource.LoadSequences(spec, 0, csv.Read(parse), crbm.VisibleUnits == VisibleUnitKind.Gaussian, heldOutOnly: true);
            SequenceSet set = heldSet ?? trainSet;
            int width = transform?.InputCount ?? crbm.FrameCount;
            if (set.FrameWidth != width)
                throw new UsageException($"--history-from {Display.Quote(spec)} has frames of {set.FrameWidth} values but the model's are {width}.");
            var usable = Enumerable.Range(0, set.Count).Where(s => set.Length(s) >= n).Take(parse.GetValue(sequences)).ToList();
            if (usable.Count == 0)
                throw new UsageException($"--history-from {Display.Quote(spec)}: no sequence has the {n} frames of history the model needs.");
            string picture = parse.GetValue(output) ?? ImageOptions.BesideModel(path, "generated");
            string? npyPath = parse.GetValue(npy);
            ImageOptions.EnsureFolder(picture, "--output", "generated.png");
            if (npyPath is not null) ImageOptions.EnsureFolder(npyPath, "--npy", "frames.npy");

            var histories = new List<Matrix>();
            var truths = new List<Matrix?>();
            var contexts = new Matrix(usable.Count, crbm.ContextCount);
            for (int i = 0; i < usable.Count; i++)
            {
                Matrix all = set.Sequence(usable[i]);
                histories.Add(Rows(all, 0, n));
                truths.Add(all.Rows > n ? Rows(all, n, Math.Min(count, all.Rows - n)) : null);
                Matrix modelHistory = transform is null ? histories[i] : Map(transform, histories[i], forward: true);
                ConditionalPrediction.ContextFromHistory(crbm, modelHistory, contexts.Row(i));
            }
            var options = new PredictionOptions { GibbsSteps = parse.GetValue(steps), Sampled = parse.GetValue(mode) != "mean-field" };
            ulong seedValue = parse.GetValue(seed);
            var clock = Stopwatch.StartNew();
            Matrix generatedRows = ConditionalPrediction.Generate(crbm, contexts, count, options, seedValue, maxDegreeOfParallelism: -1);
            double seconds = clock.Elapsed.TotalSeconds;
            var generated = new List<Matrix>();
            for (int i = 0; i < usable.Count; i++)
            {
                Matrix modelFrames = Rows(generatedRows, i * count, count);
                generated.Add(transform is null ? modelFrames : Map(transform, modelFrames, forward: false));
            }

            double squared = 0;
            int compared = 0;
            for (int i = 0; i < usable.Count; i++)
                if (truths[i] is { } t)
                    for (int f = 0; f < t.Rows; f++, compared++)
                        for (int c = 0; c < t.Cols; c++) squared += Math.Pow(t[f, c] - (double)generated[i][f, c], 2);
            double? error = compared > 0 ? squared / compared : null;

            bool images = set.ImageWidth > 0;
            if (images) GeneratedImage.RenderFrames(truths, generated, new ImageShape(set.ImageWidth, set.ImageHeight)).SavePng(picture);
            else GeneratedImage.WriteChannels(histories[0], truths[0], generated[0], channels, picture);
            if (npyPath is not null)
            {
                int[] shape = images ? [usable.Count, count, set.ImageHeight, set.ImageWidth] : [usable.Count, count, width];
                var values = new float[usable.Count * count * width];
                for (int i = 0; i < usable.Count; i++) generated[i].AsSpan().CopyTo(values.AsSpan(i * count * width));
                Npy.Write(npyPath, new NpyArray(shape, values));
            }
            if (parse.GetValue(json))
            {
                CliJson.Print(new GenerateResult(path, crbm.Kind, spec, usable.Count, count, n, options.GibbsSteps, options.Sampled ? "sampled" : "mean-field", seedValue,
                    picture, npyPath, CliJson.Finite(error), compared, seconds), CliJsonContext.Default.GenerateResult);
                return 0;
            }
            foreach (string note in notes) Console.WriteLine($"note: {note}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{usable.Count} sequences x {count} frames from {n} frames of history each ({options.GibbsSteps} {(options.Sampled ? "sampled" : "mean-field")} Gibbs steps a frame) in {seconds:F2} s"));
            if (error is { } e)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"squared error per frame against the true continuation: {e:F4} (over {compared} frames; errors grow as a generated sequence drifts from the true one)"));
            Console.WriteLine($"wrote {Display.Escape(picture)}{(npyPath is not null ? $" and {Display.Escape(npyPath)}" : "")}");
            return 0;
        }));
        return command;
    }

    private static Matrix Rows(Matrix m, int start, int count)
    {
        var rows = new Matrix(count, m.Cols);
        for (int r = 0; r < count; r++) m.Row(start + r).CopyTo(rows.Row(r));
        return rows;
    }

    private static Matrix Map(Transform transform, Matrix rows, bool forward)
    {
        var mapped = new Matrix(rows.Rows, forward ? transform.OutputCount : transform.InputCount);
        if (forward) transform.Forward(rows, mapped);
        else transform.Inverse(rows, mapped);
        return mapped;
    }
}
