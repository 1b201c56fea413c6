using System.Buffers;
using System.Numerics.Tensors;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Monitoring;

/// <summary>Whole-data-set measures of how well an RBM fits, for monitoring training.</summary>
public static class ModelMetrics
{
    private const int ChunkRows = 256;

    /// <summary>
    /// Mean squared error between the rows of <paramref name="visible"/> and their one-step
    /// mean-field reconstruction <c>P(v | P(h | v))</c>, averaged over rows and units (for a conditional model, over the
    /// generated units: its context is given, not reconstructed).
    /// </summary>
    /// <exception cref="ArgumentException">The data has no rows or the wrong column count.</exception>
    public static double ReconstructionError(IRbm rbm, ReadOnlyMatrixView visible) =>
        Evaluate(rbm, new MatrixRows(visible), visible.Rows).ReconstructionError;

    /// <summary>The mean free energy F(v) over the rows of <paramref name="visible"/>.</summary>
    /// <exception cref="ArgumentException">The data has no rows or the wrong column count.</exception>
    public static double MeanFreeEnergy(IRbm rbm, ReadOnlyMatrixView visible) =>
        Evaluate(rbm, new MatrixRows(visible), visible.Rows).MeanFreeEnergy;

    /// <summary>Both measures over the first <paramref name="rows"/> rows of a row source (−1: all), in one pass.</summary>
    /// <exception cref="ArgumentException">The data has no rows or the wrong column count.</exception>
    public static DataFit Evaluate(IRbm rbm, IRowSource visible, int rows = -1, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(visible);
        return Evaluate<IRowSource>(rbm, visible, rows < 0 ? visible.RowCount : Math.Min(rows, visible.RowCount), maxDegreeOfParallelism);
    }

    /// <summary>Reconstruction error and mean free energy of the first <paramref name="rows"/> rows, decoded a chunk at a time.</summary>
    internal static DataFit Evaluate<T>(IRbm rbm, in T visible, int rows, int maxDegreeOfParallelism = 1)
        where T : IRowSource, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(rbm);
        if (rows == 0) throw new ArgumentException("The data has no rows.", nameof(visible));
        if (visible.ColumnCount != rbm.VisibleCount)
            throw new ArgumentException($"The data has {visible.ColumnCount} columns but the model has {rbm.VisibleCount} visible units.", nameof(visible));
        int nv = rbm.VisibleCount, nh = rbm.HiddenCount, generated = nv - rbm.ContextCount;
        int chunk = Math.Min(ChunkRows, rows);
        float[] rowBuffer = ArrayPool<float>.Shared.Rent(chunk * nv);
        float[] hidden = ArrayPool<float>.Shared.Rent(chunk * nh);
        float[] recon = ArrayPool<float>.Shared.Rent(chunk * nv);
        double[] energies = ArrayPool<double>.Shared.Rent(chunk);
        try
        {
            double squaredError = 0, freeEnergy = 0;
            for (int start = 0; start < rows; start += chunk)
            {
                int count = Math.Min(chunk, rows - start);
                var v = new MatrixView(rowBuffer, count, nv);
                for (int r = 0; r < count; r++) visible.CopyRow(start + r, v.Row(r));
                var h = new MatrixView(hidden, count, nh);
                rbm.FreeEnergy(v, energies.AsSpan(0, count), Temperature.One, maxDegreeOfParallelism);
                for (int r = 0; r < count; r++) freeEnergy += energies[r];
                rbm.MeanHiddens(v, h, Temperature.One, maxDegreeOfParallelism);
                var rv = new MatrixView(recon, count, nv);
                // A conditional model reads its context from the destination rows.
                if (rbm.ContextCount > 0)
                    for (int r = 0; r < count; r++) v.Row(r).CopyTo(rv.Row(r));
                rbm.MeanVisibles(h, rv, Temperature.One, maxDegreeOfParallelism);
                for (int r = 0; r < count; r++)
                {
                    ReadOnlySpan<float> a = v.Row(r)[..generated], b = rv.Row(r)[..generated];
                    for (int j = 0; j < a.Length; j++)
                    {
                        double d = a[j] - b[j];
                        squaredError += d * d;
                    }
                }
            }
            return new DataFit(squaredError / ((double)rows * generated), freeEnergy / rows);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rowBuffer);
            ArrayPool<float>.Shared.Return(hidden);
            ArrayPool<float>.Shared.Return(recon);
            ArrayPool<double>.Shared.Return(energies);
        }
    }
}
