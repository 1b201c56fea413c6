using RbmSimd.IO;
using ScottPlot;
using SkiaSharp;

namespace RbmSimd.Cli.Pictures;

/// <summary>
/// <c>curves.png</c>: learning curves from <c>metrics.csv</c>, as stacked plots sharing the epoch axis: the
/// reconstruction error; the mean free energy of training and held-out data with the gap between them shaded
/// (a widening gap means over-fitting) and of random inputs (the article's monitor: the data should fall well below it);
/// and, when log Z was computed (exactly, or estimated by AIS), the log-likelihood.
/// </summary>
public static class CurvesImage
{
    /// <summary>Width of the picture in pixels.</summary>
    public const int Width = 900;

    /// <summary>Height of each stacked plot in pixels.</summary>
    public const int PlotHeight = 320;

    /// <summary>The plots for <paramref name="rows"/>: two, or three when any exact log-likelihood is present.</summary>
    public static IReadOnlyList<Plot> CreatePlots(IReadOnlyList<MetricsRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var plots = new List<Plot>();

        Plot recon = NewPlot("Reconstruction error", "mean squared error");
        AddLine(recon, rows, r => r.ReconstructionError, "training data", TrainColor);
        plots.Add(recon);

        Plot free = NewPlot("Mean free energy F(v) (shaded: held-out − train gap)", "free energy");
        bool hasHeldOut = rows.Any(r => r.FreeEnergyHeldOut is not null);
        if (hasHeldOut)
        {
            MetricsRow[] both = rows.Where(r => r.FreeEnergyTrain is not null && r.FreeEnergyHeldOut is not null).ToArray();
            if (both.Length > 1)
            {
                var fill = free.Add.FillY(both.Select(r => r.Epoch).ToArray(), both.Select(r => r.FreeEnergyTrain!.Value).ToArray(),
                    both.Select(r => r.FreeEnergyHeldOut!.Value).ToArray());
                fill.FillStyle.Color = HeldOutColor.WithAlpha(0.3);
                fill.LineStyle.Width = 0;
                fill.LegendText = "gap";
            }
        }
        AddLine(free, rows, r => r.FreeEnergyTrain, "training data", TrainColor);
        AddLine(free, rows, r => r.FreeEnergyHeldOut, "held-out data", HeldOutColor);
        AddLine(free, rows, r => r.FreeEnergyRandom, "random inputs", RandomColor);
        plots.Add(free);

        if (rows.Any(r => r.LogLikelihoodTrain is not null || r.LogLikelihoodHeldOut is not null))
        {
            Plot ll = NewPlot(rows.Any(r => r.LogZEstimated)
                ? "Mean log-likelihood with an AIS estimate of log Z (higher is better; estimates)"
                : "Exact mean log-likelihood (higher is better)", "log p(v) (nats)");
            AddLine(ll, rows, r => r.LogLikelihoodTrain, "training data", TrainColor);
            AddLine(ll, rows, r => r.LogLikelihoodHeldOut, "held-out data", HeldOutColor);
            plots.Add(ll);
        }
        Plot? prediction = null;
        if (rows.Any(r => r.PredictionError is not null))
        {
            prediction = NewPlot("One-step prediction error of the held-out frames (lower is better)", "squared error per frame");
            AddLine(prediction, rows, r => r.PredictionError, "held-out data", HeldOutColor);
            plots.Add(prediction);
        }
        if (rows.Count == 0) plots[0].Title("Reconstruction error (no epochs recorded yet)");
        ShareEpochAxis(plots, rows);
        // ScottPlot's automatic range around a single value (one epoch) or a flat line spans about ±1 whatever the value,
        // which put a reconstruction error of 0.25 on an axis from −0.7 to 1.2: fit those ranges to the values instead.
        FitValueAxis(recon, rows.Select(r => r.ReconstructionError), nonNegative: true);
        FitValueAxis(free, rows.SelectMany(r => new[] { r.FreeEnergyTrain, r.FreeEnergyHeldOut, r.FreeEnergyRandom }), nonNegative: false);
        if (plots.Count > 2 && plots[2] != prediction) FitValueAxis(plots[2], rows.SelectMany(r => new[] { r.LogLikelihoodTrain, r.LogLikelihoodHeldOut }), nonNegative: false);
        if (prediction is not null) FitValueAxis(prediction, rows.Select(r => r.PredictionError), nonNegative: true);
        foreach (Plot plot in plots)
        {
            // Below the axes, so that it never hides a curve and every stacked plot keeps the same data width.
            if (plot.GetPlottables().Count() > 1) plot.ShowLegend(Edge.Bottom);
            else plot.HideLegend();
        }
        return plots;
    }

    /// <summary>Renders <see cref="CreatePlots"/> stacked into one PNG written to <paramref name="destination"/>.</summary>
    public static void EncodePng(IReadOnlyList<MetricsRow> rows, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        IReadOnlyList<Plot> plots = CreatePlots(rows);
        var info = new SKImageInfo(Width, PlotHeight * plots.Count, SKColorType.Rgba8888, SKAlphaType.Premul);
        using SKSurface surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
        surface.Canvas.Clear(SKColors.White);
        // Each plot clears the canvas it renders on, so it gets a surface of its own that is then copied into place.
        for (int i = 0; i < plots.Count; i++)
        {
            using SKSurface part = SKSurface.Create(new SKImageInfo(Width, PlotHeight, SKColorType.Rgba8888, SKAlphaType.Premul))
                ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
            plots[i].Render(part);
            using SKImage partImage = part.Snapshot();
            surface.Canvas.DrawImage(partImage, 0, i * PlotHeight);
        }
        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp could not encode the curves as PNG.");
        data.SaveTo(destination);
    }

    /// <summary>Reads <paramref name="metricsCsvPath"/> and writes the curves to <paramref name="path"/> atomically.</summary>
    /// <exception cref="FileNotFoundException">The metrics file does not exist.</exception>
    /// <exception cref="InvalidDataException">The metrics file is malformed.</exception>
    public static void Write(string metricsCsvPath, string path)
    {
        IReadOnlyList<MetricsRow> rows = MetricsTable.Load(metricsCsvPath);
        AtomicFile.Write(path, stream => EncodePng(rows, stream));
    }

    // Training data blue, held-out orange in every plot (matplotlib's first two colours, familiar to most readers).
    private static readonly Color TrainColor = Color.FromHex("#1f77b4");
    private static readonly Color HeldOutColor = Color.FromHex("#ff7f0e");
    private static readonly Color RandomColor = Color.FromHex("#7f7f7f");

    /// <summary>
    /// Gives every plot the same epoch range (a metric measured only on some epochs still lines up with the others)
    /// and ticks at whole epochs, 1, 2, 5, 10, 20, … apart, so that no tick reads "epoch 2.5".
    /// </summary>
    private static void ShareEpochAxis(IReadOnlyList<Plot> plots, IReadOnlyList<MetricsRow> rows)
    {
        if (rows.Count == 0) return;
        double first = rows.Min(r => r.Epoch), last = rows.Max(r => r.Epoch);
        double pad = Math.Max(0.5, (last - first) * 0.02);
        double step = 1;
        for (int i = 0; (last - first) / step > 12; i++) step *= i % 3 == 1 ? 2.5 : 2;   // 1, 2, 5, 10, 20, 50, …
        foreach (Plot plot in plots)
        {
            plot.Axes.AutoScale();
            plot.Axes.SetLimitsX(first - pad, last + pad);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(step);
        }
    }

    /// <summary>
    /// Sets the value axis of <paramref name="plot"/> to its values' range with a 5 % margin: a span of at least 10 % of the
    /// value (0.1 around 0) when the values are all equal, and never below 0 for a quantity that cannot be negative.
    /// </summary>
    private static void FitValueAxis(Plot plot, IEnumerable<double?> values, bool nonNegative)
    {
        double[] present = values.OfType<double>().ToArray();
        if (present.Length == 0) return;
        double min = present.Min(), max = present.Max();
        double pad = max > min ? (max - min) * 0.05 : Math.Max(Math.Abs(max) * 0.1, 0.1);
        double bottom = min - pad, top = max + pad;
        if (nonNegative && min >= 0) bottom = Math.Max(0, bottom);
        plot.Axes.SetLimitsY(bottom, top);
    }

    private static Plot NewPlot(string title, string yLabel)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        return plot;
    }

    private static void AddLine(Plot plot, IReadOnlyList<MetricsRow> rows, Func<MetricsRow, double?> value, string label, Color color)
    {
        MetricsRow[] present = rows.Where(r => value(r) is not null).ToArray();
        if (present.Length == 0) return;
        var line = plot.Add.Scatter(present.Select(r => r.Epoch).ToArray(), present.Select(r => value(r)!.Value).ToArray());
        line.LegendText = label;
        line.Color = color;
        line.LineWidth = 2;
        line.MarkerSize = present.Length > 60 ? 0 : 5;
    }
}
