using System.CommandLine;
using System.Globalization;
using RbmSimd.Cli.Training;
using RbmSimd.Model;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm train</c>: trains a Bernoulli or Gaussian-Bernoulli RBM, dense or convolutional (or, with <c>--model conditional</c>, a conditional RBM), and writes the model, per-epoch metrics and checkpoints.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data("digits");
        data.Description += " " + ConditionalDataSource.Help;
        var binarize = CommonOptions.Binarize();
        var csv = new CommonOptions.Csv();
        var t = new TrainingOptionSet(stack: false);
        var hidden = CliOption.OptionalInt("--hidden", $"Hidden units (default by --visible: {KindDefaults.Bernoulli.Hidden}/{KindDefaults.Gaussian.Hidden}).", 1, 100_000);
        var earlyStopping = CliOption.Int("--early-stopping",
            "Stop when the held-out log-likelihood (else the training log-likelihood, else the reconstruction error) has not improved " +
            "for this many epochs; the best model is kept in best-model.npz (0: off).", 0, 0, int.MaxValue);
        var onDivergence = CliOption.Choice("--on-divergence",
            "What to do when training runs away (the log-likelihood several nats below its best for 3 epochs, or the reconstruction error " +
            "rising for 5 epochs to 1.5 times its best): stop (the default; the best model is in best-model.npz) or continue with a warning.",
            ["stop", "continue"]);
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Output folder. Default: a new folder runs/YYYYMMDD-HHMMSS per run, with runs/latest a link to the newest. " +
                "A folder that already holds a run is refused unless --force.",
        };
        var force = new Option<bool>("--force") { Description = "Replace the run in --output (its model, checkpoint, metrics and pictures)." };
        var resume = new Option<string?>("--resume")
        {
            Description = "Continue the run in this folder from its checkpoint.npz, on the same data (checked by its fingerprint); " +
                "--epochs, --threads, --save-interval, --early-stopping and --on-divergence may change, other options must match the checkpoint or be left out.",
        };
        var history = CliOption.OptionalInt("--history",
            $"--model conditional: the previous frames each frame is conditioned on (default {ConditionalTrainRun.DefaultHistory}).", 1, 1000);
        var context = CliOption.Choice("--context",
            "--model conditional: what conditions the model: history (the previous --history frames; the default) or label (the one-hot class; the default for digits).",
            ["history", "label"]);
        var contextRate = CliOption.Float("--context-learning-rate-scale",
            "--model conditional: the learning rate of the context weights A and B as a multiple of --learning-rate (0 holds them fixed).",
            1f, x => x >= 0 && x <= 10, "a number in [0, 10]");
        var contextDecay = CliOption.OptionalFloat("--context-weight-decay",
            "--model conditional: L2 weight decay of the context weights A and B (default: --weight-decay).", x => x >= 0 && x <= 1, "a number in [0, 1]");
        var saveInterval = CliOption.Double("--save-interval",
            "Seconds between writes of model.npz, checkpoint.npz and the new rows of metrics.csv (0: after every epoch). They are always " +
            "written at the end, on Ctrl+C and SIGTERM; the pictures are redrawn with them when that costs under a tenth of the time.",
            TrainRun.DefaultSaveInterval, x => x >= 0 && x <= 86_400, "a number of seconds in [0, 86400]");

        var command = new Command("train", "Train a Bernoulli or Gaussian-Bernoulli RBM, dense, convolutional or conditional, with CD-k, PCD or parallel tempering, writing the model, metrics, checkpoint and pictures.\n\n" +
            "Prints a legend, then one line per epoch (with a progress bar on a terminal), and writes model.npz, checkpoint.npz and " +
            "metrics.csv into the run's folder every --save-interval seconds and at the end, then filters.png, samples.png and curves.png. " +
            "Ctrl+C or SIGTERM stops after the current minibatch and saves everything; --resume continues from there with the same bits.\n\n" +
            "Examples:\n" +
            "  rbm train\n" +
            "  rbm train --data bars:4 --held-out 0 --hidden 16 --parallel-tempering 10 --chains 300 --batch-size 30 --epochs 5000 --learning-rate 0.2 --learning-rate-decay-epochs 5000 --momentum 0 --final-momentum 0 --weight-decay 0 --output runs/bars\n" +
            "  rbm train --data patches --visible gaussian --output runs/patches\n" +
            "  rbm train --data fashion-mnist --binarize 0.5 --hidden 500 --batch-size 100 --learning-rate 0.1 --epochs 5 --output runs/fashion\n" +
            "  rbm train --data data/optdigits-8x8.csv.gz --scale 16 --label-column last --hidden 16 --output runs/csv\n" +
            "  rbm train --model conditional --data bouncing-balls:30 --history 2 --hidden 50 --epochs 2 --output runs/balls\n" +
            "  rbm train --model conditional --data motion:20 --history 3 --epochs 20 --output runs/motion\n" +
            "  rbm train --model conditional --data digits --context label --hidden 50 --epochs 10 --output runs/digits-by-class\n" +
            "  rbm train --model convolutional --data digits --filters 8 --filter-size 3 --pool 2 --epochs 4 --output runs/conv\n" +
            "  rbm train --resume runs/bars --epochs 6000")
        {
            data, binarize, hidden,
        };
        t.AddTo(command);
        foreach (Option option in new Option[] { earlyStopping, onDivergence, output, force, resume, saveInterval }) command.Options.Add(option);
        Option[] conditionalOnly = [history, context, contextRate, contextDecay];
        foreach (Option option in conditionalOnly) command.Options.Add(option);
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            double interval = parse.GetValue(saveInterval);
            DivergenceAction? divergence = parse.GetValue(onDivergence) switch
            {
                "continue" => DivergenceAction.Continue,
                "stop" => DivergenceAction.Stop,
                _ => null,
            };
            if (parse.GetValue(resume) is { } folder)
            {
                foreach (Option option in conditionalOnly)
                    if (Given(parse, option)) throw new UsageException($"{option.Name} cannot be used with --resume: the run continues its own model.");
                int? newEpochs = parse.GetValue(t.Epochs);
                int? newThreads = Given(parse, t.Threads) ? parse.GetValue(t.Threads) : null;
                if (Given(parse, output)) throw new UsageException("--output cannot be used with --resume: the run continues in its own folder.");
                if (Given(parse, force)) throw new UsageException("--force cannot be used with --resume: resuming never replaces a run.");
                var resumeRequest = new DataRequest(parse.GetValue(data)!, parse.GetValue(binarize), csv.Read(parse));
                // Everything else must agree with the checkpoint: compared once it is loaded.
                var fixedOptions = new List<ResumeCheck>
                {
                    ResumeCheck.Of(parse, t.Visible, (c, m) => m.Visible),
                    ResumeCheck.Of(parse, hidden, (c, m) => m.Hidden),
                    ResumeCheck.Of(parse, t.BatchSize, (c, _) => c.BatchSize),
                    ResumeCheck.Of(parse, t.LearningRate, (c, _) => c.LearningRate),
                    ResumeCheck.Of(parse, t.DecayEpochs, (c, _) => c.LearningRateDecayEpochs),
                    ResumeCheck.Of(parse, t.FinalFactor, (c, _) => c.FinalLearningRateFactor),
                    ResumeCheck.Of(parse, t.K, (c, _) => c.CdSteps),
                    ResumeCheck.Of(parse, t.Pcd, (c, _) => c.Persistent),
                    ResumeCheck.Of(parse, t.Chains, (c, _) => c.PersistentChains),
                    ResumeCheck.Of(parse, t.Tempering, (c, _) => c.ParallelTemperingReplicas),
                    ResumeCheck.Of(parse, t.MinBeta, (c, _) => c.ParallelTemperingMinBeta),
                    ResumeCheck.Of(parse, t.Momentum, (c, _) => c.InitialMomentum),
                    ResumeCheck.Of(parse, t.FinalMomentum, (c, _) => c.FinalMomentum),
                    ResumeCheck.Of(parse, t.MomentumSwitch, (c, _) => c.MomentumSwitchEpoch),
                    ResumeCheck.Of(parse, t.WeightDecay, (c, _) => c.WeightDecay),
                    ResumeCheck.Of(parse, t.SparsityTarget, (c, _) => c.SparsityTarget),
                    ResumeCheck.Of(parse, t.SparsityCost, (c, _) => c.SparsityCost),
                    ResumeCheck.Of(parse, t.VarianceRate, (c, _) => c.LogVarianceLearningRate),
                    ResumeCheck.Of(parse, t.Seed, (c, _) => c.Seed),
                    ResumeCheck.Of(parse, t.ExactUnits, (c, _) => c.ExactLogLikelihoodMaxUnits),
                    ResumeCheck.Of(parse, t.AisMonitor, (c, _) => c.AisMonitorRuns),
                    ResumeCheck.Of(parse, t.AisMonitorBetas, (c, _) => c.AisMonitorTemperatures),
                    ResumeCheck.Of(parse, t.HeldOut, (c, m) => m.HeldOutFraction),
                    ResumeCheck.Of(parse, binarize, (c, m) => m.Binarize),
                };
                foreach (Option option in t.ModelMaking)
                    if (Given(parse, option))
                        throw new UsageException($"{option.Name} cannot be used with --resume: the model and its data transform are already made.");
                foreach (Option option in csv.All)
                    if (Given(parse, option)) fixedOptions.Add(new ResumeCheck(option.Name, Text(parse.GetResult(option)!.Tokens), (_, m) => Text(CsvValue(m.Csv, option.Name))));
                var given = Given(parse, data) ? resumeRequest : null;
                return TrainRun.Resume(folder, newEpochs, newThreads, Given(parse, saveInterval) ? interval : null, fixedOptions, given,
                    Given(parse, earlyStopping) ? parse.GetValue(earlyStopping) : null, divergence);
            }
            if (parse.GetValue(t.Model) == "conditional")
            {
                if (parse.GetValue(binarize) is not null)
                    throw new UsageException("--binarize does not apply to --model conditional: use --data bouncing-balls (binary frames) or bouncing-balls-grey, or binary files.");
                string spec = parse.GetValue(data)!;
                VisibleUnitKind units = parse.GetValue(t.Visible) switch
                {
                    "gaussian" => VisibleUnitKind.Gaussian,
                    "bernoulli" => VisibleUnitKind.Bernoulli,
                    _ => ConditionalDataSource.IsRealValued(spec) ? VisibleUnitKind.Gaussian : VisibleUnitKind.Bernoulli,
                };
                ContextKind contextKind = parse.GetValue(context) switch
                {
                    "label" => ContextKind.Label,
                    "history" => ContextKind.History,
                    _ => spec.Equals("digits", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("fashion-mnist", StringComparison.OrdinalIgnoreCase)
                        ? ContextKind.Label : ContextKind.History,
                };
                if (contextKind == ContextKind.Label && Given(parse, history))
                    throw new UsageException("--history applies to --context history; with --context label the class is the context.");
                if (parse.GetValue(t.Preprocess) is "pca" or "zca")
                    throw new UsageException("--preprocess pca and zca mix the units of a frame; a conditional model takes auto (standardisation for Gaussian units), standardize or none.");
                if (units == VisibleUnitKind.Bernoulli && Given(parse, t.Preprocess))
                    throw new UsageException("--preprocess applies to Gaussian visible units (--visible gaussian) only.");
                TrainingOptions read = t.Read(parse);
                TrainingOptions conditionalOptions = ConditionalTrainRun.Defaults(parse, t, read, ConditionalTrainRun.DefaultsFor(units, contextKind), units,
                    parse.GetValue(contextRate), parse.GetValue(contextDecay));
                if (!conditionalOptions.KeepsChains && Given(parse, t.Chains))
                    throw new UsageException("--chains applies to --pcd only (CD-k restarts its chains at the data).");
                KindDefaults kind = ConditionalTrainRun.DefaultsFor(units, contextKind);
                var conditional = new ConditionalRequest(spec, contextKind, parse.GetValue(history) ?? ConditionalTrainRun.DefaultHistory, parse.GetValue(t.HeldOut),
                    parse.GetValue(hidden) ?? kind.Hidden, units, csv.Read(parse), parse.GetValue(t.Preprocess) != "none", parse.GetValue(t.WeightInit));
                return ConditionalTrainRun.Start(conditional, conditionalOptions, parse.GetValue(output), parse.GetValue(force), interval,
                    new WatchSettings(parse.GetValue(earlyStopping), divergence ?? DivergenceAction.Stop));
            }
            foreach (Option option in conditionalOnly)
                if (Given(parse, option)) throw new UsageException($"{option.Name} applies to --model conditional only.");
            bool gaussian = t.Gaussian(parse), convolutional = t.Convolutional(parse);
            if (gaussian && parse.GetValue(binarize) is not null)
                throw new UsageException("--binarize gives binary data, which Bernoulli visible units model; leave it out with --visible gaussian.");
            if (convolutional && Given(parse, hidden))
                throw new UsageException("--hidden sets a dense model's hidden units; a convolutional model's detection maps come from --filters, --filter-size and --pool.");
            TrainingOptions options = t.Read(parse);
            DataPreparation preparation = t.Preparation(parse);
            ModelChoice model = t.FirstLayer(parse);
            var request = new DataRequest(parse.GetValue(data)!, parse.GetValue(binarize), csv.Read(parse)) { RealValued = gaussian };
            int hiddenUnits = convolutional ? 0 : parse.GetValue(hidden) ?? (gaussian ? KindDefaults.Gaussian : KindDefaults.Bernoulli).Hidden;
            var source = new DataSpec(request, parse.GetValue(t.HeldOut), hiddenUnits) { Visible = gaussian ? "gaussian" : "bernoulli" };
            return TrainRun.Start(source, model, preparation, options, parse.GetValue(output), parse.GetValue(force), interval,
                new WatchSettings(parse.GetValue(earlyStopping), divergence ?? DivergenceAction.Stop));
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
