using BenchmarkDotNet.Attributes;
using RbmSimd.Kernels;
using RbmSimd.Numerics;

namespace RbmSimd.Benchmarks.Kernels;

/// <summary>
/// Binary V (100×784) times W (784×500): the dense packed GEMM on 0/1 floats against set-bit row adds,
/// at several fractions of ones (binarised MNIST-like images have about 13%).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(KernelBenchConfig))]
public class BitGemmBench
{
    private const int Batch = 100, Visible = 784, Hidden = 500;
    private readonly Matrix _w = new(Visible, Hidden);
    private readonly Matrix _dense = new(Batch, Visible);
    private readonly Matrix _c = new(Batch, Hidden);
    private readonly BitMatrix _bits = new(Batch, Visible);

    [Params(0.05, 0.13, 0.3, 0.5)]
    public double Ones { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(4);
        Span<float> w = _w.AsSpan();
        for (int i = 0; i < w.Length; i++) w[i] = (float)(rng.NextDouble() * 0.02 - 0.01);
        Span<float> v = _dense.AsSpan();
        for (int i = 0; i < v.Length; i++) v[i] = rng.NextDouble() < Ones ? 1f : 0f;
        _bits.SetFromDense(_dense, 0.5f);
    }

    [Benchmark(Baseline = true)]
    public void DenseGemm() => Gemm.Multiply(_dense, MatrixOp.None, _w, MatrixOp.None, _c);

    [Benchmark]
    public void BitRows() => BitGemm.Multiply(_bits, _w, _c);
}
