using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Training;

/// <summary>
/// Everything needed to resume training exactly where it stopped: the parameters, the momentum
/// buffers, the persistent chains, the sparsity running means, the options (including the seed) and
/// the position: completed epochs, completed minibatch steps and rows done in the current epoch.
/// Random numbers are addressed by (seed, step) and the shuffle by (seed, epoch), so no generator
/// state needs saving. Resuming gives the same bits as never stopping.
/// </summary>
public sealed class TrainingCheckpoint
{
    /// <summary>Creates a checkpoint from its parts (copied); see <see cref="RbmTrainer.CreateCheckpoint"/>.</summary>
    /// <exception cref="ArgumentException">A part's shape does not fit the model or options.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A position is negative.</exception>
    public TrainingCheckpoint(IRbm model, TrainingOptions options, ParameterSet velocity, Matrix? chains,
        ReadOnlySpan<float> sparsityMean, int completedEpochs, long completedSteps, int epochPosition)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(velocity);
        options.Validate();
        model.Parameters.RequireSameLayout(velocity, nameof(velocity));
        if (options.KeepsChains != chains is not null)
            throw new ArgumentException(options.KeepsChains ? "PCD and parallel tempering need their chains." : "CD-k has no persistent chains.", nameof(chains));
        if (chains is not null)
        {
            // PCD keeps each chain's hidden states; parallel tempering each replica's visible states.
            (int rows, int cols, string what) = options.ParallelTemperingReplicas > 0
                ? (options.ParallelTemperingReplicas * options.PersistentChainCount, model.VisibleCount, "visible states of every replica")
                : (options.PersistentChainCount, model.HiddenCount, "hidden states");
            if (chains.Rows != rows || chains.Cols != cols)
                throw new ArgumentException($"The chains are {chains.Rows}x{chains.Cols} but the options need {rows}x{cols} ({what}).", nameof(chains));
        }
        if (sparsityMean.Length != model.HiddenCount)
            throw new ArgumentException($"Expected {model.HiddenCount} sparsity means but got {sparsityMean.Length}.", nameof(sparsityMean));
        ArgumentOutOfRangeException.ThrowIfNegative(completedEpochs);
        ArgumentOutOfRangeException.ThrowIfNegative(completedSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(epochPosition);
        Model = model.Clone();
        Options = options;
        Velocity = velocity.Clone();
        Chains = chains?.Clone();
        SparsityMean = sparsityMean.ToArray();
        CompletedEpochs = completedEpochs;
        CompletedSteps = completedSteps;
        EpochPosition = epochPosition;
    }

    /// <summary>The parameters (a copy).</summary>
    public IRbm Model { get; }

    /// <summary>The options training ran with.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The momentum buffers (a copy), laid out as the model's parameters.</summary>
    public ParameterSet Velocity { get; }

    /// <summary>The negative phase's chains (PCD: hidden states; parallel tempering: every replica's visible states), or null for CD-k.</summary>
    public Matrix? Chains { get; }

    /// <summary>The running mean activation q of each hidden unit (sparsity penalty).</summary>
    public IReadOnlyList<float> SparsityMean { get; }

    /// <summary>Epochs completed.</summary>
    public int CompletedEpochs { get; }

    /// <summary>Minibatch steps completed (over all epochs).</summary>
    public long CompletedSteps { get; }

    /// <summary>Rows of the current (unfinished) epoch already trained on; 0 at an epoch boundary.</summary>
    public int EpochPosition { get; }
}
