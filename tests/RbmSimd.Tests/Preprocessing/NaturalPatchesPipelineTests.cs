using RbmSimd.Data;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Preprocessing;

/// <summary>
/// The preparation <c>shared/bench/torch_gbrbm.py</c> applies to the natural patches before its Gaussian-Bernoulli
/// RBM (<c>load("patches")</c>): grey levels / 255, each patch's mean removed, then PCA whitening fitted on the
/// training patches (covariance with divisor N − 1, eigenvalues + 10⁻⁴, directions with eigenvalue ≤ 10⁻⁸ of the
/// largest dropped), 63 outputs. Recomputed here by a plain double reference (no python): the Jacobi eigensolver,
/// explicit loops. Compared by hand once with numpy 1.24.2 running torch_gbrbm.py's own <c>load</c> code: after
/// reversing numpy's ascending component order and matching signs, the 63 outputs of all 70,000 rows differed by
/// at most 1.9·10⁻⁶ (outputs reach 30; median difference one float ulp), and the log-Jacobian
/// −63 ln 255 − ½Σ log(λ + 10⁻⁴) by 4·10⁻⁷ (−160.6116475 in numpy); both within the float-parameter bounds below.
/// </summary>
public class NaturalPatchesPipelineTests
{
    private const double Epsilon = 1e-4;
    private const double DropThreshold = 1e-8;
    private const int D = 64;

    /// <summary>The library's pipeline, built the way a caller would.</summary>
    public static Transform Pipeline(Dataset train)
    {
        var prefix = new TransformChain(new Scaling(D, NaturalPatches.MaxPixel), new RowCentering(D));
        return new TransformChain(prefix, PcaWhitening.Fit(train, Epsilon, DropThreshold, input: prefix));
    }

    private sealed class Reference
    {
        public required double[] Mean { get; init; }
        public required double[][] Components { get; init; }
        public required double[] Scale { get; init; }
        public required double[] Eigenvalues { get; init; }

        public static double[] Prepare(ReadOnlySpan<float> patch)
        {
            var x = new double[D];
            for (int i = 0; i < D; i++) x[i] = patch[i] / 255.0;
            double mean = x.Average();
            for (int i = 0; i < D; i++) x[i] -= mean;
            return x;
        }

        public static Reference Fit(Dataset train)
        {
            double[][] rows = Enumerable.Range(0, train.Count).Select(r => Prepare(train.Features.Row(r))).ToArray();
            double[,] c = NaiveLinearAlgebra.Covariance(rows);
            (double[] values, double[][] vectors) = NaiveSymmetricEigen.Decompose(c);
            double max = values.Max();
            int[] keep = Enumerable.Range(0, D).Where(j => values[j] > DropThreshold * max).OrderByDescending(j => values[j]).ToArray();
            var mean = new double[D];
            foreach (double[] r in rows) for (int i = 0; i < D; i++) mean[i] += r[i] / rows.Length;
            return new Reference
            {
                Mean = mean,
                Components = keep.Select(j => LargestEntryPositive(vectors[j])).ToArray(),
                Scale = keep.Select(j => Math.Sqrt(values[j] + Epsilon)).ToArray(),
                Eigenvalues = keep.Select(j => values[j]).ToArray(),
            };
        }

        private static double[] LargestEntryPositive(double[] v)
        {
            double largest = v.MaxBy(Math.Abs);
            return largest < 0 ? v.Select(x => -x).ToArray() : v;
        }

        public (double Value, double Terms) Output(double[] x, int j)
        {
            double s = 0, t = 0;
            for (int i = 0; i < D; i++)
            {
                s += Components[j][i] * (x[i] - Mean[i]);
                t += Math.Abs(Components[j][i]) * (Math.Abs(x[i] - Mean[i]) + Math.Abs(Mean[i]));
            }
            return (s / Scale[j], t / Scale[j]);
        }
    }

    [Fact]
    public void Pipeline_ReproducesTorchGbrbmPreparation_ToFloatPrecision()
    {
        (Dataset train, Dataset test) = NaturalPatches.Load();
        Transform pipeline = Pipeline(train);
        Assert.Equal((64, 63), (pipeline.InputCount, pipeline.OutputCount));
        Reference reference = Reference.Fit(train);
        Assert.Equal(63, reference.Components.Length);

        // Bound per output. The pipeline holds μ, the components and the scales as floats (relative error u each)
        // and rounds its output once: |Δy_j| ≤ u·T_j + 2u·|y_j|, T_j = Σᵢ |u_ji|(|x_i − μ_i| + |μ_i|)/s_j (the
        // magnitudes of the terms). The two double eigensolvers' vectors differ by about
        // D·2⁻⁵²·λ_max/gap relative (Davis–Kahan), gap the smallest distance between kept eigenvalues.
        double u = Tolerance.FloatEpsilon;
        double[] lambda = reference.Eigenvalues;
        double gap = Enumerable.Range(1, lambda.Length - 1).Min(j => lambda[j - 1] - lambda[j]);
        double solvers = D * 2.220446049250313e-16 * lambda[0] / gap * 4;
        foreach (Dataset part in new[] { train, test })
        {
            var y = new Matrix(part.Count, 63);
            pipeline.Forward(part.Features, y);
            double worst = 0;
            for (int r = 0; r < part.Count; r++)
            {
                double[] x = Reference.Prepare(part.Features.Row(r));
                for (int j = 0; j < 63; j++)
                {
                    (double expected, double terms) = reference.Output(x, j);
                    double bound = u * terms + 2 * u * Math.Abs(expected) + solvers * terms;
                    double error = Math.Abs(y[r, j] - expected);
                    Assert.True(error <= bound, $"row {r}, output {j}: {y[r, j]:R} against {expected:R} (bound {bound:E2})");
                    worst = Math.Max(worst, error / (u * (terms + Math.Abs(expected))));
                }
            }
            Assert.True(worst > 0, "the comparison ran");
        }
    }

    [Fact]
    public void Pipeline_WhitenedTrainingPatches_HaveVariancesLambdaOverLambdaPlusEpsilon()
    {
        (Dataset train, _) = NaturalPatches.Load();
        Transform pipeline = Pipeline(train);
        var y = new Matrix(train.Count, 63);
        pipeline.Forward(train.Features, y);
        double[,] cov = NaiveLinearAlgebra.Covariance(Enumerable.Range(0, y.Rows).Select(r => y.Row(r).ToArray().Select(v => (double)v).ToArray()).ToArray());
        var pca = (PcaWhitening)((TransformChain)pipeline).Steps[^1];
        // The same bound as WhiteningTests: 2u(√κ + 2), κ = λ_max/λ_min of the kept directions.
        double lambdaMax = pca.Scale[0] * (double)pca.Scale[0] - Epsilon, lambdaMin = pca.Scale[62] * (double)pca.Scale[62] - Epsilon;
        double bound = 2 * Tolerance.FloatEpsilon * (Math.Sqrt(lambdaMax / lambdaMin) + 2) * 1.01 + 1e-9;
        for (int a = 0; a < 63; a++)
        {
            double lambda = pca.Scale[a] * (double)pca.Scale[a] - Epsilon;
            for (int b = 0; b < 63; b++)
            {
                double expected = a == b ? lambda / (lambda + Epsilon) : 0;
                Assert.True(Math.Abs(cov[a, b] - expected) <= bound + 4 * Tolerance.FloatEpsilon * expected, $"({a}, {b}): {cov[a, b]:R} vs {expected:R}");
            }
        }
    }

    [Fact]
    public void Pipeline_LogJacobian_And_InverseOnTheKeptSubspace()
    {
        (Dataset train, Dataset test) = NaturalPatches.Load();
        Transform pipeline = Pipeline(train);
        var pca = (PcaWhitening)((TransformChain)pipeline).Steps[^1];
        // 63 kept dimensions, each scaled by 1/255 and then by 1/s_j; the components are orthonormal to float
        // precision, so the Gram correction is below 63·2⁻²³ ≈ 10⁻⁵.
        double expected = -63 * Math.Log(255) - pca.Scale.ToArray().Sum(s => Math.Log(s));
        Assert.Equal(expected, pipeline.LogJacobian, 1e-5);

        // Inverse(Forward(x)) keeps x minus its mean, in grey levels: 255·P(μ + Uᵀ(s ⊙ y)) with P the row-centring
        // projection. With y exact this is 255·x̃ + 255·P(UᵀU − I)(x̃ − μ), x̃ = P(x/255), so the error is that
        // term (from the components' float rounding; the defect is computed here from the stored components)
        // plus 255·|P|·|U|ᵀ(s ⊙ δy) with |δy| ≤ u·|y| from the output rounding, plus one rounding of the result.
        int k = pca.OutputCount;
        ReadOnlySpan<float> comps = pca.Components;
        var defect = new double[D, D]; // P(UᵀU − I)
        var utu = new double[D, D];
        for (int a = 0; a < D; a++)
            for (int b = 0; b < D; b++)
            {
                double sum = 0;
                for (int j = 0; j < k; j++) sum += (double)comps[j * D + a] * comps[j * D + b];
                utu[a, b] = sum - (a == b ? 1 : 0);
            }
        for (int b = 0; b < D; b++)
        {
            double columnMean = Enumerable.Range(0, D).Average(a => utu[a, b]);
            for (int a = 0; a < D; a++) defect[a, b] = utu[a, b] - columnMean;
        }
        double u = Tolerance.FloatEpsilon;
        var x = new Matrix(50, 64, test.Features.AsSpan()[..(50 * 64)]);
        var y = new Matrix(50, 63);
        var back = new Matrix(50, 64);
        pipeline.Forward(x, y);
        pipeline.Inverse(y, back);
        for (int r = 0; r < 50; r++)
        {
            double mean = x.Row(r).ToArray().Average(v => (double)v);
            double[] centred = Enumerable.Range(0, D).Select(i => (x[r, i] - mean) / 255.0 - pca.Mean[i]).ToArray();
            var carried = new double[D];
            for (int j = 0; j < k; j++)
                for (int i = 0; i < D; i++) carried[i] += Math.Abs(comps[j * D + i]) * pca.Scale[j] * u * Math.Abs(y[r, j]);
            double carriedMean = carried.Average();
            for (int i = 0; i < D; i++)
            {
                double fromDefect = Enumerable.Range(0, D).Sum(b => Math.Abs(defect[i, b]) * Math.Abs(centred[b]));
                double bound = 255 * (fromDefect + carried[i] + carriedMean) + u * Math.Abs(x[r, i] - mean) + 1e-9;
                Assert.True(Math.Abs(back[r, i] - (x[r, i] - mean)) <= bound, $"row {r}, pixel {i}: {back[r, i]:R} vs {x[r, i] - mean:R} (bound {bound:E2})");
            }
        }
    }
}
