using RbmSimd.Numerics;

namespace RbmSimd.Data;

/// <summary>
/// The bars-and-stripes data set (MacKay): n×n binary images in which either a subset of the rows
/// is on (horizontal bars) or a subset of the columns is on (vertical stripes).
/// </summary>
/// <remarks>
/// There are 2ⁿ row subsets and 2ⁿ column subsets, but the empty and the full image arise both
/// ways, so there are 2ⁿ⁺¹ − 2 distinct patterns. The ideal model puts probability
/// 1 / (2ⁿ⁺¹ − 2) on each, so the best achievable average log-likelihood of the data set is known
/// exactly (<see cref="OptimalLogLikelihood"/>), which makes it a standard test of RBM training.
/// </remarks>
public static class BarsAndStripes
{
    /// <summary>
    /// The largest side accepted: n = 16 already gives 131,070 patterns of 256 pixels (134 MB of
    /// float32); beyond that the set is no longer a small test problem.
    /// </summary>
    public const int MaxSize = 16;

    /// <summary>The number of distinct n×n patterns, 2ⁿ⁺¹ − 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is outside [1, <see cref="MaxSize"/>].</exception>
    public static int PatternCount(int n)
    {
        ValidateSize(n);
        return (2 << n) - 2;
    }

    /// <summary>
    /// The average log-likelihood (natural log) of the data set under the uniform distribution over
    /// its patterns, <c>−log(2ⁿ⁺¹ − 2)</c>: the maximum any model can reach on this data.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is outside [1, <see cref="MaxSize"/>].</exception>
    public static double OptimalLogLikelihood(int n) => -Math.Log(PatternCount(n));

    /// <summary>
    /// Every distinct n×n pattern once, as rows of n·n pixels (row-major, 0 or 1): first the
    /// 2ⁿ horizontal-bar patterns (row subsets, including empty and full), then the 2ⁿ − 2 vertical-stripe
    /// patterns that are neither empty nor full. Unlabelled; <see cref="Dataset.ImageWidth"/> and
    /// <see cref="Dataset.ImageHeight"/> are n.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is outside [1, <see cref="MaxSize"/>].</exception>
    public static Dataset Generate(int n)
    {
        int count = PatternCount(n);
        var features = new Matrix(count, n * n);
        int row = 0;
        for (int mask = 0; mask < 1 << n; mask++, row++)
        {
            Span<float> image = features.Row(row);
            for (int r = 0; r < n; r++)
                if ((mask >> r & 1) != 0) image.Slice(r * n, n).Fill(1f);
        }
        // Column masks 0 and 2ⁿ − 1 give the empty and full images, already listed as bars.
        for (int mask = 1; mask < (1 << n) - 1; mask++, row++)
        {
            Span<float> image = features.Row(row);
            for (int c = 0; c < n; c++)
                if ((mask >> c & 1) != 0)
                    for (int r = 0; r < n; r++) image[r * n + c] = 1f;
        }
        return Dataset.FromOwned(features, labels: null, n, n);
    }

    private static void ValidateSize(int n)
    {
        if (n < 1 || n > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"The side must be in [1, {MaxSize}].");
    }
}
