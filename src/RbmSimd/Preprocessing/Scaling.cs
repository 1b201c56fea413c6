namespace RbmSimd.Preprocessing;

/// <summary>Divides every value by a constant: <c>y = x / divisor</c> (e.g. 255 for 8-bit grey levels).</summary>
/// <remarks>
/// Not fitted. <see cref="Transform.LogJacobian"/> is <c>−D·log|divisor|</c>. Arrays: <c>{step}.scaling.divisor</c>
/// (shape [1]) and <c>{step}.scaling.columns</c> (shape [1], the row length D). A divisor rather than a factor, so
/// that dividing by 255 is exact as in numpy's <c>x / 255.0</c>.
/// </remarks>
public sealed class Scaling : Transform
{
    internal const string KindName = "scaling";
    private readonly int _columns;

    /// <summary>Creates the map <c>y = x / divisor</c> on rows of <paramref name="columns"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is below 1, or <paramref name="divisor"/> is zero, NaN or infinite.</exception>
    public Scaling(int columns, float divisor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (!float.IsFinite(divisor) || divisor == 0)
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be finite and non-zero.");
        _columns = columns;
        Divisor = divisor;
    }

    /// <summary>The constant every value is divided by.</summary>
    public float Divisor { get; }

    /// <inheritdoc/>
    public override int InputCount => _columns;

    /// <inheritdoc/>
    public override int OutputCount => _columns;

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override double LogJacobian => -_columns * Math.Log(Math.Abs((double)Divisor));

    internal override bool Projects => false;

    internal override void ForwardRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch)
    {
        double d = Divisor;
        for (int i = 0; i < _columns; i++) y[i] = x[i] / d;
    }

    internal override void InverseRow(ReadOnlySpan<double> y, Span<double> x, Span<double> scratch)
    {
        double d = Divisor;
        for (int i = 0; i < _columns; i++) x[i] = y[i] * d;
    }

    internal override void LinearRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch) => ForwardRow(x, y, scratch);

    internal override void AddArrays(int step, List<TransformArray> arrays)
    {
        arrays.Add(new TransformArray($"{step}.{KindName}.divisor", [1], [Divisor]));
        arrays.Add(new TransformArray($"{step}.{KindName}.columns", [1], [_columns]));
    }
}
