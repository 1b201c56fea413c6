using BenchmarkDotNet.Attributes;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;

namespace RbmSimd.Benchmarks.Training;

/// <summary>
/// One training step at the reference shape (784 visible, 500 hidden, batch 100). Bernoulli steps use
/// binary data at 31.5 % ones like binarised Fashion-MNIST; the Gaussian–Bernoulli step uses standard
/// normal data and learned variances. The allocation column must read 0 B in every configuration: the
/// trainer owns every buffer.
/// </summary>
[MemoryDiagnoser]
public class CdStepBench
{
    private RbmTrainer _trainer = null!;
    private Matrix _batch = null!;

    /// <summary>CD-1; PCD-1 with one chain per batch row; PCD-1 with 37 chains (a chain count other than the batch size); CD-1 of a Gaussian–Bernoulli model.</summary>
    [Params("CD-1", "PCD-1", "PCD-1 37 chains", "GB CD-1")]
    public string Configuration { get; set; } = "CD-1";

    /// <summary>1: the serial path; 2: fixed blocks on the library's workers.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _batch = new Matrix(100, 784);
        Span<float> s = _batch.AsSpan();
        bool gaussian = Configuration.StartsWith("GB", StringComparison.Ordinal);
        for (int i = 0; i < s.Length; i++)
            s[i] = gaussian ? (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))
                : random.NextDouble() < 0.315 ? 1f : 0f;
        IRbm rbm = gaussian ? GaussianBernoulliRbm.CreateRandom(784, 500, seed: 2) : BernoulliRbm.CreateRandom(784, 500, seed: 2);
        var options = new TrainingOptions
        {
            BatchSize = 100,
            Persistent = Configuration.StartsWith("PCD", StringComparison.Ordinal),
            PersistentChains = Configuration == "PCD-1 37 chains" ? 37 : 0,
            MaxDegreeOfParallelism = Threads,
        };
        _trainer = new RbmTrainer(rbm, options);
        _trainer.Step(_batch);
    }

    /// <summary>One minibatch update: five 78-MFLOP products plus sampling and the update.</summary>
    [Benchmark]
    public void Step() => _trainer.Step(_batch);
}
