namespace RbmSimd.Preprocessing;

/// <summary>Column means, standard deviations and the covariance matrix of a set of rows, in double precision.</summary>
/// <remarks>
/// Two passes: the means first, then sums of centred values, which avoids the cancellation of the one-pass
/// formula <c>E[x²] − E[x]²</c>. The covariance is accumulated a block of <see cref="BlockRows"/> rows at a time:
/// the block is transposed (one centred column per contiguous run) and each entry <c>C_ij</c> gains the dot
/// product of columns <c>i</c> and <c>j</c>, so the D×D accumulator is swept once per block instead of once per row.
/// </remarks>
internal static class RowStatistics
{
    private const int BlockRows = 64;

    /// <summary>The mean of each column.</summary>
    public static double[] Means(RowReader reader)
    {
        var sum = new double[reader.Columns];
        for (int r = 0; r < reader.Rows; r++)
        {
            ReadOnlySpan<double> x = reader.Read(r);
            for (int j = 0; j < sum.Length; j++) sum[j] += x[j];
        }
        for (int j = 0; j < sum.Length; j++) sum[j] /= reader.Rows;
        return sum;
    }

    /// <summary>The population standard deviation of each column, <c>√(Σ(x − μ)²/N)</c> (numpy's <c>std</c> default).</summary>
    public static double[] PopulationStandardDeviations(RowReader reader, double[] mean)
    {
        var sum = new double[reader.Columns];
        for (int r = 0; r < reader.Rows; r++)
        {
            ReadOnlySpan<double> x = reader.Read(r);
            for (int j = 0; j < sum.Length; j++)
            {
                double d = x[j] - mean[j];
                sum[j] += d * d;
            }
        }
        for (int j = 0; j < sum.Length; j++) sum[j] = Math.Sqrt(sum[j] / reader.Rows);
        return sum;
    }

    /// <summary>The sample covariance <c>Σ(x − μ)(x − μ)ᵀ/(N − 1)</c> (numpy's <c>cov</c> default), D×D row-major, exactly symmetric.</summary>
    public static double[] Covariance(RowReader reader, double[] mean)
    {
        int d = reader.Columns, n = reader.Rows;
        var c = new double[(long)d * d];
        var block = new double[(long)d * BlockRows]; // column j of the block at [j * BlockRows, …)
        for (int start = 0; start < n; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, n - start);
            if (rows < BlockRows) Array.Clear(block); // missing rows contribute zero
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<double> x = reader.Read(start + r);
                for (int j = 0; j < d; j++) block[j * BlockRows + r] = x[j] - mean[j];
            }
            for (int i = 0; i < d; i++)
            {
                ReadOnlySpan<double> ci = block.AsSpan(i * BlockRows, BlockRows);
                for (int j = 0; j <= i; j++) c[(long)i * d + j] += Dot(ci, block.AsSpan(j * BlockRows, BlockRows));
            }
        }
        double divisor = n - 1;
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
                c[(long)j * d + i] = c[(long)i * d + j] /= divisor;
        return c;
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        y = y[..x.Length];
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k <= x.Length - 4; k += 4)
        {
            s0 += x[k] * y[k];
            s1 += x[k + 1] * y[k + 1];
            s2 += x[k + 2] * y[k + 2];
            s3 += x[k + 3] * y[k + 3];
        }
        for (; k < x.Length; k++) s0 += x[k] * y[k];
        return (s0 + s1) + (s2 + s3);
    }
}
