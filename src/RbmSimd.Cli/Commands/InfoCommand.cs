using System.CommandLine;
using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Cli.Terminal;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Persistence;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm info MODEL</c>: shapes and parameter statistics of a model file.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var json = CommonOptions.Json();
        var command = new Command("info", "Print a model file's format version, shapes and parameter statistics.\n\n" +
            "For a Deep Belief Network file (rbm stack's dbn.npz): its layers (kind, visible and hidden units, parameters) and the " +
            "statistics of each layer's W, a and b.\n\n" +
            "For a convolutional model also its images, filters and pooling. " +
            "For the weights W (a convolutional model's filters) and the biases a (visible) and b (hidden): the min, max, mean, standard deviation and " +
            "count of non-finite values (NaN, ±∞; should be 0) of the weights W and the biases a (visible) and b (hidden). " +
            "A file whose parameters are not finite is still described, then reported as an error (exit code 2).\n\n" +
            "Examples:\n  rbm info runs/latest/model.npz\n  rbm info runs/latest/model.npz --json\n  rbm info runs/dbn/dbn.npz\n  rbm info runs/conv/model.npz")
        {
            model, json,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string path = InputFile.RequireModel(parse.GetValue(model)!);
            using NpzArchive archive = Npz.Open(path);
            var arrays = new NpzArrays(archive);
            if (DbnFile.IsDbn(arrays)) return DbnInfo.Print(path, arrays, parse.GetValue(json));
            string? problem = null;
            string? transform = null;
            try
            {
                IRbm valid = ModelFile.FromArrays(arrays, path);
                transform = ModelFile.ReadTransform(arrays, valid, path)?.ToString();
            }
            catch (InvalidDataException e) when (HasParameterShapes(arrays))
            {
                // Shapes are fine, so the statistics can still be shown; the problem (non-finite values,
                // unknown version) is reported after them.
                problem = e.Message;
            }
            string kind = ModelFile.ReadKind(arrays, path);
            IRbm shape = ModelKinds.CreateEmpty(kind, arrays, path);
            int nv = shape.VisibleCount - shape.ContextCount, nh = shape.HiddenCount;
            var conditional = shape as ConditionalRbm;
            double? version = arrays.TryGetValue(ModelFile.FormatVersionName, out NpyArray? v) && v.Length == 1 && !v.IsText ? v.Values[0] : null;
            var stats = new List<(string Name, string Label, ParameterStatistics Stats)>();
            foreach (Parameter p in shape.Parameters)
            {
                if (!arrays.TryGetValue(p.Name, out NpyArray? array) || array.IsText) throw ModelFileProblem(path, $"array '{p.Name}' is missing");
                string dims = string.Join("x", p.Shape.ToArray());
                stats.Add((p.Name, $"{Symbol(p.Name)} ({dims})", ParameterStatistics.Of(array.Values)));
            }
            ParameterStatisticsJson? Json(string name)
            {
                foreach (var (n, _, st) in stats)
                    if (n == name) return st.ToJson();
                return null;
            }
            var conv = shape as ConvolutionalRbm;
            long bytes = new FileInfo(path).Length;
            long count = shape.Parameters.Sum(p => (long)p.Length);
            if (parse.GetValue(json))
            {
                var statistics = new ParameterSetStatistics(Json("W"), Json("visible_bias")!, Json("hidden_bias")!, Json("log_variance"))
                {
                    Filters = Json(ConvolutionalRbm.FiltersName),
                    ContextVisible = conditional is null ? null : Json(ConditionalRbm.ContextVisibleName),
                    ContextHidden = conditional is null ? null : Json(ConditionalRbm.ContextHiddenName),
                };
                CliJson.Print(new InfoResult(path, kind, bytes, version, nv, nh, count, statistics, transform, problem is null)
                {
                    Context = conditional?.ContextCount, History = conditional?.HistoryLength,
                    VisibleUnits = conditional is null ? null : conditional.VisibleUnits == VisibleUnitKind.Gaussian ? "gaussian" : "bernoulli",
                    InputShape = conv is null ? null : [conv.Shape.Channels, conv.Shape.Height, conv.Shape.Width],
                    FilterShape = conv is null ? null : [conv.Shape.Filters, conv.Shape.Channels, conv.Shape.FilterSize, conv.Shape.FilterSize],
                    PoolSize = conv?.PoolSize,
                    Pooled = conv?.PooledCount,
                }, CliJsonContext.Default.InfoResult);
            }
            else
            {
                string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
                Console.WriteLine($"file            {Display.Escape(path)} ({bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
                Console.WriteLine($"model kind      {Display.Escape(kind)}");
                Console.WriteLine($"format version  {(version is { } ver ? F(ver) : "none (read as 1)")}");
                Console.WriteLine($"visible units   {nv}{(conditional is null ? "" : $" ({(conditional.VisibleUnits == VisibleUnitKind.Gaussian ? "Gaussian" : "Bernoulli")})")}");
                if (conditional is not null)
                    Console.WriteLine($"context         {conditional.ContextCount} values: " + (conditional.HistoryLength > 0
                        ? $"the previous {conditional.HistoryLength} frames, most recent first"
                        : "a given vector (for instance a one-hot class)"));
                Console.WriteLine($"hidden units    {nh}");
                if (conv is not null)
                {
                    Console.WriteLine($"images          {conv.Shape.Channels}x{conv.Shape.Height}x{conv.Shape.Width} ({(conv.VisibleUnits == VisibleUnitKind.Gaussian ? "Gaussian" : "Bernoulli")} units)");
                    Console.WriteLine($"filters         {conv.Shape.Filters} of {conv.Shape.FilterSize}x{conv.Shape.FilterSize}: maps {conv.Shape.Filters}x{conv.Shape.OutputHeight}x{conv.Shape.OutputWidth}");
                    Console.WriteLine($"pooling         {(conv.PoolSize == 1 ? "none" : $"{conv.PoolSize}x{conv.PoolSize} blocks")}: {conv.PooledCount} pooling units (the features)");
                }
                Console.WriteLine($"parameters      {count.ToString("N0", CultureInfo.InvariantCulture)}");
                if (transform is not null) Console.WriteLine($"data transform  {Display.Escape(transform)}");
                Console.WriteLine($"{"",-16}{"min",12} {"max",12} {"mean",12} {"std",12} {"non-finite",11}");
                foreach (var (_, label, s) in stats)
                    Console.WriteLine($"{label,-16}{F(s.Min),12} {F(s.Max),12} {F(s.Mean),12} {F(s.StdDev),12} {s.NonFinite,11}");
            }
            if (problem is not null)
            {
                return CliErrors.Report(problem);
            }
            return 0;
        }));
        return command;
    }

    private static string Symbol(string name) => name switch
    {
        "visible_bias" => "a",
        "hidden_bias" => "b",
        "log_variance" => "z=log σ²",
        ConditionalRbm.ContextVisibleName => "A",
        ConditionalRbm.ContextHiddenName => "Bᵀ",
        _ => name,
    };

    private static InvalidDataException ModelFileProblem(string path, string problem) => new($"{path}: {problem}.");

    private static bool HasParameterShapes(IReadOnlyDictionary<string, NpyArray> arrays) =>
        arrays.TryGetValue(ConvolutionalRbm.FiltersName, out NpyArray? f) && f.Rank == 4 && !f.IsText
        && arrays.TryGetValue(ModelFile.VisibleBiasName, out NpyArray? ca) && ca.Rank == 1 && ca.Length == f.Shape[1]
        && arrays.TryGetValue(ModelFile.HiddenBiasName, out NpyArray? cb) && cb.Rank == 1 && cb.Length == f.Shape[0]
        || arrays.TryGetValue(ModelFile.WeightsName, out NpyArray? w) && w.Rank == 2 && w.Shape[0] > 0 && w.Shape[1] > 0
        && arrays.TryGetValue(ModelFile.VisibleBiasName, out NpyArray? a) && a.Rank == 1 && a.Length == w.Shape[0]
        && arrays.TryGetValue(ModelFile.HiddenBiasName, out NpyArray? b) && b.Rank == 1 && b.Length == w.Shape[1];
}

/// <summary>Summary statistics of a parameter array; min, max, mean and standard deviation are over its finite values.</summary>
internal readonly record struct ParameterStatistics(int Count, double Min, double Max, double Mean, double StdDev, int NonFinite)
{
    public static ParameterStatistics Of(ReadOnlySpan<float> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        int finite = 0;
        foreach (float x in values)
        {
            if (!float.IsFinite(x)) continue;
            finite++;
            sum += x;
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }
        if (finite == 0) return new ParameterStatistics(values.Length, double.NaN, double.NaN, double.NaN, double.NaN, values.Length);
        double mean = sum / finite, squares = 0;
        foreach (float x in values)
            if (float.IsFinite(x)) squares += (x - mean) * (x - mean);
        return new ParameterStatistics(values.Length, min, max, mean, Math.Sqrt(squares / finite), values.Length - finite);
    }

    public ParameterStatisticsJson ToJson() =>
        new(Count, CliJson.Finite(Min), CliJson.Finite(Max), CliJson.Finite(Mean), CliJson.Finite(StdDev), NonFinite);
}
