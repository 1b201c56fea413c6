namespace RbmSimd.Model;

/// <summary>The kind of a model's visible units.</summary>
public enum VisibleUnitKind
{
    /// <summary>Binary units with <c>P(vᵢ = 1 | h) = σ(input)</c>; data must lie in [0, 1] (probabilities are accepted as data).</summary>
    Bernoulli,

    /// <summary>Real-valued units with <c>vᵢ | h ~ N(mean, σᵢ²)</c>; data must be finite.</summary>
    Gaussian,
}
