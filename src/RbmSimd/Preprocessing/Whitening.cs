using RbmSimd.Data;
using RbmSimd.Numerics;

namespace RbmSimd.Preprocessing;

/// <summary>What PCA and ZCA whitening share: the covariance eigendecomposition of the training rows, and checks of stored components.</summary>
internal static class Whitening
{
    /// <summary>
    /// How far the Gram matrix of stored components may be from the identity. Rounding orthonormal rows to float
    /// moves each inner product by at most about 2⁻²³·(1 + D·2⁻²⁴) ≈ 1.2·10⁻⁷, so 10⁻⁶ accepts every fitted
    /// transform and rejects components that are not orthonormal.
    /// </summary>
    public const double OrthonormalTolerance = 1e-6;

    /// <summary>The column means and the eigendecomposition of the sample covariance (divisor N − 1) of the rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative, NaN or infinite.</exception>
    /// <exception cref="ArgumentException">Fewer than two rows, no columns, a non-finite value, or mismatched column counts.</exception>
    public static (double[] Mean, SymmetricEigen Eigen) FitCovariance(IRowSource rows, Transform? input, double epsilon)
    {
        if (!(epsilon >= 0 && double.IsFinite(epsilon))) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and non-negative.");
        using var reader = new RowReader(rows, input, nameof(rows));
        if (reader.Rows < 2 || reader.Columns < 1)
            throw new ArgumentException($"Whitening needs at least two rows and one column to estimate a covariance; the rows are {reader.Rows}x{reader.Columns}.", nameof(rows));
        double[] mean = RowStatistics.Means(reader);
        double[] covariance = RowStatistics.Covariance(reader, mean);
        return (mean, SymmetricEigen.Decompose(covariance, reader.Columns));
    }

    /// <summary>Checks mean, components (k × D, row-major) and scales, as given to a whitening constructor.</summary>
    /// <exception cref="ArgumentException">A length is wrong, a value is not finite, a scale is not positive, or the component rows are not orthonormal.</exception>
    public static void Validate(ReadOnlySpan<float> mean, ReadOnlySpan<float> components, ReadOnlySpan<float> scale)
    {
        int d = mean.Length, k = scale.Length;
        if (d == 0) throw new ArgumentException("At least one column is needed.", nameof(mean));
        if (k == 0) throw new ArgumentException("At least one component is needed.", nameof(scale));
        if (components.Length != (long)k * d)
            throw new ArgumentException($"{k} components of {d} values need {(long)k * d} floats but {components.Length} were given.", nameof(components));
        for (int i = 0; i < d; i++)
            if (!float.IsFinite(mean[i])) throw new ArgumentException($"Mean {i} is {mean[i]}; it must be finite.", nameof(mean));
        for (int j = 0; j < k; j++)
            if (!(float.IsFinite(scale[j]) && scale[j] > 0)) throw new ArgumentException($"Scale {j} is {scale[j]}; it must be finite and positive.", nameof(scale));
        for (int i = 0; i < components.Length; i++)
            if (!float.IsFinite(components[i])) throw new ArgumentException($"Component entry {i} is {components[i]}; it must be finite.", nameof(components));
        for (int a = 0; a < k; a++)
            for (int b = 0; b <= a; b++)
            {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += (double)components[a * d + i] * components[b * d + i];
                if (Math.Abs(dot - (a == b ? 1 : 0)) > OrthonormalTolerance)
                    throw new ArgumentException($"The components must be orthonormal rows, but rows {a} and {b} have inner product {dot:G9}.", nameof(components));
            }
    }

    /// <summary><c>½ log det(U Uᵀ)</c> for the stored components U (k × D): the volume factor of U itself, within about k·10⁻⁷ of 0.</summary>
    public static double HalfLogDetGram(float[] components, int k, int d)
    {
        var u = new double[components.Length];
        for (int i = 0; i < u.Length; i++) u[i] = components[i];
        (double value, int rank) = LogPseudoDeterminant.Compute(u, k, d);
        return rank == k ? value : double.NegativeInfinity; // unreachable for validated components
    }

    /// <summary>Copies an eigenvector into a float row.</summary>
    public static void CopyVector(SymmetricEigen eigen, int index, Span<float> destination)
    {
        ReadOnlySpan<double> v = eigen.Vector(index);
        for (int i = 0; i < v.Length; i++) destination[i] = (float)v[i];
    }
}
