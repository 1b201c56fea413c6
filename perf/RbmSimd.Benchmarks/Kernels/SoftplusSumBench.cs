using BenchmarkDotNet.Attributes;
using RbmSimd.Kernels;

namespace RbmSimd.Benchmarks.Kernels;

/// <summary>
/// Σ softplus over one row of 784 visible activations: the inner loop of the exact partition function
/// (called once per hidden configuration, 2²⁰ times for 20 hidden units).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(KernelBenchConfig))]
public class SoftplusSumBench
{
    private float[] _x = [];

    [Params(784)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _x = new float[N];
        for (int i = 0; i < N; i++) _x[i] = (float)(rng.NextDouble() * 16 - 8);
    }

    /// <summary>Per element in double with Math.Exp and Math.Log, as the first version did.</summary>
    [Benchmark(Baseline = true)]
    public double Naive()
    {
        double sum = 0;
        foreach (float v in _x) sum += Activations.Softplus(v);
        return sum;
    }

    [Benchmark]
    public double Simd() => Activations.SumSoftplus(_x);

    /// <summary>The 256-bit path, forced, for the ratio against the 512-bit one in the same run.</summary>
    [Benchmark]
    public double SimdVector256() => Activations.SumSoftplus(_x, KernelIsa.Vector256);

    /// <summary>The 512-bit path, forced (emulated and slow where the hardware lacks AVX-512).</summary>
    [Benchmark]
    public double SimdVector512() => Activations.SumSoftplus(_x, KernelIsa.Vector512);
}
