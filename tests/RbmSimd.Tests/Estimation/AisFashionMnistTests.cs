using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Estimation;

/// <summary>
/// AIS and RAISE on 784-visible models trained on Fashion-MNIST (the shipped sample, binarised at pixel &gt; 127) with CD-1,
/// CD-25 and PCD, against the exact log Z by enumerating the hidden states: issue 11's accuracy bounds on its own data.
/// </summary>
public class AisFashionMnistTests
{
    /// <summary>
    /// A model trained for 8 epochs (batch 20, η = 0.05; momentum 0.5 for CD, none for PCD). PCD with momentum 0.5 here
    /// collapses the model onto one hidden state holding all but 0.3 % of the mass, a first-order transition that no
    /// annealing path crosses (see <see cref="CollapsedPcdModel_AisFallsShort_AndBothEstimatesAreOptimistic"/>).
    /// </summary>
    private static BernoulliRbm Trained(int hidden, int k, bool persistent, float? momentum = null)
    {
        Dataset train = FashionMnistSample.Train;
        var rbm = BernoulliRbm.CreateRandom(784, hidden, seed: 5, train);
        new RbmTrainer(rbm, new TrainingOptions
        {
            Epochs = 8, BatchSize = 20, LearningRate = 0.05f, CdSteps = k, Persistent = persistent, PersistentChains = persistent ? 100 : 0,
            InitialMomentum = momentum ?? (persistent ? 0f : 0.5f), FinalMomentum = momentum ?? (persistent ? 0f : 0.5f), Seed = 5, ExactLogLikelihoodMaxUnits = 0, MonitorRows = 1, MonitorRandomRows = 0,
        }).Train(train);
        return rbm;
    }

    public static TheoryData<int, int, bool> Models => new()
    {
        { 16, 1, false }, { 20, 1, false }, { 25, 1, false }, { 20, 25, false }, { 16, 1, true }, { 20, 1, true },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Ais_FullSchedule_IsWithinATenthOfANat_WithTheTruthInsideItsInterval(int hidden, int k, bool persistent)
    {
        BernoulliRbm model = Trained(hidden, k, persistent);
        double exact = ExactPartitionFunction.LogPartitionFunction(model);
        LogZEstimate ais = AnnealedImportanceSampling.Estimate(model,
            new AisOptions { BaseVisibleBias = BaseModel.VisibleBias(model, FashionMnistSample.Train), Seed = 21 });
        Assert.True(Math.Abs(ais.LogZ - exact) <= 0.1, $"AIS {ais.LogZ}, exact {exact}");
        Assert.InRange(exact, ais.Lower, ais.Upper);
    }

    [Fact]
    public void Ais_ThousandUniformTemperatures_IsWithinHalfANat()
    {
        BernoulliRbm model = Trained(20, 1, false);
        double exact = ExactPartitionFunction.LogPartitionFunction(model);
        LogZEstimate ais = AnnealedImportanceSampling.Estimate(model, new AisOptions
        {
            Schedule = AnnealingSchedule.Uniform(1000), BaseVisibleBias = BaseModel.VisibleBias(model, FashionMnistSample.Train), Seed = 22,
        });
        Assert.True(Math.Abs(ais.LogZ - exact) <= 0.5, $"AIS {ais.LogZ}, exact {exact}");
    }

    [Fact]
    public void Raise_AndAis_SandwichTheExactTestLogLikelihood_OnFiveHundredImages()
    {
        BernoulliRbm model = Trained(20, 1, false);
        Dataset test = FashionMnistSample.Test;
        Assert.Equal(500, test.Features.Rows);
        double logZ = ExactPartitionFunction.LogPartitionFunction(model);
        double exact = ExactPartitionFunction.AverageLogLikelihood(model, test.Features, logZ);
        float[] a0 = BaseModel.VisibleBias(model, FashionMnistSample.Train);
        LogZEstimate ais = AnnealedImportanceSampling.Estimate(model, new AisOptions { BaseVisibleBias = a0, Seed = 23 });
        double aisLikelihood = exact + logZ - ais.LogZ;
        LogLikelihoodEstimate raise = ReverseAnnealedImportanceSampling.LogLikelihood(model, test,
            new AisOptions { Runs = 5, Schedule = AnnealingSchedule.SalakhutdinovMurray(2000), BaseVisibleBias = a0, Seed = 24 });
        Assert.True(raise.Mean <= exact, $"RAISE {raise.Mean} above exact {exact}");
        Assert.True(exact <= aisLikelihood + 0.05, $"exact {exact} above AIS {aisLikelihood} + 0.05");
        Assert.True(exact - raise.Mean < 1, $"RAISE gap {exact - raise.Mean}");
        Assert.True(aisLikelihood - exact < 1, $"AIS gap {aisLikelihood - exact}");
    }

    /// <summary>
    /// AIS's known failure, kept visible: PCD with momentum 0.5 puts 99.7 % of the model's mass on a single hidden state (exact
    /// enumeration shows it), and annealing from the data's marginals never reaches that mode, so AIS underestimates log Z by
    /// tens of nats with a deceptively narrow interval. RAISE's guarantee does not hold either: it estimates the likelihood
    /// under the annealing process, which misses the same mode and so fits the test images better than the model does, and
    /// it lands above the exact value. What gives the failure away is the width of the AIS–RAISE gap.
    /// </summary>
    [Fact]
    public void CollapsedPcdModel_AisFallsShort_AndBothEstimatesAreOptimistic()
    {
        BernoulliRbm model = Trained(20, 1, persistent: true, momentum: 0.5f);
        double logZ = ExactPartitionFunction.LogPartitionFunction(model);
        float[] a0 = BaseModel.VisibleBias(model, FashionMnistSample.Train);
        LogZEstimate ais = AnnealedImportanceSampling.Estimate(model, new AisOptions { BaseVisibleBias = a0, Seed = 21 });
        Assert.True(logZ - ais.Upper > 5, $"AIS {ais.LogZ} [{ais.Lower}, {ais.Upper}] against exact {logZ}: expected to fall short here");

        var first = new Matrix(100, 784);
        for (int r = 0; r < 100; r++) FashionMnistSample.Test.Features.Row(r).CopyTo(first.Row(r));
        var rows = new Dataset(first);
        double exact = ExactPartitionFunction.AverageLogLikelihood(model, rows.Features, logZ);
        LogLikelihoodEstimate raise = ReverseAnnealedImportanceSampling.LogLikelihood(model, rows,
            new AisOptions { Runs = 5, Schedule = AnnealingSchedule.SalakhutdinovMurray(2000), BaseVisibleBias = a0, Seed = 25 });
        double aisLikelihood = exact + logZ - ais.LogZ;
        Assert.True(raise.Mean > exact, $"RAISE {raise.Mean} at or below exact {exact}: the annealing model no longer misses the mode?");
        Assert.True(aisLikelihood - raise.Mean > 5, $"sandwich [{raise.Mean}, {aisLikelihood}] too narrow to flag the failure");
    }
}
