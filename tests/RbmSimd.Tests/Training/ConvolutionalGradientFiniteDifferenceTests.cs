using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Model;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// The convolutional model's <see cref="IRbm.ComputeGradient"/> against finite differences of the reference's free energy
/// (with pooling): it must be the derivative of <c>mean_D(−F) − mean_M(−F)</c> with respect to every filter tap and bias, and,
/// with exact samples of a tiny pooled model as the model rows, an estimate of the derivative of the exact log-likelihood.
/// </summary>
public class ConvolutionalGradientFiniteDifferenceTests
{
    private const double Step = 1e-4;

    private static List<(string Name, int Index, Func<double> Get, Action<double> Set)> Coordinates(NaiveConvRbm m)
    {
        var list = new List<(string, int, Func<double>, Action<double>)>();
        void Add(string name, double[] values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                int k = i;
                list.Add((name, i, () => values[k], x => values[k] = x));
            }
        }
        Add(ConvolutionalRbm.FiltersName, m.Filters);
        Add(ConvolutionalRbm.VisibleBiasName, m.A);
        Add(ConvolutionalRbm.HiddenBiasName, m.B);
        return list;
    }

    [Theory]
    [InlineData(VisibleUnitKind.Bernoulli, 2)]
    [InlineData(VisibleUnitKind.Gaussian, 2)]
    [InlineData(VisibleUnitKind.Bernoulli, 1)]
    public void Gradient_IsTheDerivativeOfTheFreeEnergyDifference(VisibleUnitKind units, int pool)
    {
        var shape = new ConvolutionShape(2, 6, 8, 3, 3);
        ConvolutionalRbm model = ConvolutionalRbmTests.Random(shape, pool, units, 31, 0.4);
        var random = new Random(3);
        Matrix Rows(int n)
        {
            var m = new Matrix(n, shape.ImageLength);
            Span<float> x = m.AsSpan();
            for (int i = 0; i < x.Length; i++) x[i] = units == VisibleUnitKind.Gaussian ? (float)(2 * random.NextDouble() - 1) : random.NextDouble() < 0.4 ? 1f : 0f;
            return m;
        }
        Matrix data = Rows(6), modelRows = Rows(4);
        ParameterSet gradient = GradientChecks.Gradient(model, data, modelRows, threads: 2);
        var naive = new NaiveConvRbm(model);
        double[][] d = Enumerable.Range(0, data.Rows).Select(r => Generators.ConvolutionCase.Row(data.Row(r))).ToArray();
        double[][] m = Enumerable.Range(0, modelRows.Rows).Select(r => Generators.ConvolutionCase.Row(modelRows.Row(r))).ToArray();
        double Objective() => -d.Average(v => naive.FreeEnergy(v, 1, null)) + m.Average(v => naive.FreeEnergy(v, 1, null));
        foreach (var (name, index, get, set) in Coordinates(naive))
        {
            double expected = GradientChecks.CentralDifference(Objective, get, set, Step);
            double actual = gradient[name].Span[index];
            // Float statistics summed over up to 48 positions of 10 rows: a few hundred ε of O(10) sums; the central
            // difference's truncation error is O(Step²).
            Assert.True(Math.Abs(expected - actual) <= 1e-4 * (1 + Math.Abs(expected)), $"{name}[{index}]: finite difference {expected}, gradient {actual}");
        }
    }

    [Fact]
    public void PooledGradient_WithExactModelSamples_EstimatesTheExactLogLikelihoodGradient()
    {
        // 3 × 3 binary images (512 states), one 2 × 2 filter, one 2 × 2 pooling block: P(v) = e^{−F(v)}/Z by enumeration.
        var shape = new ConvolutionShape(1, 3, 3, 1, 2);
        ConvolutionalRbm model = ConvolutionalRbmTests.Random(shape, 2, VisibleUnitKind.Bernoulli, 7, 0.9);
        var naive = new NaiveConvRbm(model);
        double[][] states = NaiveRbm.AllStates(9).ToArray();
        double logZ = naive.LogZ();
        double[] p = states.Select(v => Math.Exp(-naive.FreeEnergy(v, 1, null) - logZ)).ToArray();
        Assert.True(Math.Abs(p.Sum() - 1) < 1e-9);

        const int M = 100_000;
        var random = new Random(11);
        var samples = new Matrix(M, 9);
        for (int s = 0; s < M; s++)
        {
            double u = random.NextDouble(), acc = 0;
            int k = 0;
            while (k < states.Length - 1 && (acc += p[k]) < u) k++;
            for (int i = 0; i < 9; i++) samples[s, i] = (float)states[k][i];
        }
        var data = new Matrix(3, 9, [1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1]);
        ParameterSet gradient = GradientChecks.Gradient(model, data, samples, threads: 2);

        double[][] d = Enumerable.Range(0, 3).Select(r => Generators.ConvolutionCase.Row(data.Row(r))).ToArray();
        double ExactLogLikelihood() => d.Average(v => -naive.FreeEnergy(v, 1, null)) - naive.LogZ();
        foreach (var (name, index, get, set) in Coordinates(naive))
        {
            double expected = GradientChecks.CentralDifference(ExactLogLikelihood, get, set, Step);
            // The model half is a mean of M draws of −∂F(v)/∂θ; its exact spread from the enumerated distribution.
            double mean = 0, square = 0;
            for (int s = 0; s < states.Length; s++)
            {
                double[] v = states[s];
                double g = -GradientChecks.CentralDifference(() => naive.FreeEnergy(v, 1, null), get, set, Step);
                mean += p[s] * g;
                square += p[s] * g * g;
            }
            double spread = Math.Sqrt(Math.Max(0, square - mean * mean));
            double actual = gradient[name].Span[index];
            double bound = 5 * spread / Math.Sqrt(M) + 1e-5 * (1 + Math.Abs(expected));
            Assert.True(Math.Abs(expected - actual) <= bound, $"{name}[{index}]: exact {expected}, estimate {actual}, bound {bound}");
        }
    }
}
