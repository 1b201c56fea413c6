using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Data;

/// <summary>
/// A data set for training: one example per row of <see cref="Features"/>, optional integer labels,
/// and, for images, the width and height that the features are a row-major raster of.
/// </summary>
/// <remarks>
/// Loaders in this namespace (<see cref="Digits"/>, <see cref="BarsAndStripes"/>, <see cref="CsvData"/>)
/// guarantee features in [0, 1], as Bernoulli visible units need. The data set owns
/// <see cref="Features"/>; methods such as <see cref="Split"/> and <see cref="Binarize"/> return new
/// data sets and leave this one unchanged.
/// </remarks>
public sealed class Dataset : IRowSource
{
    private readonly int[]? _labels;

    /// <summary>Creates a data set that takes ownership of <paramref name="features"/> (not copied) and copies the labels.</summary>
    /// <param name="features">One example per row.</param>
    /// <param name="labels">One non-negative label per row, or <see langword="null"/> for unlabelled data.</param>
    /// <param name="imageWidth">Image width in pixels, or 0 when the features are not an image.</param>
    /// <param name="imageHeight">Image height in pixels, or 0 when the features are not an image.</param>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The label count differs from the row count, a label is negative, or width × height differs from the column count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or only one of them is zero.</exception>
    public Dataset(Matrix features, int[]? labels = null, int imageWidth = 0, int imageHeight = 0)
        : this(features, (int[]?)labels?.Clone(), imageWidth, imageHeight, validate: true)
    {
    }

    private Dataset(Matrix features, int[]? labels, int imageWidth, int imageHeight, bool validate)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (validate)
        {
            if (labels is not null)
            {
                if (labels.Length != features.Rows)
                    throw new ArgumentException($"{labels.Length} labels were given for {features.Rows} rows.", nameof(labels));
                int negative = Array.FindIndex(labels, l => l < 0);
                if (negative >= 0) throw new ArgumentException($"Label {negative} is {labels[negative]}; labels must be non-negative.", nameof(labels));
            }
            ArgumentOutOfRangeException.ThrowIfNegative(imageWidth);
            ArgumentOutOfRangeException.ThrowIfNegative(imageHeight);
            if ((imageWidth == 0) != (imageHeight == 0))
                throw new ArgumentOutOfRangeException(nameof(imageHeight), "Give both image dimensions or neither.");
            if (imageWidth != 0 && (long)imageWidth * imageHeight != features.Cols)
                throw new ArgumentException($"A {imageWidth}x{imageHeight} image has {(long)imageWidth * imageHeight} pixels but the data has {features.Cols} columns.", nameof(imageWidth));
        }
        Features = features;
        _labels = labels;
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
    }

    /// <summary>Wraps arrays the caller gives up, already validated (used by the loaders).</summary>
    internal static Dataset FromOwned(Matrix features, int[]? labels, int imageWidth, int imageHeight) =>
        new(features, labels, imageWidth, imageHeight, validate: false);

    /// <summary>The examples, one per row.</summary>
    public Matrix Features { get; }

    /// <inheritdoc/>
    int IRowSource.RowCount => Features.Rows;

    /// <inheritdoc/>
    int IRowSource.ColumnCount => Features.Cols;

    /// <inheritdoc/>
    public void CopyRow(int row, Span<float> destination) => Features.Row(row).CopyTo(destination);

    /// <summary>The number of examples (rows).</summary>
    public int Count => Features.Rows;

    /// <summary>The number of features (columns), i.e. visible units.</summary>
    public int FeatureCount => Features.Cols;

    /// <summary>Whether the data set has labels.</summary>
    public bool HasLabels => _labels is not null;

    /// <summary>One label per row; empty when <see cref="HasLabels"/> is false.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Image width in pixels; 0 when the features are not known to be an image.</summary>
    public int ImageWidth { get; }

    /// <summary>Image height in pixels; 0 when the features are not known to be an image.</summary>
    public int ImageHeight { get; }

    /// <summary>Whether <see cref="ImageWidth"/> and <see cref="ImageHeight"/> are known.</summary>
    public bool IsImage => ImageWidth > 0;

    /// <summary>
    /// Splits the rows at random into a training part and a held-out part (for monitoring
    /// overfitting, e.g. the free-energy gap). The same seed gives the same split; each part keeps
    /// the original row order.
    /// </summary>
    /// <param name="heldOutFraction">The share of rows held out, in [0, 1); rounded to whole rows, leaving at least one training row.</param>
    /// <param name="seed">Seeds the random choice of rows.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heldOutFraction"/> is outside [0, 1) or NaN.</exception>
    public (Dataset Train, Dataset HeldOut) Split(double heldOutFraction, ulong seed)
    {
        if (!(heldOutFraction >= 0 && heldOutFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "The held-out fraction must be in [0, 1).");
        int n = Count;
        int heldOut = Math.Min((int)Math.Round(n * heldOutFraction, MidpointRounding.AwayFromZero), Math.Max(n - 1, 0));
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Partial Fisher–Yates: only the first `heldOut` positions need to be drawn.
        var random = new RandomStream(seed);
        for (int i = 0; i < heldOut; i++)
        {
            int j = i + random.NextInt32(n - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        int[] heldOutRows = order[..heldOut];
        int[] trainRows = order[heldOut..];
        Array.Sort(heldOutRows);
        Array.Sort(trainRows);
        return (SelectRows(trainRows), SelectRows(heldOutRows));
    }

    /// <summary>
    /// A copy with every feature set to 1 where it exceeds <paramref name="threshold"/> and 0
    /// elsewhere, for models that want strictly binary data.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN or infinite.</exception>
    public Dataset Binarize(float threshold)
    {
        if (!float.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be finite.");
        var binary = new Matrix(Count, FeatureCount);
        ReadOnlySpan<float> source = Features.AsSpan();
        Span<float> destination = binary.AsSpan();
        for (int i = 0; i < source.Length; i++) destination[i] = source[i] > threshold ? 1f : 0f;
        return new Dataset(binary, _labels, ImageWidth, ImageHeight, validate: false);
    }

    private Dataset SelectRows(int[] rows)
    {
        var features = new Matrix(rows.Length, FeatureCount);
        int[]? labels = _labels is null ? null : new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Features.Row(rows[i]).CopyTo(features.Row(i));
            if (labels is not null) labels[i] = _labels![rows[i]];
        }
        return new Dataset(features, labels, ImageWidth, ImageHeight, validate: false);
    }
}
