using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Estimation;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Model;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// Whole parameter updates of <see cref="RbmTrainer.Step"/> and the per-epoch metrics of
/// <see cref="RbmTrainer.Train(ReadOnlyMatrixView, ReadOnlyMatrixView, Action{EpochMetrics}, CancellationToken, Action{BatchProgress})"/>,
/// each against the reference gradient of <see cref="NaiveRbm"/> drawn from the same step stream, or the
/// formulas of the trainer's documentation (momentum, weight decay, sparsity).
/// </summary>
public class TrainerUpdateTests
{
    /// <summary>Draws whose uniform lies this close to its probability are ambiguous between float and double; such cases are discarded.</summary>
    private const double AmbiguousMargin = 1e-4;

    /// <summary>
    /// P(h | v) or P(v | h) from a float dot product of <paramref name="fanIn"/> terms of total size
    /// <paramref name="scale"/>: the sigmoid's promised error plus the dot product's, damped by σ' ≤ ¼.
    /// </summary>
    private static double ProbabilityTolerance(int fanIn, double scale) =>
        Tolerance.SigmoidAbsolute + Tolerance.DotBound(fanIn + 1, scale) / 4;

    /// <summary>
    /// One gradient entry: a difference of means of products of probabilities, each probability within
    /// <see cref="ProbabilityTolerance"/>; 4× covers both phases, and the float sums add their dot bound
    /// (the same derivation as <see cref="GradientPropertyTests"/>).
    /// </summary>
    private static double GradientTolerance(NaiveRbm naive, int rows)
    {
        double scale = naive.W.Cast<double>().Sum(Math.Abs) + naive.A.Sum(Math.Abs) + naive.B.Sum(Math.Abs);
        return 4 * (ProbabilityTolerance(Math.Max(naive.Nv, naive.Nh), scale) + Tolerance.DotBound(2 * rows, 2));
    }

    /// <summary>
    /// <c>θ + η·(g + δ)</c> in float, where δ is the error of the gradient entry g: the product and the sum
    /// each round once (2⁻²⁴ of their size).
    /// </summary>
    private static double UpdateTolerance(double theta, double eta, double gradient, double gradientTolerance) =>
        eta * gradientTolerance + 2 * Tolerance.FloatEpsilon * (Math.Abs(theta) + eta * (Math.Abs(gradient) + gradientTolerance));

    private static double[][] Rows(Matrix m) => Enumerable.Range(0, m.Rows).Select(r => RbmCase.Row(m, r)).ToArray();

    private static double[][]? Chains(RbmTrainer trainer) => trainer.PersistentChains is { } m ? Rows(m) : null;

    /// <summary>A case whose batch is shorter than the trainer's batch size: the last minibatch of an epoch.</summary>
    private sealed record PartialStep(RbmCase Case, int BatchSize, bool Persistent, int Chains, int K, float Eta, float Decay);

    private static Arbitrary<PartialStep> PartialSteps()
    {
        Gen<PartialStep> gen =
            from c in RbmArbitraries.Cases(maxUnits: 17, maxRows: 8).Generator
            from extra in Gen.Choose(1, 6)
            from persistent in Gen.Elements(false, true)
            from chains in Gen.Elements(0, 0, 1, 3, 11)
            from k in Gen.Choose(1, 2)
            from eta in Gen.Elements(0.05f, 0.5f, 2f)
            from decay in Gen.Elements(0f, 0f, 0.01f, 0.5f)
            select new PartialStep(c with { Scale = Math.Min(c.Scale, 3) }, c.Rows + extra, persistent, persistent ? chains : 0, k, eta, decay);
        return Arb.From(gen, s =>
        {
            var smaller = new List<PartialStep>();
            if (s.Case.Nv > 1) smaller.Add(s with { Case = s.Case with { Nv = s.Case.Nv / 2 } });
            if (s.Case.Nh > 1) smaller.Add(s with { Case = s.Case with { Nh = s.Case.Nh / 2 } });
            if (s.Case.Rows > 1) smaller.Add(s with { Case = s.Case with { Rows = s.Case.Rows / 2 } });
            if (s.BatchSize > s.Case.Rows + 1) smaller.Add(s with { BatchSize = s.Case.Rows + 1 });
            if (s.Decay > 0) smaller.Add(s with { Decay = 0 });
            return smaller;
        });
    }

    /// <summary>
    /// One <see cref="RbmTrainer.Step"/> on B′ &lt; B rows with momentum 0:
    /// <c>W ← W + η(∇W − λW)</c>, <c>a ← a + η∇a</c>, <c>b ← b + η∇b</c>, with ∇ the reference CD-k or PCD
    /// gradient whose positive phase is a mean over the B′ rows given (not over B).
    /// </summary>
    // Kills: a short minibatch scaled by 1/BatchSize instead of 1/rows (1f / rows → 1f / B), the negative
    // phase scaled by the wrong count, weight decay applied to the biases or with the wrong sign, and an
    // update that drops η or the old parameter.
    [Property(MaxTest = 100)]
    public Property Step_ShortMinibatch_UpdatesByEtaTimesReferenceGradient() => Prop.ForAll(PartialSteps(), s =>
    {
        RbmCase c = s.Case;
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm before = c.Reference(rbm);
        var options = new TrainingOptions
        {
            BatchSize = s.BatchSize, CdSteps = s.K, Persistent = s.Persistent, PersistentChains = s.Chains,
            LearningRate = s.Eta, InitialMomentum = 0f, WeightDecay = s.Decay, Seed = (ulong)c.Seed, MaxDegreeOfParallelism = 1,
        };
        var trainer = new RbmTrainer(rbm, options);
        Matrix batch = c.UnitRows(c.Nv, 9);
        RandomStream random = trainer.StepStream(0);
        double margin = double.PositiveInfinity;
        var (dW, da, db, _) = before.Gradient(Rows(batch), s.K, Chains(trainer), ref random, ref margin);
        if (margin < AmbiguousMargin) return true.When(false);

        trainer.Step(batch);
        double g = GradientTolerance(before, Math.Max(c.Rows, s.Persistent ? options.PersistentChainCount : 0));
        for (int i = 0; i < c.Nv; i++)
            for (int j = 0; j < c.Nh; j++)
            {
                double w0 = before.W[i, j], grad = dW[i, j] - s.Decay * w0;
                double expected = w0 + s.Eta * grad, actual = rbm.Weights[i * c.Nh + j];
                if (!Tolerance.Close(expected, actual, UpdateTolerance(w0, s.Eta, grad, g)))
                    return false.Label($"W[{i},{j}]: {w0} → {actual}, expected {expected}");
            }
        for (int i = 0; i < c.Nv; i++)
        {
            double expected = before.A[i] + s.Eta * da[i];
            if (!Tolerance.Close(expected, rbm.VisibleBias[i], UpdateTolerance(before.A[i], s.Eta, da[i], g)))
                return false.Label($"a[{i}]: {before.A[i]} → {rbm.VisibleBias[i]}, expected {expected}");
        }
        for (int j = 0; j < c.Nh; j++)
        {
            double expected = before.B[j] + s.Eta * db[j];
            if (!Tolerance.Close(expected, rbm.HiddenBias[j], UpdateTolerance(before.B[j], s.Eta, db[j], g)))
                return false.Label($"b[{j}]: {before.B[j]} → {rbm.HiddenBias[j]}, expected {expected}");
        }
        return true.ToProperty().Classify(s.Persistent, "PCD").Classify(s.Decay > 0, "weight decay");
    });

    /// <summary>
    /// Hinton's guide, section 11, as the options document it: <c>q ← λq + (1 − λ)·mean P(h | v⁰)</c> from
    /// q = p, then the hidden-bias gradient gets <c>−κ(q − p)</c> and the weight gradient
    /// <c>−κ(q − p)·mean(vᵢ)</c>. Two steps with momentum 0 on different batches, the second batch short.
    /// </summary>
    // Kills: the sparsity penalty not applied to the weights (or with +mean(v)), not applied to the hidden
    // biases, the running mean computed with the decay applied twice, not carried between steps, or
    // started from 0 rather than the target.
    [Fact]
    public void Sparsity_RunningMeanAndPenalty_FollowTheFormula()
    {
        const int nv = 9, nh = 7;
        const float eta = 0.5f, p = 0.1f, cost = 2f, lambda = 0.6f;
        var c = new RbmCase(nv, nh, 6, 1.0, 41);
        BernoulliRbm rbm = c.CreateModel();
        var options = new TrainingOptions
        {
            BatchSize = 8, LearningRate = eta, InitialMomentum = 0f, SparsityTarget = p, SparsityCost = cost,
            SparsityDecay = lambda, Seed = 5, MaxDegreeOfParallelism = 1,
        };
        var trainer = new RbmTrainer(rbm, options);
        Assert.All(trainer.CreateCheckpoint().SparsityMean, q => Assert.Equal(p, q));
        Matrix[] batches = [new RbmCase(nv, nh, 8, 1.0, 42).UnitRows(nv, 1), new RbmCase(nv, nh, 5, 1.0, 43).UnitRows(nv, 2)];

        double[] q = Enumerable.Repeat((double)p, nh).ToArray();
        double qTolerance = 0;
        for (int step = 0; step < 2; step++)
        {
            NaiveRbm before = new(rbm);
            double[][] v = Rows(batches[step]);
            RandomStream random = trainer.StepStream(step);
            double margin = double.PositiveInfinity;
            var (dW, _, db, _) = before.Gradient(v, 1, null, ref random, ref margin);
            Assert.True(margin >= AmbiguousMargin, "the fixed seeds give an ambiguous draw; pick others");
            double[] meanH = Enumerable.Range(0, nh).Select(j => v.Average(r => before.MeanHiddens(r)[j])).ToArray();
            double[] meanV = Enumerable.Range(0, nv).Select(i => v.Average(r => r[i])).ToArray();
            for (int j = 0; j < nh; j++) q[j] = lambda * q[j] + (1 - lambda) * meanH[j];

            trainer.Step(batches[step]);

            // q: float arithmetic on values ≤ 1 (a few roundings) plus (1 − λ) times the probability error.
            double probability = ProbabilityTolerance(nv, before.W.Cast<double>().Sum(Math.Abs) + before.B.Sum(Math.Abs));
            qTolerance = lambda * qTolerance + (1 - lambda) * probability + 4 * Tolerance.FloatEpsilon;
            IReadOnlyList<float> actualQ = trainer.CreateCheckpoint().SparsityMean;
            for (int j = 0; j < nh; j++)
                Assert.True(Tolerance.Close(q[j], actualQ[j], qTolerance), $"step {step + 1}: q[{j}] = {actualQ[j]}, expected {q[j]}");

            double g = GradientTolerance(before, v.Length), penaltyTolerance = cost * (qTolerance + Tolerance.FloatEpsilon);
            for (int j = 0; j < nh; j++)
            {
                double penalty = cost * (q[j] - p), grad = db[j] - penalty;
                double expected = before.B[j] + eta * grad;
                Assert.True(Tolerance.Close(expected, rbm.HiddenBias[j], UpdateTolerance(before.B[j], eta, grad, g + penaltyTolerance)),
                    $"step {step + 1}: b[{j}] = {rbm.HiddenBias[j]}, expected {expected}");
                for (int i = 0; i < nv; i++)
                {
                    double gw = dW[i, j] - penalty * meanV[i];
                    double ew = before.W[i, j] + eta * gw;
                    Assert.True(Tolerance.Close(ew, rbm.Weights[i * nh + j], UpdateTolerance(before.W[i, j], eta, gw, g + penaltyTolerance)),
                        $"step {step + 1}: W[{i},{j}] = {rbm.Weights[i * nh + j]}, expected {ew}");
                }
            }
        }
    }

    /// <summary>"SparsityTarget 0 turns the penalty off": with a cost but no target, the update is the plain gradient.</summary>
    // Kills: the penalty switched on by the cost alone (&& → ||, or the target test dropped): q − 0 = q > 0 would pull every hidden bias down.
    [Fact]
    public void Sparsity_ZeroTarget_TurnsThePenaltyOff()
    {
        var c = new RbmCase(6, 5, 4, 1.0, 51);
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm before = c.Reference(rbm);
        const float eta = 0.5f;
        var trainer = new RbmTrainer(rbm, new TrainingOptions
        {
            BatchSize = 4, LearningRate = eta, InitialMomentum = 0f, SparsityTarget = 0f, SparsityCost = 5f, Seed = 3, MaxDegreeOfParallelism = 1,
        });
        Matrix batch = c.UnitRows(6, 1);
        RandomStream random = trainer.StepStream(0);
        double margin = double.PositiveInfinity;
        var (_, _, db, _) = before.Gradient(Rows(batch), 1, null, ref random, ref margin);
        Assert.True(margin >= AmbiguousMargin);
        trainer.Step(batch);
        double g = GradientTolerance(before, 4);
        for (int j = 0; j < 5; j++)
            Assert.True(Tolerance.Close(before.B[j] + eta * db[j], rbm.HiddenBias[j], UpdateTolerance(before.B[j], eta, db[j], g)), $"b[{j}]");
    }

    /// <summary>
    /// Momentum follows the epoch counter: with the switch at epoch 2, both of the first two epochs use the
    /// initial momentum μ, so after them the velocity is <c>μ·η∇₁ + η∇₂</c> (one minibatch per epoch).
    /// </summary>
    // Kills: the trainer asking MomentumAt for the wrong epoch (CompletedEpochs + 1), or ignoring momentum.
    [Fact]
    public void Momentum_UsesTheScheduleOfTheCurrentEpoch()
    {
        const int nv = 6, nh = 4;
        const float eta = 0.4f, mu = 0.7f;
        var c = new RbmCase(nv, nh, 1, 1.0, 61);
        BernoulliRbm rbm = c.CreateModel();
        // One row per epoch: the shuffle cannot change the batch.
        var data = new Matrix(1, nv, [1, 0, 1, 1, 0, 1]);
        var trainer = new RbmTrainer(rbm, new TrainingOptions
        {
            Epochs = 2, BatchSize = 1, LearningRate = eta, InitialMomentum = mu, FinalMomentum = 0f, MomentumSwitchEpoch = 2,
            Seed = 8, MaxDegreeOfParallelism = 1, ExactLogLikelihoodMaxUnits = 0,
        });
        double[] velocity = new double[nv * nh];
        double tolerance = 0;
        for (int epoch = 0; epoch < 2; epoch++)
        {
            NaiveRbm before = new(rbm);
            RandomStream random = trainer.StepStream(epoch);
            double margin = double.PositiveInfinity;
            var (dW, _, _, _) = before.Gradient(Rows(data), 1, null, ref random, ref margin);
            Assert.True(margin >= AmbiguousMargin);
            for (int i = 0; i < nv; i++)
                for (int j = 0; j < nh; j++) velocity[i * nh + j] = mu * velocity[i * nh + j] + eta * dW[i, j];
            tolerance = mu * tolerance + eta * GradientTolerance(before, 1) + 4 * Tolerance.FloatEpsilon;
            trainer.TrainEpoch(data);
        }
        Span<float> actual = trainer.CreateCheckpoint().Velocity["W"].Span;
        for (int k = 0; k < velocity.Length; k++)
            Assert.True(Tolerance.Close(velocity[k], actual[k], tolerance), $"velocity[{k}] = {actual[k]}, expected {velocity[k]}");
    }

    /// <summary>The epoch's metrics against the double reference evaluated on the trained model.</summary>
    // Kills: the held-out (or training) log-likelihood computed with +log Z instead of −log Z, the
    // metrics taken over other rows than the first MonitorRows (or all rows when it is 0), the held-out
    // free energy taken from the training rows, and the ExactLogLikelihoodMaxUnits edge (≤ → <).
    [Theory]
    [InlineData(7, 5)]   // the first 7 of 30 rows are monitored
    [InlineData(0, 5)]   // 0: all rows
    [InlineData(50, 5)]  // more than there are: all rows
    [InlineData(7, 4)]   // the smaller layer (5 units) is above the limit: no likelihoods
    public void Train_EpochMetrics_MatchReference(int monitorRows, int exactMaxUnits)
    {
        const int nv = 8, nh = 5;
        Matrix data = new RbmCase(nv, nh, 30, 1.0, 71).BinaryRows(nv, 1);
        Matrix held = new RbmCase(nv, nh, 12, 1.0, 72).BinaryRows(nv, 2);
        BernoulliRbm rbm = new RbmCase(nv, nh, 1, 1.0, 73).CreateModel();
        var trainer = new RbmTrainer(rbm, new TrainingOptions
        {
            Epochs = 1, BatchSize = 7, MonitorRows = monitorRows, ExactLogLikelihoodMaxUnits = exactMaxUnits, MaxDegreeOfParallelism = 1,
        });
        EpochMetrics m = Assert.Single(trainer.Train(data, held));
        Assert.Equal(1, m.Epoch);

        var naive = new NaiveRbm(rbm);
        double[][] monitored = Rows(data).Take(monitorRows == 0 ? 30 : monitorRows).ToArray();
        double[][] heldRows = Rows(held);
        double fTol = monitored.Concat(heldRows).Max(r => BernoulliRbmPropertyTests.FreeEnergyTolerance(naive, r));
        double fTrain = naive.MeanFreeEnergy(monitored), fHeld = naive.MeanFreeEnergy(heldRows);
        Assert.True(Tolerance.Close(fTrain, m.FreeEnergyTrain, fTol), $"F train {m.FreeEnergyTrain}, expected {fTrain}");
        Assert.True(Tolerance.Close(fHeld, m.FreeEnergyHeldOut!.Value, fTol), $"F held-out {m.FreeEnergyHeldOut}, expected {fHeld}");
        Assert.True(Tolerance.Close(naive.ReconstructionError(monitored), m.ReconstructionError, ReconstructionTolerance(naive)),
            $"reconstruction {m.ReconstructionError}, expected {naive.ReconstructionError(monitored)}");
        if (exactMaxUnits < Math.Min(nv, nh))
        {
            Assert.Null(m.LogZ);
            Assert.Null(m.LogLikelihoodTrain);
            Assert.Null(m.LogLikelihoodHeldOut);
            return;
        }
        double logZ = NaivePartitionFunction.LogZ(naive), zTol = ExactPartitionFunctionTests.LogZTolerance(naive);
        Assert.True(Tolerance.Close(logZ, m.LogZ!.Value, zTol), $"log Z {m.LogZ}, expected {logZ}");
        Assert.True(Tolerance.Close(-fTrain - logZ, m.LogLikelihoodTrain!.Value, fTol + zTol), $"LL train {m.LogLikelihoodTrain}, expected {-fTrain - logZ}");
        Assert.True(Tolerance.Close(-fHeld - logZ, m.LogLikelihoodHeldOut!.Value, fTol + zTol), $"LL held-out {m.LogLikelihoodHeldOut}, expected {-fHeld - logZ}");
    }

    /// <summary>
    /// The reconstruction P(v | P(h | v)) per unit: the hidden probabilities carry
    /// <see cref="ProbabilityTolerance"/>, which the visible activation multiplies by Σⱼ|Wᵢⱼ| and adds its own
    /// dot bound, damped by σ' ≤ ¼. A squared difference of values in [0, 1] moves by at most 2δ + δ².
    /// </summary>
    internal static double ReconstructionTolerance(NaiveRbm naive)
    {
        double hScale = naive.W.Cast<double>().Sum(Math.Abs) + naive.B.Sum(Math.Abs);
        double hTol = ProbabilityTolerance(naive.Nv, hScale);
        double worst = 0;
        for (int i = 0; i < naive.Nv; i++)
        {
            double row = Enumerable.Range(0, naive.Nh).Sum(j => Math.Abs(naive.W[i, j]));
            double d = Tolerance.SigmoidAbsolute + (row * hTol + Tolerance.DotBound(naive.Nh + 1, Math.Abs(naive.A[i]) + row)) / 4;
            worst = Math.Max(worst, 2 * d + d * d);
        }
        return worst + 1e-12;
    }

    /// <summary>17 rows in batches of 10: one full minibatch and a short one of 7, reported as such.</summary>
    // Kills: the batch count rounded down ((n + B − 1) / B → n / B), the batch number off by one, the last
    // short batch dropped or padded, and the epoch position not reset at the end of the epoch.
    [Fact]
    public void Train_RaggedEpoch_TakesAFullAndAShortMinibatch()
    {
        var rbm = BernoulliRbm.CreateRandom(6, 3, seed: 1);
        var trainer = new RbmTrainer(rbm, new TrainingOptions { Epochs = 1, BatchSize = 10, MaxDegreeOfParallelism = 1 });
        var seen = new List<BatchProgress>();
        trainer.Train(new RbmCase(6, 3, 17, 1, 2).BinaryRows(6, 1), onBatch: seen.Add);
        Assert.Equal(new[] { (1, 1, 2, 10), (1, 2, 2, 17) }, seen.Select(b => (b.Epoch, b.Batch, b.Batches, b.Rows)));
        Assert.Equal(2, trainer.CompletedSteps);
        Assert.Equal(0, trainer.EpochPosition);
        Assert.Equal(1, trainer.CompletedEpochs);
    }

    // Kills: Step's shape checks removed or off by one (rows > BatchSize → >= BatchSize rejects a full batch).
    [Fact]
    public void Step_RejectsBatchesOfTheWrongShape()
    {
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(4, 3, seed: 1), new TrainingOptions { BatchSize = 5, MaxDegreeOfParallelism = 1 });
        Assert.Equal("batch", Assert.Throws<ArgumentException>(() => trainer.Step(new Matrix(6, 4))).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentException>(() => trainer.Step(new Matrix(0, 4))).ParamName);
        Assert.Equal("batch", Assert.Throws<ArgumentException>(() => trainer.Step(new Matrix(2, 3))).ParamName);
        trainer.Step(new Matrix(5, 4));
        trainer.Step(new Matrix(1, 4));
        Assert.Equal(2, trainer.CompletedSteps);
    }

    // Kills: the [0, 1] data check loosened (NaN or values just outside accepted) or tightened (exact 0 and 1 rejected),
    // and the held-out rows left unchecked.
    [Fact]
    public void Data_MustLieInTheClosedUnitInterval_TrainingAndHeldOut()
    {
        var trainer = new RbmTrainer(BernoulliRbm.CreateRandom(2, 2, seed: 1), new TrainingOptions { Epochs = 1, MaxDegreeOfParallelism = 1 });
        var edges = new Matrix(2, 2, [0f, 1f, 1f, 0f]);
        trainer.TrainEpoch(edges, edges);
        foreach (float bad in new[] { -float.Epsilon, 1.0000001f, float.NaN })
        {
            var ex = Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(new Matrix(1, 2, [0.5f, bad])));
            Assert.Equal("data", ex.ParamName);
            ex = Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(edges, new Matrix(1, 2, [bad, 0.5f])));
            Assert.Equal("heldOut", ex.ParamName);
        }
        Assert.Equal("heldOut", Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(edges, new Matrix(1, 3))).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => trainer.TrainEpoch(new Matrix(0, 2))).ParamName);
    }
}
