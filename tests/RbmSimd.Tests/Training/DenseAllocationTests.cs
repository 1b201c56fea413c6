using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// A dense model's training step allocates nothing in a steady state, for every negative phase: every buffer is the
/// trainer's (measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> on one thread; BenchmarkDotNet's
/// `CdStepBench` shows the same at 2 threads, where the work runs on the allocation-free workers).
/// </summary>
public class DenseAllocationTests
{
    // Kills: a per-step gradient ParameterSet or velocity, scratch arrays allocated per call, closures or views per block,
    // boxed operators in the epilogues, a per-step copy of the persistent chains or the replicas' states.
    [Theory]
    [InlineData(VisibleUnitKind.Bernoulli, "cd")]
    [InlineData(VisibleUnitKind.Bernoulli, "pcd")]
    [InlineData(VisibleUnitKind.Bernoulli, "pt")]
    [InlineData(VisibleUnitKind.Gaussian, "cd")]
    [InlineData(VisibleUnitKind.Gaussian, "pcd")]
    public void SteadyStateStep_AllocatesNothing(VisibleUnitKind units, string phase)
    {
        const int nv = 70, nh = 37, batch = 20;
        IRbm model = units == VisibleUnitKind.Gaussian
            ? GaussianBernoulliRbm.CreateRandom(nv, nh, seed: 3)
            : BernoulliRbm.CreateRandom(nv, nh, seed: 3, weightStdDev: 0.1f);
        var trainer = new RbmTrainer(model, new TrainingOptions
        {
            BatchSize = batch, CdSteps = 2, SparsityTarget = 0.1f, SparsityCost = 0.1f, MaxDegreeOfParallelism = 1,
            Persistent = phase == "pcd", PersistentChains = phase == "cd" ? 0 : 9,
            ParallelTemperingReplicas = phase == "pt" ? 3 : 0,
        });
        var rows = new Matrix(batch, nv);
        var random = new Random(4);
        Span<float> span = rows.AsSpan();
        for (int i = 0; i < span.Length; i++)
            span[i] = units == VisibleUnitKind.Bernoulli ? (random.NextDouble() < 0.3 ? 1f : 0f) : (float)(2 * random.NextDouble() - 1);
        for (int warm = 0; warm < 3; warm++) trainer.Step(rows);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 5; step++) trainer.Step(rows);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
