using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Model;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;

namespace RbmSimd.Tests.Training;

/// <summary>
/// One CD-k or PCD gradient of a Gaussian–Bernoulli model, log-variances included, against the naive
/// reference drawing from the same random stream (Bernoulli draws u &lt; p, Gaussian draws mean + σ·z with the
/// Box–Muller deviate of each 64-bit value).
/// </summary>
public class GaussianGradientPropertyTests
{
    /// <summary>Hidden draws whose uniform lies this close to its probability may legitimately differ (see <see cref="GradientPropertyTests"/>).</summary>
    private const double AmbiguousMargin = 1e-4;

    /// <summary>Box–Muller deviates are within 18u·r of the exact value for the same bits, r ≤ 6.67 (Kernels/BoxMuller.cs).</summary>
    private const double DeviateError = 18 * Tolerance.FloatEpsilon * 6.67;

    [Property(MaxTest = 80)]
    public Property CdK_GradientMatchesReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 16, maxRows: 8), c =>
        Check(c, persistent: false, k: 1 + c.Seed % 3));

    [Property(MaxTest = 80)]
    public Property Pcd_GradientMatchesReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 16, maxRows: 8), c =>
        Check(c, persistent: true, k: 1 + c.Seed % 2));

    private static Property Check(RbmCase c, bool persistent, int k)
    {
        c = c with { Scale = Math.Min(c.Scale, 1) };
        var kind = new ModelKindFixture.GaussianBernoulli();
        var rbm = (GaussianBernoulliRbm)kind.Create(c);
        var naive = new NaiveGaussianRbm(rbm);
        int chainCount = persistent && c.Seed % 2 == 1 ? 1 + c.Seed / 2 % 7 : 0;
        var options = new TrainingOptions { BatchSize = c.Rows, CdSteps = k, Persistent = persistent, PersistentChains = chainCount, Seed = (ulong)c.Seed };
        var trainer = new RbmTrainer(rbm, options);
        Matrix batch = kind.VisibleRows(c, 9);
        double[][] batchRows = Enumerable.Range(0, c.Rows).Select(r => RbmCase.Row(batch, r)).ToArray();
        double[][]? chains = trainer.PersistentChains is { } m ? Enumerable.Range(0, m.Rows).Select(r => RbmCase.Row(m, r)).ToArray() : null;

        ParameterSet gradient = rbm.Parameters.CreateZeros();
        var random = new RandomStream((ulong)c.Seed).Derive(99);
        RandomStream referenceRandom = random;
        trainer.ComputeGradient(batch, ref random, gradient);
        double margin = double.PositiveInfinity;
        var (dW, da, db, dz, negV, negH, newChains) = naive.Gradient(batchRows, k, chains, ref referenceRandom, ref margin);
        if (margin < AmbiguousMargin) return true.When(false);
        if (random.Position != referenceRandom.Position)
            return false.Label($"draws: library {random.Position}, reference {referenceRandom.Position}");

        // The error of one negative visible sample: its mean (a float product of nh terms, scaled by σ) plus
        // σ times the deviate's error; of its scaled input x = v/σ: that over σ plus a few roundings of x.
        int nv = c.Nv, nh = c.Nh;
        double[] sigma = Enumerable.Range(0, nv).Select(naive.Sigma).ToArray();
        double[][] dx = negV.Select(_ => new double[nv]).ToArray();
        // (A sample's hidden states are 0/1: bound Σ|W h| by Σ|W| whatever h was.)
        for (int r = 0; r < negV.Length; r++)
            for (int i = 0; i < nv; i++)
            {
                double sum = Math.Abs(naive.A[i]);
                for (int j = 0; j < nh; j++) sum += Math.Abs(naive.W[i, j]) * sigma[i];
                dx[r][i] = (Tolerance.DotBound(nh + 4, sum) + sigma[i] * DeviateError) / sigma[i] + 4 * Tolerance.FloatEpsilon * Math.Abs(negV[r][i] / sigma[i]);
            }
        double HiddenError(double[] v, double[] vError, int j)
        {
            double sum = Math.Abs(naive.B[j]), propagated = 0;
            for (int i = 0; i < nv; i++)
            {
                sum += Math.Abs(v[i] / sigma[i] * naive.W[i, j]);
                propagated += Math.Abs(naive.W[i, j]) * vError[i];
            }
            return Tolerance.SigmoidAbsolute + (Tolerance.DotBound(nv + 3, sum) + propagated) / 4;
        }
        double[] zero = new double[nv];
        int rows = batchRows.Length, cRows = negV.Length;
        double[,] tolW = new double[nv, nh];
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nh; j++)
            {
                double pos = 0, neg = 0, magnitude = 0;
                for (int r = 0; r < rows; r++)
                {
                    double x = batchRows[r][i] / sigma[i];
                    pos += Math.Abs(x) * HiddenError(batchRows[r], zero, j) + 4 * Tolerance.FloatEpsilon * Math.Abs(x);
                    magnitude += Math.Abs(x);
                }
                for (int r = 0; r < cRows; r++)
                {
                    double x = negV[r][i] / sigma[i];
                    neg += Math.Abs(x) * HiddenError(negV[r], dx[r], j) + dx[r][i];
                    magnitude += Math.Abs(x);
                }
                tolW[i, j] = pos / rows + neg / cRows + Tolerance.DotBound(rows + cRows, magnitude);
            }

        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nh; j++)
                if (!Tolerance.Close(dW[i, j], gradient["W"].Span[i * nh + j], tolW[i, j]))
                    return false.Label($"dW[{i},{j}]: {dW[i, j]} vs {gradient["W"].Span[i * nh + j]} (tol {tolW[i, j]})");
        for (int i = 0; i < nv; i++)
        {
            double s2 = sigma[i] * sigma[i], vErr = 0, magnitude = 0, zErr = 0;
            for (int r = 0; r < cRows; r++)
            {
                double e = dx[r][i] * sigma[i];
                vErr += e / cRows;
                zErr += Math.Abs(negV[r][i] - naive.A[i]) / s2 * e / cRows;
            }
            for (int r = 0; r < rows; r++) magnitude += (Math.Abs(batchRows[r][i]) + Math.Abs(naive.A[i])) / s2;
            for (int r = 0; r < cRows; r++) magnitude += (Math.Abs(negV[r][i]) + Math.Abs(naive.A[i])) / s2;
            double tolA = vErr / s2 + Tolerance.DotBound(rows + cRows + 2, magnitude);
            if (!Tolerance.Close(da[i], gradient["visible_bias"].Span[i], tolA))
                return false.Label($"da[{i}]: {da[i]} vs {gradient["visible_bias"].Span[i]} (tol {tolA})");
            // The library forms the interaction part as −½Σⱼ Wᵢⱼ∇Wᵢⱼ, so it inherits ½Σⱼ|Wᵢⱼ|·tol(∇Wᵢⱼ).
            double interaction = 0;
            for (int j = 0; j < nh; j++) interaction += 0.5 * Math.Abs(naive.W[i, j]) * (tolW[i, j] + Math.Abs(dW[i, j]) * 4 * Tolerance.FloatEpsilon);
            double squares = 0;
            foreach (double[] v in batchRows.Concat(negV)) squares += (v[i] - naive.A[i]) * (v[i] - naive.A[i]) / s2;
            double tolZ = zErr + interaction + Tolerance.DotBound(rows + cRows + nh + 4, squares + 1);
            if (!Tolerance.Close(dz[i], gradient["log_variance"].Span[i], tolZ))
                return false.Label($"dz[{i}]: {dz[i]} vs {gradient["log_variance"].Span[i]} (tol {tolZ})");
        }
        for (int j = 0; j < nh; j++)
        {
            double tolB = 0;
            for (int r = 0; r < rows; r++) tolB += HiddenError(batchRows[r], zero, j) / rows;
            for (int r = 0; r < cRows; r++) tolB += HiddenError(negV[r], dx[r], j) / cRows;
            tolB += Tolerance.DotBound(rows + cRows, 2);
            if (!Tolerance.Close(db[j], gradient["hidden_bias"].Span[j], tolB))
                return false.Label($"db[{j}]: {db[j]} vs {gradient["hidden_bias"].Span[j]} (tol {tolB})");
        }
        if (trainer.PersistentChains is { } advanced)
            for (int r = 0; r < advanced.Rows; r++)
                for (int j = 0; j < nh; j++)
                    if (advanced[r, j] != newChains[r][j]) return false.Label($"chain {r} unit {j}");
        return true.ToProperty().Classify(persistent, "PCD").Classify(k > 1, "k > 1");
    }
}
