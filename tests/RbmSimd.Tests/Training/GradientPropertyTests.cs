using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;

namespace RbmSimd.Tests.Training;

/// <summary>One CD-k or PCD gradient against the reference, both drawing from the same random stream.</summary>
public class GradientPropertyTests
{
    /// <summary>
    /// Draws whose uniform lies within this distance of its probability are ambiguous: the float and
    /// double probabilities may legitimately straddle it. Such cases are discarded (rare: the
    /// probabilities agree to about 10⁻⁶).
    /// </summary>
    private const double AmbiguousMargin = 1e-4;

    [Property(MaxTest = 100)]
    public Property CdK_GradientMatchesReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 20, maxRows: 8), c =>
        Check(c, persistent: false, k: 1 + c.Seed % 3));

    [Property(MaxTest = 100)]
    public Property Pcd_GradientAndChainsMatchReference() => Prop.ForAll(RbmArbitraries.Cases(maxUnits: 20, maxRows: 8), c =>
        Check(c, persistent: true, k: 1 + c.Seed % 2));

    private static Property Check(RbmCase c, bool persistent, int k)
    {
        // Moderate scales keep probabilities away from exact 0/1 ties; extreme scales are covered by the model tests.
        c = c with { Scale = Math.Min(c.Scale, 3) };
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        // PCD runs either one chain per batch row or a different number of chains.
        int chainCount = persistent && c.Seed % 2 == 1 ? 1 + c.Seed / 2 % 7 : 0;
        var options = new TrainingOptions { BatchSize = c.Rows, CdSteps = k, Persistent = persistent, PersistentChains = chainCount, Seed = (ulong)c.Seed };
        var trainer = new RbmTrainer(rbm, options);
        Matrix batch = c.UnitRows(c.Nv, 9);
        double[][] batchRows = Enumerable.Range(0, c.Rows).Select(r => RbmCase.Row(batch, r)).ToArray();
        double[][]? chains = trainer.PersistentChains is { } m
            ? Enumerable.Range(0, m.Rows).Select(r => RbmCase.Row(m, r)).ToArray()
            : null;

        ParameterSet gradient = rbm.Parameters.CreateZeros();
        var random = new RandomStream((ulong)c.Seed).Derive(99);
        RandomStream referenceRandom = random;
        trainer.ComputeGradient(batch, ref random, gradient);
        double margin = double.PositiveInfinity;
        var (dW, da, db, newChains) = naive.Gradient(batchRows, k, chains, ref referenceRandom, ref margin);

        if (margin < AmbiguousMargin) return true.When(false);
        if (random.Position != referenceRandom.Position)
            return false.Label($"draws: library {random.Position}, reference {referenceRandom.Position}");

        // Each entry is a difference of means of products with probabilities, each probability within
        // the sigmoid bound of its float activation; 4× covers both phases and the float sums.
        double ProbabilityTolerance(int fanIn, double scale) =>
            Tolerance.SigmoidAbsolute + Tolerance.DotBound(fanIn + 1, scale) / 4;
        double wScale = naive.W.Cast<double>().Sum(Math.Abs) + naive.A.Sum(Math.Abs) + naive.B.Sum(Math.Abs);
        double tol = 4 * (ProbabilityTolerance(Math.Max(c.Nv, c.Nh), wScale) + Tolerance.DotBound(2 * c.Rows, 2));
        for (int i = 0; i < c.Nv; i++)
            for (int j = 0; j < c.Nh; j++)
                if (!Tolerance.Close(dW[i, j], gradient["W"].Span[i * c.Nh + j], tol))
                    return false.Label($"dW[{i},{j}]: {dW[i, j]} vs {gradient["W"].Span[i * c.Nh + j]}");
        for (int i = 0; i < c.Nv; i++)
            if (!Tolerance.Close(da[i], gradient["visible_bias"].Span[i], tol)) return false.Label($"da[{i}]: {da[i]} vs {gradient["visible_bias"].Span[i]}");
        for (int j = 0; j < c.Nh; j++)
            if (!Tolerance.Close(db[j], gradient["hidden_bias"].Span[j], tol)) return false.Label($"db[{j}]: {db[j]} vs {gradient["hidden_bias"].Span[j]}");
        if (trainer.PersistentChains is { } advanced)
            for (int r = 0; r < advanced.Rows; r++)
                for (int j = 0; j < c.Nh; j++)
                    if (advanced[r, j] != newChains[r][j]) return false.Label($"chain {r} unit {j}");
        return true.ToProperty().Classify(persistent, "PCD").Classify(chainCount > 0, "chains ≠ rows").Classify(k > 1, "k > 1");
    }
}
