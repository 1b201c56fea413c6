namespace RbmSimd.Tests.Reference;

/// <summary>Double-precision references for the activation kernels: textbook formulas, no tricks beyond avoiding overflow.</summary>
public static class NaiveActivations
{
    /// <summary>σ(x) in double, in the branch that never overflows.</summary>
    public static double Sigmoid(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x >= 0) return 1.0 / (1.0 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    /// <summary>softplus(x) = max(x, 0) + log1p(e^−|x|) in double.</summary>
    public static double Softplus(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsPositiveInfinity(x)) return x;
        return Math.Max(x, 0.0) + Log1p(Math.Exp(-Math.Abs(x)));
    }

    /// <summary>Σ softplus(x_i) in double.</summary>
    public static double SumSoftplus(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x) sum += Softplus(v);
        return sum;
    }

    /// <summary>log(1 + t) for t ≥ 0; a short series below 10⁻⁴ where 1 + t would lose t's low bits.</summary>
    public static double Log1p(double t) =>
        t < 1e-4 ? t * (1 - t * (0.5 - t * (1.0 / 3 - t * 0.25))) : Math.Log(1 + t);
}
