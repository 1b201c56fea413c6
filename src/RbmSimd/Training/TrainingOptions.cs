using RbmSimd.Model;

namespace RbmSimd.Training;

/// <summary>
/// Hyperparameters of CD-k and PCD training, with the article's and Hinton's practical guide's
/// defaults. Call <see cref="Validate"/> (the trainer does) to get an error naming any parameter
/// outside its range.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data. Range: at least 1.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Rows per minibatch. Range: 1 to 100,000.</summary>
    public int BatchSize { get; init; } = 10;

    /// <summary>Learning rate η applied to the minibatch-mean gradient. Range: (0, 10].</summary>
    public float LearningRate { get; init; } = 0.1f;

    /// <summary>
    /// The epochs D over which every learning rate falls linearly, from its value in epoch 0 to
    /// <see cref="FinalLearningRateFactor"/> times it in epoch D − 1, staying there after; 0 keeps the rates constant. A
    /// falling rate lets a noisy stochastic gradient settle. The schedule depends on the epoch alone (not on
    /// <see cref="Epochs"/>), so a run extended on resume follows the same schedule as one run of that length.
    /// Range: 0 to 10,000,000.
    /// </summary>
    public int LearningRateDecayEpochs { get; init; }

    /// <summary>The fraction of each learning rate left after <see cref="LearningRateDecayEpochs"/>. Range: [0, 1].</summary>
    public float FinalLearningRateFactor { get; init; } = 0.1f;

    /// <summary>k, the Gibbs steps of the negative phase. Range: 1 to 1000.</summary>
    public int CdSteps { get; init; } = 1;

    /// <summary>Whether to keep persistent chains across minibatches (PCD) instead of restarting from the data (CD-k).</summary>
    public bool Persistent { get; init; }

    /// <summary>
    /// Replicas of parallel tempering (<see cref="ParallelTempering"/>) as the negative phase; 0 turns it off.
    /// Each replica runs <see cref="PersistentChainCount"/> chains. Not with <see cref="Persistent"/>. Range: 0, or 2 to 100.
    /// </summary>
    public int ParallelTemperingReplicas { get; init; }

    /// <summary>β of the hottest parallel-tempering replica; the others are spaced evenly up to 1. Range: (0, 1).</summary>
    public float ParallelTemperingMinBeta { get; init; } = 0.5f;

    /// <summary>Persistent chains for PCD (per replica for parallel tempering); 0 means one per batch row (as scikit-learn does). Range: 0 to 100,000.</summary>
    public int PersistentChains { get; init; }

    /// <summary>The number of persistent chains PCD runs: <see cref="PersistentChains"/>, or the batch size when that is 0.</summary>
    public int PersistentChainCount => PersistentChains > 0 ? PersistentChains : BatchSize;

    /// <summary>Momentum for the first <see cref="MomentumSwitchEpoch"/> epochs (the article: 0.5). Range: [0, 1).</summary>
    public float InitialMomentum { get; init; } = 0.5f;

    /// <summary>Momentum from epoch <see cref="MomentumSwitchEpoch"/> on (the article: 0.9). Range: [0, 1).</summary>
    public float FinalMomentum { get; init; } = 0.9f;

    /// <summary>The zero-based epoch at which momentum switches to <see cref="FinalMomentum"/>. Range: at least 0.</summary>
    public int MomentumSwitchEpoch { get; init; } = 5;

    /// <summary>L2 weight-decay coefficient λ on the weights only (not the biases); the update adds <c>−η·λ·W</c>. Range: [0, 1].</summary>
    public float WeightDecay { get; init; }

    /// <summary>
    /// The learning rate of the context weights of a conditional model (<see cref="ParameterGroup.ContextWeights"/>: A and B) as a
    /// multiple of <see cref="LearningRate"/>, as Taylor's code gives them a rate of their own; 0 holds them fixed. Ignored by
    /// models without a context. Range: [0, 10].
    /// </summary>
    public float ContextLearningRateScale { get; init; } = 1f;

    /// <summary>L2 weight-decay coefficient of the context weights (A and B); the update adds <c>−η_ctx·λ_ctx·A</c>. Range: [0, 1].</summary>
    public float ContextWeightDecay { get; init; }

    /// <summary>
    /// Learning rate of the log-variances <c>zᵢ = log σᵢ²</c> of Gaussian visible units (Cho, Ilin and Raiko 2011
    /// learn z rather than σ because it trains stably); 0 holds the variances fixed. Ignored by models without
    /// variances. Range: [0, 10].
    /// </summary>
    public float LogVarianceLearningRate { get; init; } = 0.001f;

    /// <summary>The floor on a learned standard deviation σᵢ of a Gaussian visible unit (a collapsing variance makes the likelihood unbounded). Range: (0, 1000].</summary>
    public float MinVisibleStandardDeviation { get; init; } = 0.01f;

    /// <summary>Target mean activation p of each hidden unit (Hinton: 0.01 to 0.1; the article: 0.05 to 0.1); 0 turns the penalty off. Range: [0, 1).</summary>
    public float SparsityTarget { get; init; }

    /// <summary>Strength of the sparsity penalty; the hidden bias and weight gradients get <c>−cost·(q − p)</c> (times vᵢ for weights). Range: [0, 100].</summary>
    public float SparsityCost { get; init; }

    /// <summary>Decay λ of the running mean activation <c>q ← λq + (1 − λ)·q_batch</c>. Range: [0, 1).</summary>
    public float SparsityDecay { get; init; } = 0.95f;

    /// <summary>Seed of every random choice (shuffling, sampling): a run with the same seed gives the same bits.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>How many training rows (the first ones) the per-epoch metrics are computed on; 0 for all. Range: at least 0.</summary>
    public int MonitorRows { get; init; } = 1000;

    /// <summary>Rows of random inputs whose mean free energy is measured each epoch (<see cref="EpochMetrics.FreeEnergyRandom"/>); 0 for none. Range: 0 to 1,000,000.</summary>
    public int MonitorRandomRows { get; init; } = 1000;

    /// <summary>
    /// AIS runs of a per-epoch estimate of log Z when the exact one is out of reach (<see cref="ExactLogLikelihoodMaxUnits"/>),
    /// so the log-likelihood of a large model can be followed; 0 turns it off. Range: 0, or 2 to 10,000.
    /// </summary>
    public int AisMonitorRuns { get; init; }

    /// <summary>Transitions of the per-epoch AIS schedule (Salakhutdinov and Murray's shape). Range: 3 to 1,000,000.</summary>
    public int AisMonitorTemperatures { get; init; } = 1000;

    /// <summary>Compute the exact log-likelihood each epoch when the smaller layer has at most this many units. Range: 0 to 26.</summary>
    public int ExactLogLikelihoodMaxUnits { get; init; } = 20;

    /// <summary>
    /// Threads per training step; −1 uses every core. Work is cut into fixed blocks and random numbers
    /// are addressed by position, so a seed gives the same bits for any value. Range: −1 or at least 1.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Whether the negative phase keeps chains between steps (PCD or parallel tempering).</summary>
    public bool KeepsChains => Persistent || ParallelTemperingReplicas > 0;

    /// <summary>The learning rate of the parameters in <paramref name="group"/> (before the decay of <see cref="LearningRateDecayEpochs"/>).</summary>
    public float LearningRateFor(ParameterGroup group) => group switch
    {
        ParameterGroup.LogVariances => LogVarianceLearningRate,
        ParameterGroup.ContextWeights => LearningRate * ContextLearningRateScale,
        _ => LearningRate,
    };

    /// <summary>The factor every learning rate is multiplied by in the zero-based epoch <paramref name="epoch"/> (see <see cref="LearningRateDecayEpochs"/>).</summary>
    public float LearningRateFactorAt(int epoch)
    {
        if (LearningRateDecayEpochs <= 0) return 1f;
        if (LearningRateDecayEpochs == 1 || epoch >= LearningRateDecayEpochs - 1) return FinalLearningRateFactor;
        return 1f - (1f - FinalLearningRateFactor) * Math.Max(epoch, 0) / (LearningRateDecayEpochs - 1);
    }

    /// <summary>The L2 decay of the parameters in <paramref name="group"/>: <see cref="WeightDecay"/> for weights, <see cref="ContextWeightDecay"/> for context weights, 0 for biases and variances.</summary>
    public float WeightDecayFor(ParameterGroup group) => group switch
    {
        ParameterGroup.Weights => WeightDecay,
        ParameterGroup.ContextWeights => ContextWeightDecay,
        _ => 0f,
    };

    /// <summary>The momentum used in the zero-based epoch <paramref name="epoch"/>.</summary>
    public float MomentumAt(int epoch) => epoch < MomentumSwitchEpoch ? InitialMomentum : FinalMomentum;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range; the message names it and the range.</exception>
    public void Validate()
    {
        AtLeast(Epochs, 1, nameof(Epochs));
        AtLeast(BatchSize, 1, nameof(BatchSize));
        if (BatchSize > 100_000) Throw(nameof(BatchSize), BatchSize, "1 to 100000");
        Within(LearningRate, 0f, 10f, nameof(LearningRate), lowOpen: true);
        AtLeast(CdSteps, 1, nameof(CdSteps));
        if (PersistentChains is < 0 or > 100_000) Throw(nameof(PersistentChains), PersistentChains, "0 to 100000");
        if (CdSteps > 1000) Throw(nameof(CdSteps), CdSteps, "1 to 1000");
        if (ParallelTemperingReplicas is 1 or < 0 or > 100) Throw(nameof(ParallelTemperingReplicas), ParallelTemperingReplicas, "0 (off) or 2 to 100");
        Within(ParallelTemperingMinBeta, 0f, 1f, nameof(ParallelTemperingMinBeta), lowOpen: true, highOpen: true);
        if (ParallelTemperingReplicas > 0 && Persistent)
            throw new ArgumentOutOfRangeException(nameof(ParallelTemperingReplicas), ParallelTemperingReplicas,
                $"{nameof(ParallelTemperingReplicas)} and {nameof(Persistent)} are two negative phases; choose one.");
        Within(InitialMomentum, 0f, 1f, nameof(InitialMomentum), highOpen: true);
        Within(FinalMomentum, 0f, 1f, nameof(FinalMomentum), highOpen: true);
        AtLeast(MomentumSwitchEpoch, 0, nameof(MomentumSwitchEpoch));
        Within(WeightDecay, 0f, 1f, nameof(WeightDecay));
        Within(LogVarianceLearningRate, 0f, 10f, nameof(LogVarianceLearningRate));
        Within(ContextLearningRateScale, 0f, 10f, nameof(ContextLearningRateScale));
        Within(ContextWeightDecay, 0f, 1f, nameof(ContextWeightDecay));
        if (LearningRateDecayEpochs is < 0 or > 10_000_000) Throw(nameof(LearningRateDecayEpochs), LearningRateDecayEpochs, "0 to 10000000");
        Within(FinalLearningRateFactor, 0f, 1f, nameof(FinalLearningRateFactor));
        Within(MinVisibleStandardDeviation, 0f, 1000f, nameof(MinVisibleStandardDeviation), lowOpen: true);
        Within(SparsityTarget, 0f, 1f, nameof(SparsityTarget), highOpen: true);
        Within(SparsityCost, 0f, 100f, nameof(SparsityCost));
        Within(SparsityDecay, 0f, 1f, nameof(SparsityDecay), highOpen: true);
        AtLeast(MonitorRows, 0, nameof(MonitorRows));
        if (MonitorRandomRows is < 0 or > 1_000_000) Throw(nameof(MonitorRandomRows), MonitorRandomRows, "0 to 1000000");
        if (AisMonitorRuns is 1 or < 0 or > 10_000) Throw(nameof(AisMonitorRuns), AisMonitorRuns, "0 (off) or 2 to 10000");
        if (AisMonitorTemperatures is < 3 or > 1_000_000) Throw(nameof(AisMonitorTemperatures), AisMonitorTemperatures, "3 to 1000000");
        if (MaxDegreeOfParallelism is 0 or < -1) Throw(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "−1 (all cores) or at least 1");
        if (ExactLogLikelihoodMaxUnits is < 0 or > 26) Throw(nameof(ExactLogLikelihoodMaxUnits), ExactLogLikelihoodMaxUnits, "0 to 26");
    }

    private static void AtLeast(int value, int min, string name)
    {
        if (value < min) Throw(name, value, $"at least {min}");
    }

    private static void Within(float value, float low, float high, string name, bool lowOpen = false, bool highOpen = false)
    {
        bool ok = float.IsFinite(value)
            && (lowOpen ? value > low : value >= low)
            && (highOpen ? value < high : value <= high);
        if (!ok) Throw(name, value, $"{(lowOpen ? "(" : "[")}{low}, {high}{(highOpen ? ")" : "]")}");
    }

    private static void Throw(string name, object value, string range) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} is {value}; it must be {range}.");
}
