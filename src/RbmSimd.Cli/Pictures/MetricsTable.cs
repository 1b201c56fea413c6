using System.Globalization;

namespace RbmSimd.Cli.Pictures;

/// <summary>
/// Reads the per-epoch <c>metrics.csv</c> of <c>rbm train</c> (a header naming the columns, then one row per epoch, empty
/// cells where a figure was not measured). Columns are found by name, so added or reordered columns do not matter;
/// only <c>epoch</c> is required.
/// </summary>
public static class MetricsTable
{
    /// <summary>Reads a metrics file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file has no <c>epoch</c> column or a cell is not a number; the message names the file and line.</exception>
    public static IReadOnlyList<MetricsRow> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: metrics file not found.", path);
        using var reader = new StreamReader(path);
        return Parse(reader, path);
    }

    /// <summary>Reads metrics CSV text; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">There is no <c>epoch</c> column or a cell is not a number.</exception>
    public static IReadOnlyList<MetricsRow> Parse(TextReader reader, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? header = reader.ReadLine();
        if (header is null) throw new InvalidDataException($"{sourceName}: the metrics file is empty (no header line).");
        string[] names = header.Split(',');
        int Column(string name) => Array.FindIndex(names, n => n.Trim().Equals(name, StringComparison.OrdinalIgnoreCase));
        int epoch = Column("epoch");
        if (epoch < 0) throw new InvalidDataException($"{sourceName}: line 1 has no 'epoch' column (found: {header}).");
        int recon = Column("reconstruction_error"), fTrain = Column("free_energy_train"), fHeld = Column("free_energy_held_out");
        int llTrain = Column("log_likelihood_train"), llHeld = Column("log_likelihood_held_out");
        int fRandom = Column("free_energy_random"), method = Column("log_z_method"), prediction = Column("prediction_error_held_out");

        var rows = new List<MetricsRow>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = line.Split(',');
            double? Cell(int column)
            {
                if (column < 0 || column >= cells.Length) return null;
                string text = cells[column].Trim();
                if (text.Length == 0) return null;
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    throw new InvalidDataException($"{sourceName}: line {lineNumber}, column '{names[column].Trim()}': '{text}' is not a number.");
                return double.IsFinite(value) ? value : null;
            }
            double? e = Cell(epoch) ?? throw new InvalidDataException($"{sourceName}: line {lineNumber} has no epoch number.");
            rows.Add(new MetricsRow(e.Value, Cell(recon), Cell(fTrain), Cell(fHeld), Cell(llTrain), Cell(llHeld))
            {
                FreeEnergyRandom = Cell(fRandom),
                PredictionError = Cell(prediction),
                LogZEstimated = method >= 0 && method < cells.Length && cells[method].Trim().Equals("ais", StringComparison.OrdinalIgnoreCase),
            });
        }
        return rows;
    }
}
