using System.CommandLine;
using System.Globalization;
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
        var csv = new CommonOptions.Csv();
        var hidden = CliOption.Int("--hidden", "Hidden units.", 100, 1, 100_000);
        var epochs = CliOption.Int("--epochs", "Passes over the training data (with --resume: the new total).", 30, 1, int.MaxValue);
        var batch = CliOption.Int("--batch-size", "Rows per minibatch.", 10, 1, 100_000);
        var rate = CliOption.Float("--learning-rate", "Learning rate η.", 0.05f, x => x > 0 && x <= 10, "a number in (0, 10]");
        var k = CliOption.Int("--k", "Gibbs steps per update (CD-k / PCD-k).", 1, 1, 1000);
        var pcd = new Option<bool>("--pcd") { Description = "Persistent contrastive divergence instead of CD-k." };
        var chains = CliOption.Int("--chains", "Persistent chains for --pcd (0: one per batch row).", 0, 0, 100_000);
        var momentum = CliOption.Float("--momentum", "Momentum for the first epochs.", 0.5f, x => x >= 0 && x < 1, "a number in [0, 1)");
        var finalMomentum = CliOption.Float("--final-momentum", "Momentum from --momentum-switch on.", 0.9f, x => x >= 0 && x < 1, "a number in [0, 1)");
        var momentumSwitch = CliOption.Int("--momentum-switch", "Zero-based epoch at which momentum switches.", 5, 0, int.MaxValue);
        var decay = CliOption.Float("--weight-decay", "L2 weight decay on the weights.", 1e-4f, x => x >= 0 && x <= 1, "a number in [0, 1]");
        var sparsity = CliOption.Float("--sparsity-target", "Target mean hidden activation (0 = off).", 0f, x => x >= 0 && x < 1, "a number in [0, 1)");
        var sparsityCost = CliOption.Float("--sparsity-cost", "Strength of the sparsity penalty.", 0f, x => x >= 0 && x <= 100, "a number in [0, 100]");
        var heldOut = CliOption.Double("--held-out", "Fraction of rows held out for the free-energy gap (small data sets).", 0.1, x => x >= 0 && x < 1, "a number in [0, 1)");
        var seed = CliOption.Seed("Seed of every random choice.");
        var threads = CliOption.Int("--threads", "Threads per training step (−1: all cores); results are the same bits for any value.", -1, -1, int.MaxValue,
            "-1 (all cores) or a whole number of at least 1", valid: t => t == -1 || t >= 1);
        var exactUnits = CliOption.Int("--exact-ll-max-units",
            "Compute log Z and the exact log-likelihood after each epoch when the smaller layer has at most this many units (0: never; each unit doubles the cost).",
            new TrainingOptions().ExactLogLikelihoodMaxUnits, 0, 26);
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output folder. Default: a new folder runs/YYYYMMDD-HHMMSS per run, with runs/latest a link to the newest. " +
                "A folder that already holds a run is refused unless --force.",
        };
        var force = new Option<bool>("--force") { Description = "Replace the run in --output (its model, checkpoint, metrics and pictures)." };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue the run in this folder from its checkpoint.npz, on the same data (checked by its fingerprint); " +
                "--epochs, --threads and --save-interval may change, other options must match the checkpoint or be left out.",
        };
        var saveInterval = CliOption.Double("--save-interval",
            "Seconds between writes of model.npz, checkpoint.npz and the new rows of metrics.csv (0: after every epoch). They are always " +
            "written at the end, on Ctrl+C and SIGTERM; the pictures are redrawn with them when that costs under a tenth of the time.",
            TrainRun.DefaultSaveInterval, x => x >= 0 && x <= 86_400, "a number of seconds in [0, 86400]");

        var command = new Command("train", "Train a Bernoulli RBM with CD-k or PCD, writing the model, metrics, checkpoint and pictures.\n\n" +
            "Prints a legend, then one line per epoch (with a progress bar on a terminal), and writes model.npz, checkpoint.npz and " +
            "metrics.csv into the run's folder every --save-interval seconds and at the end, then filters.png, samples.png and curves.png. " +
            "Ctrl+C or SIGTERM stops after the current minibatch and saves everything; --resume continues from there with the same bits.\n\n" +
            "Examples:\n" +
            "  rbm train\n" +
            "  rbm train --data bars:4 --hidden 16 --pcd --chains 100 --epochs 500 --learning-rate 0.02 --output runs/bars\n" +
            "  rbm train --data fashion-mnist --binarize 0.5 --hidden 500 --batch-size 100 --learning-rate 0.1 --epochs 5 --output runs/fashion\n" +
            "  rbm train --data data/optdigits-8x8.csv.gz --scale 16 --label-column last --hidden 16 --output runs/csv\n" +
            "  rbm train --resume runs/bars --epochs 600")
        {
            data, binarize, hidden, epochs, batch, rate, k, pcd, chains, momentum, finalMomentum, momentumSwitch,
            decay, sparsity, sparsityCost, heldOut, seed, threads, exactUnits, output, force, resume, saveInterval,
        };
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            double interval = parse.GetValue(saveInterval);
            if (parse.GetValue(resume) is { } folder)
            {
                int? newEpochs = Given(parse, epochs) ? parse.GetValue(epochs) : null;
                int? newThreads = Given(parse, threads) ? parse.GetValue(threads) : null;
                if (Given(parse, output)) throw new UsageException("--output cannot be used with --resume: the run continues in its own folder.");
                if (Given(parse, force)) throw new UsageException("--force cannot be used with --resume: resuming never replaces a run.");
                var request = new DataRequest(parse.GetValue(data)!, parse.GetValue(binarize), csv.Read(parse));
                // Everything else must agree with the checkpoint: compared once it is loaded.
                var fixedOptions = new List<ResumeCheck>
                {
                    ResumeCheck.Of(parse, hidden, (c, m) => m.Hidden),
                    ResumeCheck.Of(parse, batch, (c, _) => c.BatchSize),
                    ResumeCheck.Of(parse, rate, (c, _) => c.LearningRate),
                    ResumeCheck.Of(parse, k, (c, _) => c.CdSteps),
                    ResumeCheck.Of(parse, pcd, (c, _) => c.Persistent),
                    ResumeCheck.Of(parse, chains, (c, _) => c.PersistentChains),
                    ResumeCheck.Of(parse, momentum, (c, _) => c.InitialMomentum),
                    ResumeCheck.Of(parse, finalMomentum, (c, _) => c.FinalMomentum),
                    ResumeCheck.Of(parse, momentumSwitch, (c, _) => c.MomentumSwitchEpoch),
                    ResumeCheck.Of(parse, decay, (c, _) => c.WeightDecay),
                    ResumeCheck.Of(parse, sparsity, (c, _) => c.SparsityTarget),
                    ResumeCheck.Of(parse, sparsityCost, (c, _) => c.SparsityCost),
                    ResumeCheck.Of(parse, seed, (c, _) => c.Seed),
                    ResumeCheck.Of(parse, exactUnits, (c, _) => c.ExactLogLikelihoodMaxUnits),
                    ResumeCheck.Of(parse, heldOut, (c, m) => m.HeldOutFraction),
                    ResumeCheck.Of(parse, binarize, (c, m) => m.Binarize),
                };
                foreach (Option option in csv.All)
                    if (Given(parse, option)) fixedOptions.Add(new ResumeCheck(option.Name, Text(parse.GetResult(option)!.Tokens), (_, m) => Text(CsvValue(m.Csv, option.Name))));
                var given = Given(parse, data) ? request : null;
                return TrainRun.Resume(folder, newEpochs, newThreads, Given(parse, saveInterval) ? interval : null, fixedOptions, given);
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
                ExactLogLikelihoodMaxUnits = parse.GetValue(exactUnits),
            };
            options.Validate();
            if (options.Persistent is false && Given(parse, chains))
                throw new UsageException("--chains applies to --pcd only (CD-k restarts its chains at the data).");
            var source = new DataSpec(new DataRequest(parse.GetValue(data)!, parse.GetValue(binarize), csv.Read(parse)), parse.GetValue(heldOut), parse.GetValue(hidden));
            return TrainRun.Start(source, options, parse.GetValue(output), parse.GetValue(force), interval);
        }));
        return command;
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static string Text(IEnumerable<System.CommandLine.Parsing.Token> tokens) => string.Join(' ', tokens.Select(t => t.Value));

    private static string Text(string? value) => value ?? "(detected)";

    private static string? CsvValue(CsvChoices csv, string option) => option switch
    {
        "--header" => csv.Header,
        "--label-column" => csv.LabelColumn,
        "--separator" => csv.Separator,
        _ => csv.Scale,
    };
}
