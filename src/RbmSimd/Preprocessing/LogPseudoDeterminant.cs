using RbmSimd.Numerics;

namespace RbmSimd.Preprocessing;

/// <summary>The sum of the logarithms of the non-zero singular values of a linear map given as a matrix.</summary>
/// <remarks>
/// The squared singular values are the eigenvalues of the Gram matrix <c>M Mᵀ</c> or <c>Mᵀ M</c> (whichever is
/// smaller). A Gram eigenvalue below <see cref="RelativeRankTolerance"/> times the largest counts as zero: forming
/// the Gram matrix in double leaves a true zero at about <c>n·2⁻⁵³</c> of the largest (below 10⁻¹³ for n ≤ 1000),
/// while a genuine direction of a whitening transform reaches that level only if the data's covariance has a
/// condition number near 10¹², which ε-regularised whitening rules out.
/// </remarks>
internal static class LogPseudoDeterminant
{
    /// <summary>Gram eigenvalues below this fraction of the largest are taken as zero (singular values below 10⁻⁶ of the largest).</summary>
    public const double RelativeRankTolerance = 1e-12;

    /// <summary>½ Σ log λ over the non-zero eigenvalues λ of the Gram matrix of <paramref name="m"/> (rows × cols, row-major).</summary>
    /// <returns>The log pseudo-determinant and the numerical rank.</returns>
    public static (double LogValue, int Rank) Compute(double[] m, int rows, int cols)
    {
        bool byRows = rows <= cols;
        int g = byRows ? rows : cols;
        var gram = new double[(long)g * g];
        for (int i = 0; i < g; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                if (byRows)
                    for (int k = 0; k < cols; k++) s += m[(long)i * cols + k] * m[(long)j * cols + k];
                else
                    for (int k = 0; k < rows; k++) s += m[(long)k * cols + i] * m[(long)k * cols + j];
                gram[(long)i * g + j] = gram[(long)j * g + i] = s;
            }
        ReadOnlySpan<double> values = SymmetricEigen.Decompose(gram, g).Values;
        if (g == 0 || !(values[g - 1] > 0)) return (double.NegativeInfinity, 0);
        double threshold = RelativeRankTolerance * values[g - 1];
        double sum = 0;
        int rank = 0;
        for (int i = 0; i < g; i++)
        {
            if (values[i] <= threshold) continue;
            sum += 0.5 * Math.Log(values[i]);
            rank++;
        }
        return (sum, rank);
    }
}
