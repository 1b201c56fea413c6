using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Model;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// <see cref="IRbm.ComputeGradient"/> against finite differences: its data half is −∂F/∂θ averaged over the
/// data rows and its model half the same over the model rows, so for any two sets of rows it must equal the
/// derivative of <c>mean_D(−F) − mean_M(−F)</c>; and with exact samples of the model as the model rows it
/// estimates the derivative of the exact log-likelihood, <c>mean_D(−F) − log Z</c>.
/// </summary>
public class GradientFiniteDifferenceTests
{
    private const double Step = 1e-4;

    /// <summary>The parameters of a naive model as one flat list of (name, index) → value accessors.</summary>
    private static List<(string Name, int Index, Func<double> Get, Action<double> Set)> Coordinates(INaiveModel m)
    {
        var list = new List<(string, int, Func<double>, Action<double>)>();
        (double[,] w, double[] a, double[] b, double[]? z) = m switch
        {
            NaiveRbm r => (r.W, r.A, r.B, (double[]?)null),
            NaiveGaussianRbm g => (g.W, g.A, g.B, g.Z),
            _ => throw new ArgumentException("unknown reference"),
        };
        for (int i = 0; i < m.Nv; i++)
            for (int j = 0; j < m.Nh; j++)
            {
                int ii = i, jj = j;
                list.Add(("W", i * m.Nh + j, () => w[ii, jj], x => w[ii, jj] = x));
            }
        for (int i = 0; i < m.Nv; i++) { int k = i; list.Add(("visible_bias", i, () => a[k], x => a[k] = x)); }
        for (int j = 0; j < m.Nh; j++) { int k = j; list.Add(("hidden_bias", j, () => b[k], x => b[k] = x)); }
        if (z is not null)
            for (int i = 0; i < m.Nv; i++) { int k = i; list.Add(("log_variance", i, () => z[k], x => z[k] = x)); }
        return list;
    }

    public static TheoryData<string> Kinds => new() { "bernoulli", "gaussian-bernoulli" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Gradient_IsTheDerivativeOfTheFreeEnergyDifference(string kind)
    {
        ModelKindFixture fixture = kind == "bernoulli" ? new ModelKindFixture.Bernoulli() : new ModelKindFixture.GaussianBernoulli();
        var c = new Generators.RbmCase(5, 4, 6, 0.7, 31);
        IRbm model = fixture.Create(c);
        Matrix data = fixture.VisibleRows(c, 1), modelRows = fixture.VisibleRows(c with { Rows = 4 }, 2);
        ParameterSet gradient = GradientChecks.Gradient(model, data, modelRows, threads: 1);

        INaiveModel naive = fixture.Reference(model);
        double[][] d = Enumerable.Range(0, data.Rows).Select(r => Generators.RbmCase.Row(data, r)).ToArray();
        double[][] m = Enumerable.Range(0, modelRows.Rows).Select(r => Generators.RbmCase.Row(modelRows, r)).ToArray();
        double Objective() => -d.Average(v => naive.FreeEnergy(v, 1, null)) + m.Average(v => naive.FreeEnergy(v, 1, null));
        foreach (var (name, index, get, set) in Coordinates(naive))
        {
            double expected = GradientChecks.CentralDifference(Objective, get, set, Step);
            double actual = gradient[name].Span[index];
            // Float statistics over 10 rows of products of O(1) values: a few hundred ε; the central
            // difference's truncation error is O(Step²) = 1e-8.
            Assert.True(Math.Abs(expected - actual) <= 2e-5 * (1 + Math.Abs(expected)), $"{name}[{index}]: finite difference {expected}, gradient {actual}");
        }
        Assert.Contains(Coordinates(naive), x => x.Name == "log_variance" || kind == "bernoulli");
    }

    [Fact]
    public void GaussianGradient_WithExactModelSamples_EstimatesTheExactLogLikelihoodGradient()
    {
        // A tiny model whose distribution can be sampled exactly: h from its marginal (2³ states, the
        // visible layer integrated out), then v | h Gaussian. With those samples as the model rows, each
        // gradient entry is an unbiased estimate of ∂/∂θ [mean_D log p(v)], whose exact value the central
        // difference of the reference's exact log-likelihood gives. Bound: 5 standard errors of the estimate.
        GaussianBernoulliRbm rbm = GaussianBernoulliRbmTests.Random(2, 3, 41, weightScale: 0.6);
        var naive = new NaiveGaussianRbm(rbm);
        var random = new Random(5);
        const int M = 200_000;
        double[][] states = NaiveRbm.AllStates(3).ToArray();
        double logZ = naive.LogZ();
        double[] p = states.Select(h =>
        {
            double t = 0;
            for (int j = 0; j < 3; j++) t += naive.B[j] * h[j];
            for (int i = 0; i < 2; i++)
            {
                double cc = naive.Wh(h, i);
                t += 0.5 * cc * cc + naive.A[i] * cc / naive.Sigma(i) + Math.Log(naive.Sigma(i) * Math.Sqrt(2 * Math.PI));
            }
            return Math.Exp(t - logZ);
        }).ToArray();
        var samples = new Matrix(M, 2);
        for (int s = 0; s < M; s++)
        {
            double u = random.NextDouble(), acc = 0;
            int k = 0;
            while (k < states.Length - 1 && (acc += p[k]) < u) k++;
            double[] mean = naive.MeanVisibles(states[k], 1, null);
            for (int i = 0; i < 2; i++)
            {
                double g = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                samples[s, i] = (float)(mean[i] + naive.Sigma(i) * g);
            }
        }
        var data = new Matrix(5, 2, [0.3f, -1.2f, 1.5f, 0.4f, -0.7f, 2.0f, 0.0f, 0.0f, 2.2f, -0.5f]);
        ParameterSet gradient = GradientChecks.Gradient(rbm, data, samples, threads: 1);

        // The spread of each model-phase statistic, for the bound: per-sample values of −∂F/∂θ from finite
        // differences of the reference free energy would be slow for 200,000 rows, so the bound uses the
        // sample's own moments of the statistics, which are low-order polynomials in v and P(h|v).
        double[][] d = Enumerable.Range(0, 5).Select(r => Generators.RbmCase.Row(data, r)).ToArray();
        double ExactLogLikelihood() => d.Average(v => -naive.FreeEnergy(v, 1, null)) - naive.LogZ();
        double[] spread = ModelStatisticSpread(naive, samples);
        int index = 0;
        foreach (var (name, i, get, set) in Coordinates(naive))
        {
            double expected = GradientChecks.CentralDifference(ExactLogLikelihood, get, set, Step);
            double actual = gradient[name].Span[i];
            double bound = 5 * spread[index++] / Math.Sqrt(M) + 1e-5 * (1 + Math.Abs(expected));
            Assert.True(Math.Abs(expected - actual) <= bound, $"{name}[{i}]: exact {expected}, estimate {actual}, bound {bound}");
        }
    }

    /// <summary>The standard deviation over the samples of each coordinate's statistic −∂F(v)/∂θ, by finite differences of F per sample.</summary>
    private static double[] ModelStatisticSpread(NaiveGaussianRbm naive, Matrix samples)
    {
        var coordinates = Coordinates(naive);
        var spread = new double[coordinates.Count];
        const int Probe = 4000; // the spread, not the mean, is estimated: a few thousand samples suffice
        for (int k = 0; k < coordinates.Count; k++)
        {
            var (_, _, get, set) = coordinates[k];
            double sum = 0, sumSq = 0;
            for (int s = 0; s < Probe; s++)
            {
                double[] v = Generators.RbmCase.Row(samples, s);
                double g = -GradientChecks.CentralDifference(() => naive.FreeEnergy(v, 1, null), get, set, Step);
                sum += g;
                sumSq += g * g;
            }
            double mean = sum / Probe;
            spread[k] = Math.Sqrt(Math.Max(0, sumSq / Probe - mean * mean));
        }
        return spread;
    }
}
