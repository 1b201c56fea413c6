namespace RbmSimd.Estimation;

/// <summary>A running log-sum-exp in double: the sum is <c>Scale · e^{Max}</c>, so no term overflows.</summary>
internal readonly record struct LogSumExp(double Max, double Scale)
{
    /// <summary>The empty sum (log 0 = −∞).</summary>
    public static LogSumExp Empty => new(double.NegativeInfinity, 0);

    /// <summary><c>log Σ e^{xᵢ}</c>.</summary>
    public double Value => Max + Math.Log(Scale);

    /// <summary>Adds <c>e^x</c>.</summary>
    public LogSumExp Add(double x) =>
        x <= Max ? this with { Scale = Scale + Math.Exp(x - Max) } : new LogSumExp(x, Scale * Math.Exp(Max - x) + 1);

    /// <summary>Adds another running sum: the larger maximum stays the reference, so the rescaled term is at most 1.</summary>
    public LogSumExp Combine(LogSumExp other)
    {
        if (other.Scale == 0) return this;
        if (Scale == 0) return other;
        return other.Max <= Max
            ? this with { Scale = Scale + other.Scale * Math.Exp(other.Max - Max) }
            : new LogSumExp(other.Max, other.Scale + Scale * Math.Exp(Max - other.Max));
    }
}
