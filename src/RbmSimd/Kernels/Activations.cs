using RbmSimd.Kernels.Drivers;

namespace RbmSimd.Kernels;

/// <summary>
/// Element-wise activation functions on spans. The destination may be the same span as an input (in place),
/// but must not overlap it partially.
/// </summary>
/// <remarks>
/// Each public method runs on <see cref="KernelSelection.Active"/>; the internal overloads taking a
/// <see cref="KernelIsa"/> let tests exercise every path in one process. The algorithms and their error
/// bounds are described in the operators' implementation notes and in <c>docs/kernels.md</c>. Exact results
/// may differ between instruction sets (within the documented bounds) but not between runs.
/// </remarks>
public static class Activations
{
    /// <summary>Computes <c>σ(x) = 1 / (1 + e^{−x})</c> for each element.</summary>
    /// <remarks>Absolute error ≤ 5·10⁻⁷; exactly 0 and 1 where float cannot tell σ from them; NaN stays NaN.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it partially.</exception>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination) => Sigmoid(x, destination, KernelSelection.Active);

    internal static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination, KernelIsa isa)
    {
        RequireDestination(x, destination);
        UnaryDriver.Invoke<SigmoidOperator>(x, destination, isa);
    }

    /// <summary>Computes <c>σ(x_i + bias_i)</c> for each element: a bias add fused into the sigmoid.</summary>
    /// <remarks>Bit-identical to adding the bias and then calling <see cref="Sigmoid(ReadOnlySpan{float}, Span{float})"/>, in one pass.</remarks>
    /// <exception cref="ArgumentException"><paramref name="bias"/> differs in length from <paramref name="x"/>, or
    /// <paramref name="destination"/> is shorter than <paramref name="x"/> or overlaps an input partially.</exception>
    public static void AddBiasSigmoid(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> destination) =>
        AddBiasSigmoid(x, bias, destination, KernelSelection.Active);

    internal static void AddBiasSigmoid(ReadOnlySpan<float> x, ReadOnlySpan<float> bias, Span<float> destination, KernelIsa isa)
    {
        if (bias.Length != x.Length)
            throw new ArgumentException($"Bias holds {bias.Length} floats but x holds {x.Length}.", nameof(bias));
        RequireDestination(x, destination);
        RequireNoPartialOverlap(bias, destination);
        BinaryDriver.Invoke<AddSigmoidOperator>(x, bias, destination, isa);
    }

    /// <summary>
    /// Computes <c>softplus(x) = log(1 + e^x)</c> for each element, in the overflow-free form
    /// <c>max(x, 0) + log(1 + e^{−|x|})</c>.
    /// </summary>
    /// <remarks>Error ≤ 10⁻⁶ relative or absolute, whichever is larger; <c>+∞ → +∞</c>, <c>−∞ → 0</c>, NaN stays NaN.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>, or overlaps it partially.</exception>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> destination) => Softplus(x, destination, KernelSelection.Active);

    internal static void Softplus(ReadOnlySpan<float> x, Span<float> destination, KernelIsa isa)
    {
        RequireDestination(x, destination);
        UnaryDriver.Invoke<SoftplusOperator>(x, destination, isa);
    }

    /// <summary>Returns <c>Σ softplus(x_i)</c>; terms in float, accumulated in double.</summary>
    /// <remarks>Relative error ≤ 10⁻⁶ (every term is non-negative); 0 for an empty span.</remarks>
    public static double SumSoftplus(ReadOnlySpan<float> x) => SoftplusSum.Sum(x, KernelSelection.Active);

    internal static double SumSoftplus(ReadOnlySpan<float> x, KernelIsa isa) => SoftplusSum.Sum(x, isa);

    /// <summary>Scalar softplus in the overflow-free form, evaluated in double and rounded once.</summary>
    public static float Softplus(float x)
    {
        double t = Math.Exp(-Math.Abs((double)x));
        double log1p = t < 1e-5 ? t * (1 - 0.5 * t) : Math.Log(1 + t);
        return (float)(Math.Max(x, 0.0) + log1p);
    }

    private static void RequireDestination(ReadOnlySpan<float> x, Span<float> destination)
    {
        if (destination.Length < x.Length)
            throw new ArgumentException($"Destination holds {destination.Length} floats but {x.Length} are needed.", nameof(destination));
        RequireNoPartialOverlap(x, destination);
    }

    private static void RequireNoPartialOverlap(ReadOnlySpan<float> input, Span<float> destination)
    {
        // In place (same start) is fine: the drivers read each vector before writing it. A shifted
        // overlap would read values already overwritten.
        if (input.Overlaps(destination.Slice(0, Math.Min(destination.Length, input.Length)), out int offset) && offset != 0)
            throw new ArgumentException("Destination overlaps the input at a different offset; use the same span for in-place work.", nameof(destination));
    }
}
