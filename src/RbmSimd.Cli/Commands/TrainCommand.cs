using System.CommandLine;
using System.Globalization;
using System.Text;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm train</c>: trains a Bernoulli RBM and writes the model and per-epoch metrics.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data("digits");
        var binarize = CommonOptions.Binarize();
        var hidden = new Option<int>("--hidden") { Description = "Hidden units.", DefaultValueFactory = _ => 100 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => 30 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per minibatch.", DefaultValueFactory = _ => 10 };
        var rate = new Option<float>("--learning-rate") { Description = "Learning rate η.", DefaultValueFactory = _ => 0.05f };
        var k = new Option<int>("--k") { Description = "Gibbs steps per update (CD-k / PCD-k).", DefaultValueFactory = _ => 1 };
        var pcd = new Option<bool>("--pcd") { Description = "Persistent contrastive divergence instead of CD-k." };
        var chains = new Option<int>("--chains") { Description = "Persistent chains for --pcd (0: one per batch row).", DefaultValueFactory = _ => 0 };
        var momentum = new Option<float>("--momentum") { Description = "Momentum for the first epochs.", DefaultValueFactory = _ => 0.5f };
        var finalMomentum = new Option<float>("--final-momentum") { Description = "Momentum from --momentum-switch on.", DefaultValueFactory = _ => 0.9f };
        var momentumSwitch = new Option<int>("--momentum-switch") { Description = "Zero-based epoch at which momentum switches.", DefaultValueFactory = _ => 5 };
        var decay = new Option<float>("--weight-decay") { Description = "L2 weight decay on the weights.", DefaultValueFactory = _ => 1e-4f };
        var sparsity = new Option<float>("--sparsity-target") { Description = "Target mean hidden activation (0 = off).", DefaultValueFactory = _ => 0f };
        var sparsityCost = new Option<float>("--sparsity-cost") { Description = "Strength of the sparsity penalty.", DefaultValueFactory = _ => 0f };
        var heldOut = new Option<double>("--held-out") { Description = "Fraction of rows held out for the free-energy gap.", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Threads per training step (−1: all cores); results are the same bits for any value.", DefaultValueFactory = _ => -1 };
        var output = new Option<string>("--output", "-o") { Description = "Output folder for model.npz and metrics.csv.", DefaultValueFactory = _ => "runs/latest" };

        var command = new Command("train", "Train a Bernoulli RBM with CD-k or PCD; prints one line per epoch and writes model.npz and metrics.csv.\n\n" +
            "Examples:\n  rbm train\n  rbm train --data bars:4 --hidden 16 --pcd --epochs 200 --output runs/bars\n  rbm train --data my.csv --binarize 0.5 --hidden 200")
        {
            data, binarize, hidden, epochs, batch, rate, k, pcd, chains, momentum, finalMomentum, momentumSwitch,
            decay, sparsity, sparsityCost, heldOut, seed, threads, output,
        };
        command.SetAction(parse => CliErrors.Guard(() =>
        {
            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(rate),
                CdSteps = parse.GetValue(k),
                Persistent = parse.GetValue(pcd),
                PersistentChains = parse.GetValue(chains),
                InitialMomentum = parse.GetValue(momentum),
                FinalMomentum = parse.GetValue(finalMomentum),
                MomentumSwitchEpoch = parse.GetValue(momentumSwitch),
                WeightDecay = parse.GetValue(decay),
                SparsityTarget = parse.GetValue(sparsity),
                SparsityCost = parse.GetValue(sparsityCost),
                Seed = parse.GetValue(seed),
                MaxDegreeOfParallelism = parse.GetValue(threads),
            };
            options.Validate();
            int hiddenCount = parse.GetValue(hidden);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenCount, "--hidden");
            double fraction = parse.GetValue(heldOut);
            if (!(fraction >= 0 && fraction < 1)) throw new ArgumentOutOfRangeException("--held-out", fraction, "--held-out must be in [0, 1).");

            LoadedData loaded = DataSource.Load(parse.GetValue(data)!, parse.GetValue(binarize), fraction, options.Seed);
            string folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);

            var rbm = BernoulliRbm.CreateRandom(loaded.Columns, hiddenCount, options.Seed, loaded.Train);
            var trainer = new RbmTrainer(rbm, options);
            Console.WriteLine($"training {loaded.Columns}x{hiddenCount} RBM on {loaded.Train.RowCount} rows ({loaded.HeldOut?.RowCount ?? 0} held out), " +
                $"{(options.Persistent ? "PCD" : "CD")}-{options.CdSteps}, batch {options.BatchSize}, η {options.LearningRate}");
            var csv = new StringBuilder(MetricsCsv.Header);
            trainer.Train(loaded.Train, loaded.HeldOut, m =>
            {
                Console.WriteLine(MetricsCsv.FormatLine(m));
                csv.Append(MetricsCsv.Row(m));
                AtomicFile.WriteAllText(Path.Combine(folder, "metrics.csv"), csv.ToString());
            });
            string modelPath = Path.Combine(folder, "model.npz");
            ModelFile.Save(rbm, modelPath);
            Console.WriteLine($"wrote {modelPath} and {Path.Combine(folder, "metrics.csv")}");
            return 0;
        }));
        return command;
    }
}

/// <summary>The per-epoch metrics as CSV rows and console lines.</summary>
internal static class MetricsCsv
{
    public const string Header = "epoch,seconds,reconstruction_error,free_energy_train,free_energy_held_out,free_energy_gap,log_z,log_likelihood_train,log_likelihood_held_out\n";

    public static string Row(EpochMetrics m) => string.Join(',',
        m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.Seconds), F(m.ReconstructionError), F(m.FreeEnergyTrain),
        F(m.FreeEnergyHeldOut), F(m.FreeEnergyGap), F(m.LogZ), F(m.LogLikelihoodTrain), F(m.LogLikelihoodHeldOut)) + "\n";

    public static string FormatLine(EpochMetrics m)
    {
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"epoch {m.Epoch,3}  recon {m.ReconstructionError:F5}  F(train) {m.FreeEnergyTrain:F3}");
        if (m.FreeEnergyGap is { } gap) line.Append(CultureInfo.InvariantCulture, $"  gap {gap:+0.000;-0.000}");
        if (m.LogLikelihoodTrain is { } ll) line.Append(CultureInfo.InvariantCulture, $"  logL(train) {ll:F4}");
        if (m.LogLikelihoodHeldOut is { } llh) line.Append(CultureInfo.InvariantCulture, $"  logL(held) {llh:F4}");
        line.Append(CultureInfo.InvariantCulture, $"  {m.Seconds:F2}s");
        return line.ToString();
    }

    private static string F(double? x) => x is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "";
}
