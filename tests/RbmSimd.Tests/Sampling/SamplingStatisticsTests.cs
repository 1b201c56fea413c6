using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Sampling;

/// <summary>Fixed-seed statistical tests: a wrong sampler fails them, a right one passes with overwhelming probability.</summary>
public class SamplingStatisticsTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-3)]
    [InlineData(0.05)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.97)]
    [InlineData(1.0)]
    public void Bernoulli_FrequencyMatchesProbability(double p)
    {
        const int n = 200_000;
        var probabilities = Enumerable.Repeat((float)p, n).ToArray();
        var samples = new float[n];
        var random = new RandomStream(11);
        Bernoulli.Sample(probabilities, samples, ref random);
        Assert.Equal((ulong)n, random.Position);
        Assert.All(samples, s => Assert.True(s is 0f or 1f));
        double frequency = samples.Average(s => (double)s);
        if (p is 0.0 or 1.0)
        {
            Assert.Equal(p, frequency);
            return;
        }
        // Five standard errors: a correct sampler fails with probability below 10⁻⁶.
        double se = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(frequency, p - 5 * se, p + 5 * se);
    }

    [Fact]
    public void Bernoulli_UnitsAreIndependentAcrossPositions()
    {
        // Adjacent draws at p = 0.5 agree half the time; a stream that repeated or correlated values would not.
        const int n = 200_000;
        var samples = new float[n];
        var random = new RandomStream(12);
        Bernoulli.Sample(Enumerable.Repeat(0.5f, n).ToArray(), samples, ref random);
        int agree = 0;
        for (int i = 1; i < n; i++) if (samples[i] == samples[i - 1]) agree++;
        double se = Math.Sqrt(0.25 / (n - 1));
        Assert.InRange(agree / (double)(n - 1), 0.5 - 5 * se, 0.5 + 5 * se);
    }

    [Fact]
    public void GibbsChain_VisitsVisibleStatesWithExactProbabilities()
    {
        // A 3×2 model with strong, asymmetric parameters; P(v) is known exactly by enumeration.
        var rbm = new BernoulliRbm(3, 2, [1.5f, -1f, -2f, 0.5f, 1f, 1f], [-0.5f, 0.3f, 0.2f], [0.4f, -0.6f]);
        var naive = new NaiveRbm(rbm);
        double logZ = naive.LogZBruteForce();
        double[] exact = NaiveRbm.AllStates(3).Select(v => Math.Exp(naive.LogProbabilityBruteForce(v, logZ))).ToArray();

        double tv = TotalVariation(VisibleStateFrequencies(rbm, seed: 2024), exact);
        // With ~128k correlated visits the expected TV distance is about 0.005; a sampler that drops
        // a bias or transposes W lands above 0.05 on this model.
        Assert.True(tv < 0.02, $"total variation {tv}");
    }

    [Fact]
    public void GibbsChain_WrongModelIsDetected()
    {
        // The same test statistic against a slightly different model must fail: the test has power.
        var rbm = new BernoulliRbm(3, 2, [1.5f, -1f, -2f, 0.5f, 1f, 1f], [-0.5f, 0.3f, 0.2f], [0.4f, -0.6f]);
        var other = new NaiveRbm(new BernoulliRbm(3, 2, [1.5f, -1f, -2f, 0.5f, 1f, 1f], [-0.5f, 0.3f, 0.2f], [0.4f, 0.6f]));
        double logZ = other.LogZBruteForce();
        double[] wrong = NaiveRbm.AllStates(3).Select(v => Math.Exp(other.LogProbabilityBruteForce(v, logZ))).ToArray();
        double tv = TotalVariation(VisibleStateFrequencies(rbm, seed: 2024), wrong);
        Assert.True(tv >= 0.02, $"total variation {tv}");
    }

    [Fact]
    public void SampleHiddens_FrequenciesMatchConditional()
    {
        var rbm = BernoulliRbm.CreateRandom(10, 6, seed: 4, weightStdDev: 1f);
        var v = new Matrix(1, 10);
        for (int i = 0; i < 10; i += 2) v[0, i] = 1;
        var p = new Matrix(1, 6);
        rbm.MeanHiddens(v, p);
        const int n = 50_000;
        var sum = new double[6];
        var h = new Matrix(1, 6);
        var random = new RandomStream(5);
        for (int t = 0; t < n; t++)
        {
            rbm.SampleHiddens(v, h, ref random);
            for (int j = 0; j < 6; j++) sum[j] += h[0, j];
        }
        for (int j = 0; j < 6; j++)
        {
            double se = Math.Sqrt(p[0, j] * (1 - p[0, j]) / n) + 1e-9;
            Assert.InRange(sum[j] / n, p[0, j] - 5 * se, p[0, j] + 5 * se);
        }
    }

    [Fact]
    public void RandomStream_ChildStreamsDifferAndPositionsAreAddressable()
    {
        var root = new RandomStream(1);
        var a = root.Derive(1, 2);
        var b = root.Derive(2, 1);
        Assert.NotEqual(a.ValueAt(0), b.ValueAt(0));
        ulong third = a.ValueAt(2);
        a.NextUInt64();
        a.NextUInt64();
        Assert.Equal(third, a.NextUInt64());
        var uniforms = new float[1000];
        root.NextSingles(uniforms);
        Assert.All(uniforms, u => Assert.InRange(u, 0f, 0.99999995f));
    }

    [Fact]
    public void ExactLogProbability_AgreesWithSampledFrequencyOfVisibleStates()
    {
        // Cross-check of two independent routes to P(v): the exact partition function and the chain.
        var rbm = new BernoulliRbm(2, 3, [0.8f, -0.4f, 1.2f, -1.1f, 0.3f, 0.9f], [0.2f, -0.3f], [0.1f, 0.5f, -0.7f]);
        double logZ = ExactPartitionFunction.LogPartitionFunction(rbm);
        var all = new Matrix(4, 2, [0, 0, 1, 0, 0, 1, 1, 1]);
        var lp = new double[4];
        ExactPartitionFunction.LogProbability(rbm, all, logZ, lp);
        double tv = TotalVariation(VisibleStateFrequencies(rbm, seed: 77), lp.Select(Math.Exp).ToArray());
        Assert.True(tv < 0.02, $"total variation {tv}");
    }

    /// <summary>
    /// Frequencies of the visible states (state index Σᵢ vᵢ·2ⁱ) visited by 64 independent chains,
    /// 2,000 steps each after a burn-in of 50: 128,000 visits.
    /// </summary>
    private static double[] VisibleStateFrequencies(BernoulliRbm rbm, ulong seed)
    {
        const int chains = 64, burnIn = 50, steps = 2000;
        var v = new Matrix(chains, rbm.VisibleCount);
        var h = new Matrix(chains, rbm.HiddenCount);
        var random = new RandomStream(seed);
        var counts = new double[1 << rbm.VisibleCount];
        rbm.Gibbs(v, h, burnIn, ref random);
        for (int s = 0; s < steps; s++)
        {
            rbm.Gibbs(v, h, 1, ref random);
            for (int c = 0; c < chains; c++)
            {
                int state = 0;
                for (int i = 0; i < rbm.VisibleCount; i++) state |= (int)v[c, i] << i;
                counts[state]++;
            }
        }
        return counts.Select(n => n / (chains * steps)).ToArray();
    }

    private static double TotalVariation(double[] p, double[] q) => 0.5 * p.Zip(q, (x, y) => Math.Abs(x - y)).Sum();
}

public class RandomStreamTests
{
    [Theory]
    [InlineData(0UL, 0)]
    [InlineData(1UL, 1)]
    [InlineData(7UL, 7)]
    [InlineData(8UL, 8)]
    [InlineData(9UL, 9)]
    [InlineData(12345UL, 6 * 512 + 7)]
    [InlineData(ulong.MaxValue, 33)]
    public void NextSingles_EqualsOneAtATime(ulong seed, int length)
    {
        var bulk = new RandomStream(seed).Derive(3);
        bulk.Position = ulong.MaxValue - 20; // the counter wraps inside the run
        var single = bulk;
        var values = new float[length];
        bulk.NextSingles(values);
        for (int i = 0; i < length; i++) Assert.Equal(single.NextSingle(), values[i]);
        Assert.Equal(single.Position, bulk.Position);
    }

    [Fact]
    public void Bernoulli_InPlace_EqualsSeparateDestination()
    {
        var random = new Random(4);
        float[] p = Enumerable.Range(0, 1000).Select(_ => (float)random.NextDouble()).ToArray();
        float[] copy = (float[])p.Clone();
        var separate = new float[p.Length];
        var a = new RandomStream(5);
        var b = new RandomStream(5);
        Bernoulli.Sample(p, separate, ref a);
        Bernoulli.Sample(copy, copy, ref b);
        Assert.Equal(separate, copy);
        var c = new RandomStream(5);
        for (int i = 0; i < p.Length; i++) Assert.Equal(c.NextSingle() < p[i] ? 1f : 0f, separate[i]);
    }
}
