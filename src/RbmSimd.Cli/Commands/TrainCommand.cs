using System.CommandLine;
using System.Globalization;
using RbmSimd.Cli.Training;
using RbmSimd.Model;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm train</c>: trains a Bernoulli or Gaussian-Bernoulli RBM and writes the model, per-epoch metrics and checkpoints.</summary>
internal static class TrainCommand
{
    /// <summary>The defaults of the options whose default depends on the visible units.</summary>
    internal sealed record KindDefaults(int Hidden, int Epochs, int BatchSize, float LearningRate, float Momentum, float FinalMomentum,
        float WeightDecay, float FinalLearningRateFactor);

    /// <summary>Bernoulli units: CD-1 settings that learn the shipped digits (checked by a test).</summary>
    internal static readonly KindDefaults Bernoulli = new(Hidden: 20, Epochs: 30, BatchSize: 10, LearningRate: 0.05f, Momentum: 0.5f, FinalMomentum: 0.9f,
        WeightDecay: 1e-4f, FinalLearningRateFactor: 0.1f);

    /// <summary>
    /// The final momentum with persistent chains (PCD, parallel tempering) when not given: the chains follow the parameters
    /// only as fast as they mix, and momentum 0.9 on top of that makes the log-likelihood swing (measured on the digits).
    /// </summary>
    internal const float PersistentFinalMomentum = 0.5f;

    /// <summary>Gaussian units: settings that take whitened natural patches well past a Gaussian (checked by a test).</summary>
    internal static readonly KindDefaults Gaussian = new(Hidden: 16, Epochs: 60, BatchSize: 100, LearningRate: 0.2f, Momentum: 0.5f, FinalMomentum: 0.5f,
        WeightDecay: 0f, FinalLearningRateFactor: 0.1f);

    public static Command Create()
    {
        var data = CommonOptions.Data("digits");
        var binarize = CommonOptions.Binarize();
        var csv = new CommonOptions.Csv();
        var visible = CliOption.Choice("--visible",
            "Visible units: bernoulli (binary data or probabilities in [0, 1]; the default) or gaussian (real values, learned variances, " +
            "through the transform --preprocess fits). Options marked 'default by --visible' default as Bernoulli/Gaussian.", ["bernoulli", "gaussian"]);
        var hidden = CliOption.OptionalInt("--hidden", $"Hidden units (default by --visible: {Bernoulli.Hidden}/{Gaussian.Hidden}).", 1, 100_000);
        var epochs = CliOption.OptionalInt("--epochs", $"Passes over the training data (with --resume: the new total; default by --visible: {Bernoulli.Epochs}/{Gaussian.Epochs}).", 1, int.MaxValue);
        var batch = CliOption.OptionalInt("--batch-size", $"Rows per minibatch (default by --visible: {Bernoulli.BatchSize}/{Gaussian.BatchSize}).", 1, 100_000);
        var rate = CliOption.OptionalFloat("--learning-rate", $"Learning rate η (default by --visible: {F(Bernoulli.LearningRate)}/{F(Gaussian.LearningRate)}).", x => x > 0 && x <= 10, "a number in (0, 10]");
        var finalRate = CliOption.OptionalFloat("--final-learning-rate-factor",
            $"Every learning rate falls linearly over the run to this fraction of itself in the last epoch (1: constant; default by --visible: {F(Bernoulli.FinalLearningRateFactor)}/{F(Gaussian.FinalLearningRateFactor)}).",
            x => x >= 0 && x <= 1, "a number in [0, 1]");
        var preprocess = CliOption.Choice("--preprocess",
            "Gaussian units: the transform fitted on the training rows, stored with the model and undone for pictures and scores: " +
            "auto (for 'patches': divided by 255, each patch's mean removed, PCA whitening; otherwise standardisation), none, standardize " +
            $"(each column to mean 0 and standard deviation 1, σ + {F((float)DataPreparation.StandardizeEpsilon)}), pca or zca (whitening). Default: auto.",
            ["auto", "none", "standardize", "pca", "zca"]);
        var whitenEpsilon = CliOption.Double("--whiten-epsilon", "Gaussian units: ε added to the covariance's eigenvalues by pca and zca whitening.",
            DataPreparation.DefaultWhitenEpsilon, x => x >= 0 && x <= 1e6, "a number in [0, 1000000]");
        var removeRowMean = CliOption.Choice("--remove-row-mean",
            "Gaussian units: subtract each row's mean before the transform (yes for image patches; default: yes for 'patches', no otherwise).", ["yes", "no"]);
        var variance = CliOption.Choice("--variance",
            "Gaussian units: learned (the log-variances zᵢ = log σᵢ² are trained; the default) or fixed (σ = 1, the scale of standardised or whitened data).",
            ["learned", "fixed"]);
        var varianceRate = CliOption.OptionalFloat("--variance-learning-rate",
            "Gaussian units: learning rate of the log-variances (default: the learning rate / 10).", x => x > 0 && x <= 10, "a number in (0, 10]");
        var weightInit = CliOption.OptionalFloat("--weight-init",
            "Standard deviation of the initial weights (default by --visible: 0.01 / √(2/(nv + nh)), Gaussian weights in ± pairs).", x => x >= 0 && x <= 100, "a number in [0, 100]");
        var componentWeight = CliOption.Float("--component-weight",
            "Gaussian units: initial hidden biases make the Gaussian component of each single unit weigh this much relative to all units off.",
            0.1f, x => x > 0 && x <= 1, "a number in (0, 1]");
        var k = CliOption.Int("--k", "Gibbs steps per update (CD-k / PCD-k).", 1, 1, 1000);
        var pcd = new Option<bool>("--pcd") { Description = "Persistent contrastive divergence instead of CD-k." };
        var chains = CliOption.Int("--chains", "Persistent chains for --pcd, or per replica for --parallel-tempering (0: one per batch row).", 0, 0, 100_000);
        var tempering = CliOption.Int("--parallel-tempering",
            "Parallel tempering as the negative phase with this many replicas at inverse temperatures from 1 down to --pt-min-beta " +
            "(swaps of neighbours by the Metropolis rule; acceptance rates are reported per epoch); 0: off.", 0, 0, 100,
            "0 or a whole number from 2 to 100", valid: n => n == 0 || n >= 2);
        var minBeta = CliOption.Float("--pt-min-beta", "The hottest parallel-tempering replica's inverse temperature.", 0.2f, x => x > 0 && x < 1, "a number in (0, 1)");
        var momentum = CliOption.OptionalFloat("--momentum", $"Momentum for the first epochs (default by --visible: {F(Bernoulli.Momentum)}/{F(Gaussian.Momentum)}).", x => x >= 0 && x < 1, "a number in [0, 1)");
        var finalMomentum = CliOption.OptionalFloat("--final-momentum",
            $"Momentum from --momentum-switch on (default by --visible: {F(Bernoulli.FinalMomentum)}/{F(Gaussian.FinalMomentum)}; {F(PersistentFinalMomentum)} with --pcd or --parallel-tempering, whose chains lag fast-moving parameters).",
            x => x >= 0 && x < 1, "a number in [0, 1)");
        var momentumSwitch = CliOption.Int("--momentum-switch", "Zero-based epoch at which momentum switches.", 5, 0, int.MaxValue);
        var decay = CliOption.OptionalFloat("--weight-decay", $"L2 weight decay on the weights (default by --visible: {F(Bernoulli.WeightDecay)}/{F(Gaussian.WeightDecay)}).", x => x >= 0 && x <= 1, "a number in [0, 1]");
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

        var command = new Command("train", "Train a Bernoulli or Gaussian-Bernoulli RBM with CD-k, PCD or parallel tempering, writing the model, metrics, checkpoint and pictures.\n\n" +
            "Prints a legend, then one line per epoch (with a progress bar on a terminal), and writes model.npz, checkpoint.npz and " +
            "metrics.csv into the run's folder every --save-interval seconds and at the end, then filters.png, samples.png and curves.png. " +
            "Ctrl+C or SIGTERM stops after the current minibatch and saves everything; --resume continues from there with the same bits.\n\n" +
            "Examples:\n" +
            "  rbm train\n" +
            "  rbm train --data bars:4 --held-out 0 --hidden 16 --parallel-tempering 10 --chains 300 --batch-size 30 --epochs 10000 --learning-rate 0.05 --momentum 0 --final-momentum 0 --weight-decay 0 --final-learning-rate-factor 0.2 --output runs/bars\n" +
            "  rbm train --data patches --visible gaussian --output runs/patches\n" +
            "  rbm train --data fashion-mnist --binarize 0.5 --hidden 500 --batch-size 100 --learning-rate 0.1 --epochs 5 --output runs/fashion\n" +
            "  rbm train --data data/optdigits-8x8.csv.gz --scale 16 --label-column last --hidden 16 --output runs/csv\n" +
            "  rbm train --resume runs/bars --epochs 11000")
        {
            data, binarize, visible, hidden, epochs, batch, rate, finalRate, k, pcd, chains, tempering, minBeta, momentum, finalMomentum, momentumSwitch,
            decay, sparsity, sparsityCost, preprocess, removeRowMean, whitenEpsilon, variance, varianceRate, weightInit, componentWeight,
            heldOut, seed, threads, exactUnits, output, force, resume, saveInterval,
        };
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            double interval = parse.GetValue(saveInterval);
            if (parse.GetValue(resume) is { } folder)
            {
                int? newEpochs = parse.GetValue(epochs);
                int? newThreads = Given(parse, threads) ? parse.GetValue(threads) : null;
                if (Given(parse, output)) throw new UsageException("--output cannot be used with --resume: the run continues in its own folder.");
                if (Given(parse, force)) throw new UsageException("--force cannot be used with --resume: resuming never replaces a run.");
                var resumeRequest = new DataRequest(parse.GetValue(data)!, parse.GetValue(binarize), csv.Read(parse));
                // Everything else must agree with the checkpoint: compared once it is loaded.
                var fixedOptions = new List<ResumeCheck>
                {
                    ResumeCheck.Of(parse, visible, (c, m) => m.Visible),
                    ResumeCheck.Of(parse, hidden, (c, m) => m.Hidden),
                    ResumeCheck.Of(parse, batch, (c, _) => c.BatchSize),
                    ResumeCheck.Of(parse, rate, (c, _) => c.LearningRate),
                    ResumeCheck.Of(parse, finalRate, (c, _) => c.FinalLearningRateFactor),
                    ResumeCheck.Of(parse, k, (c, _) => c.CdSteps),
                    ResumeCheck.Of(parse, pcd, (c, _) => c.Persistent),
                    ResumeCheck.Of(parse, chains, (c, _) => c.PersistentChains),
                    ResumeCheck.Of(parse, tempering, (c, _) => c.ParallelTemperingReplicas),
                    ResumeCheck.Of(parse, minBeta, (c, _) => c.ParallelTemperingMinBeta),
                    ResumeCheck.Of(parse, momentum, (c, _) => c.InitialMomentum),
                    ResumeCheck.Of(parse, finalMomentum, (c, _) => c.FinalMomentum),
                    ResumeCheck.Of(parse, momentumSwitch, (c, _) => c.MomentumSwitchEpoch),
                    ResumeCheck.Of(parse, decay, (c, _) => c.WeightDecay),
                    ResumeCheck.Of(parse, sparsity, (c, _) => c.SparsityTarget),
                    ResumeCheck.Of(parse, sparsityCost, (c, _) => c.SparsityCost),
                    ResumeCheck.Of(parse, varianceRate, (c, _) => c.LogVarianceLearningRate),
                    ResumeCheck.Of(parse, seed, (c, _) => c.Seed),
                    ResumeCheck.Of(parse, exactUnits, (c, _) => c.ExactLogLikelihoodMaxUnits),
                    ResumeCheck.Of(parse, heldOut, (c, m) => m.HeldOutFraction),
                    ResumeCheck.Of(parse, binarize, (c, m) => m.Binarize),
                };
                foreach (Option option in new Option[] { preprocess, removeRowMean, whitenEpsilon, variance, weightInit, componentWeight })
                    if (Given(parse, option))
                        throw new UsageException($"{option.Name} cannot be used with --resume: the model and its data transform are already made.");
                foreach (Option option in csv.All)
                    if (Given(parse, option)) fixedOptions.Add(new ResumeCheck(option.Name, Text(parse.GetResult(option)!.Tokens), (_, m) => Text(CsvValue(m.Csv, option.Name))));
                var given = Given(parse, data) ? resumeRequest : null;
                return TrainRun.Resume(folder, newEpochs, newThreads, Given(parse, saveInterval) ? interval : null, fixedOptions, given);
            }
            bool gaussian = parse.GetValue(visible) == "gaussian";
            KindDefaults kind = gaussian ? Gaussian : Bernoulli;
            if (!gaussian)
                foreach (Option option in new Option[] { preprocess, removeRowMean, variance, varianceRate, componentWeight })
                    if (Given(parse, option)) throw new UsageException($"{option.Name} applies to Gaussian visible units (--visible gaussian) only.");
            if (gaussian && parse.GetValue(binarize) is not null)
                throw new UsageException("--binarize gives binary data, which Bernoulli visible units model; leave it out with --visible gaussian.");
            float learningRate = parse.GetValue(rate) ?? kind.LearningRate;
            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs) ?? kind.Epochs,
                BatchSize = parse.GetValue(batch) ?? kind.BatchSize,
                LearningRate = learningRate,
                FinalLearningRateFactor = parse.GetValue(finalRate) ?? kind.FinalLearningRateFactor,
                CdSteps = parse.GetValue(k),
                Persistent = parse.GetValue(pcd),
                PersistentChains = parse.GetValue(chains),
                ParallelTemperingReplicas = parse.GetValue(tempering),
                ParallelTemperingMinBeta = parse.GetValue(minBeta),
                InitialMomentum = parse.GetValue(momentum) ?? kind.Momentum,
                FinalMomentum = parse.GetValue(finalMomentum)
                    ?? (parse.GetValue(pcd) || parse.GetValue(tempering) > 0 ? Math.Min(kind.FinalMomentum, PersistentFinalMomentum) : kind.FinalMomentum),
                MomentumSwitchEpoch = parse.GetValue(momentumSwitch),
                WeightDecay = parse.GetValue(decay) ?? kind.WeightDecay,
                SparsityTarget = parse.GetValue(sparsity),
                SparsityCost = parse.GetValue(sparsityCost),
                LogVarianceLearningRate = parse.GetValue(variance) == "fixed" ? 0f : parse.GetValue(varianceRate) ?? learningRate / 10,
                Seed = parse.GetValue(seed),
                MaxDegreeOfParallelism = parse.GetValue(threads),
                ExactLogLikelihoodMaxUnits = parse.GetValue(exactUnits),
            };
            if (options.Persistent && options.ParallelTemperingReplicas > 0)
                throw new UsageException("--pcd and --parallel-tempering are two negative phases; choose one.");
            options.Validate();
            if (!options.KeepsChains && Given(parse, chains))
                throw new UsageException("--chains applies to --pcd and --parallel-tempering only (CD-k restarts its chains at the data).");
            if (parse.GetValue(variance) == "fixed" && Given(parse, varianceRate))
                throw new UsageException("--variance-learning-rate contradicts --variance fixed.");
            var preparation = gaussian
                ? new DataPreparation(VisibleUnitKind.Gaussian, Enum.Parse<PreprocessMode>(parse.GetValue(preprocess) ?? "auto", ignoreCase: true),
                    parse.GetValue(whitenEpsilon), parse.GetValue(removeRowMean) is { } m ? m == "yes" : null)
                : DataPreparation.Bernoulli;
            var model = new ModelChoice(preparation.Visible, parse.GetValue(weightInit), parse.GetValue(componentWeight));
            var request = new DataRequest(parse.GetValue(data)!, parse.GetValue(binarize), csv.Read(parse)) { RealValued = gaussian };
            var source = new DataSpec(request, parse.GetValue(heldOut), parse.GetValue(hidden) ?? kind.Hidden) { Visible = gaussian ? "gaussian" : "bernoulli" };
            return TrainRun.Start(source, model, preparation, options, parse.GetValue(output), parse.GetValue(force), interval);
        }));
        return command;
    }

    private static string F(float x) => x.ToString("0.#####", CultureInfo.InvariantCulture);

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
