namespace RbmSimd.Data;

/// <summary>Per-column statistics of a row source, accumulated in double.</summary>
public static class ColumnStatistics
{
    /// <summary>The mean of each column (zeros for a source without rows).</summary>
    public static double[] Means<T>(in T data) where T : IRowSource, allows ref struct
    {
        var mean = new double[data.ColumnCount];
        if (data.RowCount == 0) return mean;
        var row = new float[data.ColumnCount];
        for (int r = 0; r < data.RowCount; r++)
        {
            data.CopyRow(r, row);
            for (int i = 0; i < row.Length; i++) mean[i] += row[i];
        }
        for (int i = 0; i < mean.Length; i++) mean[i] /= data.RowCount;
        return mean;
    }

    /// <summary>The mean and the population variance (divided by n) of each column, by Welford's update.</summary>
    public static (double[] Mean, double[] Variance) MeansAndVariances<T>(in T data) where T : IRowSource, allows ref struct
    {
        int n = data.ColumnCount;
        var mean = new double[n];
        var m2 = new double[n];
        var row = new float[n];
        for (int r = 0; r < data.RowCount; r++)
        {
            data.CopyRow(r, row);
            for (int i = 0; i < n; i++)
            {
                double delta = row[i] - mean[i];
                mean[i] += delta / (r + 1);
                m2[i] += delta * (row[i] - mean[i]);
            }
        }
        if (data.RowCount > 0)
            for (int i = 0; i < n; i++) m2[i] /= data.RowCount;
        return (mean, m2);
    }
}
