namespace RbmSimd.Tests.Reference;

/// <summary>The standard normal distribution function and the Kolmogorov–Smirnov statistic, in double.</summary>
public static class NormalDistribution
{
    /// <summary>
    /// Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …): the Taylor series of ∫₀ˣ φ, all of whose terms have the sign of x,
    /// so nothing cancels (Marsaglia, "Evaluating the Normal Distribution", J. Stat. Software 11, 2004). Summed to
    /// double precision; beyond |x| = 9, Φ is 0 or 1 to within 10⁻¹⁸.
    /// </summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 9) return 1;
        if (x < -9) return 0;
        double term = x, sum = x, x2 = x * x;
        for (int k = 1; Math.Abs(term) > 1e-18 * Math.Abs(sum); k++)
        {
            term *= x2 / (2 * k + 1);
            sum += term;
        }
        return 0.5 + sum * Math.Exp(-0.5 * x2) / Math.Sqrt(2 * Math.PI);
    }

    /// <summary>
    /// The Kolmogorov–Smirnov statistic <c>D = sup |F_n(x) − F(x)|</c> of a sample against a continuous
    /// distribution function <paramref name="cdf"/>.
    /// </summary>
    public static double KolmogorovSmirnov(IEnumerable<double> sample, Func<double, double> cdf)
    {
        double[] x = sample.ToArray();
        Array.Sort(x);
        int n = x.Length;
        double d = 0;
        for (int i = 0; i < n; i++)
        {
            double f = cdf(x[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        return d;
    }

    /// <summary>
    /// The asymptotic critical value of D at level α for a sample of n: <c>√(ln(2/α)/2)/√n</c>, from
    /// P(√n·D &gt; t) → 2Σₖ(−1)ᵏ⁻¹e^(−2k²t²) ≈ 2e^(−2t²) (the next term, 2e^(−8t²), is about 10⁻¹³ at the t of α = 0.001).
    /// </summary>
    public static double KolmogorovSmirnovCritical(double alpha, int n) => Math.Sqrt(Math.Log(2 / alpha) / 2) / Math.Sqrt(n);
}
