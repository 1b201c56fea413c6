using RbmSimd.Data;
using RbmSimd.Numerics;

namespace RbmSimd.Preprocessing;

/// <summary>
/// PCA whitening: <c>y_j = u_j·(x − μ) / s_j</c> for the kept principal directions <c>u_j</c> (unit vectors), with
/// <c>s_j = √(λ_j + ε)</c>; directions of negligible variance are dropped, so <see cref="Transform.OutputCount"/>
/// may be below <see cref="Transform.InputCount"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Fit"/> eigendecomposes the sample covariance of the training rows (divisor N − 1, numpy's
/// <c>cov</c> default) and keeps the directions with eigenvalue <c>λ &gt; dropThreshold · λ_max</c>, in order of
/// decreasing eigenvalue, each with its largest entry positive (numpy's <c>eigh</c> fixes neither order nor
/// sign, so components can come out permuted or negated relative to another library's). With ε = 0 the
/// whitened training rows have the identity as covariance; with ε &gt; 0 direction j has variance
/// <c>λ_j/(λ_j + ε)</c>, which damps the noisy low-variance directions. <c>shared/bench/torch_gbrbm.py</c> whitens
/// natural patches with ε = 10⁻⁴ and a drop threshold of 10⁻⁸ (the default here).
/// </para>
/// <para>
/// The map projects out the dropped directions: <c>Inverse</c> returns <c>μ + Σ_j u_j s_j y_j</c>, the point of
/// the kept subspace, and <see cref="Transform.LogJacobian"/> is the volume factor on that subspace,
/// <c>−Σ log s_j</c> (plus <c>½ log det(U Uᵀ)</c> for the float-rounded components, below 10⁻⁵ in magnitude).
/// </para>
/// <para>
/// Arrays: <c>{step}.pca-whitening.mean</c> [D], <c>{step}.pca-whitening.components</c> [k, D] (row j is
/// <c>u_j</c>) and <c>{step}.pca-whitening.scale</c> [k] (<c>s</c>).
/// </para>
/// </remarks>
public sealed class PcaWhitening : Transform
{
    internal const string KindName = "pca-whitening";

    /// <summary>The default relative eigenvalue below which a direction is dropped (torch_gbrbm.py's 10⁻⁸).</summary>
    public const double DefaultDropThreshold = 1e-8;

    private readonly float[] _mean;
    private readonly float[] _components;
    private readonly float[] _scale;
    private double _logJacobian = double.NaN; // computed on first use; a double is written atomically

    /// <summary>Creates the map from given parameters.</summary>
    /// <param name="mean">μ, D values.</param>
    /// <param name="components">k orthonormal rows of D values, row-major.</param>
    /// <param name="scale">k positive scales <c>s</c>.</param>
    /// <exception cref="ArgumentException">A length is wrong, a value is not finite, a scale is not positive, or the component rows are not orthonormal (to 10⁻⁶).</exception>
    public PcaWhitening(ReadOnlySpan<float> mean, ReadOnlySpan<float> components, ReadOnlySpan<float> scale)
    {
        Whitening.Validate(mean, components, scale);
        _mean = mean.ToArray();
        _components = components.ToArray();
        _scale = scale.ToArray();
    }

    /// <summary>Fits PCA whitening to training rows.</summary>
    /// <param name="rows">The training rows (at least two).</param>
    /// <param name="epsilon">Added to each kept eigenvalue; finite and non-negative.</param>
    /// <param name="dropThreshold">Directions with eigenvalue at most this fraction of the largest are dropped; in [0, 1).</param>
    /// <param name="input">A transform the rows pass through (in double precision) before fitting, or null; the fitted map then acts on its outputs, so chain the two.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> or <paramref name="dropThreshold"/> is out of range.</exception>
    /// <exception cref="ArgumentException">Fewer than two rows, no columns, a non-finite value, mismatched column counts, or rows with no variance at all.</exception>
    public static PcaWhitening Fit(IRowSource rows, double epsilon, double dropThreshold = DefaultDropThreshold, Transform? input = null)
    {
        if (!(dropThreshold >= 0 && dropThreshold < 1))
            throw new ArgumentOutOfRangeException(nameof(dropThreshold), dropThreshold, "The drop threshold must be in [0, 1).");
        (double[] mean, SymmetricEigen eigen) = Whitening.FitCovariance(rows, input, epsilon);
        int d = eigen.Size;
        ReadOnlySpan<double> values = eigen.Values;
        double largest = values[d - 1];
        if (!(largest > 0)) throw new ArgumentException("The training rows have no variance in any direction; there is nothing to whiten.", nameof(rows));
        int k = 0;
        while (k < d && values[d - 1 - k] > dropThreshold * largest) k++;
        var components = new float[k * d];
        var scale = new float[k];
        for (int j = 0; j < k; j++)
        {
            int index = d - 1 - j; // decreasing eigenvalue
            Whitening.CopyVector(eigen, index, components.AsSpan(j * d, d));
            scale[j] = (float)Math.Sqrt(values[index] + epsilon);
        }
        return new PcaWhitening(mean.Select(m => (float)m).ToArray(), components, scale);
    }

    /// <summary>The mean μ subtracted first (D values).</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>The kept unit directions as k rows of D values, row-major, in order of decreasing variance.</summary>
    public ReadOnlySpan<float> Components => _components;

    /// <summary>The scales <c>s_j = √(λ_j + ε)</c> (k values).</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <inheritdoc/>
    public override int InputCount => _mean.Length;

    /// <inheritdoc/>
    public override int OutputCount => _scale.Length;

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override double LogJacobian => double.IsNaN(_logJacobian) ? _logJacobian = ComputeLogJacobian() : _logJacobian;

    internal override bool Projects => OutputCount < InputCount;

    private double ComputeLogJacobian()
    {
        double sum = 0;
        foreach (float s in _scale) sum -= Math.Log(s);
        return sum + Whitening.HalfLogDetGram(_components, OutputCount, InputCount);
    }

    internal override void ForwardRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch)
    {
        int d = InputCount;
        for (int j = 0; j < _scale.Length; j++)
        {
            ReadOnlySpan<float> u = _components.AsSpan(j * d, d);
            double s0 = 0, s1 = 0;
            int i = 0;
            for (; i <= d - 2; i += 2)
            {
                s0 += u[i] * (x[i] - _mean[i]);
                s1 += u[i + 1] * (x[i + 1] - _mean[i + 1]);
            }
            if (i < d) s0 += u[i] * (x[i] - _mean[i]);
            y[j] = (s0 + s1) / _scale[j];
        }
    }

    internal override void InverseRow(ReadOnlySpan<double> y, Span<double> x, Span<double> scratch)
    {
        int d = InputCount;
        for (int i = 0; i < d; i++) x[i] = 0;
        for (int j = 0; j < _scale.Length; j++)
        {
            double a = y[j] * _scale[j];
            ReadOnlySpan<float> u = _components.AsSpan(j * d, d);
            for (int i = 0; i < d; i++) x[i] += a * u[i];
        }
        for (int i = 0; i < d; i++) x[i] += _mean[i];
    }

    internal override void LinearRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch)
    {
        int d = InputCount;
        for (int j = 0; j < _scale.Length; j++)
        {
            ReadOnlySpan<float> u = _components.AsSpan(j * d, d);
            double s = 0;
            for (int i = 0; i < d; i++) s += u[i] * x[i];
            y[j] = s / _scale[j];
        }
    }

    internal override void AddArrays(int step, List<TransformArray> arrays)
    {
        arrays.Add(new TransformArray($"{step}.{KindName}.mean", [InputCount], (float[])_mean.Clone()));
        arrays.Add(new TransformArray($"{step}.{KindName}.components", [OutputCount, InputCount], (float[])_components.Clone()));
        arrays.Add(new TransformArray($"{step}.{KindName}.scale", [OutputCount], (float[])_scale.Clone()));
    }
}
