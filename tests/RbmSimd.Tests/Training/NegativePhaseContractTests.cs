using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// The three negative phases' contracts: parallel tempering step by step against <see cref="NaiveParallelTempering"/>
/// under the same stream (states, swaps, acceptance counts, the negative statistics), its temperatures and starting
/// states, and for every strategy the argument checks, chain counts and the state a checkpoint keeps.
/// </summary>
public class NegativePhaseContractTests
{
    private static double[][] Rows(Matrix m) => Enumerable.Range(0, m.Rows).Select(r => RbmCase.Row(m, r)).ToArray();

    private static double[] RowOf(ReadOnlyMatrixView m, int r) => m.Row(r).ToArray().Select(x => (double)x).ToArray();

    [Fact]
    public void ParallelTempering_MatchesTheNaiveReference_StepByStep()
    {
        const int Replicas = 4, Chains = 3, Steps = 2, nv = 5, nh = 3;
        int compared = 0;
        long accepted = 0, rejected = 0;
        for (int seed = 1; seed <= 8; seed++)
        {
            BernoulliRbm rbm = new RbmCase(nv, nh, 1, 1.5, seed).CreateModel();
            var pt = new ParallelTempering(rbm, Replicas, minBeta: 0.25f, Chains, Steps, new RandomStream((ulong)seed));
            var naive = new NaiveParallelTempering(new NaiveRbm(rbm), Replicas, 0.25, Chains, Steps, Rows(pt.SaveState()!));
            var v = new Matrix(1 + Chains, nv);
            var h = new Matrix(1 + Chains, nh);
            var scratch = new Matrix(Chains, nh);
            double margin = double.PositiveInfinity;
            bool same = true;
            for (int step = 0; step < 6 && same; step++)
            {
                var phases = new PhaseBatch(v, h, 1);
                RandomStream random = new RandomStream((ulong)seed).Derive(100 + (ulong)step), reference = random;
                pt.Run(rbm, phases, scratch, ref random, 1);
                (double[][] nvRows, double[][] nhRows) = naive.Step(ref reference, ref margin);
                if (margin < 1e-4) break; // an ambiguous draw: the float and double chains may part here, legitimately
                Assert.Equal(reference.Position, random.Position);
                for (int c = 0; c < Chains; c++)
                {
                    Assert.Equal(nvRows[c], RowOf(phases.ModelVisible, c));
                    for (int j = 0; j < nh; j++)
                        Assert.True(Tolerance.Close(nhRows[c][j], phases.ModelHidden[c, j], 1e-6), $"seed {seed} step {step}: P(h | v) {nhRows[c][j]} vs {phases.ModelHidden[c, j]}");
                }
                Assert.Equal(naive.States, Rows(pt.SaveState()!));
                if (step == 5) compared++;
            }
            if (margin < 1e-4) continue;
            IReadOnlyList<double> rates = pt.TakeSwapAcceptanceRates();
            Assert.Equal(naive.Offered.Select((o, r) => o == 0 ? double.NaN : (double)naive.Accepted[r] / o), rates);
            accepted += naive.Accepted.Sum();
            rejected += naive.Offered.Sum() - naive.Accepted.Sum();
        }
        Assert.True(accepted > 0 && rejected > 0, $"{accepted} swaps accepted, {rejected} rejected: both outcomes must be compared");
        Assert.True(compared >= 4, $"only {compared} of 8 seeds were free of ambiguous draws");
    }

    [Theory]
    [InlineData(2, 0.5f, new[] { 1f, 0.5f })]
    [InlineData(3, 0.5f, new[] { 1f, 0.75f, 0.5f })]
    [InlineData(5, 0.2f, new[] { 1f, 0.8f, 0.6f, 0.4f, 0.2f })]
    public void ParallelTempering_BetasAreEquallySpacedFromOneToTheMinimum(int replicas, float minBeta, float[] expected)
    {
        var pt = new ParallelTempering(BernoulliRbm.CreateRandom(3, 2, seed: 1), replicas, minBeta, chains: 2, steps: 1, new RandomStream(1));
        Assert.Equal(expected.Length, pt.Betas.Count);
        for (int r = 0; r < expected.Length; r++) Assert.Equal(expected[r], pt.Betas[r], 6);
        Assert.Equal(1f, pt.Betas[0]);
        Assert.Equal(minBeta, pt.Betas[^1], 6);
        Assert.Equal(2, pt.ChainCount(17));
        Assert.Equal(1, pt.Steps);
    }

    [Fact]
    public void ParallelTempering_StartsFromCoinFlips_OrZeroForGaussianUnits()
    {
        var pt = new ParallelTempering(BernoulliRbm.CreateRandom(10, 2, seed: 1), replicas: 4, minBeta: 0.5f, chains: 200, steps: 1, new RandomStream(3));
        Matrix start = pt.SaveState()!;
        Assert.Equal((800, 10), (start.Rows, start.Cols));
        float[] values = start.AsSpan().ToArray();
        Assert.All(values, x => Assert.True(x is 0f or 1f));
        // 8,000 fair coin flips: the fraction of ones lies within 5 standard errors (0.028) of ½.
        Assert.InRange(values.Average(), 0.5 - 0.028, 0.5 + 0.028);

        var gaussian = new GaussianBernoulliRbm(3, 2, new float[6], [1f, 2f, 3f], new float[2], new float[3]);
        var gpt = new ParallelTempering(gaussian, replicas: 2, minBeta: 0.5f, chains: 4, steps: 1, new RandomStream(3));
        Assert.All(gpt.SaveState()!.AsSpan().ToArray(), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void ParallelTempering_StateAndRates_AreKeptAndReset()
    {
        BernoulliRbm rbm = BernoulliRbm.CreateRandom(4, 3, seed: 2, weightStdDev: 1f);
        var pt = new ParallelTempering(rbm, replicas: 3, minBeta: 0.3f, chains: 2, steps: 1, new RandomStream(4));
        Assert.All(pt.TakeSwapAcceptanceRates(), r => Assert.True(double.IsNaN(r)));
        Assert.Equal(2, pt.TakeSwapAcceptanceRates().Count);

        Matrix saved = pt.SaveState()!;
        saved[0, 0] = 1 - saved[0, 0];
        Assert.NotEqual(saved[0, 0], pt.SaveState()![0, 0]); // a copy
        pt.RestoreState(saved);
        Assert.Equal(saved.AsSpan().ToArray(), pt.SaveState()!.AsSpan().ToArray());

        var random = new RandomStream(5);
        pt.Run(rbm, new PhaseBatch(new Matrix(3, 4), new Matrix(3, 3), 1), new Matrix(2, 3), ref random, 1);
        IReadOnlyList<double> rates = pt.TakeSwapAcceptanceRates();
        // One step offers either pair (0, 1) or pair (1, 2), two chains each.
        Assert.Equal(1, rates.Count(r => !double.IsNaN(r)));
        Assert.All(rates.Where(r => !double.IsNaN(r)), r => Assert.Contains(r, new[] { 0, 0.5, 1 }));
        Assert.All(pt.TakeSwapAcceptanceRates(), r => Assert.True(double.IsNaN(r)));

        var ex = Assert.Throws<ArgumentException>(() => pt.RestoreState(new Matrix(6, 3)));
        Assert.Equal("state", ex.ParamName);
        Assert.StartsWith("The state is 6x3 but parallel tempering runs 3 replicas of 2 chains of 4 visible units.", ex.Message);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => pt.RestoreState(new Matrix(5, 4))).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => pt.RestoreState(null!)).ParamName);
    }

    [Fact]
    public void ParallelTempering_RejectsBadArguments()
    {
        BernoulliRbm rbm = BernoulliRbm.CreateRandom(3, 2, seed: 1);
        var random = new RandomStream(1);
        Assert.Equal("model", Assert.Throws<ArgumentNullException>(() => new ParallelTempering(null!, 2, 0.5f, 1, 1, random)).ParamName);
        Assert.Equal("replicas", Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelTempering(rbm, 1, 0.5f, 1, 1, random)).ParamName);
        Assert.Equal("chains", Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelTempering(rbm, 2, 0.5f, 0, 1, random)).ParamName);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelTempering(rbm, 2, 0.5f, 1, 0, random)).ParamName);
        foreach (float beta in new[] { 0f, 1f, float.NaN, -0.5f })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ParallelTempering(rbm, 2, beta, 1, 1, random));
            Assert.Equal("minBeta", ex.ParamName);
            Assert.StartsWith("The hottest replica's β must be in (0, 1).", ex.Message);
        }
        Assert.Equal(2, new ParallelTempering(rbm, 2, float.Epsilon, 1, 1, random).Betas.Count);
        Assert.Equal(2, new ParallelTempering(rbm, 2, 0.99999994f, 1, 1, random).Betas.Count);
    }

    [Theory]
    [InlineData(1.0, 2.0, 1.0, 2.0, 1.0)]
    [InlineData(3.0, 1.0, 1.0, 2.0, 1.0)]
    [InlineData(1.0, 1.0, 2.0, 1.5, 0.2231301601484298)]
    [InlineData(0.0, 0.0, 0.0, 1e-12, 0.999999999999)]
    public void AcceptanceProbability_IsMinOfOneAndTheRatio(double hereNow, double thereNow, double hereSwapped, double thereSwapped, double expected) =>
        // min(1, exp(F_r(x) + F_s(y) − F_r(y) − F_s(x))).
        Assert.Equal(expected, ParallelTempering.AcceptanceProbability(hereNow, thereNow, hereSwapped, thereSwapped), 12);

    [Fact]
    public void Pcd_KeepsItsChains_AndRestoresThemAsBits()
    {
        var pcd = new PersistentContrastiveDivergence(steps: 2, chains: 300, hiddenCount: 10, new RandomStream(7));
        Assert.Equal((2, 300, 300), (pcd.Steps, pcd.Chains, pcd.ChainCount(5)));
        Matrix start = pcd.SaveState()!;
        Assert.Equal((300, 10), (start.Rows, start.Cols));
        float[] bits = start.AsSpan().ToArray();
        Assert.All(bits, x => Assert.True(x is 0f or 1f));
        // 3,000 fair coin flips: within 5 standard errors (0.046) of ½.
        Assert.InRange(bits.Average(), 0.5 - 0.046, 0.5 + 0.046);

        var state = new Matrix(300, 10);
        state[0, 0] = 0.6f;
        state[0, 1] = 0.5f;
        state[299, 9] = 1f;
        pcd.RestoreState(state);
        Matrix restored = pcd.SaveState()!;
        Assert.Equal((1f, 0f, 1f), (restored[0, 0], restored[0, 1], restored[299, 9]));
        Assert.Equal(2f, restored.AsSpan().ToArray().Sum());

        var ex = Assert.Throws<ArgumentException>(() => pcd.RestoreState(new Matrix(300, 9)));
        Assert.Equal("state", ex.ParamName);
        Assert.StartsWith("The chains are 300x9 but PCD runs 300 chains of 10 hidden units.", ex.Message);
        Assert.Equal("state", Assert.Throws<ArgumentException>(() => pcd.RestoreState(new Matrix(299, 10))).ParamName);
        Assert.Equal("state", Assert.Throws<ArgumentNullException>(() => pcd.RestoreState(null!)).ParamName);
    }

    [Fact]
    public void Pcd_AndCd_RejectBadArguments()
    {
        var random = new RandomStream(1);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new PersistentContrastiveDivergence(0, 1, 1, random)).ParamName);
        Assert.Equal("chains", Assert.Throws<ArgumentOutOfRangeException>(() => new PersistentContrastiveDivergence(1, 0, 1, random)).ParamName);
        Assert.Equal("hiddenCount", Assert.Throws<ArgumentOutOfRangeException>(() => new PersistentContrastiveDivergence(1, 1, 0, random)).ParamName);
        Assert.Equal(1, new PersistentContrastiveDivergence(1, 1, 1, random).Chains);
        Assert.Equal("steps", Assert.Throws<ArgumentOutOfRangeException>(() => new ContrastiveDivergence(0)).ParamName);
        var cd = new ContrastiveDivergence(1);
        Assert.Equal((1, 7), (cd.Steps, cd.ChainCount(7)));
        Assert.Null(cd.SaveState());
        Assert.Empty(((INegativePhase)cd).TakeSwapAcceptanceRates());
        var ex = Assert.Throws<ArgumentException>(() => cd.RestoreState(new Matrix(1, 1)));
        Assert.Equal("state", ex.ParamName);
        Assert.StartsWith("Contrastive divergence keeps no chains between steps.", ex.Message);
    }
}
