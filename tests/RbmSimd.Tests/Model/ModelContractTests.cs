using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.IO;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// The contract every model kind must keep, run once per kind: conditionals, energies and log Z against
/// the naive double-precision reference (at β = 1 and at a random β with a base model), free energy against
/// its definition (−log of e^{−E} summed over the hidden layer), the file round trip, and the same bits
/// for 1, 2 and 3 threads.
/// </summary>
public abstract class ModelContractTests(ModelKindFixture kind)
{
    private readonly ModelKindFixture _kind = kind;

    /// <summary>β for a case: 1 for a third of the cases, else a value in (0, 1).</summary>
    private static float Beta(RbmCase c) => c.Seed % 3 == 0 ? 1f : (float)((c.Seed % 997) / 997.0 * 0.98 + 0.01);

    private static Temperature TemperatureFor(RbmCase c, IRbm model) => Beta(c) == 1f && c.Seed % 2 == 0
        ? Temperature.One
        : new Temperature(Beta(c), ModelKindFixture.BaseBias(c, model));

    /// <summary>The float error bound of one hidden input β(bⱼ + Σᵢ xᵢWᵢⱼ) (x = v/σ), from the dot-product bound.</summary>
    private double HiddenInputBound(IRbm model, INaiveModel naive, double[] v, int j, double beta)
    {
        double sum = _kind.HiddenInputMagnitude(model, v, j);
        // The scaled input v/σ and β·b each round once more (and a context product adds once): three more terms in the bound.
        return beta * Tolerance.DotBound(model.VisibleCount + 4, sum);
    }

    /// <summary>
    /// How far unit j's probability can move under the float errors of the inputs it depends on: σ has slope ≤ ¼; a pooled
    /// probability P_u = e^{x_u}/(1 + Σ e^{x}) has Σ_v |∂P_u/∂x_v| = 2P_u(1 − P_u) ≤ ½ over its block, so ½ of the block's
    /// largest input error.
    /// </summary>
    private double ProbabilityInputBound(IRbm model, INaiveModel naive, double[] v, int j, double beta)
    {
        if (model is not ConvolutionalRbm { PoolSize: > 1 } conv) return HiddenInputBound(model, naive, v, j, beta) / 4;
        int p = conv.PoolSize, width = conv.Pooling.Width, plane = conv.Pooling.Height * width;
        int k = j / plane, i0 = j % plane / width / p * p, j0 = j % width / p * p;
        double max = 0;
        for (int t = 0; t < p; t++)
            for (int u = 0; u < p; u++) max = Math.Max(max, HiddenInputBound(model, naive, v, k * plane + (i0 + t) * width + j0 + u, beta));
        return max / 2;
    }

    [Property(MaxTest = 60)]
    public Property MeanHiddens_MatchReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 40), c =>
    {
        c = _kind.Adapt(c);
        IRbm model = _kind.Create(c);
        INaiveModel naive = _kind.Reference(model);
        Matrix v = _kind.VisibleRows(c, 1);
        var h = new Matrix(c.Rows, model.HiddenCount);
        Temperature t = TemperatureFor(c, model);
        model.MeanHiddens(v, h, t);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] row = RbmCase.Row(v, r);
            double[] expected = naive.MeanHiddens(row, t.Beta);
            for (int j = 0; j < model.HiddenCount; j++)
            {
                double tol = Tolerance.SigmoidAbsolute + ProbabilityInputBound(model, naive, row, j, t.Beta);
                if (!Tolerance.Close(expected[j], h[r, j], tol)) return false.Label($"row {r} unit {j}: {expected[j]} vs {h[r, j]} (tol {tol})");
            }
        }
        return true.ToProperty().Classify(t.Beta != 1f, "tempered");
    });

    [Property(MaxTest = 60)]
    public Property MeanVisibles_MatchReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 40), c =>
    {
        c = _kind.Adapt(c);
        IRbm model = _kind.Create(c);
        INaiveModel naive = _kind.Reference(model);
        Matrix h = _kind.HiddenRows(model, c, 2);
        // The destination holds valid rows: a conditional model reads its context there (and must leave it).
        Matrix v = _kind.VisibleRows(c, 8), before = v.Clone();
        int generated = model.VisibleCount - model.ContextCount;
        Temperature t = TemperatureFor(c, model);
        model.MeanVisibles(h, v, t);
        double[]? a0 = t.BaseVisibleBias.IsEmpty ? null : t.BaseVisibleBias.ToArray().Select(x => (double)x).ToArray();
        for (int r = 0; r < c.Rows; r++)
        {
            double[] hr = RbmCase.Row(h, r);
            double[] expected = naive.MeanVisibles(hr, RbmCase.Row(before, r), t.Beta, a0);
            for (int i = generated; i < model.VisibleCount; i++)
                if (BitConverter.SingleToInt32Bits(v[r, i]) != BitConverter.SingleToInt32Bits(before[r, i])) return false.Label($"row {r}: context column {i} changed");
            for (int i = 0; i < generated; i++)
            {
                double sum = _kind.VisibleInputMagnitude(model, hr, RbmCase.Row(before, r), i, a0);
                double bound = Tolerance.DotBound(model.HiddenCount + model.ContextCount + 5, sum);
                double tol = model.VisibleUnits == VisibleUnitKind.Bernoulli ? Tolerance.SigmoidAbsolute + bound / 4 : bound;
                if (!Tolerance.Close(expected[i], v[r, i], tol)) return false.Label($"row {r} unit {i}: {expected[i]} vs {v[r, i]} (tol {tol})");
            }
        }
        return true.ToProperty().Classify(t.Beta != 1f, "tempered");
    });

    [Property(MaxTest = 60)]
    public Property FreeEnergy_MatchesReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 40), c =>
    {
        c = _kind.Adapt(c);
        IRbm model = _kind.Create(c);
        INaiveModel naive = _kind.Reference(model);
        Matrix v = _kind.VisibleRows(c, 3);
        var f = new double[c.Rows];
        Temperature t = TemperatureFor(c, model);
        model.FreeEnergy(v, f, t);
        double[]? a0 = t.BaseVisibleBias.IsEmpty ? null : t.BaseVisibleBias.ToArray().Select(x => (double)x).ToArray();
        for (int r = 0; r < c.Rows; r++)
        {
            double[] row = RbmCase.Row(v, r);
            double expected = naive.FreeEnergy(row, t.Beta, a0);
            // Each softplus moves by at most its input's error (slope ≤ 1); the visible term is computed in
            // double from float inputs and float variances (a few ε relative per term).
            double tol = 0;
            for (int j = 0; j < model.HiddenCount; j++) tol += HiddenInputBound(model, naive, row, j, t.Beta) + 1e-6 * Math.Abs(expected);
            tol += 16 * Tolerance.FloatEpsilon * (Math.Abs(expected) + _kind.VisibleTermMagnitude(model, row, a0));
            if (!Tolerance.Close(expected, f[r], tol)) return false.Label($"row {r}: {expected} vs {f[r]} (tol {tol})");
        }
        return true.ToProperty().Classify(t.Beta != 1f, "tempered");
    });

    [Property(MaxTest = 40)]
    public Property FreeEnergy_IsMinusLogOfEnergySummedOverHiddenStates() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 9, maxRows: 4), c =>
    {
        c = _kind.Adapt(c with { Scale = Math.Min(c.Scale, 3) });
        IRbm model = _kind.Create(c);
        INaiveModel naive = _kind.Reference(model);
        Matrix v = _kind.VisibleRows(c, 4);
        var f = new double[c.Rows];
        model.FreeEnergy(v, f, Temperature.One);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] row = RbmCase.Row(v, r);
            double byDefinition = -NaiveRbm.LogSumExp(NaiveRbm.AllStates(model.HiddenCount).Select(h => -naive.Energy(row, h)));
            double tol = 1e-4 * (1 + Math.Abs(byDefinition));
            if (!Tolerance.Close(byDefinition, f[r], tol)) return false.Label($"row {r}: {byDefinition} vs {f[r]}");
        }
        return true.ToProperty();
    });

    [Property(MaxTest = 40)]
    public Property Energy_MatchesReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 30), c =>
    {
        c = _kind.Adapt(c);
        IRbm model = _kind.Create(c);
        INaiveModel naive = _kind.Reference(model);
        Matrix v = _kind.VisibleRows(c, 5), h = _kind.HiddenRows(model, c, 6);
        var e = new double[c.Rows];
        model.Energy(v, h, e);
        for (int r = 0; r < c.Rows; r++)
        {
            double expected = naive.Energy(RbmCase.Row(v, r), RbmCase.Row(h, r));
            double tol = 1e-5 * (1 + Math.Abs(expected)) + 8 * Tolerance.FloatEpsilon * _kind.VisibleTermMagnitude(model, RbmCase.Row(v, r), null) * c.Scale;
            if (!Tolerance.Close(expected, e[r], tol)) return false.Label($"row {r}: {expected} vs {e[r]}");
        }
        return true.ToProperty();
    });

    [Property(MaxTest = 30)]
    public Property ExactLogZ_MatchesReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 12, maxRows: 1), c =>
    {
        c = _kind.Adapt(c with { Scale = Math.Min(c.Scale, 3) });
        IRbm model = _kind.Create(c);
        if (model.EnumeratedUnitCount > 12) return true.When(false);
        var (expected, actual) = _kind.LogZ(model, _kind.Reference(model), c);
        return Tolerance.Close(expected, actual, 1e-4 * (1 + Math.Abs(expected))).Label($"{expected} vs {actual}");
    });

    [Fact]
    public void File_RoundTrip_KeepsKindAndEveryParameter()
    {
        IRbm model = _kind.Create(new RbmCase(7, 5, 1, 1, 11));
        using var folder = new TempFolder();
        string path = folder.File("model.npz");
        ModelFile.Save(model, path);
        IRbm loaded = ModelFile.Load(path);
        Assert.Equal(model.Kind, loaded.Kind);
        Assert.Equal(model.GetType(), loaded.GetType());
        Assert.Equal(model.Parameters.Select(p => p.Name), loaded.Parameters.Select(p => p.Name));
        for (int i = 0; i < model.Parameters.Count; i++)
            Assert.Equal(model.Parameters[i].Span.ToArray(), loaded.Parameters[i].Span.ToArray());
        Assert.Equal([model.Kind], Npz.Read(path)[ModelFile.KindName].Texts.ToArray());
    }

    [Fact]
    public void Operations_GiveTheSameBits_ForOneTwoAndThreeThreads()
    {
        // Wide enough that every parallel split (128-column blocks, 132-row gradient blocks, 8-row sample blocks) has several blocks.
        var c = new RbmCase(300, 260, 20, 0.3, 17);
        IRbm model = _kind.Create(c);
        Matrix v = _kind.VisibleRows(c, 7);
        string? reference = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var h = new Matrix(c.Rows, model.HiddenCount);
            var back = new Matrix(c.Rows, model.VisibleCount);
            var f = new double[c.Rows];
            var random = new RandomStream(3);
            model.SampleHiddens(v, h, ref random, Temperature.One, threads);
            model.SampleVisibles(h, back, ref random, new Temperature(0.7f, ModelKindFixture.BaseBias(c, model)), threads);
            model.FreeEnergy(back, f, Temperature.One, threads);

            IRbm trained = model.Clone();
            var options = new TrainingOptions { Epochs = 2, BatchSize = 7, LearningRate = 0.01f, MaxDegreeOfParallelism = threads, Seed = 5,
                Persistent = true, PersistentChains = 9, SparsityTarget = 0.1f, SparsityCost = 0.1f };
            new RbmTrainer(trained, options).Train(new Dataset(v.Clone()));

            string bits = string.Join(",", h.AsSpan().ToArray().Concat(back.AsSpan().ToArray()).Select(BitConverter.SingleToInt32Bits))
                + "|" + string.Join(",", f.Select(BitConverter.DoubleToInt64Bits))
                + "|" + string.Join(",", trained.Parameters.SelectMany(p => p.Span.ToArray()).Select(BitConverter.SingleToInt32Bits));
            reference ??= bits;
            Assert.True(reference == bits, $"{threads} threads differ from 1");
        }
    }
}

public sealed class BernoulliContractTests() : ModelContractTests(new ModelKindFixture.Bernoulli());

public sealed class GaussianBernoulliContractTests() : ModelContractTests(new ModelKindFixture.GaussianBernoulli());

public sealed class ConditionalBernoulliContractTests() : ModelContractTests(new ModelKindFixture.Conditional(VisibleUnitKind.Bernoulli));

public sealed class ConditionalGaussianContractTests() : ModelContractTests(new ModelKindFixture.Conditional(VisibleUnitKind.Gaussian));

public sealed class ConvolutionalContractTests() : ModelContractTests(new ModelKindFixture.Convolutional(VisibleUnitKind.Bernoulli));

public sealed class ConvolutionalGaussianContractTests() : ModelContractTests(new ModelKindFixture.Convolutional(VisibleUnitKind.Gaussian));
