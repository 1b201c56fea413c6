using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// Prediction (k Gibbs steps with the context clamped) and generation (each prediction fed back as the newest frame of the
/// next context) against the naive reference and against the model's own operations, and their determinism.
/// </summary>
public class ConditionalPredictionTests
{
    private static ConditionalRbm Model(VisibleUnitKind units, int nv, int history, int nh, int seed)
    {
        var c = new RbmCase(nv * (history + 1), nh, 1, 0.5, seed);
        BernoulliRbm all = c.CreateModel();
        int nc = nv * history;
        float[] w = all.Weights[..(nv * nh)].ToArray(), bt = all.Weights[(nv * nh)..].ToArray();
        var random = new Random(seed);
        float[] a = Enumerable.Range(0, nv * nc).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        DenseRbm frame = units == VisibleUnitKind.Gaussian
            ? new GaussianBernoulliRbm(nv, nh, w, all.VisibleBias[..nv], all.HiddenBias, new float[nv])
            : new BernoulliRbm(nv, nh, w, all.VisibleBias[..nv], all.HiddenBias);
        return new ConditionalRbm(frame, a, bt, nc, history);
    }

    /// <summary>
    /// One mean-field step from the last frame: <c>E[v | h = P(h | v_{t−1}, u), u]</c>, against the reference. The hidden
    /// probabilities carry the sigmoid's error and a dot product's, which the visible inputs multiply by Σⱼ|Wᵢⱼ|.
    /// </summary>
    // Kills: the start not the last frame (the first context frame), the hidden layer read from a stale row, the prediction
    // written over the context.
    [Theory]
    [InlineData(VisibleUnitKind.Bernoulli)]
    [InlineData(VisibleUnitKind.Gaussian)]
    public void Predict_OneMeanFieldStep_MatchesTheReference(VisibleUnitKind units)
    {
        ConditionalRbm model = Model(units, 5, 2, 4, 3);
        var naive = new NaiveConditionalRbm(model);
        var c = new RbmCase(15, 4, 6, 1, 4);
        Matrix rows = units == VisibleUnitKind.Gaussian ? new ModelKindFixture.GaussianBernoulli().VisibleRows(c, 1) : c.BinaryRows(15, 1);
        Matrix before = rows.Clone();
        var random = new RandomStream(1);
        ConditionalPrediction.Predict(model, rows, new PredictionOptions { GibbsSteps = 1 }, ref random);
        Assert.Equal(0UL, random.Position);
        double scale = model.Parameters.Sum(p => p.Span.ToArray().Sum(x => Math.Abs(x)));
        for (int r = 0; r < rows.Rows; r++)
        {
            double[] row = RbmCase.Row(before, r);
            double[] start = [.. row[5..10], .. row[5..]];
            double[] h = naive.MeanHiddens(start, 1);
            double[] expected = naive.MeanVisibles(h, start, 1, null);
            for (int i = 0; i < 5; i++)
            {
                double hError = Tolerance.SigmoidAbsolute + Tolerance.DotBound(15, 4 * scale) / 4;
                double wSum = Enumerable.Range(0, 4).Sum(j => Math.Abs(naive.W[i, j]));
                double tol = Tolerance.DotBound(20, 4 * scale) + wSum * hError + Tolerance.SigmoidAbsolute;
                Assert.True(Math.Abs(expected[i] - rows[r, i]) <= tol, $"row {r} unit {i}: {expected[i]} vs {rows[r, i]}");
            }
            Assert.Equal(before.Row(r)[5..].ToArray(), rows.Row(r)[5..].ToArray());
        }
    }

    // Kills: a step count off by one, sampling in mean-field mode, sampling the visible units after the last step.
    [Fact]
    public void Predict_IsTheModelsOwnStepsRepeated()
    {
        ConditionalRbm model = Model(VisibleUnitKind.Bernoulli, 6, 1, 5, 7);
        Matrix rows = new RbmCase(12, 5, 4, 1, 8).BinaryRows(12, 2);
        foreach (bool sampled in new[] { false, true })
        {
            Matrix actual = rows.Clone(), expected = rows.Clone();
            var r1 = new RandomStream(5);
            var r2 = new RandomStream(5);
            ConditionalPrediction.Predict(model, actual, new PredictionOptions { GibbsSteps = 3, Sampled = sampled }, ref r1);
            var h = new Matrix(4, 5);
            for (int row = 0; row < 4; row++) expected.Row(row)[6..].CopyTo(expected.Row(row)[..6]);
            for (int step = 1; step <= 3; step++)
            {
                if (sampled) model.SampleHiddens(expected, h, ref r2, Temperature.One);
                else model.MeanHiddens(expected, h, Temperature.One);
                model.MeanVisibles(h, expected, Temperature.One);
                if (sampled && step < 3) model.SampleVisiblesFromMeans(expected, ref r2);
            }
            Assert.Equal(expected.AsSpan().ToArray(), actual.AsSpan().ToArray());
            Assert.Equal(r2.Position, r1.Position);
        }
    }

    [Fact]
    public void Predict_FromZeros_AndTheLastFrameOfAContextWithoutFrames()
    {
        ConditionalRbm model = Model(VisibleUnitKind.Bernoulli, 4, 1, 3, 9);
        var rows = new Matrix(2, 8);
        rows.Row(0).Fill(1f);
        var random = new RandomStream(1);
        var zeros = rows.Clone();
        ConditionalPrediction.Predict(model, zeros, new PredictionOptions { Start = PredictionStart.Zeros, GibbsSteps = 1 }, ref random);
        var manual = rows.Clone();
        manual.Row(0)[..4].Clear();
        var h = new Matrix(2, 3);
        model.MeanHiddens(manual, h, Temperature.One);
        model.MeanVisibles(h, manual, Temperature.One);
        Assert.Equal(manual.AsSpan().ToArray(), zeros.AsSpan().ToArray());

        var labelModel = new ConditionalRbm(model.FrameModel, new float[4 * 3], new float[3 * 3], 3);
        var e = Assert.Throws<ArgumentException>(() => ConditionalPrediction.Predict(labelModel, new Matrix(1, 7), new PredictionOptions { Start = PredictionStart.LastFrame }, ref random));
        Assert.Contains("history length 0", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PredictionOptions { GibbsSteps = 0 }.Validate());
    }

    // Kills: the context not shifted (the newest frame dropped or put last), the generated frames read before the step,
    // sequences mixed up.
    [Fact]
    public void Generate_FeedsEachPredictionBackAsTheNewestFrame()
    {
        ConditionalRbm model = Model(VisibleUnitKind.Gaussian, 3, 3, 4, 11);
        var history = new Matrix(5, 3, Enumerable.Range(0, 15).Select(i => (float)Math.Sin(i)).ToArray());
        var context = new float[9];
        ConditionalPrediction.ContextFromHistory(model, history, context);
        Assert.Equal([.. history.Row(4), .. history.Row(3), .. history.Row(2)], context);
        var contexts = new Matrix(2, 9);
        context.CopyTo(contexts.Row(0));
        contexts.Row(1).Fill(0.5f);
        var options = new PredictionOptions { GibbsSteps = 2 };
        Matrix generated = ConditionalPrediction.Generate(model, contexts, 4, options, seed: 3);
        Assert.Equal((8, 3), (generated.Rows, generated.Cols));
        for (int s = 0; s < 2; s++)
        {
            var frames = new List<float[]> { contexts.Row(s)[6..9].ToArray(), contexts.Row(s)[3..6].ToArray(), contexts.Row(s)[..3].ToArray() };
            var random = new RandomStream(3);
            for (int t = 0; t < 4; t++)
            {
                var row = new Matrix(1, 12);
                for (int k = 0; k < 3; k++) frames[^(k + 1)].CopyTo(row.Row(0).Slice(3 + 3 * k, 3));
                ConditionalPrediction.Predict(model, row, options, ref random);
                Assert.Equal(row.Row(0)[..3].ToArray(), generated.Row(s * 4 + t).ToArray());
                frames.Add(row.Row(0)[..3].ToArray());
            }
        }
    }

    [Fact]
    public void Generate_Sampled_IsTheSameForAnyThreadCount()
    {
        ConditionalRbm model = Model(VisibleUnitKind.Bernoulli, 40, 2, 150, 13);
        var contexts = new RbmCase(80, 1, 9, 1, 14).BinaryRows(80, 3);
        var options = new PredictionOptions { GibbsSteps = 3, Sampled = true };
        float[] one = ConditionalPrediction.Generate(model, contexts, 5, options, 7, 1).AsSpan().ToArray();
        float[] three = ConditionalPrediction.Generate(model, contexts, 5, options, 7, 3).AsSpan().ToArray();
        Assert.Equal(one, three);
    }
}
