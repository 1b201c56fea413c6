using RbmSimd.Data;
using RbmSimd.Numerics;

namespace RbmSimd.Preprocessing;

/// <summary>
/// ZCA whitening: <c>y = Uᵀ diag(1/s) U (x − μ)</c> with the covariance's unit eigenvectors as the rows of
/// <c>U</c> and <c>s_j = √(λ_j + ε)</c>: whitened like PCA, then rotated back, so each output stays a
/// "pixel" that resembles its input (Bell and Sejnowski 1997). Every direction is kept.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Fit"/> eigendecomposes the sample covariance of the training rows (divisor N − 1); eigenvalues that
/// come out negative by rounding count as 0, so a singular covariance (after <see cref="RowCentering"/>, say)
/// needs ε &gt; 0. With ε = 0 the whitened training rows have the identity as covariance; with ε &gt; 0,
/// <c>Uᵀ diag(λ/(λ + ε)) U</c>.
/// </para>
/// <para>
/// The map is square and invertible: <c>Inverse</c> applies <c>Uᵀ diag(s) U</c>, and
/// <see cref="Transform.LogJacobian"/> is <c>log |det|</c> <c>= −Σ log s_j</c> (plus <c>log det(U Uᵀ)</c> for the
/// float-rounded components). The two D × D products are formed in double on first use (O(D³): about a
/// second at D = 784) and each row then costs one D × D product.
/// </para>
/// <para>
/// Arrays: <c>{step}.zca-whitening.mean</c> [D], <c>{step}.zca-whitening.components</c> [D, D] (rows are the
/// eigenvectors, in order of decreasing eigenvalue) and <c>{step}.zca-whitening.scale</c> [D].
/// </para>
/// </remarks>
public sealed class ZcaWhitening : Transform
{
    internal const string KindName = "zca-whitening";

    private readonly float[] _mean;
    private readonly float[] _components;
    private readonly float[] _scale;
    private double _logJacobian = double.NaN; // computed on first use; a double is written atomically
    private double[]? _forward;
    private double[]? _inverse;

    /// <summary>Creates the map from given parameters.</summary>
    /// <param name="mean">μ, D values.</param>
    /// <param name="components">D orthonormal rows of D values, row-major.</param>
    /// <param name="scale">D positive scales <c>s</c>.</param>
    /// <exception cref="ArgumentException">A length is wrong (the components must be square), a value is not finite, a scale is not positive, or the rows are not orthonormal (to 10⁻⁶).</exception>
    public ZcaWhitening(ReadOnlySpan<float> mean, ReadOnlySpan<float> components, ReadOnlySpan<float> scale)
    {
        if (scale.Length != mean.Length)
            throw new ArgumentException($"ZCA keeps every direction: {mean.Length} means need {mean.Length} scales, but {scale.Length} were given.", nameof(scale));
        Whitening.Validate(mean, components, scale);
        _mean = mean.ToArray();
        _components = components.ToArray();
        _scale = scale.ToArray();
    }

    /// <summary>Fits ZCA whitening to training rows.</summary>
    /// <param name="rows">The training rows (at least two).</param>
    /// <param name="epsilon">Added to every eigenvalue; finite and non-negative, and positive if the covariance is singular.</param>
    /// <param name="input">A transform the rows pass through (in double precision) before fitting, or null; the fitted map then acts on its outputs, so chain the two.</param>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">Fewer than two rows, no columns, a non-finite value, mismatched column counts, or a singular covariance with <paramref name="epsilon"/> = 0.</exception>
    public static ZcaWhitening Fit(IRowSource rows, double epsilon, Transform? input = null)
    {
        (double[] mean, SymmetricEigen eigen) = Whitening.FitCovariance(rows, input, epsilon);
        int d = eigen.Size;
        ReadOnlySpan<double> values = eigen.Values;
        var components = new float[d * d];
        var scale = new float[d];
        for (int j = 0; j < d; j++)
        {
            int index = d - 1 - j;
            Whitening.CopyVector(eigen, index, components.AsSpan(j * d, d));
            scale[j] = (float)Math.Sqrt(Math.Max(values[index], 0) + epsilon);
            if (!(scale[j] > 0))
                throw new ArgumentException($"The training rows have no variance along eigenvector {j} (the covariance is singular); give epsilon > 0.", nameof(rows));
        }
        return new ZcaWhitening(mean.Select(m => (float)m).ToArray(), components, scale);
    }

    /// <summary>The mean μ subtracted first (D values).</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>The eigenvectors as D rows of D values, row-major, in order of decreasing variance.</summary>
    public ReadOnlySpan<float> Components => _components;

    /// <summary>The scales <c>s_j = √(λ_j + ε)</c> (D values).</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <inheritdoc/>
    public override int InputCount => _mean.Length;

    /// <inheritdoc/>
    public override int OutputCount => _mean.Length;

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override double LogJacobian => double.IsNaN(_logJacobian) ? _logJacobian = ComputeLogJacobian() : _logJacobian;

    internal override bool Projects => false;

    private double ComputeLogJacobian()
    {
        double sum = 0;
        foreach (float s in _scale) sum -= Math.Log(s);
        return sum + 2 * Whitening.HalfLogDetGram(_components, OutputCount, InputCount);
    }

    /// <summary><c>Uᵀ diag(s^power) U</c> in double (power −1 for the forward map, +1 for the inverse).</summary>
    private double[] Product(int power)
    {
        int d = InputCount;
        var m = new double[(long)d * d];
        var weights = new double[d];
        for (int j = 0; j < d; j++) weights[j] = power < 0 ? 1.0 / _scale[j] : _scale[j];
        var column = new double[d];
        for (int a = 0; a < d; a++)
        {
            for (int j = 0; j < d; j++) column[j] = weights[j] * _components[j * d + a];
            for (int b = 0; b <= a; b++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += column[j] * _components[j * d + b];
                m[(long)a * d + b] = m[(long)b * d + a] = s;
            }
        }
        return m;
    }

    // Formed on first use; two threads may both form it, and either result is the same.
    private double[] ForwardProduct() => Volatile.Read(ref _forward) ?? Interlocked.CompareExchange(ref _forward, Product(-1), null) ?? _forward;

    private double[] InverseProduct() => Volatile.Read(ref _inverse) ?? Interlocked.CompareExchange(ref _inverse, Product(+1), null) ?? _inverse;

    private static void Multiply(double[] m, ReadOnlySpan<double> x, Span<double> y, int d)
    {
        for (int a = 0; a < d; a++)
        {
            ReadOnlySpan<double> row = m.AsSpan(a * d, d);
            double s0 = 0, s1 = 0;
            int i = 0;
            for (; i <= d - 2; i += 2)
            {
                s0 += row[i] * x[i];
                s1 += row[i + 1] * x[i + 1];
            }
            if (i < d) s0 += row[i] * x[i];
            y[a] = s0 + s1;
        }
    }

    internal override int ScratchLength => InputCount;

    internal override void ForwardRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch)
    {
        int d = InputCount;
        Span<double> centred = scratch[..d];
        for (int i = 0; i < d; i++) centred[i] = x[i] - _mean[i];
        Multiply(ForwardProduct(), centred, y, d);
    }

    internal override void InverseRow(ReadOnlySpan<double> y, Span<double> x, Span<double> scratch)
    {
        int d = InputCount;
        Multiply(InverseProduct(), y, x, d);
        for (int i = 0; i < d; i++) x[i] += _mean[i];
    }

    internal override void LinearRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch) =>
        Multiply(ForwardProduct(), x, y, InputCount);

    internal override void AddArrays(int step, List<TransformArray> arrays)
    {
        arrays.Add(new TransformArray($"{step}.{KindName}.mean", [InputCount], (float[])_mean.Clone()));
        arrays.Add(new TransformArray($"{step}.{KindName}.components", [InputCount, InputCount], (float[])_components.Clone()));
        arrays.Add(new TransformArray($"{step}.{KindName}.scale", [InputCount], (float[])_scale.Clone()));
    }
}
