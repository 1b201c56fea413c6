using RbmSimd.Numerics;

namespace RbmSimd.Model;

/// <summary>
/// The two phases of one training step, stacked row-wise so that one product gives the weight statistics:
/// rows 0 … <see cref="DataRows"/>−1 hold the data (positive phase), the following rows the model's
/// samples (negative phase).
/// </summary>
/// <remarks>
/// <c>Visible = [V⁰ ; Vᵏ]</c> and <c>Hidden = [H⁰ ; Hᵏ]</c>, where H holds hidden means P(h = 1 | v) (or any
/// statistic the gradient should weight the visible rows by, such as means shifted by a sparsity penalty).
/// <see cref="IRbm.ComputeGradient"/> may overwrite both buffers.
/// </remarks>
public readonly ref struct PhaseBatch
{
    /// <summary>Creates the stacked phases.</summary>
    /// <exception cref="ArgumentException">The buffers' row counts differ, or the split leaves a phase empty.</exception>
    public PhaseBatch(MatrixView visible, MatrixView hidden, int dataRows)
    {
        if (visible.Rows != hidden.Rows)
            throw new ArgumentException($"The visible rows ({visible.Rows}) and hidden rows ({hidden.Rows}) must match.", nameof(hidden));
        if (dataRows < 1 || dataRows >= visible.Rows)
            throw new ArgumentOutOfRangeException(nameof(dataRows), dataRows, $"Both phases need rows: {visible.Rows} rows in all, {dataRows} of data.");
        Visible = visible;
        Hidden = hidden;
        DataRows = dataRows;
    }

    /// <summary>[V⁰ ; Vᵏ]: the data rows, then the model's visible samples.</summary>
    public MatrixView Visible { get; }

    /// <summary>[H⁰ ; Hᵏ]: hidden means for each visible row.</summary>
    public MatrixView Hidden { get; }

    /// <summary>The number of data rows (B).</summary>
    public int DataRows { get; }

    /// <summary>The number of model rows (chains, C).</summary>
    public int ModelRows => Visible.Rows - DataRows;

    /// <summary>V⁰.</summary>
    public MatrixView DataVisible => Visible.SliceRows(0, DataRows);

    /// <summary>H⁰.</summary>
    public MatrixView DataHidden => Hidden.SliceRows(0, DataRows);

    /// <summary>Vᵏ.</summary>
    public MatrixView ModelVisible => Visible.SliceRows(DataRows, ModelRows);

    /// <summary>Hᵏ.</summary>
    public MatrixView ModelHidden => Hidden.SliceRows(DataRows, ModelRows);
}
