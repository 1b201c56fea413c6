using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;

namespace RbmSimd.Cli.Pictures;

/// <summary>
/// How a model's visible vectors are shown in the data's own space: mapped back through the inverse of the data
/// transform the model was trained behind (whitened patches become patches again), and, for real-valued units,
/// each picture stretched from its own lowest value (black) to its highest (white).
/// </summary>
internal sealed class DataSpaceView(IRbm model, Transform? transform)
{
    /// <summary>Values per picture: the data's columns.</summary>
    public int Columns => transform?.InputCount ?? Generated;

    /// <summary>The model's generated visible units (all of them, but a conditional model's context).</summary>
    private int Generated => model.VisibleCount - model.ContextCount;

    /// <summary>Whether the pictures show real values (stretched per picture) rather than probabilities in [0, 1].</summary>
    public bool RealValued => model.VisibleUnits == VisibleUnitKind.Gaussian;

    /// <summary>
    /// What each hidden unit does to the visible layer, one row per unit: for Bernoulli units its weights
    /// <c>W[:, j]</c>; for Gaussian units the shift <c>σ⊙W[:, j]</c> it adds to the visible means, mapped to the data's
    /// space (the difference of the inverse transform at <c>a + σ⊙W[:, j]</c> and at <c>a</c>). A convolutional model's filters:
    /// one row of C·F·F weights per filter.
    /// </summary>
    public Matrix Filters()
    {
        if (model is ConvolutionalRbm conv)
        {
            // One row per filter, its C·F·F weights as stored: a convolutional filter is a patch, not a visible vector, so no
            // data transform maps it.
            var patches = new Matrix(conv.Shape.Filters, conv.Shape.PatchLength);
            conv.Filters.CopyTo(patches.AsSpan());
            return patches;
        }
        int nv = Generated, nh = model.HiddenCount;
        ReadOnlySpan<float> w = model.Parameters["W"].Span;
        var filters = new Matrix(nh, nv);
        bool gaussian = model.VisibleUnits == VisibleUnitKind.Gaussian;
        ReadOnlySpan<float> z = gaussian ? model.Parameters["log_variance"].Span : default;
        for (int j = 0; j < nh; j++)
            for (int i = 0; i < nv; i++)
                filters[j, i] = w[i * nh + j] * (gaussian ? MathF.Exp(0.5f * z[i]) : 1f);
        if (!gaussian || transform is null) return filters;
        ReadOnlySpan<float> a = model.Parameters["visible_bias"].Span;
        var shifted = new Matrix(nh, nv);
        var origin = new Matrix(1, nv);
        a.CopyTo(origin.Row(0));
        for (int j = 0; j < nh; j++)
            for (int i = 0; i < nv; i++) shifted[j, i] = a[i] + filters[j, i];
        Matrix data = ToDataSpace(shifted), centre = ToDataSpace(origin);
        for (int j = 0; j < nh; j++)
            for (int i = 0; i < data.Cols; i++) data[j, i] -= centre[0, i];
        return data;
    }

    /// <summary>Model-space rows mapped to the data's space.</summary>
    public Matrix ToDataSpace(ReadOnlyMatrixView rows)
    {
        if (transform is null) return Copy(rows);
        var data = new Matrix(rows.Rows, transform.InputCount);
        transform.Inverse(rows, data);
        return data;
    }

    /// <summary>Data rows mapped to the model's space.</summary>
    public Matrix ToModelSpace(ReadOnlyMatrixView rows)
    {
        if (transform is null) return Copy(rows);
        var mapped = new Matrix(rows.Rows, transform.OutputCount);
        transform.Forward(rows, mapped);
        return mapped;
    }

    /// <summary>Data rows as grey levels in [0, 1]: as they are for Bernoulli units, stretched per row for real values.</summary>
    public Matrix Displayable(ReadOnlyMatrixView rows)
    {
        Matrix shown = Copy(rows);
        if (!RealValued) return shown;
        for (int r = 0; r < shown.Rows; r++)
        {
            Span<float> row = shown.Row(r);
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            foreach (float v in row)
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
            float range = max - min;
            for (int i = 0; i < row.Length; i++) row[i] = range > 0 && float.IsFinite(range) ? (row[i] - min) / range : 0.5f;
        }
        return shown;
    }

    private static Matrix Copy(ReadOnlyMatrixView rows)
    {
        var m = new Matrix(rows.Rows, rows.Cols);
        for (int r = 0; r < rows.Rows; r++) rows.Row(r).CopyTo(m.Row(r));
        return m;
    }
}
