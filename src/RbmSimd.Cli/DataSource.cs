using System.Globalization;
using RbmSimd.Data;

namespace RbmSimd.Cli;

/// <summary>Resolves the CLI's <c>--data</c> value to a data set.</summary>
internal static class DataSource
{
    public static Dataset Load(string spec, float? binarizeThreshold)
    {
        Dataset set;
        if (spec.Equals("digits", StringComparison.OrdinalIgnoreCase))
            set = Digits.Load();
        else if (spec.StartsWith("bars:", StringComparison.OrdinalIgnoreCase))
        {
            if (!int.TryParse(spec.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 2 || n > 8)
                throw new ArgumentException($"'{spec}': use bars:N with N from 2 to 8.");
            set = BarsAndStripes.Generate(n);
        }
        else
            set = CsvData.Load(spec);
        return binarizeThreshold is { } t ? set.Binarize(t) : set;
    }
}
