namespace RbmSimd.Preprocessing;

/// <summary>Removes each row's own mean: <c>y = x − mean(x)·1</c> (for image patches, a uniform change of brightness).</summary>
/// <remarks>
/// Not fitted. The map is the orthogonal projection onto the D − 1 dimensions orthogonal to the all-ones vector:
/// it discards one direction, so it is its own pseudo-inverse (<c>Inverse</c> returns the zero-mean
/// representative) and its <see cref="Transform.LogJacobian"/> on the kept subspace is 0. A whitening fitted after
/// it sees no variance along the all-ones direction: <see cref="PcaWhitening"/> drops it, and
/// <see cref="ZcaWhitening"/> keeps it with only ε as its variance (harmless, since nothing lies along it).
/// Arrays: <c>{step}.row-centering.columns</c> (shape [1], the row length D).
/// </remarks>
public sealed class RowCentering : Transform
{
    internal const string KindName = "row-centering";
    private readonly int _columns;

    /// <summary>Creates the map on rows of <paramref name="columns"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is below 2 (one value has nothing left once its mean is removed).</exception>
    public RowCentering(int columns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 2);
        _columns = columns;
    }

    /// <inheritdoc/>
    public override int InputCount => _columns;

    /// <inheritdoc/>
    public override int OutputCount => _columns;

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override double LogJacobian => 0;

    internal override bool Projects => true;

    internal override void ForwardRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch)
    {
        double sum = 0;
        for (int i = 0; i < _columns; i++) sum += x[i];
        double mean = sum / _columns;
        for (int i = 0; i < _columns; i++) y[i] = x[i] - mean;
    }

    internal override void InverseRow(ReadOnlySpan<double> y, Span<double> x, Span<double> scratch) => ForwardRow(y, x, scratch);

    internal override void LinearRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch) => ForwardRow(x, y, scratch);

    internal override void AddArrays(int step, List<TransformArray> arrays) =>
        arrays.Add(new TransformArray($"{step}.{KindName}.columns", [1], [_columns]));
}
