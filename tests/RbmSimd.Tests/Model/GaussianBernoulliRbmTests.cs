using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>What only the Gaussian–Bernoulli model has: integrals over real visible units, Gaussian draws and the log-variance gradient.</summary>
public class GaussianBernoulliRbmTests
{
    internal static GaussianBernoulliRbm Random(int nv, int nh, int seed, double weightScale = 0.8)
    {
        var random = new Random(seed);
        float N(double s) => (float)(s * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        float[] w = Enumerable.Range(0, nv * nh).Select(_ => N(weightScale)).ToArray();
        float[] a = Enumerable.Range(0, nv).Select(_ => N(1)).ToArray();
        float[] b = Enumerable.Range(0, nh).Select(_ => N(1)).ToArray();
        float[] z = Enumerable.Range(0, nv).Select(_ => N(0.5)).ToArray();
        return new GaussianBernoulliRbm(nv, nh, w, a, b, z);
    }

    /// <summary>
    /// log Z by two-dimensional numerical quadrature of Σ_h e^{−E(v,h)} over the plane (the trapezoid rule on a
    /// grid spanning every conditional mean ± 12σ: for integrands this smooth and fast-decaying its error is far
    /// below 1e-12), independent of the closed-form Gaussian integral the library uses.
    /// </summary>
    private static double LogZByQuadrature(NaiveGaussianRbm m)
    {
        int nv = m.Nv;
        double[] lo = new double[2], hi = new double[2];
        for (int i = 0; i < nv; i++)
        {
            lo[i] = double.PositiveInfinity;
            hi[i] = double.NegativeInfinity;
            foreach (double[] h in NaiveRbm.AllStates(m.Nh))
            {
                double mean = m.MeanVisibles(h, 1, null)[i];
                lo[i] = Math.Min(lo[i], mean - 12 * m.Sigma(i));
                hi[i] = Math.Max(hi[i], mean + 12 * m.Sigma(i));
            }
        }
        const int Points = 801;
        double[] step = [(hi[0] - lo[0]) / (Points - 1), nv > 1 ? (hi[1] - lo[1]) / (Points - 1) : 1];
        double[][] hiddenStates = NaiveRbm.AllStates(m.Nh).ToArray();
        // A shift keeps the exponentials in range: the largest −E at the grid's centre.
        double shift = hiddenStates.Max(h => -m.Energy(m.MeanVisibles(h, 1, null), h));
        double sum = 0;
        for (int p = 0; p < Points; p++)
        {
            for (int q = 0; q < (nv > 1 ? Points : 1); q++)
            {
                double[] v = nv > 1 ? [lo[0] + p * step[0], lo[1] + q * step[1]] : [lo[0] + p * step[0]];
                double weight = (p == 0 || p == Points - 1 ? 0.5 : 1) * (nv == 1 ? 1 : q == 0 || q == Points - 1 ? 0.5 : 1);
                double inner = 0;
                foreach (double[] h in hiddenStates) inner += Math.Exp(-m.Energy(v, h) - shift);
                sum += weight * inner;
            }
        }
        return shift + Math.Log(sum * step[0] * step[1]);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 3, 2)]
    [InlineData(2, 1, 3)]
    [InlineData(2, 2, 4)]
    [InlineData(2, 3, 5)]
    [InlineData(2, 4, 6)]
    public void ExactLogZ_MatchesTwoDimensionalQuadrature(int nv, int nh, int seed)
    {
        GaussianBernoulliRbm rbm = Random(nv, nh, seed);
        var naive = new NaiveGaussianRbm(rbm);
        double quadrature = LogZByQuadrature(naive);
        double exact = ExactPartitionFunction.LogPartitionFunction(rbm, maxDegreeOfParallelism: 1);
        Assert.True(Math.Abs(quadrature - exact) <= 1e-6, $"quadrature {quadrature} vs exact {exact}");
    }

    [Fact]
    public void ExactLogZ_SixteenHiddenUnits_MatchesReferenceAcrossGrayCodeBlocks()
    {
        // 2^16 states: 64 Gray-code blocks of 2^10, so block starts and the running log-sum-exp are exercised.
        GaussianBernoulliRbm rbm = Random(5, 16, 7, weightScale: 0.5);
        double expected = new NaiveGaussianRbm(rbm).LogZ();
        double actual = ExactPartitionFunction.LogPartitionFunction(rbm, maxDegreeOfParallelism: 2);
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * (1 + Math.Abs(expected)), $"{expected} vs {actual}");
    }

    [Fact]
    public void LogDensity_IntegratesToOne()
    {
        // ∫ p(v) dv over the plane, by the same quadrature grid: exp(−F(v) − log Z) must integrate to 1.
        GaussianBernoulliRbm rbm = Random(2, 3, 9);
        double logZ = ExactPartitionFunction.LogPartitionFunction(rbm);
        const int Points = 401;
        const double Lo = -25, Hi = 25, Step = (Hi - Lo) / (Points - 1);
        var grid = new Matrix(Points, 2);
        var f = new double[Points];
        double total = 0;
        for (int p = 0; p < Points; p++)
        {
            for (int q = 0; q < Points; q++)
            {
                grid[q, 0] = (float)(Lo + p * Step);
                grid[q, 1] = (float)(Lo + q * Step);
            }
            rbm.FreeEnergy(grid, f);
            for (int q = 0; q < Points; q++) total += Math.Exp(-f[q] - logZ);
        }
        total *= Step * Step;
        Assert.True(Math.Abs(total - 1) < 1e-4, $"∫p = {total}");
    }

    [Fact]
    public void SampleVisibles_AreNormalWithTheConditionalMeanAndVariance()
    {
        // 40,000 draws per unit for fixed h: the sample mean within 5 standard errors, the variance within
        // 5 standard errors of the sample variance (√(2/(n−1))·σ²), and a Kolmogorov–Smirnov test of the
        // standardised draws against N(0, 1) at α = 0.001 (critical value 1.95/√n).
        GaussianBernoulliRbm rbm = Random(9, 4, 11);
        var naive = new NaiveGaussianRbm(rbm);
        const int N = 40_000;
        var hidden = new Matrix(N, 4);
        double[] h = [1, 0, 1, 1];
        for (int r = 0; r < N; r++) for (int j = 0; j < 4; j++) hidden[r, j] = (float)h[j];
        var v = new Matrix(N, 9);
        var random = new RandomStream(21);
        rbm.SampleVisibles(hidden, v, ref random, maxDegreeOfParallelism: 2);
        double[] mean = naive.MeanVisibles(h, 1, null);
        for (int i = 0; i < 9; i++)
        {
            double sigma = naive.Sigma(i);
            double[] z = Enumerable.Range(0, N).Select(r => (v[r, i] - mean[i]) / sigma).ToArray();
            double m = z.Average(), s2 = z.Sum(x => (x - m) * (x - m)) / (N - 1);
            Assert.True(Math.Abs(m) < 5 / Math.Sqrt(N), $"unit {i}: standardised mean {m}");
            Assert.True(Math.Abs(s2 - 1) < 5 * Math.Sqrt(2.0 / (N - 1)), $"unit {i}: standardised variance {s2}");
            Assert.True(KolmogorovSmirnov(z) < 1.95 / Math.Sqrt(N), $"unit {i}: KS {KolmogorovSmirnov(z)}");
        }
    }

    [Fact]
    public void KolmogorovSmirnov_RejectsDrawsWithTheWrongScale()
    {
        // The twin of the sampler test: the same draws, read with σ off by 5 % (what a sampler using σ² or
        // a mis-scaled deviate would give), fail the same test. This shows the test can fail.
        GaussianBernoulliRbm rbm = Random(3, 2, 13);
        var naive = new NaiveGaussianRbm(rbm);
        const int N = 40_000;
        var hidden = new Matrix(N, 2);
        var v = new Matrix(N, 3);
        var random = new RandomStream(22);
        rbm.SampleVisibles(hidden, v, ref random);
        double[] mean = naive.MeanVisibles([0, 0], 1, null);
        double[] z = Enumerable.Range(0, N).Select(r => (v[r, 0] - mean[0]) / (1.05 * naive.Sigma(0))).ToArray();
        Assert.True(KolmogorovSmirnov(z) > 1.95 / Math.Sqrt(N));
    }

    /// <summary>sup |F_n(x) − Φ(x)| of standardised values.</summary>
    internal static double KolmogorovSmirnov(double[] z)
    {
        double[] sorted = (double[])z.Clone();
        Array.Sort(sorted);
        double d = 0;
        for (int k = 0; k < sorted.Length; k++)
        {
            double cdf = NormalCdf(sorted[k]);
            d = Math.Max(d, Math.Max((k + 1.0) / sorted.Length - cdf, cdf - (double)k / sorted.Length));
        }
        return d;
    }

    /// <summary>Φ(x) via the complementary error function (Numerical Recipes' erfc with |error| &lt; 1.2e-7).</summary>
    internal static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        double z = Math.Abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
