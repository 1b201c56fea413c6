using RbmSimd.Kernels;
using RbmSimd.Sampling;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Sampling;

/// <summary>
/// Fixed-seed distribution tests of the Gaussian draws. Each bound comes from the statistic's own sampling
/// distribution, so a correct sampler fails with the stated small probability and a wrong one (the twins) fails
/// for sure.
/// </summary>
public class GaussianStatisticsTests
{
    /// <summary>The level of the Kolmogorov–Smirnov test: a correct sampler fails it at one seed in a thousand.</summary>
    private const double Alpha = 0.001;

    private const int KsSampleSize = 200_000;

    private static float[] Draw(int n, ulong seed, KernelIsa isa)
    {
        var random = new RandomStream(seed);
        var z = new float[n];
        Gaussian.SampleStandard(z, ref random, isa);
        return z;
    }

    [Theory]
    [MemberData(nameof(GaussianTests.AllTiers), MemberType = typeof(GaussianTests))]
    public void StandardDeviates_MeanAndVariance_WithinFiveStandardErrors(KernelIsa isa)
    {
        // For n normal draws the sample mean has standard error 1/√n and the sample variance about √(2/n)
        // (Var s² = (μ₄ − σ⁴)/n = 2/n); five standard errors are exceeded with probability below 10⁻⁶ each.
        const int n = 1 << 20;
        float[] z = Draw(n, 2024, isa);
        double mean = z.Average(v => (double)v);
        double variance = z.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        Assert.InRange(mean, -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
        Assert.InRange(variance, 1 - 5 * Math.Sqrt(2.0 / n), 1 + 5 * Math.Sqrt(2.0 / n));
    }

    [Theory]
    [MemberData(nameof(GaussianTests.AllTiers), MemberType = typeof(GaussianTests))]
    public void StandardDeviates_PassKolmogorovSmirnovAgainstNormal(KernelIsa isa)
    {
        double d = NormalDistribution.KolmogorovSmirnov(Draw(KsSampleSize, 7, isa).Select(v => (double)v), NormalDistribution.Cdf);
        double critical = NormalDistribution.KolmogorovSmirnovCritical(Alpha, KsSampleSize);
        Assert.True(d < critical, $"D = {d:E3} ≥ critical {critical:E3}");
    }

    [Fact]
    public void KolmogorovSmirnov_Twin_UniformsWithUnitVarianceFail()
    {
        // The same test has power: uniforms on [−√3, √3] have mean 0 and variance 1 but are not normal.
        var random = new RandomStream(7);
        var u = new float[KsSampleSize];
        random.NextSingles(u);
        double d = NormalDistribution.KolmogorovSmirnov(u.Select(v => Math.Sqrt(3) * (2 * v - 1)), NormalDistribution.Cdf);
        Assert.True(d >= NormalDistribution.KolmogorovSmirnovCritical(Alpha, KsSampleSize), $"D = {d:E3}");
    }

    [Fact]
    public void KolmogorovSmirnov_Twin_RadiusWithoutTheFactorTwoFails()
    {
        // Box–Muller with √(−ln u₁) instead of √(−2 ln u₁): normal, but with variance ½.
        double d = NormalDistribution.KolmogorovSmirnov(Draw(KsSampleSize, 7, KernelSelection.Active).Select(v => v / Math.Sqrt(2)), NormalDistribution.Cdf);
        Assert.True(d >= NormalDistribution.KolmogorovSmirnovCritical(Alpha, KsSampleSize), $"D = {d:E3}");
    }

    [Theory]
    [MemberData(nameof(GaussianTests.AllTiers), MemberType = typeof(GaussianTests))]
    public void StandardDeviates_TailBeyondFour_HasTheNormalFrequency(KernelIsa isa)
    {
        // P(|z| > 4) = 2(1 − Φ(4)) ≈ 6.33·10⁻⁵: about 265 of 2²² draws. The count is binomial, so within five
        // standard deviations (√(np(1−p)) ≈ 16) with probability above 1 − 10⁻⁶. A sampler whose tail is cut
        // short (a radius from too few bits, a clamp) or fattened fails.
        const int n = 1 << 22;
        double p = 2 * (1 - NormalDistribution.Cdf(4));
        int count = Draw(n, 99, isa).Count(v => Math.Abs(v) > 4);
        double expected = n * p, sd = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(count, expected - 5 * sd, expected + 5 * sd);
    }

    [Fact]
    public void MeanAndScale_GiveTheRequestedMoments()
    {
        // v = μ + σz with μ = 3, σ = 0.5: sample mean within 5σ/√n, sample variance within 5·σ²·√(2/n) of σ².
        const int n = 1 << 20;
        var random = new RandomStream(31);
        var v = new float[n];
        Gaussian.Sample(3f, 0.5f, v, ref random);
        double mean = v.Average(x => (double)x);
        double variance = v.Sum(x => (x - mean) * (x - mean)) / (n - 1);
        Assert.InRange(mean, 3 - 5 * 0.5 / Math.Sqrt(n), 3 + 5 * 0.5 / Math.Sqrt(n));
        Assert.InRange(variance, 0.25 * (1 - 5 * Math.Sqrt(2.0 / n)), 0.25 * (1 + 5 * Math.Sqrt(2.0 / n)));
    }

    [Fact]
    public void StandardDeviates_Reference_CdfIsRight()
    {
        // The reference Φ against tabulated values. It adds a term below ½ to ½, so it is accurate to a few units
        // of 2⁻⁵³ absolutely (not relatively in the far tail), which is what the KS statistic needs.
        const double absolute = 1e-15;
        Assert.Equal(0.5, NormalDistribution.Cdf(0), absolute);
        Assert.Equal(0.8413447460685429, NormalDistribution.Cdf(1), absolute);
        Assert.Equal(0.022750131948179195, NormalDistribution.Cdf(-2), absolute);
        Assert.Equal(0.9986501019683699, NormalDistribution.Cdf(3), absolute);
        Assert.Equal(3.1671241833119863e-05, NormalDistribution.Cdf(-4), absolute);
    }
}
