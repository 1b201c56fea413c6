namespace RbmSimd.Model;

/// <summary>
/// An inverse temperature β and the base model it mixes with: the distribution
/// <c>p_β(v, h) ∝ exp(−(1 − β)·E_base(v) − β·E(v, h))</c> that annealed importance sampling and
/// parallel tempering move through. <c>default</c> is β = 1, the model itself.
/// </summary>
/// <remarks>
/// The base model has no weights, zero hidden biases and the given visible biases (Bernoulli units:
/// <c>E_base(v) = −a_baseᵀv</c>; Gaussian units: the model's variances with means <c>a_base</c>). Every
/// conditional then stays in closed form: the hidden inputs are scaled by β and the visible biases become
/// <c>β·a + (1 − β)·a_base</c>. Without a base (<see cref="BaseVisibleBias"/> empty) the base is the
/// zero-bias model, so <c>(1 − β)·E_base = 0</c> for Bernoulli units.
/// </remarks>
public readonly struct Temperature
{
    private readonly float _beta;
    private readonly bool _set;
    private readonly float[]? _baseVisibleBias;

    /// <summary>Creates an inverse temperature with an optional base model.</summary>
    /// <param name="beta">β in [0, 1].</param>
    /// <param name="baseVisibleBias">The base model's visible biases (one per visible unit), or null for zero biases. Not copied.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is outside [0, 1].</exception>
    public Temperature(float beta, float[]? baseVisibleBias = null)
    {
        if (!(beta >= 0f && beta <= 1f)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be in [0, 1].");
        _beta = beta;
        _set = true;
        _baseVisibleBias = baseVisibleBias;
    }

    /// <summary>β = 1: the model itself.</summary>
    public static Temperature One => default;

    /// <summary>The inverse temperature β.</summary>
    public float Beta => _set ? _beta : 1f;

    /// <summary>Whether this is the model itself (β = 1), where every operation takes its fast path.</summary>
    public bool IsOne => Beta == 1f;

    /// <summary>The base model's visible biases, or empty for zero biases.</summary>
    public ReadOnlySpan<float> BaseVisibleBias => _baseVisibleBias;

    /// <summary>
    /// Writes the tempered visible bias <c>β·a + (1 − β)·a_base</c> into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The base bias or the destination does not have the bias's length.</exception>
    public void TemperBias(ReadOnlySpan<float> bias, ReadOnlySpan<float> baseBias, Span<float> destination)
    {
        if (destination.Length != bias.Length)
            throw new ArgumentException($"The destination holds {destination.Length} values but the bias has {bias.Length}.", nameof(destination));
        if (!baseBias.IsEmpty && baseBias.Length != bias.Length)
            throw new ArgumentException($"The base model has {baseBias.Length} biases but the model has {bias.Length}.", nameof(baseBias));
        float beta = Beta;
        for (int i = 0; i < bias.Length; i++)
            destination[i] = beta * bias[i] + (baseBias.IsEmpty ? 0f : (1f - beta) * baseBias[i]);
    }
}
