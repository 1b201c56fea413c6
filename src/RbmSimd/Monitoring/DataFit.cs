namespace RbmSimd.Monitoring;

/// <summary>How well a model fits some rows.</summary>
/// <param name="ReconstructionError">Mean squared error of the one-step mean-field reconstruction, per unit.</param>
/// <param name="MeanFreeEnergy">Mean free energy F(v).</param>
public readonly record struct DataFit(double ReconstructionError, double MeanFreeEnergy);
