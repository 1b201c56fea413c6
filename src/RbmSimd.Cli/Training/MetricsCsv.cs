using System.Globalization;
using System.Text;
using RbmSimd.IO;
using RbmSimd.Training;

namespace RbmSimd.Cli.Training;

/// <summary>
/// The per-epoch metrics as CSV rows. <c>log_z_method</c> is <c>exact</c> or <c>ais</c> (the log-likelihoods are then
/// estimates); <c>swap_acceptance</c> lists parallel tempering's acceptance rates per neighbouring pair, separated by ';'.
/// </summary>
internal static class MetricsCsv
{
    public const string Header = "epoch,seconds,reconstruction_error,free_energy_train,free_energy_held_out,free_energy_gap,log_z,log_likelihood_train,log_likelihood_held_out," +
        "free_energy_random,free_energy_random_gap,log_z_method,swap_acceptance,prediction_error_held_out\n";

    public static string Row(EpochMetrics m) => string.Join(',',
        m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.Seconds), F(m.ReconstructionError), F(m.FreeEnergyTrain),
        F(m.FreeEnergyHeldOut), F(m.FreeEnergyGap), F(m.LogZ), F(m.LogLikelihoodTrain), F(m.LogLikelihoodHeldOut),
        F(m.FreeEnergyRandom), F(m.FreeEnergyRandomGap), m.LogZMethod ?? "",
        string.Join(';', m.SwapAcceptanceRates.Select(r => r.ToString("R", CultureInfo.InvariantCulture))), F(m.PredictionErrorHeldOut)) + "\n";

    /// <summary>The existing metrics file's header and rows for epochs 1…<paramref name="epochs"/>, to continue after a resume.</summary>
    public static StringBuilder ReadUpTo(string path, int epochs)
    {
        var csv = new StringBuilder(Header);
        if (!File.Exists(path)) return csv;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            int comma = line.IndexOf(',');
            if (comma > 0 && int.TryParse(line.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out int epoch) && epoch <= epochs)
                csv.Append(line).Append('\n');
        }
        return csv;
    }

    private static string F(double? x) => x is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}

/// <summary>
/// <c>metrics.csv</c> of a run: written whole once (the header for a new run; the rows up to the checkpoint for a resumed
/// one, dropping rows of epochs the checkpoint does not have), then only appended to, a batch of rows per save.
/// </summary>
internal sealed class MetricsLog
{
    private readonly StringBuilder _pending = new();

    private MetricsLog(string path) => Path = path;

    public string Path { get; }

    /// <summary>Rows added since the last <see cref="Flush"/>.</summary>
    public int PendingRows { get; private set; }

    public static MetricsLog Create(string path)
    {
        AtomicFile.WriteAllText(path, MetricsCsv.Header);
        return new MetricsLog(path);
    }

    public static MetricsLog Continue(string path, int completedEpochs)
    {
        AtomicFile.WriteAllText(path, MetricsCsv.ReadUpTo(path, completedEpochs).ToString());
        return new MetricsLog(path);
    }

    public void Add(EpochMetrics metrics)
    {
        _pending.Append(MetricsCsv.Row(metrics));
        PendingRows++;
    }

    /// <summary>Appends the pending rows and flushes them to disk.</summary>
    public void Flush()
    {
        if (_pending.Length == 0) return;
        using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            stream.Write(new UTF8Encoding(false).GetBytes(_pending.ToString()));
            stream.Flush(flushToDisk: true);
        }
        _pending.Clear();
        PendingRows = 0;
    }
}
