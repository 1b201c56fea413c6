namespace RbmSimd.Cli.Pictures;

/// <summary>One epoch of the <c>metrics.csv</c> that <c>rbm train</c> writes; null where a cell is empty (not measured) or not finite.</summary>
/// <param name="Epoch">The epoch number.</param>
/// <param name="ReconstructionError">Mean squared one-step reconstruction error of the training data.</param>
/// <param name="FreeEnergyTrain">Mean free energy F(v) of the training data.</param>
/// <param name="FreeEnergyHeldOut">Mean free energy of the held-out data.</param>
/// <param name="LogLikelihoodTrain">Mean log-likelihood of the training data (exact for small models, else with an AIS estimate of log Z: see <see cref="LogZEstimated"/>).</param>
/// <param name="LogLikelihoodHeldOut">Mean log-likelihood of the held-out data.</param>
public sealed record MetricsRow(
    double Epoch,
    double? ReconstructionError,
    double? FreeEnergyTrain,
    double? FreeEnergyHeldOut,
    double? LogLikelihoodTrain,
    double? LogLikelihoodHeldOut)
{
    /// <summary>Mean free energy of random inputs (the article's monitor: training data should come to lie well below it).</summary>
    public double? FreeEnergyRandom { get; init; }

    /// <summary>Whether the log-likelihoods use an AIS estimate of log Z rather than the exact value.</summary>
    public bool LogZEstimated { get; init; }

    /// <summary>A conditional model's one-step prediction error on the held-out rows (squared error per frame), or null.</summary>
    public double? PredictionError { get; init; }
}
