using BenchmarkDotNet.Attributes;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;

namespace RbmSimd.Benchmarks.Training;

/// <summary>
/// One CD-1 or PCD-1 minibatch step at the reference shape (784 visible, 500 hidden, batch 100,
/// binary data at 31.5% ones like binarised Fashion-MNIST). The allocation column must read 0 B for
/// the serial step: the trainer owns every buffer.
/// </summary>
[MemoryDiagnoser]
public class CdStepBench
{
    private RbmTrainer _trainer = null!;
    private Matrix _batch = null!;

    [Params(false, true)]
    public bool Persistent { get; set; }

    /// <summary>1: the allocation-free serial path; 2: fixed blocks on the thread pool (Parallel.For allocates its task state).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _batch = new Matrix(100, 784);
        Span<float> s = _batch.AsSpan();
        for (int i = 0; i < s.Length; i++) s[i] = random.NextDouble() < 0.315 ? 1f : 0f;
        var rbm = BernoulliRbm.CreateRandom(784, 500, seed: 2);
        _trainer = new RbmTrainer(rbm, new TrainingOptions { BatchSize = 100, Persistent = Persistent, MaxDegreeOfParallelism = Threads });
        _trainer.Step(_batch);
    }

    /// <summary>One minibatch update: five 78-MFLOP products plus sampling and the update.</summary>
    [Benchmark]
    public void Step() => _trainer.Step(_batch);
}
