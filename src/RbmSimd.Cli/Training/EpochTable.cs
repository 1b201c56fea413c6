using System.Globalization;
using RbmSimd.Training;

namespace RbmSimd.Cli.Training;

/// <summary>
/// The per-epoch lines of <c>rbm train</c>: a table whose columns are explained once in a legend and fitted to the
/// terminal's width (the least important columns are left out on a narrow terminal; metrics.csv has them all).
/// </summary>
internal sealed class EpochTable
{
    private sealed record Column(string Header, int Width, int Priority, string? Legend, Func<EpochMetrics, string> Value);

    private readonly Column[] _shown;
    private readonly Column[] _left;

    /// <param name="width">Characters a line may use; 0 for no limit (logs, pipes).</param>
    /// <param name="epochs">The total epochs (for the epoch column's width).</param>
    /// <param name="heldOut">Whether there are held-out rows (the gap and held-out log-likelihood columns).</param>
    /// <param name="logLikelihood">How the log-likelihood is computed: "exact", "ais" (an estimate), or null when it is not.</param>
    /// <param name="prediction">Whether the held-out prediction error is measured (a conditional model with held-out rows).</param>
    public EpochTable(int width, int epochs, bool heldOut, string? logLikelihood, bool prediction = false)
    {
        static string F(double? x, string format) => x is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
        var all = new List<Column>
        {
            new("epoch", Math.Max(5, epochs.ToString(CultureInfo.InvariantCulture).Length), 0, null, m => m.Epoch.ToString(CultureInfo.InvariantCulture)),
            new("recon", 9, 1, "recon = reconstruction error (mean squared)", m => F(m.ReconstructionError, "F5")),
            new("F(train)", 10, 4, "F(train) = mean free energy of the training rows", m => F(m.FreeEnergyTrain, "F3")),
        };
        if (prediction) all.Add(new("pred", 9, 1, "pred = one-step prediction error of the held-out frames (squared error per frame)", m => F(m.PredictionErrorHeldOut, "F4")));
        if (heldOut) all.Add(new("gap", 9, 3, "gap = F(held-out) − F(train), growing when over-fitting", m => m.FreeEnergyGap is { } g ? g.ToString("+0.000;-0.000", CultureInfo.InvariantCulture) : "-"));
        all.Add(new("rgap", 9, 7, "rgap = F(random inputs) − F(train), growing as the model learns", m => m.FreeEnergyRandomGap is { } g ? g.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) : "-"));
        if (logLikelihood is not null)
        {
            string how = logLikelihood == "ais" ? "mean log-likelihood in nats with an AIS estimate of log Z" : "exact mean log-likelihood in nats";
            all.Add(new("logL(train)", 12, 2, heldOut ? $"logL = {how} (training, held-out rows)" : $"logL = {how}", m => F(m.LogLikelihoodTrain, "F4")));
            if (heldOut) all.Add(new("logL(held)", 11, 5, null, m => F(m.LogLikelihoodHeldOut, "F4")));
        }
        all.Add(new("s", 8, 6, "s = seconds of training", m => F(m.Seconds, "F2")));

        // Keep columns by priority while they fit in width − 1 characters (a full-width line would wrap on some terminals).
        var keep = new HashSet<Column>();
        int used = 0;
        foreach (Column c in all.OrderBy(c => c.Priority))
        {
            int need = c.Width + (keep.Count > 0 ? 1 : 0);
            if (width > 0 && used + need > width - 1) continue;
            keep.Add(c);
            used += need;
        }
        _shown = all.Where(keep.Contains).ToArray();
        _left = all.Where(c => !keep.Contains(c)).ToArray();
        Width = width;
    }

    /// <summary>The line width the table was fitted to (0: unlimited).</summary>
    public int Width { get; }

    /// <summary>The legend (wrapped to the width) and the header line: printed once, before the first epoch.</summary>
    public IEnumerable<string> Introduction()
    {
        var parts = _shown.Where(c => c.Legend is not null).Select(c => c.Legend!).ToList();
        string legend = "columns: " + string.Join("; ", parts) + ".";
        if (_left.Length > 0) legend += $" Not shown at this width: {string.Join(", ", _left.Select(c => c.Header))} (metrics.csv has every column).";
        foreach (string line in Terminal.TextWrap.Lines(legend, Width)) yield return line;
        yield return Line(c => c.Header);
    }

    /// <summary>One epoch's line.</summary>
    public string Row(EpochMetrics metrics) => Line(c => c.Value(metrics));

    private string Line(Func<Column, string> text) =>
        string.Join(' ', _shown.Select(c => text(c).PadLeft(c.Width)));
}
