using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;

namespace RbmSimd.Cli.Pictures;

/// <summary>Where <see cref="TrainingPictures.WriteAll"/> put its pictures.</summary>
/// <param name="Filters">The filters picture (<c>filters.png</c>).</param>
/// <param name="Samples">The samples picture (<c>samples.png</c>).</param>
/// <param name="Curves">The learning curves (<c>curves.png</c>).</param>
public sealed record TrainingPicturePaths(string Filters, string Samples, string Curves);

/// <summary>The three pictures of a training run, for <c>rbm train</c> to write into its output folder at the end.</summary>
public static class TrainingPictures
{
    /// <summary>Model samples (and data examples) shown in <c>samples.png</c> by default: a 6×6 block of each.</summary>
    public const int DefaultSampleCount = 36;

    /// <summary>Gibbs steps behind each sample by default.</summary>
    public const int DefaultGibbsSteps = 1000;

    /// <summary>
    /// Writes <c>filters.png</c>, <c>samples.png</c> and <c>curves.png</c> into <paramref name="folder"/> (created if
    /// missing), each atomically.
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="folder">The run's output folder.</param>
    /// <param name="metricsCsvPath">The run's <c>metrics.csv</c> (header plus one row per epoch).</param>
    /// <param name="examples">
    /// Data rows (training data, e.g. <see cref="Dataset"/> or <see cref="ByteDataset"/>): <paramref name="sampleCount"/>
    /// of them, spread evenly, are shown above the samples and start the chains. Null: chains start from random
    /// coin flips and no examples are shown.
    /// </param>
    /// <param name="imageWidth">Image width of a row (0: unknown).</param>
    /// <param name="imageHeight">Image height of a row (0: unknown). When width × height is not nv, a square is used when nv
    /// is a perfect square, and otherwise the units are laid out row by row in a padded near-square, so pictures never fail for non-image data.</param>
    /// <param name="seed">Seed of the Gibbs chains.</param>
    /// <param name="sampleCount">Chains to run and show.</param>
    /// <param name="gibbsSteps">Full Gibbs steps v → h → v per chain.</param>
    /// <param name="transform">
    /// The data transform the model was trained behind, or null. The examples are then data rows (mapped through it to
    /// start the chains) and the samples and filters are drawn back in the data's space.
    /// </param>
    /// <returns>The three paths written.</returns>
    /// <exception cref="ArgumentException">The examples' width differs from the model's visible count, or a count is out of range.</exception>
    /// <exception cref="FileNotFoundException">The metrics file does not exist.</exception>
    /// <exception cref="InvalidDataException">The metrics file is malformed.</exception>
    /// <exception cref="IOException">A file could not be written; existing pictures are unchanged.</exception>
    public static TrainingPicturePaths WriteAll(
        IRbm model, string folder, string metricsCsvPath, IRowSource? examples, int imageWidth, int imageHeight, ulong seed,
        int sampleCount = DefaultSampleCount, int gibbsSteps = DefaultGibbsSteps, Transform? transform = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(metricsCsvPath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gibbsSteps);
        var view = new DataSpaceView(model, transform);
        // A conditional model's examples are rows [v | u] in the model's space: its chains run given their contexts.
        bool conditional = model.ContextCount > 0;
        if (conditional && examples is not null && examples.ColumnCount != model.VisibleCount)
            throw new ArgumentException($"The examples have {examples.ColumnCount} columns but the conditional model takes {model.VisibleCount}.", nameof(examples));
        if (!conditional && examples is not null && examples.ColumnCount != view.Columns)
            throw new ArgumentException($"The examples have {examples.ColumnCount} columns but the model takes {view.Columns}.", nameof(examples));
        // Read the metrics first: a bad metrics file should fail before any picture is replaced.
        IReadOnlyList<MetricsRow> metrics = MetricsTable.Load(metricsCsvPath);
        Directory.CreateDirectory(folder);
        var paths = new TrainingPicturePaths(Path.Combine(folder, "filters.png"), Path.Combine(folder, "samples.png"), Path.Combine(folder, "curves.png"));
        ImageShape shape = ImageShape.ResolveOrPad(view.Columns, imageWidth, imageHeight);

        FilterImage.Write(model, paths.Filters, shape, transform);

        bool fromData = examples is not null && examples.RowCount > 0;
        if (conditional)
        {
            if (!fromData) throw new ArgumentException("A conditional model's samples need rows whose contexts they are drawn given.", nameof(examples));
            Matrix rows = ChainSampler.DataStarts(examples!, sampleCount);
            ChainSamples given = ChainSampler.Run(model, rows, gibbsSteps, seed);
            Matrix truth = view.Displayable(view.ToDataSpace(ChainSampler.Frames(rows, model))), drawn = view.Displayable(view.ToDataSpace(ChainSampler.Frames(given.Probabilities, model)));
            SampleGridImage.Render(drawn, shape, truth, sampleCaption: SampleGridImage.SamplesCaption(gibbsSteps) + " given each row's context",
                exampleCaption: "data rows (their frames)").SavePng(paths.Samples);
            RbmSimd.IO.AtomicFile.Write(paths.Curves, stream => CurvesImage.EncodePng(metrics, stream));
            return paths;
        }
        Matrix? dataStarts = fromData ? ChainSampler.DataStarts(examples!, sampleCount) : null;
        Matrix starts = dataStarts is not null ? view.ToModelSpace(dataStarts)
            : model.VisibleUnits == VisibleUnitKind.Bernoulli ? ChainSampler.RandomStarts(sampleCount, model.VisibleCount, seed)
            : ChainSampler.BiasStarts(model, sampleCount);
        ChainSamples chains = ChainSampler.Run(model, starts, gibbsSteps, seed);
        Matrix samples = view.Displayable(view.ToDataSpace(chains.Probabilities));
        ReadOnlyMatrixView shownExamples = dataStarts is null ? default : view.Displayable(dataStarts).AsReadOnlyView();
        SampleGridImage.Render(samples, shape, shownExamples,
            sampleCaption: SampleGridImage.SamplesCaption(gibbsSteps), exampleCaption: SampleGridImage.StartsCaption).SavePng(paths.Samples);

        RbmSimd.IO.AtomicFile.Write(paths.Curves, stream => CurvesImage.EncodePng(metrics, stream));
        return paths;
    }
}
