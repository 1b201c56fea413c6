using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Cli.Terminal;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Cli.Commands;

/// <summary>
/// <c>rbm transform MODEL --data … --output FILE.npy</c>: the hidden probabilities of every data row (scikit-learn's
/// <c>transform</c>), for a single model of any kind or a Deep Belief Network, written as a float32 .npy file.
/// </summary>
internal static class TransformCommand
{
    /// <summary>Rows per chunk by default: 4,096 rows of 784 values and 500 features take 21 MB.</summary>
    public const int DefaultChunkRows = 4096;

    public static Command Create()
    {
        var model = CommonOptions.Model();
        model.Description = "Model file (rbm train's model.npz, any model kind) or Deep Belief Network file (rbm stack's dbn.npz).";
        var data = new Option<string>("--data") { Description = "The rows to transform (required). " + DataSource.Help };
        var binarize = CommonOptions.Binarize();
        var csv = new CommonOptions.Csv();
        var output = new Option<string>("--output", "-o")
        {
            Description = "The .npy file to write (required; replaced if it exists): float32, rows × hidden units (of the top layer for a DBN), " +
                "one row per data row in the data's order; numpy.load reads it.",
        };
        var part = CommonOptions.Part();
        var chunk = CliOption.Int("--chunk-rows",
            "Rows read, transformed and written at a time: memory grows with it, not with the data set. The features are the same bits for any value.",
            DefaultChunkRows, 1, 1_000_000);
        var threads = CliOption.Int("--threads", "Threads (−1: all cores); the features are the same bits for any value.", -1, -1, int.MaxValue,
            "-1 (all cores) or a whole number of at least 1", valid: t => t == -1 || t >= 1);
        var json = CommonOptions.Json();
        var command = new Command("transform", "Write the hidden probabilities P(h = 1 | v) of every data row to a .npy file (scikit-learn's transform).\n\n" +
            "For a single model of any kind: P(h = 1 | v) of its hidden units; for a convolutional model, each pooling unit's P(on | v) (the sum " +
            "of its block's probabilities), map by map. For a Deep Belief Network (rbm stack's dbn.npz): the up pass " +
            "with mean-field activations, P(h = 1 | ·) (pooled for convolutional layers) of each layer fed to the next, so the features are the top layer's. A data transform " +
            "stored with the model (standardisation, whitening) is applied to the rows first. The features are float32, rows × hidden, " +
            "for any classifier: numpy.load('features.npy'). Rows are processed --chunk-rows at a time on all cores. Every row of --data is " +
            "transformed; of a data set with its own test rows, the training rows, or with --part test the test rows.\n\n" +
            "Examples:\n" +
            "  rbm transform runs/latest/model.npz --data digits --output features.npy\n" +
            "  rbm transform runs/dbn/dbn.npz --data data/optdigits-8x8.csv.gz --scale 16 --label-column last --output dbn-features.npy --json\n" +
            "  rbm transform runs/dbn-patches/dbn.npz --data patches --part test --output patches-test-features.npy\n" +
            "  rbm transform runs/conv/model.npz --data digits --output conv-features.npy")
        {
            model, data, binarize, part, output, chunk, threads, json,
        };
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string modelPath = InputFile.RequireModel(parse.GetValue(model)!);
            string spec = parse.GetValue(data) ?? throw new UsageException("rbm transform needs --data: the rows to transform (see 'rbm transform --help').");
            string outputPath = parse.GetValue(output) ?? throw new UsageException("rbm transform needs --output FILE.npy: where to write the features (see 'rbm transform --help').");
            ModelInput input = ModelInput.Load(modelPath);
            // Real values for Gaussian visible units, as rbm train --visible gaussian reads them; values in [0, 1] otherwise.
            bool realValued = input.Network.Layers[0].VisibleUnits == VisibleUnitKind.Gaussian;
            LoadedData loaded = DataSource.LoadAll(new DataRequest(spec, parse.GetValue(binarize), csv.Read(parse)) { RealValued = realValued });
            IRowSource rows = CommonOptions.SelectPart(loaded, parse.GetValue(part), spec);
            RefuseOverwritingInputs(outputPath, modelPath, loaded);
            ImageOptions.EnsureFolder(outputPath, "--output", "features.npy");
            var clock = Stopwatch.StartNew();
            Write(input, rows, spec, outputPath, parse.GetValue(chunk), parse.GetValue(threads));
            double seconds = clock.Elapsed.TotalSeconds;

            int rowCount = rows.RowCount, features = input.Network.TopCount;
            if (parse.GetValue(json))
            {
                CliJson.Print(new TransformResult(modelPath, input.Kind, spec, outputPath, rowCount, input.Network.VisibleCount, features,
                    input.Network.Layers.Count, input.DataTransform?.ToString(), seconds, loaded.Notes), CliJsonContext.Default.TransformResult);
                return 0;
            }
            foreach (string note in loaded.Notes) Console.WriteLine($"note: {note}");
            string what = input.IsDbn
                ? $"the top layer of a {input.Network.Layers.Count}-layer DBN {input.Shape}"
                : $"a {input.Kind} {input.Network.VisibleCount}x{features} model";
            string transform = input.DataTransform is { } t ? $", after its stored data transform {t}" : "";
            string quantity = input.Network.Layers[^1] is IPooledRbm ? "pooled P(on|v)" : "P(h=1|v)";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {Display.Escape(outputPath)}: {rowCount} rows x {features} {quantity} of {what}{transform}, float32, in {seconds:F2} s"));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Writes the features of every row of <paramref name="rows"/> to <paramref name="path"/>, <paramref name="chunkRows"/> rows at a
    /// time: the stored data transform, then the network's up pass. Memory: a chunk of input rows, of each layer's activations and
    /// of features; the output file is replaced only once complete.
    /// </summary>
    /// <exception cref="UsageException">The data does not fit the model: its width, or a value the first layer's visible units cannot take.</exception>
    internal static void Write(ModelInput model, IRowSource rows, string dataName, string path, int chunkRows, int threads)
    {
        IRbm first = model.Network.Layers[0];
        string name = Display.Quote(dataName);
        if (rows.ColumnCount != model.InputCount)
            throw new UsageException(model.DataTransform is { } dt
                ? $"--data {name} has {rows.ColumnCount} columns but the data transform stored with the model takes {dt.InputCount} values."
                : $"--data {name} has {rows.ColumnCount} columns but the model has {first.VisibleCount} visible units.");
        int total = rows.RowCount, chunk = Math.Max(1, Math.Min(chunkRows, total));
        var raw = new Matrix(chunk, rows.ColumnCount);
        Matrix visible = model.DataTransform is null ? raw : new Matrix(chunk, first.VisibleCount);
        var features = new Matrix(chunk, model.Network.TopCount);
        NpyRowWriter.WriteFile(path, total, model.Network.TopCount, writer =>
        {
            for (int start = 0; start < total; start += chunk)
            {
                int n = Math.Min(chunk, total - start);
                for (int r = 0; r < n; r++) rows.CopyRow(start + r, raw.Row(r));
                if (model.DataTransform is { } transform)
                {
                    try
                    {
                        transform.Forward(raw.AsReadOnlyView().SliceRows(0, n), visible.AsView().SliceRows(0, n));
                    }
                    catch (ArgumentException e)
                    {
                        throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                            $"--data {name}: the data transform stored with the model failed on rows {start + 1} to {start + n}: {CliErrors.UserMessage(e)}"));
                    }
                }
                RequireValid(first, visible.AsReadOnlyView().SliceRows(0, n), start, name, model.DataTransform is not null);
                model.Network.Transform(visible.AsReadOnlyView().SliceRows(0, n), features.AsView().SliceRows(0, n), threads);
                writer.Write(features.AsReadOnlyView().SliceRows(0, n));
            }
        });
    }

    /// <summary>Refuses a value the first layer's visible units cannot take (outside [0, 1] for Bernoulli units, not finite for Gaussian ones).</summary>
    private static void RequireValid(IRbm first, ReadOnlyMatrixView visible, int start, string name, bool transformed)
    {
        for (int r = 0; r < visible.Rows; r++)
        {
            ReadOnlySpan<float> row = visible.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                if (first.IsValidVisibleValue(row[c])) continue;
                string range = first.VisibleUnits == VisibleUnitKind.Bernoulli ? "Bernoulli visible units need values in [0, 1]" : "Gaussian visible units need finite values";
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--data {name}: row {start + r + 1}, column {c + 1} is {row[c]}{(transformed ? " after the stored data transform" : "")}; {range}."));
            }
        }
    }

    /// <summary>Refuses an --output that names the model file or the data file: the features would replace them.</summary>
    private static void RefuseOverwritingInputs(string output, string modelPath, LoadedData data)
    {
        string target = RealPath(output);
        if (target == RealPath(modelPath))
            throw new UsageException($"--output {Display.Quote(output)} is the model file; give another name, such as features.npy.");
        if (Path.IsPathRooted(data.Source) && target == RealPath(data.Source))
            throw new UsageException($"--output {Display.Quote(output)} is the data file; give another name, such as features.npy.");
    }

    /// <summary>The absolute path with every symbolic link on it followed (runs/latest/model.npz names the run's own file).</summary>
    internal static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is null) return full;
        string candidate = Path.Combine(RealPath(folder), Path.GetFileName(full));
        try
        {
            FileSystemInfo? target = File.Exists(candidate) ? new FileInfo(candidate).ResolveLinkTarget(returnFinalTarget: true)
                : Directory.Exists(candidate) ? new DirectoryInfo(candidate).ResolveLinkTarget(returnFinalTarget: true) : null;
            return target?.FullName ?? candidate;
        }
        catch (IOException)
        {
            return candidate;
        }
    }
}
