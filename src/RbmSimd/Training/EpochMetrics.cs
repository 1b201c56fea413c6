namespace RbmSimd.Training;

/// <summary>What training reports after each epoch.</summary>
/// <param name="Epoch">The epoch just finished, counted from 1.</param>
/// <param name="Seconds">Wall time of the epoch's training steps (not of the metrics).</param>
/// <param name="ReconstructionError">
/// Mean squared error between the monitored training rows and their one-step mean-field
/// reconstruction <c>P(v | P(h | v))</c>, averaged over rows and units.
/// </param>
/// <param name="FreeEnergyTrain">Mean free energy F(v) of the monitored training rows.</param>
/// <param name="FreeEnergyHeldOut">Mean free energy of the held-out rows, or null when there are none.</param>
/// <param name="LogZ">The exact log partition function, or null when the smaller layer is too large.</param>
/// <param name="LogLikelihoodTrain">The exact mean log-likelihood of the monitored training rows, or null.</param>
/// <param name="LogLikelihoodHeldOut">The exact mean log-likelihood of the held-out rows, or null.</param>
public sealed record EpochMetrics(
    int Epoch,
    double Seconds,
    double ReconstructionError,
    double FreeEnergyTrain,
    double? FreeEnergyHeldOut,
    double? LogZ,
    double? LogLikelihoodTrain,
    double? LogLikelihoodHeldOut)
{
    /// <summary>
    /// <c>F(held-out) − F(train)</c>: near 0 early on; a gap that keeps growing means the model
    /// fits the training rows better than unseen ones (overfitting). Null without held-out data.
    /// </summary>
    public double? FreeEnergyGap => FreeEnergyHeldOut - FreeEnergyTrain;

    /// <summary>Under parallel tempering, the fraction of swaps accepted between each neighbouring pair of replicas during the epoch; empty otherwise.</summary>
    public IReadOnlyList<double> SwapAcceptanceRates { get; init; } = [];
}
