using System.CommandLine;
using RbmSimd.Cli.Training;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm train</c>: trains a Bernoulli RBM and writes the model, per-epoch metrics and checkpoints.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data("digits");
        var binarize = CommonOptions.Binarize();
        var hidden = new Option<int>("--hidden") { Description = "Hidden units.", DefaultValueFactory = _ => 100 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training data (with --resume: the new total).", DefaultValueFactory = _ => 30 };
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
        var heldOut = new Option<double>("--held-out") { Description = "Fraction of rows held out for the free-energy gap (small data sets).", DefaultValueFactory = _ => 0.1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "Threads per training step (−1: all cores); results are the same bits for any value.", DefaultValueFactory = _ => -1 };
        var output = new Option<string>("--output", "-o") { Description = "Output folder: model.npz, metrics.csv, checkpoint.npz.", DefaultValueFactory = _ => "runs/latest" };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its checkpoint.npz (same data and options; --epochs and --threads may change)." };

        var command = new Command("train", "Train a Bernoulli RBM with CD-k or PCD. Prints one line per epoch (a progress bar on a terminal) and writes " +
            "model.npz, metrics.csv and checkpoint.npz into the output folder after every epoch. Ctrl+C stops after the current minibatch and saves a checkpoint.\n\n" +
            "Examples:\n  rbm train\n  rbm train --data bars:4 --hidden 16 --pcd --chains 100 --epochs 500 --learning-rate 0.02 --output runs/bars\n" +
            "  rbm train --data fashion-mnist --binarize 0.5 --hidden 500 --batch-size 100 --learning-rate 0.1 --epochs 5\n" +
            "  rbm train --resume runs/latest --epochs 60")
        {
            data, binarize, hidden, epochs, batch, rate, k, pcd, chains, momentum, finalMomentum, momentumSwitch,
            decay, sparsity, sparsityCost, heldOut, seed, threads, output, resume,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            if (parse.GetValue(resume) is { } folder)
            {
                int? newEpochs = parse.GetResult(epochs) is { Implicit: false } ? parse.GetValue(epochs) : null;
                int? newThreads = parse.GetResult(threads) is { Implicit: false } ? parse.GetValue(threads) : null;
                return TrainRun.Resume(folder, newEpochs, newThreads);
            }
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
            var source = new DataSpec(parse.GetValue(data)!, parse.GetValue(binarize), fraction);
            return TrainRun.Start(source, hiddenCount, options, parse.GetValue(output)!);
        }));
        return command;
    }
}
