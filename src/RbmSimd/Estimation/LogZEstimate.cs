namespace RbmSimd.Estimation;

/// <summary>
/// What every estimator of <c>log Z</c> returns: the estimate, the interval <c>log(Ẑ ± 3σ̂)</c> (σ̂ the
/// standard error of the mean of the importance weights, so the interval is in Z's own scale), the method
/// and its settings. An exact computation has a zero-width interval.
/// </summary>
/// <param name="LogZ">The estimate, log Ẑ.</param>
/// <param name="Lower">log(Ẑ − 3σ̂), or −∞ when 3σ̂ ≥ Ẑ.</param>
/// <param name="Upper">log(Ẑ + 3σ̂).</param>
/// <param name="Method"><c>exact</c> or <c>ais</c>.</param>
/// <param name="Runs">Independent annealing runs (0 for exact).</param>
/// <param name="Temperatures">Transitions of the annealing schedule (0 for exact).</param>
/// <param name="Seconds">Wall time of the computation.</param>
public sealed record LogZEstimate(double LogZ, double Lower, double Upper, string Method, int Runs, int Temperatures, double Seconds)
{
    /// <summary>An exact value.</summary>
    public static LogZEstimate Exact(double logZ, double seconds) => new(logZ, logZ, logZ, "exact", 0, 0, seconds);

    /// <summary>
    /// The estimate from log importance weights: <c>log Ẑ = baseLogZ + log mean(w)</c>, with the interval from
    /// the weights' standard error, all computed relative to the largest weight so nothing overflows.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two weights, or a weight is NaN.</exception>
    public static LogZEstimate FromLogWeights(ReadOnlySpan<double> logWeights, double baseLogZ, string method, int temperatures, double seconds)
    {
        (double logMean, double lower, double upper) = LogMeanWithInterval(logWeights);
        return new LogZEstimate(baseLogZ + logMean, baseLogZ + lower, baseLogZ + upper, method, logWeights.Length, temperatures, seconds);
    }

    /// <summary>log mean(w) and log(mean ∓ 3·standard error) of weights given as logs.</summary>
    /// <exception cref="ArgumentException">Fewer than two weights, or a weight is NaN.</exception>
    internal static (double LogMean, double Lower, double Upper) LogMeanWithInterval(ReadOnlySpan<double> logWeights)
    {
        if (logWeights.Length < 2) throw new ArgumentException("An interval needs at least two weights.", nameof(logWeights));
        double max = double.NegativeInfinity;
        foreach (double w in logWeights)
        {
            if (double.IsNaN(w)) throw new ArgumentException("A log-weight is NaN.", nameof(logWeights));
            max = Math.Max(max, w);
        }
        if (double.IsNegativeInfinity(max)) return (max, max, max);
        double sum = 0;
        foreach (double w in logWeights) sum += Math.Exp(w - max);
        int n = logWeights.Length;
        double mean = sum / n, squares = 0;
        foreach (double w in logWeights)
        {
            double d = Math.Exp(w - max) - mean;
            squares += d * d;
        }
        double standardError = Math.Sqrt(squares / (n - 1) / n);
        double low = mean - 3 * standardError;
        return (max + Math.Log(mean), low > 0 ? max + Math.Log(low) : double.NegativeInfinity, max + Math.Log(mean + 3 * standardError));
    }
}
