using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Cli.Terminal;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Persistence;

namespace RbmSimd.Cli.Commands;

/// <summary>
/// <c>rbm info</c> on a Deep Belief Network file: the format version, the layers (kind and shape of each) and the statistics
/// of each layer's W, a and b. Like a single model's, a file whose shapes are readable but that is otherwise invalid
/// (non-finite values, mismatched layers) is still described, then reported as an error (exit code 2).
/// </summary>
internal static class DbnInfo
{
    public static int Print(string path, IReadOnlyDictionary<string, NpyArray> arrays, bool json)
    {
        string? problem = null;
        string? transformKind = null;
        try
        {
            transformKind = DbnFile.FromArraysWithTransform(arrays, path).DataTransform?.ToString();
        }
        catch (InvalidDataException e)
        {
            problem = e.Message;
        }
        List<Layer>? layers = ReadLayers(arrays);
        if (layers is null) return CliErrors.Report(problem ?? $"{path}: the layers cannot be read.");

        long bytes = new FileInfo(path).Length;
        double? version = arrays.TryGetValue(ModelFile.FormatVersionName, out NpyArray? v) && !v.IsText && v.Length == 1 ? v.Values[0] : null;
        long parameters = layers.Sum(l => l.Parameters);
        int visible = layers[0].Visible, hidden = layers[^1].Hidden;
        if (json)
        {
            var layerInfo = layers.Select((l, i) => new DbnLayerInfo(i, l.Kind, l.Visible, l.Hidden, l.Parameters,
                l.Kind == ConvolutionalRbm.KindName
                    ? new ParameterSetStatistics(null, l.Stats[1].Stats.ToJson(), l.Stats[2].Stats.ToJson(), null) { Filters = l.Stats[0].Stats.ToJson() }
                    : new ParameterSetStatistics(l.Stats[0].Stats.ToJson(), l.Stats[1].Stats.ToJson(), l.Stats[2].Stats.ToJson(),
                        l.Stats.Length > 3 ? l.Stats[3].Stats.ToJson() : null))).ToList();
            CliJson.Print(new DbnInfoResult(path, DbnFile.KindName, bytes, version, visible, hidden, parameters, layerInfo, transformKind, problem is null),
                CliJsonContext.Default.DbnInfoResult);
        }
        else
        {
            string N(long x) => x.ToString("N0", CultureInfo.InvariantCulture);
            string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
            Console.WriteLine($"file            {Display.Escape(path)} ({N(bytes)} bytes)");
            Console.WriteLine($"model kind      {DbnFile.KindName} (Deep Belief Network)");
            Console.WriteLine($"format version  {(version is { } ver ? F(ver) : "none")}");
            Console.WriteLine($"layers          {layers.Count}: {string.Join('-', layers.Select(l => l.Visible).Append(hidden))} units, data layer first");
            Console.WriteLine($"data transform  {(transformKind is null ? "none" : Display.Escape(transformKind))}");
            Console.WriteLine($"parameters      {N(parameters)}");
            Console.WriteLine();
            Console.WriteLine($"{"layer",-6}{"kind",-20}{"visible",8} {"hidden",8} {"parameters",12}");
            for (int i = 0; i < layers.Count; i++)
                Console.WriteLine($"{i,-6}{Display.Escape(layers[i].Kind),-20}{layers[i].Visible,8} {layers[i].Hidden,8} {N(layers[i].Parameters),12}");
            Console.WriteLine();
            int labelWidth = Math.Max(16, layers.SelectMany(l => l.Stats).Max(s => s.Label.Length) + 2);
            Console.WriteLine($"{"".PadRight(labelWidth)}{"min",12} {"max",12} {"mean",12} {"std",12} {"non-finite",11}");
            foreach (Layer layer in layers)
                foreach (var (label, s) in layer.Stats)
                    Console.WriteLine($"{label.PadRight(labelWidth)}{F(s.Min),12} {F(s.Max),12} {F(s.Mean),12} {F(s.StdDev),12} {s.NonFinite,11}");
        }
        return problem is null ? 0 : CliErrors.Report(problem);
    }

    private sealed record Layer(string Kind, int Visible, int Hidden, long Parameters, (string Label, ParameterStatistics Stats)[] Stats);

    /// <summary>Each layer's kind, shape and statistics from the raw arrays; null when the layer count or a layer's W, a or b is unreadable.</summary>
    private static List<Layer>? ReadLayers(IReadOnlyDictionary<string, NpyArray> arrays)
    {
        if (!arrays.TryGetValue(DbnFile.LayerCountName, out NpyArray? countArray) || countArray.IsText || countArray.Length != 1) return null;
        float count = countArray.Values[0];
        if (count < 1 || count > DbnFile.MaxLayers || count != MathF.Floor(count)) return null;
        var layers = new List<Layer>();
        for (int l = 0; l < (int)count; l++)
        {
            string prefix = DbnFile.LayerPrefix(l);
            if (arrays.TryGetValue(prefix + ModelFile.KindName, out NpyArray? kindArray) && kindArray.IsText && kindArray.Length == 1
                && kindArray.Texts[0] == ConvolutionalRbm.KindName)
            {
                if (ConvolutionalLayer(arrays, prefix) is not { } layer) return null;
                layers.Add(layer);
                continue;
            }
            if (!arrays.TryGetValue(prefix + ModelFile.WeightsName, out NpyArray? w) || w.IsText || w.Rank != 2 || w.Shape[0] < 1 || w.Shape[1] < 1) return null;
            if (!arrays.TryGetValue(prefix + ModelFile.VisibleBiasName, out NpyArray? a) || a.IsText || a.Rank != 1 || a.Length != w.Shape[0]) return null;
            if (!arrays.TryGetValue(prefix + ModelFile.HiddenBiasName, out NpyArray? b) || b.IsText || b.Rank != 1 || b.Length != w.Shape[1]) return null;
            string kind = arrays.TryGetValue(prefix + ModelFile.KindName, out NpyArray? k) && k.IsText && k.Length == 1 ? k.Texts[0] : "(none)";
            long parameters = arrays.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal) && !kv.Value.IsText
                && kv.Key != prefix + ModelFile.FormatVersionName).Sum(kv => (long)kv.Value.Length);
            int nv = w.Shape[0], nh = w.Shape[1];
            var stats = new List<(string, ParameterStatistics)>
            {
                ($"{prefix}W ({nv}x{nh})", ParameterStatistics.Of(w.Values)),
                ($"{prefix}visible_bias ({nv})", ParameterStatistics.Of(a.Values)),
                ($"{prefix}hidden_bias ({nh})", ParameterStatistics.Of(b.Values)),
            };
            // Gaussian visible units' log-variances, z = log σ².
            if (arrays.TryGetValue(prefix + "log_variance", out NpyArray? z) && !z.IsText && z.Rank == 1 && z.Length == nv)
                stats.Add(($"{prefix}log_variance ({nv})", ParameterStatistics.Of(z.Values)));
            layers.Add(new Layer(kind, nv, nh, parameters, [.. stats]));
        }
        return layers;
    }

    /// <summary>A convolutional layer: its images' units as visible, its pooling units (what it passes up) as hidden; null when unreadable.</summary>
    private static Layer? ConvolutionalLayer(IReadOnlyDictionary<string, NpyArray> arrays, string prefix)
    {
        if (!arrays.TryGetValue(prefix + ConvolutionalRbm.FiltersName, out NpyArray? f) || f.IsText || f.Rank != 4) return null;
        if (!arrays.TryGetValue(prefix + ModelKinds.InputShapeName, out NpyArray? shape) || !shape.IsInteger || shape.Length != 3) return null;
        if (!arrays.TryGetValue(prefix + ModelKinds.PoolSizeName, out NpyArray? pool) || !pool.IsInteger || pool.Length != 1) return null;
        if (!arrays.TryGetValue(prefix + ModelFile.VisibleBiasName, out NpyArray? a) || a.IsText || a.Rank != 1) return null;
        if (!arrays.TryGetValue(prefix + ModelFile.HiddenBiasName, out NpyArray? b) || b.IsText || b.Rank != 1) return null;
        long c = shape.Integers[0], h = shape.Integers[1], w = shape.Integers[2], p = pool.Integers[0];
        int k = f.Shape[0], size = f.Shape[2];
        if (c < 1 || h < size || w < size || p < 1 || c * h * w > ModelKinds.MaxConvolutionalUnits) return null;
        long pooled = k * ((h - size + 1) / p) * ((w - size + 1) / p);
        var stats = new (string, ParameterStatistics)[]
        {
            ($"{prefix}filters ({string.Join("x", f.Shape.ToArray())})", ParameterStatistics.Of(f.Values)),
            ($"{prefix}visible_bias ({a.Length})", ParameterStatistics.Of(a.Values)),
            ($"{prefix}hidden_bias ({b.Length})", ParameterStatistics.Of(b.Values)),
        };
        return new Layer(ConvolutionalRbm.KindName, (int)(c * h * w), (int)pooled, (long)f.Length + a.Length + b.Length, stats);
    }
}
