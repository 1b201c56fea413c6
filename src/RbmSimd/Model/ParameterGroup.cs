namespace RbmSimd.Model;

/// <summary>
/// What a parameter tensor is, for the training policies that differ between kinds of parameter:
/// weight decay applies to <see cref="Weights"/> and <see cref="ContextWeights"/> only, and
/// <see cref="LogVariances"/> and <see cref="ContextWeights"/> have learning rates of their own.
/// </summary>
public enum ParameterGroup
{
    /// <summary>Couplings between the visible and the hidden layer (W; convolution filters).</summary>
    Weights,

    /// <summary>Biases of either layer (a, b).</summary>
    Biases,

    /// <summary>Natural logarithms of the visible variances, <c>zᵢ = log σᵢ²</c> (Gaussian visible units).</summary>
    LogVariances,

    /// <summary>Couplings from a context vector to either layer (the conditional RBM's A and B).</summary>
    ContextWeights,
}
