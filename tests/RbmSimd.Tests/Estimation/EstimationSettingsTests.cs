using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using Xunit;

namespace RbmSimd.Tests.Estimation;

/// <summary>
/// The estimators' settings and results against their documented contracts and closed forms: annealing
/// schedules (Salakhutdinov and Murray's published step sizes and counts), the range of every AIS option, the
/// importance-weight mean and its interval computed by hand, the per-row mean and standard error, the base
/// model's biases from data, and the exact computation's messages and result record.
/// </summary>
public class EstimationSettingsTests
{
    // ---- AnnealingSchedule --------------------------------------------------------------------------

    [Fact]
    public void SalakhutdinovMurray_Default_HasThePublishedStepsAndCounts()
    {
        AnnealingSchedule s = AnnealingSchedule.SalakhutdinovMurray();
        IReadOnlyList<double> b = s.Betas;
        Assert.Equal(14_500, s.Transitions);
        Assert.Equal(14_501, b.Count);
        Assert.Equal(0.0, b[0]);
        Assert.Equal(1.0, b[^1]);
        // 500 steps of 10⁻³ to 0.5, 4,000 of 10⁻⁴ to 0.9, 10,000 of 10⁻⁵ to 1.
        Assert.Equal(0.5, b[500], 15);
        Assert.Equal(0.9, b[4500], 15);
        for (int k = 1; k <= 500; k++) Assert.Equal(1e-3, b[k] - b[k - 1], 12);
        for (int k = 501; k <= 4500; k++) Assert.Equal(1e-4, b[k] - b[k - 1], 12);
        for (int k = 4501; k <= 14_500; k++) Assert.Equal(1e-5, b[k] - b[k - 1], 12);
    }

    [Theory]
    [InlineData(3, 1, 1, 1)]
    [InlineData(29, 1, 8, 20)]
    [InlineData(1000, 34, 276, 690)]
    [InlineData(14_500, 500, 4000, 10_000)]
    public void SalakhutdinovMurray_Scaled_KeepsTheShape(int transitions, int first, int second, int third)
    {
        // Counts: round(K·500/14,500) and round(K·4,000/14,500), at least 1 each, and the rest.
        AnnealingSchedule s = AnnealingSchedule.SalakhutdinovMurray(transitions);
        IReadOnlyList<double> b = s.Betas;
        Assert.Equal(first + second + third, s.Transitions);
        Assert.Equal(s.Transitions + 1, b.Count);
        Assert.Equal(0.5, b[first], 15);
        Assert.Equal(0.9, b[first + second], 15);
        Assert.Equal(1.0, b[^1]);
        for (int k = 1; k <= first; k++) Assert.Equal(0.5 / first, b[k] - b[k - 1], 12);
        for (int k = first + 1; k <= first + second; k++) Assert.Equal(0.4 / second, b[k] - b[k - 1], 12);
        for (int k = first + second + 1; k < b.Count; k++) Assert.Equal(0.1 / third, b[k] - b[k - 1], 12);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(-1)]
    public void SalakhutdinovMurray_FewerThanThreeTransitions_Throws(int transitions) =>
        Assert.Equal("transitions", Assert.Throws<ArgumentOutOfRangeException>(() => AnnealingSchedule.SalakhutdinovMurray(transitions)).ParamName);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Uniform_HasEqualSteps(int transitions)
    {
        AnnealingSchedule s = AnnealingSchedule.Uniform(transitions);
        Assert.Equal(transitions, s.Transitions);
        Assert.Equal(Enumerable.Range(0, transitions + 1).Select(k => (double)k / transitions), s.Betas);
        Assert.Equal(1.0, s.Betas[^1]);
    }

    [Fact]
    public void Uniform_ZeroTransitions_Throws() =>
        Assert.Equal("transitions", Assert.Throws<ArgumentOutOfRangeException>(() => AnnealingSchedule.Uniform(0)).ParamName);

    public static TheoryData<double[], string> BadSchedules => new()
    {
        { [], "A schedule needs at least β₀ = 0 and β_K = 1." },
        { [0], "A schedule needs at least β₀ = 0 and β_K = 1." },
        { [0.1, 1], "A schedule runs from 0 to 1, but this one runs from 0.1 to 1." },
        { [0, 0.5, 0.9], "A schedule runs from 0 to 1, but this one runs from 0 to 0.9." },
        { [0, 0.5, 0.5, 1], "β must increase, but β1 = 0.5 and β2 = 0.5." },
        { [0, 0.6, 0.5, 1], "β must increase, but β1 = 0.6 and β2 = 0.5." },
        { [0, double.NaN, 1], "β must increase, but β0 = 0 and β1 = NaN." },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public void Schedule_Rejects_NamingTheProblem(double[] betas, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => new AnnealingSchedule(betas));
        Assert.Equal("betas", ex.ParamName);
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void Schedule_AcceptsTheShortest_AndCopiesItsInput()
    {
        double[] betas = [0, 1];
        var s = new AnnealingSchedule(betas);
        betas[1] = 2;
        Assert.Equal([0.0, 1.0], s.Betas);
        Assert.Equal(1, s.Transitions);
        Assert.Throws<ArgumentNullException>(() => new AnnealingSchedule(null!));
    }

    // ---- AisOptions --------------------------------------------------------------------------------

    [Fact]
    public void AisOptions_Defaults_AreTheDocumentedOnes()
    {
        var o = new AisOptions();
        Assert.Equal(100, o.Runs);
        Assert.Equal(14_500, o.Schedule.Transitions);
        Assert.Null(o.BaseVisibleBias);
        Assert.Equal(1UL, o.Seed);
        Assert.Equal(-1, o.MaxDegreeOfParallelism);
    }

    [Fact]
    public void AisOptions_Validate_AcceptsTheEdgesOfEachRange()
    {
        IRbm model = BernoulliRbm.CreateRandom(3, 2, seed: 1);
        var o = new AisOptions { Schedule = AnnealingSchedule.Uniform(2) };
        foreach (AisOptions ok in new[]
        {
            o with { Runs = 2 }, o with { Runs = 1_000_000 }, o with { MaxDegreeOfParallelism = -1 }, o with { MaxDegreeOfParallelism = 1 },
            o with { BaseVisibleBias = [float.MaxValue, float.MinValue, 0f] },
        })
            ok.Validate(model);
    }

    public static TheoryData<string, string> BadOptions => new()
    {
        { "runs1", "Runs" }, { "runs1000001", "Runs" }, { "threads0", "MaxDegreeOfParallelism" }, { "threads-2", "MaxDegreeOfParallelism" },
        { "short", "BaseVisibleBias" }, { "long", "BaseVisibleBias" }, { "nanFirst", "BaseVisibleBias" }, { "infLast", "BaseVisibleBias" },
        { "schedule", "Schedule" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void AisOptions_Validate_RejectsJustOutside_NamingTheOption(string which, string name)
    {
        IRbm model = BernoulliRbm.CreateRandom(3, 2, seed: 1);
        var o = new AisOptions { Schedule = AnnealingSchedule.Uniform(2) };
        AisOptions bad = which switch
        {
            "runs1" => o with { Runs = 1 },
            "runs1000001" => o with { Runs = 1_000_001 },
            "threads0" => o with { MaxDegreeOfParallelism = 0 },
            "threads-2" => o with { MaxDegreeOfParallelism = -2 },
            "short" => o with { BaseVisibleBias = new float[2] },
            "long" => o with { BaseVisibleBias = new float[4] },
            "nanFirst" => o with { BaseVisibleBias = [float.NaN, 0f, 0f] },
            "infLast" => o with { BaseVisibleBias = [0f, 0f, float.PositiveInfinity] },
            _ => o with { Schedule = null! },
        };
        var ex = Assert.ThrowsAny<ArgumentException>(() => bad.Validate(model));
        Assert.Equal(name, ex.ParamName);
        if (which is "short" or "long")
            Assert.StartsWith($"The base model has {bad.BaseVisibleBias!.Length} visible biases but the model has 3 visible units.", ex.Message);
        if (which is "nanFirst" or "infLast")
            Assert.StartsWith("The base model's visible biases must be finite.", ex.Message);
        Assert.Throws<ArgumentNullException>(() => o.Validate(null!));
    }

    // ---- LogZEstimate and LogLikelihoodEstimate ------------------------------------------------------

    /// <summary>Mean, sample standard deviation / √n, and log(mean ∓ 3·SE), computed directly from w.</summary>
    private static (double LogMean, double Lower, double Upper) ByHand(double[] w)
    {
        double mean = w.Average();
        double se = Math.Sqrt(w.Sum(x => (x - mean) * (x - mean)) / (w.Length - 1) / w.Length);
        return (Math.Log(mean), mean - 3 * se > 0 ? Math.Log(mean - 3 * se) : double.NegativeInfinity, Math.Log(mean + 3 * se));
    }

    [Theory]
    [InlineData(new[] { 10.0, 11.0, 12.0, 13.0 }, 0.0)]
    [InlineData(new[] { 10.0, 11.0, 12.0, 13.0 }, 1000.0)]
    [InlineData(new[] { 10.0, 11.0, 12.0, 13.0 }, -1000.0)]
    [InlineData(new[] { 1.0, 2.0, 3.0, 60.0, 0.5 }, 700.0)]
    [InlineData(new[] { 5.0, 5.0 }, 2.0)]
    [InlineData(new[] { 1e-3, 4.0, 2.0 }, 0.0)]
    public void FromLogWeights_IsTheMeanAndItsThreeSigmaInterval(double[] w, double shift)
    {
        // log w = shift + log(w): the estimate is shift + log mean(w), computed without overflow.
        double[] logW = w.Select(x => shift + Math.Log(x)).ToArray();
        (double logMean, double lower, double upper) = ByHand(w);
        LogZEstimate e = LogZEstimate.FromLogWeights(logW, baseLogZ: 3.5, "ais", temperatures: 17, seconds: 2.25);
        Assert.Equal(3.5 + shift + logMean, e.LogZ, 10);
        if (double.IsNegativeInfinity(lower)) Assert.Equal(double.NegativeInfinity, e.Lower);
        else Assert.Equal(3.5 + shift + lower, e.Lower, 10);
        Assert.Equal(3.5 + shift + upper, e.Upper, 10);
        Assert.Equal(("ais", w.Length, 17, 2.25), (e.Method, e.Runs, e.Temperatures, e.Seconds));
    }

    [Fact]
    public void FromLogWeights_EdgeCases()
    {
        var ex = Assert.Throws<ArgumentException>(() => LogZEstimate.FromLogWeights([1.0], 0, "ais", 1, 0));
        Assert.Equal("logWeights", ex.ParamName);
        Assert.StartsWith("An interval needs at least two weights.", ex.Message);
        foreach (double[] nan in new[] { new[] { double.NaN, 1.0, 2.0 }, new[] { 1.0, 2.0, double.NaN } })
        {
            ex = Assert.Throws<ArgumentException>(() => LogZEstimate.FromLogWeights(nan, 0, "ais", 1, 0));
            Assert.StartsWith("A log-weight is NaN.", ex.Message);
        }
        // Every weight zero: log Ẑ = −∞ with an empty interval, not NaN.
        LogZEstimate zero = LogZEstimate.FromLogWeights([double.NegativeInfinity, double.NegativeInfinity], 1, "ais", 1, 0);
        Assert.Equal((double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity), (zero.LogZ, zero.Lower, zero.Upper));
        // One zero weight among others counts as a zero in the mean.
        LogZEstimate some = LogZEstimate.FromLogWeights([double.NegativeInfinity, Math.Log(4)], 0, "ais", 1, 0);
        Assert.Equal(Math.Log(2), some.LogZ, 12);
    }

    [Fact]
    public void Exact_IsAZeroWidthInterval()
    {
        LogZEstimate e = LogZEstimate.Exact(12.5, 0.75);
        Assert.Equal(new LogZEstimate(12.5, 12.5, 12.5, "exact", 0, 0, 0.75), e);
    }

    [Fact]
    public void MeanAndError_AreTheMeanAndItsStandardError()
    {
        (double mean, double se) = LogLikelihoodEstimate.MeanAndError([1.0, 2.0, 3.0, 6.0]);
        Assert.Equal(3.0, mean, 14);
        Assert.Equal(Math.Sqrt((4.0 + 1.0 + 0.0 + 9.0) / 3 / 4), se, 14);
        (mean, se) = LogLikelihoodEstimate.MeanAndError([-7.5]);
        Assert.Equal(-7.5, mean);
        Assert.True(double.IsNaN(se));
        (mean, se) = LogLikelihoodEstimate.MeanAndError([-2.0, -2.0]);
        Assert.Equal((-2.0, 0.0), (mean, se));
    }

    // ---- BaseModel ---------------------------------------------------------------------------------

    [Fact]
    public void BaseModel_Bernoulli_IsTheLogOddsOfTheSmoothedRates()
    {
        var m = new Matrix(4, 3);
        float[][] rows = [[1, 0, 0], [1, 1, 0], [0, 0, 0], [1, 0, 0]];
        for (int r = 0; r < 4; r++) rows[r].CopyTo(m.Row(r));
        float[] bias = BaseModel.VisibleBias(BernoulliRbm.CreateRandom(3, 2, seed: 1), new Dataset(m));
        double[] means = [0.75, 0.25, 0.0];
        for (int i = 0; i < 3; i++)
        {
            double p = (means[i] + 0.05) / 1.05;
            Assert.Equal((float)Math.Log(p / (1 - p)), bias[i]);
        }
        Assert.Equal(0.05, BaseModel.PseudoCountPerExample);
    }

    [Fact]
    public void BaseModel_AlwaysOnUnit_HasAFiniteBias_AndAisRunsOnSuchData()
    {
        // The documented promise: the pseudo-count keeps every base rate off 0 and 1. A unit on in every row
        // must get a finite bias, or AIS rejects its own base model (and the trainer's AIS monitor fails).
        var m = new Matrix(3, 2);
        float[][] rows = [[1, 0], [1, 0], [1, 0]];
        for (int r = 0; r < 3; r++) rows[r].CopyTo(m.Row(r));
        BernoulliRbm model = BernoulliRbm.CreateRandom(2, 2, seed: 1);
        float[] bias = BaseModel.VisibleBias(model, new Dataset(m));
        Assert.All(bias, b => Assert.True(float.IsFinite(b), $"bias {b}"));
        // An always-off unit gets log(0.05); an always-on one is kept as far from 1 as that one is from 0.
        Assert.Equal((float)Math.Log(0.05), bias[1], 6);
        Assert.Equal(-bias[1], bias[0], 6);
        LogZEstimate ais = AnnealedImportanceSampling.Estimate(model, new AisOptions { Runs = 2, Schedule = AnnealingSchedule.Uniform(3), BaseVisibleBias = bias });
        Assert.True(double.IsFinite(ais.LogZ));
    }

    [Fact]
    public void BaseModel_Gaussian_IsTheDataMean()
    {
        var m = new Matrix(2, 3);
        float[][] rows = [[1.5f, -2f, 0f], [2.5f, 4f, 0f]];
        for (int r = 0; r < 2; r++) rows[r].CopyTo(m.Row(r));
        var model = new GaussianBernoulliRbm(3, 2, new float[6], new float[3], new float[2], new float[3]);
        Assert.Equal([2f, 1f, 0f], BaseModel.VisibleBias(model, new Dataset(m)));
    }

    [Fact]
    public void BaseModel_WithoutData_IsZero_AndTheShapeIsChecked()
    {
        IRbm model = BernoulliRbm.CreateRandom(3, 2, seed: 1);
        Assert.Equal(new float[3], BaseModel.VisibleBias(model, null));
        Assert.Equal(new float[3], BaseModel.VisibleBias(model, new Dataset(new Matrix(0, 3))));
        var ex = Assert.Throws<ArgumentException>(() => BaseModel.VisibleBias(model, new Dataset(new Matrix(2, 4))));
        Assert.Equal("data", ex.ParamName);
        Assert.StartsWith("The data has 4 columns but the model has 3 visible units.", ex.Message);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => BaseModel.VisibleBias(null!, null)).ParamName);
    }

    // ---- ExactPartitionFunction's messages and record ----------------------------------------------

    [Fact]
    public void InfeasibleMessage_NamesTheEnumeratedLayerAndTheWayOut()
    {
        Assert.Equal(
            "Exact log Z of a 30x50 model enumerates its 30 visible units: 2^30 = 1.074E+09 states, above the limit of 67,108,864. "
            + "Raise the limit (each doubling of the states doubles the time) or estimate it instead.",
            ExactPartitionFunction.InfeasibleMessage(Zero(30, 50), ExactPartitionFunction.DefaultStateLimit));
        Assert.Equal(
            "Exact log Z of a 30x30 model enumerates its 30 hidden units: 2^30 = 1.074E+09 states, above the limit of 1,000. "
            + "Raise the limit (each doubling of the states doubles the time) or estimate it instead.",
            ExactPartitionFunction.InfeasibleMessage(Zero(30, 30), 1000));
        // Exactly at the unit limit the computation is possible: the way out is a higher state limit.
        Assert.Equal(
            "Exact log Z of a 50x40 model enumerates its 40 hidden units: 2^40 = 1.1E+12 states, above the limit of 1,000. "
            + "Raise the limit (each doubling of the states doubles the time) or estimate it instead.",
            ExactPartitionFunction.InfeasibleMessage(Zero(50, 40), 1000));
        Assert.Equal(
            "Exact log Z of a 50x41 model enumerates its 41 hidden units: 2^41 = 2.199E+12 states, beyond any exact computation (at most 40 units). "
            + "Estimate it instead (annealed importance sampling).",
            ExactPartitionFunction.InfeasibleMessage(Zero(50, 41), long.MaxValue));
        // Gaussian visible units are integrated, so the hidden layer is enumerated however small the visible one.
        var gaussian = new GaussianBernoulliRbm(3, 41, new float[3 * 41], new float[3], new float[41], new float[3]);
        Assert.StartsWith("Exact log Z of a 3x41 model enumerates its 41 hidden units: 2^41", ExactPartitionFunction.InfeasibleMessage(gaussian, long.MaxValue));
        Assert.Throws<ArgumentNullException>(() => ExactPartitionFunction.InfeasibleMessage(null!, 1));
    }

    private static BernoulliRbm Zero(int nv, int nh) => new(nv, nh, new float[nv * nh], new float[nv], new float[nh]);

    [Fact]
    public void IsFeasible_AllowsFortyUnitsAtMost_WhateverTheLimit()
    {
        Assert.True(ExactPartitionFunction.IsFeasible(Zero(40, 45), 1L << 40));
        Assert.False(ExactPartitionFunction.IsFeasible(Zero(40, 45), (1L << 40) - 1));
        Assert.False(ExactPartitionFunction.IsFeasible(Zero(41, 45), long.MaxValue));
        var ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunction(Zero(41, 45), long.MaxValue));
        Assert.Equal("model", ex.ParamName);
        Assert.StartsWith(ExactPartitionFunction.InfeasibleMessage(Zero(41, 45), long.MaxValue), ex.Message);
    }

    [Fact]
    public void Estimate_IsTheExactValueAsAZeroWidthRecord()
    {
        // W = 0: log Z = Σ softplus(aᵢ) + Σ softplus(bⱼ).
        var rbm = new BernoulliRbm(2, 3, new float[6], [1f, -2f], [0f, 0.5f, -1f]);
        double expected = Softplus(1) + Softplus(-2) + Softplus(0) + Softplus(0.5) + Softplus(-1);
        LogZEstimate e = ExactPartitionFunction.Estimate(rbm, maxDegreeOfParallelism: 1);
        Assert.Equal(expected, e.LogZ, 6);
        Assert.Equal((e.LogZ, e.LogZ, "exact", 0, 0), (e.Lower, e.Upper, e.Method, e.Runs, e.Temperatures));
        Assert.True(e.Seconds >= 0);
        Assert.Equal("model", Assert.Throws<ArgumentException>(() => ExactPartitionFunction.Estimate(rbm, stateLimit: 2)).ParamName);
    }

    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
}
