using System.CommandLine;
using System.Globalization;
using RbmSimd.Cli.Training;
using RbmSimd.Model;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary>
/// The training options that <c>rbm train</c> and <c>rbm stack</c> share, defined once: names, ranges, defaults (those that depend
/// on the visible units come from <see cref="KindDefaults.Bernoulli"/> and <see cref="KindDefaults.Gaussian"/>) and how they become
/// <see cref="TrainingOptions"/>. In a stack every layer trains with them; the options of Gaussian visible units and of the
/// initial parameters apply to the first layer.
/// </summary>
internal sealed class TrainingOptionSet
{
    private static readonly KindDefaults B = KindDefaults.Bernoulli, G = KindDefaults.Gaussian;

    /// <param name="stack">Word the descriptions for <c>rbm stack</c> (layers) rather than <c>rbm train</c> (one model).</param>
    public TrainingOptionSet(bool stack)
    {
        string first = stack ? "The first layer's visible units" : "Visible units";
        Visible = CliOption.Choice("--visible",
            $"{first}: bernoulli (binary data or probabilities in [0, 1]; the default) or gaussian (real values, learned variances, " +
            $"through the transform --preprocess fits{(stack ? "; the layers above are Bernoulli" : "")}). Options marked 'default by --visible' default as Bernoulli/Gaussian.",
            ["bernoulli", "gaussian"]);
        Epochs = CliOption.OptionalInt("--epochs", stack
            ? $"Passes over the training data, for each layer (default by --visible: {B.Epochs}/{G.Epochs})."
            : $"Passes over the training data (with --resume: the new total; default by --visible: {B.Epochs}/{G.Epochs}).", 1, int.MaxValue);
        Preprocess = CliOption.Choice("--preprocess",
            $"Gaussian units: the transform fitted on the training rows, stored with the {(stack ? "network and applied by rbm transform" : "model and undone for pictures and scores")}: " +
            "auto (for 'patches': divided by 255, each patch's mean removed, PCA whitening; otherwise standardisation), none, standardize " +
            $"(each column to mean 0 and standard deviation 1, σ + {F((float)DataPreparation.StandardizeEpsilon)}), pca or zca (whitening). Default: auto.",
            ["auto", "none", "standardize", "pca", "zca"]);
        WeightInit = CliOption.OptionalFloat("--weight-init",
            $"Standard deviation of the {(stack ? "first layer's " : "")}initial weights (default by --visible: 0.01 / √(2/(nv + nh)), Gaussian weights in ± pairs" +
            $"{(stack ? "; the layers above start at 0.01" : "")}).", x => x >= 0 && x <= 100, "a number in [0, 100]");
        Seed = CliOption.Seed(stack ? "Seed of every random choice (layer l trains with seed + l)." : "Seed of every random choice.");
        Model = CliOption.Choice("--model",
            $"The model kind: dense (the default: every hidden unit sees every visible unit) or convolutional (shared filters over images with " +
            $"probabilistic max-pooling{(stack ? ", each layer's pooled maps the next layer's channels" : "")}; see --filters, --filter-size, --pool, --channels). " +
            $"Convolutional defaults: {C.Epochs} epochs, batch {C.BatchSize}, learning rate {F(C.LearningRate)}, momentum {F(C.Momentum)} throughout, no weight decay." +
            (stack ? "" : " Or conditional (a conditional RBM: each frame of a sequence given its --history previous frames, or each row given its class " +
                "with --context label; see docs/conditional.md)."),
            stack ? ["dense", "convolutional"] : ["dense", "convolutional", "conditional"]);
        Convolution = new ConvolutionOptionSet(stack);
    }

    private static readonly KindDefaults C = KindDefaults.Convolutional;

    public Option<string?> Model { get; }

    /// <summary>The options of <c>--model convolutional</c>.</summary>
    public ConvolutionOptionSet Convolution { get; }

    /// <summary>Whether the model (every layer of a stack) is convolutional (<c>--model convolutional</c>).</summary>
    public bool Convolutional(ParseResult parse) => parse.GetValue(Model) == "convolutional";

    public Option<string?> Visible { get; }
    public Option<int?> Epochs { get; }
    public Option<int?> BatchSize { get; } = CliOption.OptionalInt("--batch-size", $"Rows per minibatch (default by --visible: {B.BatchSize}/{G.BatchSize}).", 1, 100_000);
    public Option<float?> LearningRate { get; } = CliOption.OptionalFloat("--learning-rate",
        $"Learning rate η (default by --visible: {F(B.LearningRate)}/{F(G.LearningRate)}).", x => x > 0 && x <= 10, "a number in (0, 10]");
    public Option<int?> DecayEpochs { get; } = CliOption.OptionalInt("--learning-rate-decay-epochs",
        "Every learning rate falls linearly over this many epochs to --final-learning-rate-factor times itself, and stays there " +
        $"(0: constant rates; default by --visible: {B.LearningRateDecayEpochs}/{G.LearningRateDecayEpochs}, the default runs' length). " +
        "The schedule depends on the epoch alone, so --resume with more epochs follows it on.", 0, 10_000_000);
    public Option<float> FinalFactor { get; } = CliOption.Float("--final-learning-rate-factor", "The fraction of each learning rate left after --learning-rate-decay-epochs.",
        new TrainingOptions().FinalLearningRateFactor, x => x >= 0 && x <= 1, "a number in [0, 1]");
    public Option<int> K { get; } = CliOption.Int("--k", "Gibbs steps per update (CD-k / PCD-k).", 1, 1, 1000);
    public Option<bool> Pcd { get; } = new("--pcd") { Description = "Persistent contrastive divergence instead of CD-k." };
    public Option<int> Chains { get; } = CliOption.Int("--chains", "Persistent chains for --pcd, or per replica for --parallel-tempering (0: one per batch row).", 0, 0, 100_000);
    public Option<int> Tempering { get; } = CliOption.Int("--parallel-tempering",
        "Parallel tempering as the negative phase with this many replicas at inverse temperatures from 1 down to --pt-min-beta " +
        "(swaps of neighbours by the Metropolis rule; acceptance rates are reported per epoch); 0: off.", 0, 0, 100,
        "0 or a whole number from 2 to 100", valid: n => n == 0 || n >= 2);
    public Option<float> MinBeta { get; } = CliOption.Float("--pt-min-beta", "The hottest parallel-tempering replica's inverse temperature.", 0.2f, x => x > 0 && x < 1, "a number in (0, 1)");
    public Option<float?> Momentum { get; } = CliOption.OptionalFloat("--momentum",
        $"Momentum for the first epochs (default by --visible: {F(B.Momentum)}/{F(G.Momentum)}).", x => x >= 0 && x < 1, "a number in [0, 1)");
    public Option<float?> FinalMomentum { get; } = CliOption.OptionalFloat("--final-momentum",
        $"Momentum from --momentum-switch on (default by --visible: {F(B.FinalMomentum)}/{F(G.FinalMomentum)}; {F(KindDefaults.PersistentFinalMomentum)} " +
        "with --pcd or --parallel-tempering, whose chains lag fast-moving parameters).",
        x => x >= 0 && x < 1, "a number in [0, 1)");
    public Option<int> MomentumSwitch { get; } = CliOption.Int("--momentum-switch", "Zero-based epoch at which momentum switches.", 5, 0, int.MaxValue);
    public Option<float?> WeightDecay { get; } = CliOption.OptionalFloat("--weight-decay",
        $"L2 weight decay on the weights (default by --visible: {F(B.WeightDecay)}/{F(G.WeightDecay)}).", x => x >= 0 && x <= 1, "a number in [0, 1]");
    public Option<float> SparsityTarget { get; } = CliOption.Float("--sparsity-target", "Target mean hidden activation (0 = off).", 0f, x => x >= 0 && x < 1, "a number in [0, 1)");
    public Option<float> SparsityCost { get; } = CliOption.Float("--sparsity-cost", "Strength of the sparsity penalty.", 0f, x => x >= 0 && x <= 100, "a number in [0, 100]");
    public Option<string?> Preprocess { get; }
    public Option<string?> RemoveRowMean { get; } = CliOption.Choice("--remove-row-mean",
        "Gaussian units: subtract each row's mean before the transform (yes for image patches; default: yes for 'patches', no otherwise).", ["yes", "no"]);
    public Option<double> WhitenEpsilon { get; } = CliOption.Double("--whiten-epsilon", "Gaussian units: ε added to the covariance's eigenvalues by pca and zca whitening.",
        DataPreparation.DefaultWhitenEpsilon, x => x >= 0 && x <= 1e6, "a number in [0, 1000000]");
    public Option<string?> Variance { get; } = CliOption.Choice("--variance",
        "Gaussian units: learned (the log-variances zᵢ = log σᵢ² are trained; the default) or fixed (σ = 1, the scale of standardised or whitened data).",
        ["learned", "fixed"]);
    public Option<float?> VarianceRate { get; } = CliOption.OptionalFloat("--variance-learning-rate",
        "Gaussian units: learning rate of the log-variances (default: the learning rate / 10).", x => x > 0 && x <= 10, "a number in (0, 10]");
    public Option<float?> WeightInit { get; }
    public Option<float> ComponentWeight { get; } = CliOption.Float("--component-weight",
        "Gaussian units: initial hidden biases make the Gaussian component of each single unit weigh this much relative to all units off.",
        0.1f, x => x > 0 && x <= 1, "a number in (0, 1]");
    public Option<double> HeldOut { get; } = CliOption.Double("--held-out", "Fraction of rows held out for the free-energy gap (small data sets).", 0.1, x => x >= 0 && x < 1, "a number in [0, 1)");
    public Option<ulong> Seed { get; }
    public Option<int> Threads { get; } = CliOption.Int("--threads", "Threads per training step (−1: all cores); results are the same bits for any value.", -1, -1, int.MaxValue,
        "-1 (all cores) or a whole number of at least 1", valid: t => t == -1 || t >= 1);
    public Option<int> ExactUnits { get; } = CliOption.Int("--exact-ll-max-units",
        "Compute log Z and the exact log-likelihood after each epoch when the smaller layer has at most this many units (0: never; each unit doubles the cost).",
        new TrainingOptions().ExactLogLikelihoodMaxUnits, 0, 26);
    public Option<int> AisMonitor { get; } = CliOption.Int("--ais-monitor",
        "When log Z is beyond --exact-ll-max-units, estimate it after each epoch by AIS with this many runs, so that the " +
        "log-likelihood of a large model can be followed (an estimate, marked 'ais' in metrics.csv; 0: off).", 0, 0, 10_000,
        "0 or a whole number from 2 to 10000", valid: n => n != 1);
    public Option<int> AisMonitorBetas { get; } = CliOption.Int("--ais-monitor-betas", "Intermediate distributions of the per-epoch AIS estimate.",
        new TrainingOptions().AisMonitorTemperatures, 3, 1_000_000);

    /// <summary>Every option of the set, in the order the help lists them.</summary>
    public IEnumerable<Option> All =>
    [
        Model, .. Convolution.All, Visible, Epochs, BatchSize, LearningRate, DecayEpochs, FinalFactor, K, Pcd, Chains, Tempering, MinBeta, Momentum, FinalMomentum, MomentumSwitch,
        WeightDecay, SparsityTarget, SparsityCost, Preprocess, RemoveRowMean, WhitenEpsilon, Variance, VarianceRate, WeightInit, ComponentWeight,
        HeldOut, Seed, Threads, ExactUnits, AisMonitor, AisMonitorBetas,
    ];

    /// <summary>The options that make the model and its data transform, which a resumed run cannot change.</summary>
    public IEnumerable<Option> ModelMaking => [Model, .. Convolution.All, Preprocess, RemoveRowMean, WhitenEpsilon, Variance, WeightInit, ComponentWeight];

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
    }

    /// <summary>Whether the (first layer's) visible units are Gaussian (<c>--visible gaussian</c>).</summary>
    public bool Gaussian(ParseResult parse) => parse.GetValue(Visible) == "gaussian";

    /// <summary>The options as the library takes them, validated, with the defaults of the (first layer's) visible units.</summary>
    /// <exception cref="UsageException">Options that contradict each other or do not apply to the visible units.</exception>
    public TrainingOptions Read(ParseResult parse)
    {
        bool gaussian = Gaussian(parse), convolutional = Convolutional(parse);
        KindDefaults kind = convolutional ? C : gaussian ? G : B;
        if (!gaussian)
            foreach (Option option in new Option[] { Preprocess, RemoveRowMean, Variance, VarianceRate, ComponentWeight })
                if (Given(parse, option)) throw new UsageException($"{option.Name} applies to Gaussian visible units (--visible gaussian) only.");
        Convolution.RefuseUnlessConvolutional(parse, convolutional);
        if (convolutional)
        {
            foreach (Option option in new Option[] { Variance, VarianceRate, ComponentWeight })
                if (Given(parse, option))
                    throw new UsageException($"{option.Name} applies to dense Gaussian models; a convolutional model's Gaussian units have unit variance (train them on standardised data).");
            if (parse.GetValue(Preprocess) == "pca")
                throw new UsageException("--preprocess pca gives whitened coordinates, not images, and a convolutional model needs images: use zca, standardize or none.");
        }
        float learningRate = parse.GetValue(LearningRate) ?? kind.LearningRate;
        var options = new TrainingOptions
        {
            Epochs = parse.GetValue(Epochs) ?? kind.Epochs,
            BatchSize = parse.GetValue(BatchSize) ?? kind.BatchSize,
            LearningRate = learningRate,
            LearningRateDecayEpochs = parse.GetValue(DecayEpochs) ?? kind.LearningRateDecayEpochs,
            FinalLearningRateFactor = parse.GetValue(FinalFactor),
            CdSteps = parse.GetValue(K),
            Persistent = parse.GetValue(Pcd),
            PersistentChains = parse.GetValue(Chains),
            ParallelTemperingReplicas = parse.GetValue(Tempering),
            ParallelTemperingMinBeta = parse.GetValue(MinBeta),
            InitialMomentum = parse.GetValue(Momentum) ?? kind.Momentum,
            FinalMomentum = parse.GetValue(FinalMomentum)
                ?? (parse.GetValue(Pcd) || parse.GetValue(Tempering) > 0 ? Math.Min(kind.FinalMomentum, KindDefaults.PersistentFinalMomentum) : kind.FinalMomentum),
            MomentumSwitchEpoch = parse.GetValue(MomentumSwitch),
            WeightDecay = parse.GetValue(WeightDecay) ?? kind.WeightDecay,
            SparsityTarget = parse.GetValue(SparsityTarget),
            SparsityCost = parse.GetValue(SparsityCost),
            LogVarianceLearningRate = parse.GetValue(Variance) == "fixed" || convolutional ? 0f : parse.GetValue(VarianceRate) ?? learningRate / 10,
            Seed = parse.GetValue(Seed),
            MaxDegreeOfParallelism = parse.GetValue(Threads),
            ExactLogLikelihoodMaxUnits = parse.GetValue(ExactUnits),
            AisMonitorRuns = parse.GetValue(AisMonitor),
            AisMonitorTemperatures = parse.GetValue(AisMonitorBetas),
        };
        if (options.Persistent && options.ParallelTemperingReplicas > 0)
            throw new UsageException("--pcd and --parallel-tempering are two negative phases; choose one.");
        options.Validate();
        if (!options.KeepsChains && Given(parse, Chains))
            throw new UsageException("--chains applies to --pcd and --parallel-tempering only (CD-k restarts its chains at the data).");
        if (parse.GetValue(Variance) == "fixed" && Given(parse, VarianceRate))
            throw new UsageException("--variance-learning-rate contradicts --variance fixed.");
        return options;
    }

    /// <summary>How the data is prepared for the (first) layer: a transform fitted for Gaussian units.</summary>
    /// <remarks>A convolutional model's images stay images: <c>auto</c> standardises them rather than PCA-whitening the patches.</remarks>
    public DataPreparation Preparation(ParseResult parse) => Gaussian(parse)
        ? new DataPreparation(VisibleUnitKind.Gaussian,
            parse.GetValue(Preprocess) is { } mode ? Enum.Parse<PreprocessMode>(mode, ignoreCase: true) : Convolutional(parse) ? PreprocessMode.Standardize : PreprocessMode.Auto,
            parse.GetValue(WhitenEpsilon), parse.GetValue(RemoveRowMean) is { } m ? m == "yes" : null)
        : DataPreparation.Bernoulli;

    /// <summary>The (first layer's) model kind and initialisation.</summary>
    public ModelChoice FirstLayer(ParseResult parse) => new(Preparation(parse).Visible, parse.GetValue(WeightInit), parse.GetValue(ComponentWeight))
    {
        Convolution = Convolutional(parse) ? Convolution.Layers(parse)[0] : null,
    };

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private static string F(float x) => x.ToString("0.#####", CultureInfo.InvariantCulture);
}
