namespace RbmSimd.Model;

/// <summary>
/// How <see cref="GaussianBernoulliRbm.CreateRandom"/> initialises a Gaussian–Bernoulli model. The defaults are
/// the ones that let CD-1 leave the single-Gaussian solution: weights at the Glorot scale in ± pairs, and hidden
/// biases that give each unit's Gaussian component a small, equal weight.
/// </summary>
/// <remarks>
/// <para>A Gaussian–Bernoulli RBM is a mixture of Gaussians with means <c>a + σ⊙(Wh)</c>, one per hidden state h.
/// From tiny weights every component sits at the data mean and CD-1 stays at the single Gaussian that fits the
/// data (a plateau: the weights' gradient vanishes there). Weights of standard deviation <c>√(2/(nv + nh))</c> move
/// the components apart; pairing each column with its negation (units 2k and 2k + 1) starts every direction with a
/// component on both sides of the mean, as symmetric data (whitened patches, mixtures of symmetric sources) needs.</para>
/// <para>With <see cref="ComponentWeight"/> c, each hidden bias is set so that the state with only unit j on weighs
/// c times the all-off state: <c>bⱼ = log c − Σᵢ (½Wᵢⱼ² + aᵢWᵢⱼ/σᵢ)</c> (from log p(h) = bᵀh + Σᵢ(½(Wh)ᵢ² + aᵢ(Wh)ᵢ/σᵢ) + const).</para>
/// </remarks>
public sealed record GaussianBernoulliInitialization
{
    /// <summary>The weights' standard deviation; null for the Glorot scale <c>√(2/(nv + nh))</c>. Range: finite, ≥ 0.</summary>
    public float? WeightStdDev { get; init; }

    /// <summary>Whether hidden unit 2k + 1 starts with the negated weights of unit 2k.</summary>
    public bool PairedWeights { get; init; } = true;

    /// <summary>
    /// The weight of each single-unit component relative to the all-off state, which sets the hidden biases (see the
    /// remarks); null sets every hidden bias to <see cref="HiddenBias"/> instead. Range: (0, 1].
    /// </summary>
    public float? ComponentWeight { get; init; } = 0.1f;

    /// <summary>The hidden biases when <see cref="ComponentWeight"/> is null.</summary>
    public float HiddenBias { get; init; }

    /// <summary>Whether the variances start at the data's column variances (else σ = 1).</summary>
    public bool VarianceFromData { get; init; }

    /// <summary>The floor on a starting standard deviation taken from data. Range: finite, &gt; 0.</summary>
    public float MinStandardDeviation { get; init; } = 0.01f;

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (WeightStdDev is { } sd && (!(sd >= 0f) || !float.IsFinite(sd)))
            throw new ArgumentOutOfRangeException(nameof(WeightStdDev), sd, "The weight standard deviation must be finite and non-negative.");
        if (ComponentWeight is { } c && !(c > 0f && c <= 1f))
            throw new ArgumentOutOfRangeException(nameof(ComponentWeight), c, "The component weight must be in (0, 1].");
        if (!float.IsFinite(HiddenBias))
            throw new ArgumentOutOfRangeException(nameof(HiddenBias), HiddenBias, "The initial hidden bias must be finite.");
        if (!(MinStandardDeviation > 0f) || !float.IsFinite(MinStandardDeviation))
            throw new ArgumentOutOfRangeException(nameof(MinStandardDeviation), MinStandardDeviation, "The standard deviation floor must be finite and positive.");
    }
}
