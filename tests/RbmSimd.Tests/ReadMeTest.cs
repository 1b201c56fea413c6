using RbmSimd.Persistence;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Tests.IO;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests;

/// <summary>The README's example runs as written: the test holds the same lines and checks the README still shows them.</summary>
public class ReadMeTest
{
    [Fact]
    public void Example_Runs_AndMatchesTheReadMe()
    {
        using var folder = new TempFolder();
        var output = new List<string>();
        // --- README example (between the markers, verbatim but for Console.WriteLine -> output.Add) ---
        Dataset digits = Digits.Load(binarize: true);
        var (train, heldOut) = digits.Split(heldOutFraction: 0.1, seed: 1);

        var rbm = BernoulliRbm.CreateRandom(visibleCount: 64, hiddenCount: 16, seed: 1, data: train.Features);
        var trainer = new RbmTrainer(rbm, new TrainingOptions { Epochs = 20, BatchSize = 10, LearningRate = 0.05f });
        trainer.Train(train.Features, heldOut.Features,
            onEpoch: m => output.Add($"{m.Epoch}: recon {m.ReconstructionError:F4}, log-likelihood {m.LogLikelihoodTrain:F3}"));

        double logZ = ExactPartitionFunction.LogPartitionFunction(rbm);   // 2^16 hidden states
        LogZEstimate ais = AnnealedImportanceSampling.Estimate(rbm,       // any size: 100 runs, 14,500 temperatures
            new AisOptions { BaseVisibleBias = BaseModel.VisibleBias(rbm, train) });
        output.Add($"log Z = {logZ:F3}, AIS {ais.LogZ:F3} in [{ais.Lower:F3}, {ais.Upper:F3}]");
        ModelFile.Save(rbm, folder.File("digits.npz"));                    // numpy.load("digits.npz") reads it
        // --- end of README example ---

        Assert.Equal(21, output.Count);
        Assert.True(double.IsFinite(logZ));
        Assert.True(Math.Abs(ais.LogZ - logZ) < 0.1, output[^1]);
        Assert.Equal(rbm.Weights.ToArray(), ModelFile.Load<BernoulliRbm>(folder.File("digits.npz")).Weights.ToArray());

        string readme = File.ReadAllText(FindReadMe());
        foreach (string line in new[]
        {
            "Dataset digits = Digits.Load(binarize: true);",
            "var (train, heldOut) = digits.Split(heldOutFraction: 0.1, seed: 1);",
            "var rbm = BernoulliRbm.CreateRandom(visibleCount: 64, hiddenCount: 16, seed: 1, data: train.Features);",
            "var trainer = new RbmTrainer(rbm, new TrainingOptions { Epochs = 20, BatchSize = 10, LearningRate = 0.05f });",
            "double logZ = ExactPartitionFunction.LogPartitionFunction(rbm);",
            "LogZEstimate ais = AnnealedImportanceSampling.Estimate(rbm,",
            "new AisOptions { BaseVisibleBias = BaseModel.VisibleBias(rbm, train) });",
        })
            Assert.Contains(line, readme);
    }

    private static string FindReadMe()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "RbmSimd.sln"))) return candidate;
        }
        throw new FileNotFoundException("README.md not found above the test assembly.");
    }
}
