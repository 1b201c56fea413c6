using BenchmarkDotNet.Attributes;
using RbmSimd.Benchmarks.Columns;
using RbmSimd.Kernels;
using RbmSimd.Numerics;

namespace RbmSimd.Benchmarks.Kernels;

/// <summary>One product shape: op(A) is M×K, op(B) is K×N, each operand stored row-major as the RBM stores it.</summary>
public sealed record GemmShape(string Name, int M, int N, int K, bool TransA, bool TransB) : IFlopCount
{
    public double Flops => 2.0 * M * N * K;

    public override string ToString() => Name;
}

/// <summary>The three RBM products at batch 100, 784 visible and 500 hidden units.</summary>
[MemoryDiagnoser]
[Config(typeof(KernelBenchConfig))]
public class GemmBench
{
    private Matrix _a = new(0, 0), _b = new(0, 0), _c = new(0, 0);
    private MatrixOp _opA, _opB;

    public static IEnumerable<GemmShape> Shapes() =>
    [
        new("V·W 100x784·784x500", 100, 500, 784, false, false),
        new("H·Wᵀ 100x500·500x784", 100, 784, 500, false, true),
        new("Vᵀ·H 784x100·100x500", 784, 500, 100, true, false),
    ];

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(3);
        GemmShape s = Shape;
        _a = s.TransA ? new Matrix(s.K, s.M) : new Matrix(s.M, s.K);
        _b = s.TransB ? new Matrix(s.N, s.K) : new Matrix(s.K, s.N);
        _c = new Matrix(s.M, s.N);
        foreach (Matrix x in new[] { _a, _b })
        {
            Span<float> data = x.AsSpan();
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        _opA = s.TransA ? MatrixOp.Transpose : MatrixOp.None;
        _opB = s.TransB ? MatrixOp.Transpose : MatrixOp.None;
    }

    /// <summary>The simple axpy/dot version the project started with.</summary>
    [Benchmark(Baseline = true)]
    public void Naive() => SimpleGemm.Multiply(_a, _opA, _b, _opB, _c);

    /// <summary>The tier the process selects (<see cref="KernelSelection.Active"/>: Vector512 on AVX-512 machines).</summary>
    [Benchmark]
    public void Simd() => Gemm.Multiply(_a, _opA, _b, _opB, _c);

    /// <summary>The 6 × 16 ymm kernel, forced, for the ratio against the 512-bit tier in the same run.</summary>
    [Benchmark]
    public void SimdVector256() => Multiply(KernelIsa.Vector256);

    /// <summary>The 12 × 32 zmm kernel, forced (emulated and slow where the hardware lacks AVX-512).</summary>
    [Benchmark]
    public void SimdVector512() => Multiply(KernelIsa.Vector512);

    private void Multiply(KernelIsa isa) =>
        Gemm.Multiply(_a, _opA, _b, _opB, _c, GemmEpilogue.None, default, 1f, 0f, isa, parallel: false);

    [Benchmark]
    public void Parallel() => Gemm.MultiplyParallel(_a, _opA, _b, _opB, _c);
}
