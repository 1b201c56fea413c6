namespace RbmSimd.Model;

/// <summary>Where the visible units start when a conditional model predicts a frame (<see cref="ConditionalPrediction"/>).</summary>
public enum PredictionStart
{
    /// <summary><see cref="LastFrame"/> when the context holds previous frames (a history length of at least 1), else <see cref="Zeros"/>.</summary>
    Auto,

    /// <summary>The most recent frame of the context, <c>v_{t−1}</c> (the first nv context values): Taylor's start for generation.</summary>
    LastFrame,

    /// <summary>All zeros.</summary>
    Zeros,
}

/// <summary>How a conditional model predicts the next frame: Gibbs steps with the context clamped, mean-field or sampled.</summary>
public sealed record PredictionOptions
{
    /// <summary>The Gibbs steps v → h → v. Range: 1 to 10,000.</summary>
    public int GibbsSteps { get; init; } = 5;

    /// <summary>
    /// Whether the steps draw samples (hidden states, and visible states between steps) rather than pass means (mean-field,
    /// deterministic). The prediction is the visible mean of the last step either way.
    /// </summary>
    public bool Sampled { get; init; }

    /// <summary>Where the visible units start.</summary>
    public PredictionStart Start { get; init; } = PredictionStart.Auto;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range; the message names it and the range.</exception>
    public void Validate()
    {
        if (GibbsSteps is < 1 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(GibbsSteps), GibbsSteps, $"{nameof(GibbsSteps)} is {GibbsSteps}; it must be 1 to 10000.");
        if (!Enum.IsDefined(Start))
            throw new ArgumentOutOfRangeException(nameof(Start), Start, $"{nameof(Start)} is {Start}; it must be Auto, LastFrame or Zeros.");
    }
}
