using System.CommandLine;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary>
/// The training options of <c>rbm stack</c>, each with the name, default, range and description it has in <c>rbm train</c>
/// (a test compares the two commands' options, so they cannot drift apart unnoticed). Every layer of a stack trains with them.
/// </summary>
internal sealed class TrainingOptionSet
{
    public Option<int> Epochs { get; } = CliOption.Int("--epochs", "Passes over the training data, for each layer.", 30, 1, int.MaxValue);
    public Option<int> BatchSize { get; } = CliOption.Int("--batch-size", "Rows per minibatch.", 10, 1, 100_000);
    public Option<float> LearningRate { get; } = CliOption.Float("--learning-rate", "Learning rate η.", 0.05f, x => x > 0 && x <= 10, "a number in (0, 10]");
    public Option<int> K { get; } = CliOption.Int("--k", "Gibbs steps per update (CD-k / PCD-k).", 1, 1, 1000);
    public Option<bool> Pcd { get; } = new("--pcd") { Description = "Persistent contrastive divergence instead of CD-k." };
    public Option<int> Chains { get; } = CliOption.Int("--chains", "Persistent chains for --pcd (0: one per batch row).", 0, 0, 100_000);
    public Option<float> Momentum { get; } = CliOption.Float("--momentum", "Momentum for the first epochs.", 0.5f, x => x >= 0 && x < 1, "a number in [0, 1)");
    public Option<float> FinalMomentum { get; } = CliOption.Float("--final-momentum", "Momentum from --momentum-switch on.", 0.9f, x => x >= 0 && x < 1, "a number in [0, 1)");
    public Option<int> MomentumSwitch { get; } = CliOption.Int("--momentum-switch", "Zero-based epoch at which momentum switches.", 5, 0, int.MaxValue);
    public Option<float> WeightDecay { get; } = CliOption.Float("--weight-decay", "L2 weight decay on the weights.", 1e-4f, x => x >= 0 && x <= 1, "a number in [0, 1]");
    public Option<float> SparsityTarget { get; } = CliOption.Float("--sparsity-target", "Target mean hidden activation (0 = off).", 0f, x => x >= 0 && x < 1, "a number in [0, 1)");
    public Option<float> SparsityCost { get; } = CliOption.Float("--sparsity-cost", "Strength of the sparsity penalty.", 0f, x => x >= 0 && x <= 100, "a number in [0, 100]");
    public Option<double> HeldOut { get; } = CliOption.Double("--held-out", "Fraction of rows held out for the free-energy gap (small data sets).", 0.1, x => x >= 0 && x < 1, "a number in [0, 1)");
    public Option<ulong> Seed { get; } = CliOption.Seed("Seed of every random choice.");
    public Option<int> Threads { get; } = CliOption.Int("--threads", "Threads per training step (−1: all cores); results are the same bits for any value.", -1, -1, int.MaxValue,
        "-1 (all cores) or a whole number of at least 1", valid: t => t == -1 || t >= 1);
    public Option<int> ExactUnits { get; } = CliOption.Int("--exact-ll-max-units",
        "Compute log Z and the exact log-likelihood after each epoch when the smaller layer has at most this many units (0: never; each unit doubles the cost).",
        new TrainingOptions().ExactLogLikelihoodMaxUnits, 0, 26);

    public IEnumerable<Option> All =>
    [
        Epochs, BatchSize, LearningRate, K, Pcd, Chains, Momentum, FinalMomentum, MomentumSwitch, WeightDecay, SparsityTarget, SparsityCost,
        HeldOut, Seed, Threads, ExactUnits,
    ];

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
    }

    /// <summary>The options as the library takes them, validated.</summary>
    /// <exception cref="UsageException">--chains without --pcd.</exception>
    public TrainingOptions Read(ParseResult parse)
    {
        var options = new TrainingOptions
        {
            Epochs = parse.GetValue(Epochs),
            BatchSize = parse.GetValue(BatchSize),
            LearningRate = parse.GetValue(LearningRate),
            CdSteps = parse.GetValue(K),
            Persistent = parse.GetValue(Pcd),
            PersistentChains = parse.GetValue(Chains),
            InitialMomentum = parse.GetValue(Momentum),
            FinalMomentum = parse.GetValue(FinalMomentum),
            MomentumSwitchEpoch = parse.GetValue(MomentumSwitch),
            WeightDecay = parse.GetValue(WeightDecay),
            SparsityTarget = parse.GetValue(SparsityTarget),
            SparsityCost = parse.GetValue(SparsityCost),
            Seed = parse.GetValue(Seed),
            MaxDegreeOfParallelism = parse.GetValue(Threads),
            ExactLogLikelihoodMaxUnits = parse.GetValue(ExactUnits),
        };
        options.Validate();
        if (!options.Persistent && parse.GetResult(Chains) is { Implicit: false })
            throw new UsageException("--chains applies to --pcd only (CD-k restarts its chains at the data).");
        return options;
    }
}
