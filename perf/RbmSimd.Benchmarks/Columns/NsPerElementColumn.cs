using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RbmSimd.Benchmarks.Columns;

/// <summary>Median time divided by the integer parameter named <c>N</c>: nanoseconds per element.</summary>
public sealed class NsPerElementColumn : IColumn
{
    public string Id => nameof(NsPerElementColumn);
    public string ColumnName => "ns/elem";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Median nanoseconds per element (median time / N)";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        object? n = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value;
        double? medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (n is not int count || count <= 0 || medianNs is null) return "-";
        return (medianNs.Value / count).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
