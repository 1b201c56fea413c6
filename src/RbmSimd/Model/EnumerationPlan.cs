namespace RbmSimd.Model;

/// <summary>What the marginalised layer contributes for each enumerated state, given its inputs x.</summary>
public enum MarginalKind
{
    /// <summary>Bernoulli units summed out: <c>Σₖ softplus(xₖ)</c>.</summary>
    Softplus,

    /// <summary>Gaussian units integrated out: <c>Σₖ (½xₖ² + cₖxₖ)</c>, with cₖ from <see cref="EnumerationPlan.Coefficients"/>.</summary>
    GaussianQuadratic,
}

/// <summary>
/// A model's partition function written as a sum over the states of one binary layer with the other layer
/// summed or integrated out in closed form:
/// <c>log Z = Constant + log Σ_{s ∈ {0,1}ⁿ} exp(sᵀc + M(x(s)))</c> with <c>x(s) = Offset + sᵀR</c>,
/// where M is the <see cref="Marginal"/> of the other layer. The estimators enumerate s in Gray-code order,
/// so each step adds or removes one row of R.
/// </summary>
/// <param name="EnumeratedLayer">"hidden" or "visible", for messages.</param>
/// <param name="EnumeratedCount">n, the binary units enumerated.</param>
/// <param name="OtherCount">m, the units marginalised.</param>
/// <param name="Rows">R, n×m row-major: row u is what unit u adds to x when it is on.</param>
/// <param name="EnumeratedBias">c, n values: the linear term of each enumerated unit.</param>
/// <param name="Offset">x(0), m values.</param>
/// <param name="Marginal">How the other layer's contribution depends on x.</param>
/// <param name="Coefficients">m values used by <see cref="MarginalKind.GaussianQuadratic"/>; empty otherwise.</param>
/// <param name="Constant">A term independent of s.</param>
public sealed record EnumerationPlan(
    string EnumeratedLayer,
    int EnumeratedCount,
    int OtherCount,
    float[] Rows,
    float[] EnumeratedBias,
    float[] Offset,
    MarginalKind Marginal,
    float[] Coefficients,
    double Constant);
