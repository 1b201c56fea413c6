namespace RbmSimd.Cli.Pictures;

/// <summary>One epoch of the <c>metrics.csv</c> that <c>rbm train</c> writes; null where a cell is empty (not measured) or not finite.</summary>
/// <param name="Epoch">The epoch number.</param>
/// <param name="ReconstructionError">Mean squared one-step reconstruction error of the training data.</param>
/// <param name="FreeEnergyTrain">Mean free energy F(v) of the training data.</param>
/// <param name="FreeEnergyHeldOut">Mean free energy of the held-out data.</param>
/// <param name="LogLikelihoodTrain">Exact mean log-likelihood of the training data (small models only).</param>
/// <param name="LogLikelihoodHeldOut">Exact mean log-likelihood of the held-out data.</param>
public sealed record MetricsRow(
    double Epoch,
    double? ReconstructionError,
    double? FreeEnergyTrain,
    double? FreeEnergyHeldOut,
    double? LogLikelihoodTrain,
    double? LogLikelihoodHeldOut);
