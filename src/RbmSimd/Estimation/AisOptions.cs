using RbmSimd.Model;

namespace RbmSimd.Estimation;

/// <summary>Settings of annealed importance sampling (<see cref="AnnealedImportanceSampling"/>, <see cref="ReverseAnnealedImportanceSampling"/>).</summary>
public sealed record AisOptions
{
    /// <summary>Independent runs M (for reverse AIS: runs per data row). Range: 2 to 1,000,000.</summary>
    public int Runs { get; init; } = 100;

    /// <summary>The inverse temperatures; by default Salakhutdinov and Murray's 14,500 transitions.</summary>
    public AnnealingSchedule Schedule { get; init; } = AnnealingSchedule.SalakhutdinovMurray();

    /// <summary>The base model's visible biases (see <see cref="BaseModel.VisibleBias"/>); null for zeros.</summary>
    public float[]? BaseVisibleBias { get; init; }

    /// <summary>Seed of every draw: the same seed gives the same bits for any thread count.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Threads; −1 for every core. Range: −1 or at least 1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Checks the options against a model.</summary>
    /// <exception cref="ArgumentException">An option is out of range or does not fit the model.</exception>
    public void Validate(IRbm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.ContextCount > 0)
            throw new ArgumentException($"A {model.Kind} model has a partition function for each context; annealing estimates a single one (use ConditionalLikelihood for exact per-context values).", nameof(model));
        if (Runs is < 2 or > 1_000_000) throw new ArgumentOutOfRangeException(nameof(Runs), Runs, "Runs is outside 2 to 1000000.");
        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
        if (MaxDegreeOfParallelism is 0 or < -1) throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use −1 for all cores or a positive thread count.");
        if (BaseVisibleBias is { } b)
        {
            if (b.Length != model.VisibleCount)
                throw new ArgumentException($"The base model has {b.Length} visible biases but the model has {model.VisibleCount} visible units.", nameof(BaseVisibleBias));
            foreach (float x in b)
                if (!float.IsFinite(x)) throw new ArgumentException("The base model's visible biases must be finite.", nameof(BaseVisibleBias));
        }
    }
}
