using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using RbmSimd.Kernels;

namespace RbmSimd.Benchmarks.Kernels;

/// <summary>Sigmoid over an in-cache span: a plain scalar loop, TensorPrimitives.Sigmoid and ours.</summary>
[MemoryDiagnoser]
[Config(typeof(KernelBenchConfig))]
public class SigmoidBench
{
    private float[] _x = [];
    private float[] _y = [];

    [Params(50_000, 6 * 512 + 7)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        _x = new float[N];
        _y = new float[N];
        for (int i = 0; i < N; i++) _x[i] = (float)(rng.NextDouble() * 20 - 10);
    }

    [Benchmark(Baseline = true)]
    public void Naive()
    {
        float[] x = _x, y = _y;
        for (int i = 0; i < x.Length; i++) y[i] = 1f / (1f + MathF.Exp(-x[i]));
    }

    [Benchmark]
    public void TensorPrimitives() => System.Numerics.Tensors.TensorPrimitives.Sigmoid(_x, _y);

    [Benchmark]
    public void Simd() => Activations.Sigmoid(_x, _y);

    /// <summary>The 256-bit path, forced, for the ratio against the 512-bit one in the same run.</summary>
    [Benchmark]
    public void SimdVector256() => Activations.Sigmoid(_x, _y, KernelIsa.Vector256);

    /// <summary>The 512-bit path, forced (emulated and slow where the hardware lacks AVX-512).</summary>
    [Benchmark]
    public void SimdVector512() => Activations.Sigmoid(_x, _y, KernelIsa.Vector512);
}
