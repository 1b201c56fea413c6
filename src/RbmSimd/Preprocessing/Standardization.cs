using RbmSimd.Data;

namespace RbmSimd.Preprocessing;

/// <summary>Standardises each column: <c>y_j = (x_j − μ_j) / s_j</c> with <c>s_j = σ_j + ε</c>.</summary>
/// <remarks>
/// <see cref="Fit"/> takes <c>μ</c> and the population standard deviation <c>σ</c> (divisor N, numpy's
/// <c>std</c> default) of the training rows; <c>shared/bench/torch_gbrbm.py</c> prepares Fashion-MNIST with
/// ε = 10⁻², which keeps constant border pixels finite. <see cref="Transform.LogJacobian"/> is <c>−Σ log s_j</c>.
/// Arrays: <c>{step}.standardization.mean</c> and <c>{step}.standardization.scale</c> (shape [D] each; scale is
/// <c>s</c>).
/// </remarks>
public sealed class Standardization : Transform
{
    internal const string KindName = "standardization";
    private readonly float[] _mean;
    private readonly float[] _scale;
    private readonly double _logJacobian;

    /// <summary>Creates the map from given means and scales.</summary>
    /// <exception cref="ArgumentException">The spans are empty or differ in length, a mean is not finite, or a scale is not finite and positive.</exception>
    public Standardization(ReadOnlySpan<float> mean, ReadOnlySpan<float> scale)
    {
        if (mean.IsEmpty) throw new ArgumentException("At least one column is needed.", nameof(mean));
        if (scale.Length != mean.Length) throw new ArgumentException($"Scale holds {scale.Length} values but mean holds {mean.Length}.", nameof(scale));
        for (int j = 0; j < mean.Length; j++)
        {
            if (!float.IsFinite(mean[j])) throw new ArgumentException($"Mean {j} is {mean[j]}; it must be finite.", nameof(mean));
            if (!(float.IsFinite(scale[j]) && scale[j] > 0)) throw new ArgumentException($"Scale {j} is {scale[j]}; it must be finite and positive.", nameof(scale));
        }
        _mean = mean.ToArray();
        _scale = scale.ToArray();
        double sum = 0;
        foreach (float s in _scale) sum += Math.Log(s);
        _logJacobian = -sum;
    }

    /// <summary>Fits the means and scales to training rows.</summary>
    /// <param name="rows">The training rows (at least one).</param>
    /// <param name="epsilon">Added to each standard deviation; finite and non-negative. With 0, a constant column is an error.</param>
    /// <param name="input">A transform the rows pass through (in double precision) before fitting, or null; the fitted map then acts on its outputs, so chain the two.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">There are no rows or no columns, a value is not finite, the column counts disagree, or a column is constant while <paramref name="epsilon"/> is 0.</exception>
    public static Standardization Fit(IRowSource rows, double epsilon = 0, Transform? input = null)
    {
        if (!(epsilon >= 0 && double.IsFinite(epsilon))) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and non-negative.");
        using var reader = new RowReader(rows, input, nameof(rows));
        if (reader.Rows < 1 || reader.Columns < 1) throw new ArgumentException($"Fitting needs at least one row and one column; the rows are {reader.Rows}x{reader.Columns}.", nameof(rows));
        double[] mean = RowStatistics.Means(reader);
        double[] sd = RowStatistics.PopulationStandardDeviations(reader, mean);
        var m = new float[mean.Length];
        var s = new float[mean.Length];
        for (int j = 0; j < m.Length; j++)
        {
            m[j] = (float)mean[j];
            s[j] = (float)(sd[j] + epsilon);
            if (!(s[j] > 0)) throw new ArgumentException($"Column {j} is constant in the training rows; give epsilon > 0 to standardise it.", nameof(rows));
        }
        return new Standardization(m, s);
    }

    /// <summary>The column means <c>μ</c>.</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>The column scales <c>s = σ + ε</c>.</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <inheritdoc/>
    public override int InputCount => _mean.Length;

    /// <inheritdoc/>
    public override int OutputCount => _mean.Length;

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override double LogJacobian => _logJacobian;

    internal override bool Projects => false;

    internal override void ForwardRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch)
    {
        for (int j = 0; j < _mean.Length; j++) y[j] = (x[j] - _mean[j]) / _scale[j];
    }

    internal override void InverseRow(ReadOnlySpan<double> y, Span<double> x, Span<double> scratch)
    {
        for (int j = 0; j < _mean.Length; j++) x[j] = _mean[j] + y[j] * (double)_scale[j];
    }

    internal override void LinearRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch)
    {
        for (int j = 0; j < _mean.Length; j++) y[j] = x[j] / _scale[j];
    }

    internal override void AddArrays(int step, List<TransformArray> arrays)
    {
        arrays.Add(new TransformArray($"{step}.{KindName}.mean", [_mean.Length], (float[])_mean.Clone()));
        arrays.Add(new TransformArray($"{step}.{KindName}.scale", [_scale.Length], (float[])_scale.Clone()));
    }
}
