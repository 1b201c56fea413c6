using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace RbmSimd.Benchmarks.Columns;

/// <summary>A parameter value that knows how many floating-point operations one benchmark invocation performs.</summary>
public interface IFlopCount
{
    /// <summary>Floating-point operations per invocation (2·m·n·k for a matrix product).</summary>
    double Flops { get; }
}

/// <summary>
/// GFLOP/s from the <b>median</b> time of each case (the machine is shared and noisy; the median resists the
/// outliers that inflate the mean). The flop count comes from the first parameter implementing <see cref="IFlopCount"/>.
/// </summary>
public sealed class GFlopsColumn : IColumn
{
    public string Id => nameof(GFlopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Billions of floating-point operations per second, from the median time";

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? flops = benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<IFlopCount>().FirstOrDefault()?.Flops;
        double? medianNs = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (flops is null || medianNs is null or <= 0) return "-";
        return (flops.Value / medianNs.Value).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
