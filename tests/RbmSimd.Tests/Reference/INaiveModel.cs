namespace RbmSimd.Tests.Reference;

/// <summary>
/// What the contract tests ask of every naive reference model, in double precision and written from the
/// formulas: the tempered distribution is <c>p_β(v, h) ∝ exp(−(1 − β)E₀(v) − βE(v, h))</c>, where the base
/// model E₀ has no weights, zero hidden biases and visible biases (Bernoulli) or means (Gaussian) a₀.
/// </summary>
internal interface INaiveModel
{
    int Nv { get; }
    int Nh { get; }

    /// <summary>E(v, h).</summary>
    double Energy(double[] v, double[] h);

    /// <summary>P(h = 1 | v) at β.</summary>
    double[] MeanHiddens(double[] v, double beta);

    /// <summary>E[v | h] at β with base biases a₀ (null: zeros).</summary>
    double[] MeanVisibles(double[] h, double beta, double[]? a0);

    /// <summary>E[v | h] at β for the destination row <paramref name="row"/> (a conditional model reads its context there; others ignore it).</summary>
    double[] MeanVisibles(double[] h, double[] row, double beta, double[]? a0) => MeanVisibles(h, beta, a0);

    /// <summary>F_β(v) = −log Σ_h exp(−(1 − β)E₀(v) − βE(v, h)), in closed form.</summary>
    double FreeEnergy(double[] v, double beta, double[]? a0);

    /// <summary>A draw of visible unit i with conditional mean <paramref name="mean"/> from 64 random bits, by the library's documented rule.</summary>
    double DrawVisible(double mean, int i, ulong bits);

    /// <summary>log Z of the base model (β = 0): every hidden unit free, the visible units with biases or means a₀.</summary>
    double BaseLogZ(double[]? a0);

    /// <summary>log Z, enumerating the hidden layer with the visible layer summed or integrated in closed form.</summary>
    double LogZ();
}
