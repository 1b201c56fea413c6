using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// A conditional model's training step, prediction and free energy allocate nothing in a steady state: every buffer is the
/// trainer's or rented from the shared array pool (measured with <see cref="GC.GetAllocatedBytesForCurrentThread"/> on one thread).
/// </summary>
public class ConditionalAllocationTests
{
    // Kills: a per-step ParameterSet for the frame model's gradient, scratch arrays allocated per call instead of rented,
    // a per-row loop that allocates views or closures.
    [Theory]
    [InlineData(VisibleUnitKind.Bernoulli, false)]
    [InlineData(VisibleUnitKind.Bernoulli, true)]
    [InlineData(VisibleUnitKind.Gaussian, false)]
    public void SteadyStateStep_AllocatesNothing(VisibleUnitKind units, bool persistent)
    {
        const int nv = 40, nc = 80, nh = 30, batch = 16;
        ConditionalRbm model = ConditionalRbm.CreateRandom(units, nv, nc, nh, seed: 3, historyLength: 2);
        var trainer = new RbmTrainer(model, new TrainingOptions
        {
            BatchSize = batch, Persistent = persistent, CdSteps = 2, SparsityTarget = 0.1f, SparsityCost = 0.1f, MaxDegreeOfParallelism = 1,
        });
        var rows = new Matrix(batch, nv + nc);
        var random = new Random(4);
        for (int i = 0; i < rows.AsSpan().Length; i++) rows.AsSpan()[i] = units == VisibleUnitKind.Bernoulli ? (random.NextDouble() < 0.3 ? 1f : 0f) : (float)random.NextDouble();
        var hidden = new Matrix(batch, nh);
        var energies = new double[batch];
        var prediction = rows.Clone();
        var stream = new RbmSimd.Sampling.RandomStream(5);
        var options = new PredictionOptions { GibbsSteps = 2, Sampled = true };
        for (int warm = 0; warm < 3; warm++)
        {
            trainer.Step(rows);
            model.FreeEnergy(rows, energies, Temperature.One);
            ConditionalPrediction.Predict(model, prediction, options, ref stream);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 5; step++)
        {
            trainer.Step(rows);
            model.MeanHiddens(rows, hidden, Temperature.One);
            model.FreeEnergy(rows, energies, Temperature.One);
            ConditionalPrediction.Predict(model, prediction, options, ref stream);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
