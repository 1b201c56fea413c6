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
/// <param name="LogZ">The log partition function (exact, or an AIS estimate: see <see cref="LogZMethod"/>), or null when neither was computed.</param>
/// <param name="LogLikelihoodTrain">The mean log-likelihood of the monitored training rows with <paramref name="LogZ"/>, or null.</param>
/// <param name="LogLikelihoodHeldOut">The mean log-likelihood of the held-out rows with <paramref name="LogZ"/>, or null.</param>
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

    /// <summary><c>exact</c>, <c>ais</c> (an estimate with a short schedule: the log-likelihoods are then estimates, optimistic), or null without a log Z.</summary>
    public string? LogZMethod { get; init; }

    /// <summary>
    /// The mean free energy of random inputs (fair coin flips for Bernoulli units, standard normal values for Gaussian
    /// ones; a fixed set per run), or null when not monitored: the article's monitor, which compares the training data
    /// with random samples.
    /// </summary>
    public double? FreeEnergyRandom { get; init; }

    /// <summary>
    /// <c>F(random) − F(train)</c>: the article's signal that the model is learning ("if training data has much lower free
    /// energy than random samples"); it should grow from 0. Null when not monitored.
    /// </summary>
    public double? FreeEnergyRandomGap => FreeEnergyRandom - FreeEnergyTrain;

    /// <summary>
    /// For a conditional model, the mean squared error per frame (summed over the visible units, averaged over the rows) of
    /// its one-step prediction of the held-out rows' frames from their contexts (<see cref="Monitoring.PredictionError"/>, default
    /// <see cref="Model.PredictionOptions"/>); null for other models or without held-out rows.
    /// </summary>
    public double? PredictionErrorHeldOut { get; init; }

    /// <summary>Under parallel tempering, the fraction of swaps accepted between each neighbouring pair of replicas during the epoch; empty otherwise.</summary>
    public IReadOnlyList<double> SwapAcceptanceRates { get; init; } = [];
}
