using System.Buffers;
using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Monitoring;

/// <summary>Whole-data-set measures of how well an RBM fits, for monitoring training.</summary>
public static class ModelMetrics
{
    private const int ChunkRows = 256;

    /// <summary>
    /// Mean squared error between the rows of <paramref name="visible"/> and their one-step
    /// mean-field reconstruction <c>P(v | P(h | v))</c>, averaged over rows and units.
    /// </summary>
    /// <exception cref="ArgumentException">The data has no rows or the wrong column count.</exception>
    public static double ReconstructionError(BernoulliRbm rbm, ReadOnlyMatrixView visible)
    {
        ArgumentNullException.ThrowIfNull(rbm);
        RequireData(rbm, visible);
        int chunk = Math.Min(ChunkRows, visible.Rows);
        float[] hidden = ArrayPool<float>.Shared.Rent(chunk * rbm.HiddenCount);
        float[] recon = ArrayPool<float>.Shared.Rent(chunk * rbm.VisibleCount);
        try
        {
            double sum = 0;
            for (int start = 0; start < visible.Rows; start += chunk)
            {
                int rows = Math.Min(chunk, visible.Rows - start);
                ReadOnlyMatrixView v = visible.SliceRows(start, rows);
                var h = new MatrixView(hidden, rows, rbm.HiddenCount);
                var r = new MatrixView(recon, rows, rbm.VisibleCount);
                rbm.MeanHiddens(v, h);
                rbm.MeanVisibles(h, r);
                for (int i = 0; i < rows; i++)
                {
                    ReadOnlySpan<float> x = v.Row(i), y = r.Row(i);
                    for (int j = 0; j < x.Length; j++)
                    {
                        double d = x[j] - y[j];
                        sum += d * d;
                    }
                }
            }
            return sum / ((double)visible.Rows * rbm.VisibleCount);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(hidden);
            ArrayPool<float>.Shared.Return(recon);
        }
    }

    /// <summary>The mean free energy F(v) over the rows of <paramref name="visible"/>.</summary>
    /// <exception cref="ArgumentException">The data has no rows or the wrong column count.</exception>
    public static double MeanFreeEnergy(BernoulliRbm rbm, ReadOnlyMatrixView visible)
    {
        ArgumentNullException.ThrowIfNull(rbm);
        RequireData(rbm, visible);
        double[] f = ArrayPool<double>.Shared.Rent(visible.Rows);
        try
        {
            rbm.FreeEnergy(visible, f.AsSpan(0, visible.Rows));
            double sum = 0;
            for (int i = 0; i < visible.Rows; i++) sum += f[i];
            return sum / visible.Rows;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(f);
        }
    }

    private static void RequireData(BernoulliRbm rbm, ReadOnlyMatrixView visible)
    {
        if (visible.Rows == 0) throw new ArgumentException("The data has no rows.", nameof(visible));
        if (visible.Cols != rbm.VisibleCount)
            throw new ArgumentException($"The data has {visible.Cols} columns but the model has {rbm.VisibleCount} visible units.", nameof(visible));
    }
}
