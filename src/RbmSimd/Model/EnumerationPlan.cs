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
/// <remarks>
/// Units may come in groups in which at most one is on (a pooling block, a one-hot-or-off choice): with
/// <see cref="EnumeratedGroupSize"/> g &gt; 1 the enumerated units form consecutive groups of g and the sum runs over the
/// (g + 1)^(n/g) states with at most one unit on per group; with <see cref="MarginalGroupSize"/> g &gt; 1 the summed-out layer
/// forms consecutive groups of g and contributes <c>Σ_groups log(1 + Σ_{k ∈ group} e^{xₖ})</c> (softplus when g = 1).
/// </remarks>
public sealed record EnumerationPlan(
    string EnumeratedLayer,
    int EnumeratedCount,
    int OtherCount,
    float[] Rows,
    float[] EnumeratedBias,
    float[] Offset,
    MarginalKind Marginal,
    float[] Coefficients,
    double Constant)
{
    /// <summary>g: the enumerated units form consecutive groups of g with at most one unit on per group (1: independent binary units).</summary>
    public int EnumeratedGroupSize { get; init; } = 1;

    /// <summary>g: with <see cref="MarginalKind.Softplus"/>, the summed-out units form consecutive groups of g with at most one on per group (1: independent units).</summary>
    public int MarginalGroupSize { get; init; } = 1;
}
