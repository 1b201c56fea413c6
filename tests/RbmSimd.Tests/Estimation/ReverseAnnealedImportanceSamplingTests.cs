using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Model;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Estimation;

/// <summary>
/// Reverse AIS (RAISE) against <see cref="NaiveRaise"/>, the estimator written from Burda et al.'s weight in one
/// piece, row by row under the same random stream; its result record; its argument checks; and the progress
/// and cancellation both estimators promise. Fast: small models and short schedules only.
/// </summary>
public class ReverseAnnealedImportanceSamplingTests
{
    private static ModelKindFixture Fixture(string kind) =>
        kind == "bernoulli" ? new ModelKindFixture.Bernoulli() : new ModelKindFixture.GaussianBernoulli();

    [Theory]
    [InlineData("bernoulli")]
    [InlineData("gaussian-bernoulli")]
    public void Raise_MatchesNaiveRaise_RowByRow(string kind)
    {
        ModelKindFixture fixture = Fixture(kind);
        int compared = 0;
        // Seeds until 4 are free of ambiguous draws: the rows come from HashCode.Combine, which .NET seeds afresh in
        // every process, so how many of a fixed few seeds are clean varies from run to run.
        for (int seed = 1; seed <= 30 && compared < 4; seed++)
        {
            var c = new RbmCase(6 + seed, 4 + seed % 3, 3, 0.5, seed);
            IRbm model = fixture.Create(c);
            INaiveModel naive = fixture.Reference(model);
            float[] a0 = ModelKindFixture.BaseBias(c);
            Matrix rows = fixture.VisibleRows(c, 9);
            var schedule = AnnealingSchedule.Uniform(12);
            const int Runs = 4;
            var perRow = new double[c.Rows];
            LogLikelihoodEstimate estimate = ReverseAnnealedImportanceSampling.LogLikelihood(model, new Dataset(rows.Clone()),
                new AisOptions { Runs = Runs, Schedule = schedule, BaseVisibleBias = a0, Seed = (ulong)seed, MaxDegreeOfParallelism = 1 }, perRow);
            double margin = double.PositiveInfinity;
            double[][] data = Enumerable.Range(0, c.Rows).Select(r => RbmCase.Row(rows, r)).ToArray();
            double[] expected = NaiveRaise.Run(naive, data, schedule.Betas.ToArray(), a0.Select(x => (double)x).ToArray(), Runs, (ulong)seed, ref margin);
            if (margin < 1e-4) continue; // a uniform that sits on its probability may legitimately fall the other way in float
            compared++;
            // 2K + 2 float free energies of O(10) per run, a few ε·|F| each: within 1e-4 per term, as for AIS.
            double tol = 26 * 1e-4;
            for (int r = 0; r < c.Rows; r++)
                Assert.True(Math.Abs(expected[r] - perRow[r]) <= tol * (1 + Math.Abs(expected[r])), $"seed {seed} row {r}: {expected[r]} vs {perRow[r]}");
            double mean = expected.Average();
            double se = Math.Sqrt(expected.Sum(x => (x - mean) * (x - mean)) / (c.Rows - 1) / c.Rows);
            Assert.True(Math.Abs(mean - estimate.Mean) <= tol * (1 + Math.Abs(mean)), $"seed {seed}: mean {mean} vs {estimate.Mean}");
            Assert.True(Math.Abs(se - estimate.StandardError) <= 2 * tol * (1 + Math.Abs(mean)), $"seed {seed}: standard error {se} vs {estimate.StandardError}");
            Assert.Equal((c.Rows, "raise", Runs, 12), (estimate.Rows, estimate.Method, estimate.Runs, estimate.Temperatures));
            Assert.True(estimate.Seconds >= 0);
        }
        Assert.True(compared >= 4, $"only {compared} of 30 seeds were free of ambiguous draws");
    }

    [Fact]
    public void Raise_WithoutPerRow_GivesTheSameMean_AndNullBaseIsZeroBase()
    {
        var c = new RbmCase(8, 5, 4, 0.5, 3);
        IRbm model = new ModelKindFixture.Bernoulli().Create(c);
        var data = new Dataset(c.BinaryRows(8, 1));
        var options = new AisOptions { Runs = 3, Schedule = AnnealingSchedule.Uniform(6), Seed = 5, MaxDegreeOfParallelism = 1 };
        var perRow = new double[4];
        LogLikelihoodEstimate withRows = ReverseAnnealedImportanceSampling.LogLikelihood(model, data, options, perRow);
        LogLikelihoodEstimate without = ReverseAnnealedImportanceSampling.LogLikelihood(model, data, options);
        LogLikelihoodEstimate zeroBase = ReverseAnnealedImportanceSampling.LogLikelihood(model, data, options with { BaseVisibleBias = new float[8] });
        Assert.Equal(withRows.Mean, without.Mean);
        Assert.Equal(withRows.Mean, zeroBase.Mean);
        Assert.Equal(perRow.Average(), withRows.Mean, 12);
    }

    [Fact]
    public void Raise_RejectsBadArguments_NamingThem()
    {
        var c = new RbmCase(6, 4, 3, 0.5, 2);
        IRbm model = c.CreateModel();
        var data = new Dataset(c.BinaryRows(6, 1));
        var options = new AisOptions { Runs = 2, Schedule = AnnealingSchedule.Uniform(3) };
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => ReverseAnnealedImportanceSampling.LogLikelihood(null!, data, options)).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentNullException>(() => ReverseAnnealedImportanceSampling.LogLikelihood(model, null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => ReverseAnnealedImportanceSampling.LogLikelihood(model, data, null!)).ParamName);
        Assert.Equal("Runs", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ReverseAnnealedImportanceSampling.LogLikelihood(model, data, options with { Runs = 1 })).ParamName);

        var ex = Assert.Throws<ArgumentException>(() => ReverseAnnealedImportanceSampling.LogLikelihood(model, new Dataset(new Matrix(0, 6)), options));
        Assert.Equal("data", ex.ParamName);
        Assert.StartsWith("The data has no rows.", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ReverseAnnealedImportanceSampling.LogLikelihood(model, new Dataset(new Matrix(3, 7)), options));
        Assert.Equal("data", ex.ParamName);
        Assert.StartsWith("The data has 7 columns but the model has 6 visible units.", ex.Message);
        foreach (int length in new[] { 2, 4 })
        {
            ex = Assert.Throws<ArgumentException>(() => ReverseAnnealedImportanceSampling.LogLikelihood(model, data, options, new double[length]));
            Assert.Equal("perRow", ex.ParamName);
            Assert.StartsWith($"perRow holds {length} values but the data has 3 rows.", ex.Message);
        }
    }

    [Fact]
    public void BothEstimators_ReportEachTemperature_AndStopWhenCancelled()
    {
        var c = new RbmCase(6, 4, 2, 0.5, 4);
        IRbm model = c.CreateModel();
        var data = new Dataset(c.BinaryRows(6, 2));
        var options = new AisOptions { Runs = 2, Schedule = AnnealingSchedule.Uniform(4), MaxDegreeOfParallelism = 1 };

        var seen = new List<double>();
        LogZEstimate ais = AnnealedImportanceSampling.Estimate(model, options, seen.Add);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], seen);
        Assert.Equal(("ais", 2, 4), (ais.Method, ais.Runs, ais.Temperatures));
        Assert.True(ais.Lower <= ais.LogZ && ais.LogZ <= ais.Upper && ais.Seconds >= 0);

        seen.Clear();
        ReverseAnnealedImportanceSampling.LogLikelihood(model, data, options, progress: seen.Add);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], seen);

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => AnnealedImportanceSampling.Estimate(model, options, null, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => ReverseAnnealedImportanceSampling.LogLikelihood(model, data, options, default, null, cancelled.Token));

        // Cancelled between temperatures: the call stops at the next check.
        using var midway = new CancellationTokenSource();
        int calls = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => AnnealedImportanceSampling.Estimate(model, options, _ => { if (++calls == 2) midway.Cancel(); }, midway.Token));
        Assert.Equal(2, calls);
        calls = 0;
        using var midwayRaise = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ReverseAnnealedImportanceSampling.LogLikelihood(model, data, options, default, _ => { if (++calls == 2) midwayRaise.Cancel(); }, midwayRaise.Token));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void Ais_RejectsBadArguments_NamingThem()
    {
        IRbm model = new RbmCase(6, 4, 1, 0.5, 2).CreateModel();
        var options = new AisOptions { Runs = 2, Schedule = AnnealingSchedule.Uniform(3) };
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => AnnealedImportanceSampling.Estimate(null!, options)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => AnnealedImportanceSampling.Estimate(model, null!)).ParamName);
        Assert.Equal("BaseVisibleBias", Assert.Throws<ArgumentException>(() =>
            AnnealedImportanceSampling.Estimate(model, options with { BaseVisibleBias = new float[5] })).ParamName);
    }
}
