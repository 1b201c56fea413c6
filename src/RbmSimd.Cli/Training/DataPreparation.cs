using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;

namespace RbmSimd.Cli.Training;

/// <summary>The preprocessing <c>--preprocess</c> chooses for real-valued data.</summary>
internal enum PreprocessMode
{
    /// <summary>What the data set is known for: the natural patches' whitening, else standardisation.</summary>
    Auto,
    None,
    Standardize,
    Pca,
    Zca,
}

/// <summary>
/// How <c>rbm train</c> prepares data for the model: Bernoulli units take the data as it is; Gaussian units take it
/// through a transform fitted on the training rows (standardisation, PCA or ZCA whitening), which is stored with the
/// model so that sampling, pictures and scores map back to the data's own space.
/// </summary>
/// <param name="Visible">The visible units.</param>
/// <param name="Mode">The transform.</param>
/// <param name="WhitenEpsilon">ε added to the covariance's eigenvalues by PCA and ZCA whitening.</param>
/// <param name="RemoveRowMean">Subtract each row's mean first (as is usual for image patches); null: only for the natural patches.</param>
internal sealed record DataPreparation(VisibleUnitKind Visible, PreprocessMode Mode, double WhitenEpsilon, bool? RemoveRowMean)
{
    /// <summary>The standardisation's ε on the standard deviation: torch_gbrbm.py's value for pixels in [0, 1].</summary>
    public const double StandardizeEpsilon = 0.01;

    /// <summary>The default ε of PCA and ZCA whitening.</summary>
    public const double DefaultWhitenEpsilon = 1e-4;

    private const int Chunk = 1024;

    public static DataPreparation Bernoulli { get; } = new(VisibleUnitKind.Bernoulli, PreprocessMode.None, DefaultWhitenEpsilon, false);

    /// <summary>Fits the transform on <paramref name="data"/>'s training rows: null when the data goes in as it is.</summary>
    public Transform? Fit(LoadedData data)
    {
        if (Visible == VisibleUnitKind.Bernoulli) return null;
        int n = data.Columns;
        PreprocessMode mode = Mode;
        bool rowMean = RemoveRowMean ?? data.Kind == DataKind.Patches;
        var steps = new List<Transform>();
        if (Mode == PreprocessMode.Auto && data.Kind == DataKind.Patches)
        {
            // torch_gbrbm.py's preparation of the patches: grey levels to [0, 1], each patch's mean removed, PCA whitening.
            steps.Add(new Scaling(n, 255f));
            mode = PreprocessMode.Pca;
        }
        else if (mode == PreprocessMode.Auto)
        {
            mode = PreprocessMode.Standardize;
        }
        if (rowMean) steps.Add(new RowCentering(n));
        Transform? input = steps.Count == 0 ? null : steps.Count == 1 ? steps[0] : new TransformChain([.. steps]);
        switch (mode)
        {
            case PreprocessMode.Standardize: steps.Add(Standardization.Fit(data.Train, StandardizeEpsilon, input)); break;
            case PreprocessMode.Pca: steps.Add(PcaWhitening.Fit(data.Train, WhitenEpsilon, input: input)); break;
            case PreprocessMode.Zca: steps.Add(ZcaWhitening.Fit(data.Train, WhitenEpsilon, input)); break;
        }
        return steps.Count switch
        {
            0 => null,
            1 => steps[0],
            _ => new TransformChain([.. steps]),
        };
    }

    /// <summary>What the preparation does, for the run's banner.</summary>
    public static string Describe(Transform? transform) => transform is null ? "data as given" : transform.ToString();

    /// <summary>The rows of <paramref name="data"/> mapped through <paramref name="transform"/> (null: unchanged), computed once.</summary>
    public static LoadedData Apply(Transform? transform, LoadedData data)
    {
        if (transform is null) return data;
        return data with { Train = Map(transform, data.Train), HeldOut = data.HeldOut is null ? null : Map(transform, data.HeldOut) };
    }

    /// <summary>Every row through the transform, a chunk at a time, into one matrix.</summary>
    public static Dataset Map(Transform transform, IRowSource rows)
    {
        var output = new Matrix(rows.RowCount, transform.OutputCount);
        var input = new Matrix(Math.Max(1, Math.Min(Chunk, rows.RowCount)), rows.ColumnCount);
        for (int start = 0; start < rows.RowCount; start += Chunk)
        {
            int count = Math.Min(Chunk, rows.RowCount - start);
            for (int r = 0; r < count; r++) rows.CopyRow(start + r, input.Row(r));
            transform.Forward(input.AsReadOnlyView().SliceRows(0, count), output.AsView().SliceRows(start, count));
        }
        return new Dataset(output);
    }
}
