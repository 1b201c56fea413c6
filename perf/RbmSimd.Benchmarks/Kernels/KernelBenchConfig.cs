using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using RbmSimd.Benchmarks.Columns;

namespace RbmSimd.Benchmarks.Kernels;

/// <summary>Median beside the mean (the machine is noisy), GFLOP/s and ns/element columns.</summary>
public sealed class KernelBenchConfig : ManualConfig
{
    public KernelBenchConfig()
    {
        AddColumn(StatisticColumn.Median);
        AddColumn(new GFlopsColumn());
        AddColumn(new NsPerElementColumn());
    }
}
