using BenchmarkDotNet.Attributes;
using RbmSimd.Benchmarks.Tools;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;

namespace RbmSimd.Benchmarks.Training;

/// <summary>
/// One CD-1 (or PCD-1) step of the convolutional RBM on a minibatch of 64 random binary images (a quarter of the pixels on) at
/// the shapes of DLL's convolutional benchmark (<see cref="ConvolutionTimings.Layer"/>). The allocation column must read 0 B:
/// the trainer, the model's pooled scratch and the kernels' per-thread workspaces hold every buffer.
/// </summary>
[MemoryDiagnoser]
public class ConvStepBench
{
    private RbmTrainer _trainer = null!;
    private Matrix _batch = null!;

    /// <summary>1: 1 × 28 × 28, 40 filters 9 × 9; 2: 40 × 20 × 20, 40 filters 5 × 5; 3: 40 × 16 × 16, 96 filters 5 × 5 (2 × 2 pooling).</summary>
    [Params(1, 2, 3)]
    public int Layer { get; set; } = 1;

    /// <summary>CD-1 or PCD-1 (one chain per row).</summary>
    [Params("CD-1", "PCD-1")]
    public string Configuration { get; set; } = "CD-1";

    /// <summary>1: images one after another; 2: fixed chunks of images on the library's workers.</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        (ConvolutionShape shape, int pool) = ConvolutionTimings.Layer(Layer);
        _batch = new Matrix(64, shape.ImageLength);
        var random = new Sampling.RandomStream(1);
        random.NextSingles(_batch.AsSpan());
        Span<float> x = _batch.AsSpan();
        for (int i = 0; i < x.Length; i++) x[i] = x[i] < 0.25f ? 1f : 0f;
        var rbm = ConvolutionalRbm.CreateRandom(shape, pool, VisibleUnitKind.Bernoulli, 2, hiddenBias: -0.1f);
        _trainer = new RbmTrainer(rbm, new TrainingOptions
        {
            BatchSize = 64, LearningRate = 0.01f, InitialMomentum = 0.5f, FinalMomentum = 0.5f,
            Persistent = Configuration == "PCD-1", MaxDegreeOfParallelism = Threads,
        });
        _trainer.Step(_batch);
    }

    /// <summary>One minibatch update: five products of K·C·F²·OH·OW multiply-adds per image, pooling, sampling and the update.</summary>
    [Benchmark]
    public void Step() => _trainer.Step(_batch);
}
