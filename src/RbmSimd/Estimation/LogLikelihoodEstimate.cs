namespace RbmSimd.Estimation;

/// <summary>
/// A data set's mean log-likelihood as an estimator gives it: the mean over rows of each row's estimate, and
/// the standard error of that mean over rows (how much the figure would move on other rows from the same source).
/// </summary>
/// <param name="Mean">The mean log-likelihood per row, in nats.</param>
/// <param name="StandardError">The standard error of <paramref name="Mean"/> over the rows.</param>
/// <param name="Rows">The rows scored.</param>
/// <param name="Method"><c>exact</c>, <c>ais</c> or <c>raise</c>.</param>
/// <param name="Runs">Annealing runs (per row for reverse AIS; 0 for exact).</param>
/// <param name="Temperatures">Transitions of the annealing schedule (0 for exact).</param>
/// <param name="Seconds">Wall time.</param>
public sealed record LogLikelihoodEstimate(double Mean, double StandardError, int Rows, string Method, int Runs, int Temperatures, double Seconds)
{
    /// <summary>The mean and its standard error from per-row values.</summary>
    internal static (double Mean, double StandardError) MeanAndError(ReadOnlySpan<double> values)
    {
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= values.Length;
        if (values.Length < 2) return (mean, double.NaN);
        double squares = 0;
        foreach (double v in values) squares += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(squares / (values.Length - 1) / values.Length));
    }
}
