using System.Globalization;
using System.Text;
using RbmSimd.Training;

namespace RbmSimd.Cli.Training;

/// <summary>The per-epoch metrics as CSV rows and console lines.</summary>
internal static class MetricsCsv
{
    public const string Header = "epoch,seconds,reconstruction_error,free_energy_train,free_energy_held_out,free_energy_gap,log_z,log_likelihood_train,log_likelihood_held_out\n";

    public static string Row(EpochMetrics m) => string.Join(',',
        m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.Seconds), F(m.ReconstructionError), F(m.FreeEnergyTrain),
        F(m.FreeEnergyHeldOut), F(m.FreeEnergyGap), F(m.LogZ), F(m.LogLikelihoodTrain), F(m.LogLikelihoodHeldOut)) + "\n";

    public static string FormatLine(EpochMetrics m)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"epoch {m.Epoch,3}  recon {m.ReconstructionError:F5}  F(train) {m.FreeEnergyTrain:F3}");
        if (m.FreeEnergyGap is { } gap) line.Append(CultureInfo.InvariantCulture, $"  gap {gap:+0.000;-0.000}");
        if (m.LogLikelihoodTrain is { } ll) line.Append(CultureInfo.InvariantCulture, $"  logL(train) {ll:F4}");
        if (m.LogLikelihoodHeldOut is { } llh) line.Append(CultureInfo.InvariantCulture, $"  logL(held) {llh:F4}");
        line.Append(CultureInfo.InvariantCulture, $"  {m.Seconds:F2}s");
        return line.ToString();
    }

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
