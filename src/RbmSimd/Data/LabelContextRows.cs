namespace RbmSimd.Data;

/// <summary>
/// Rows <c>[x | onehot(label)]</c> of a labelled data set, for a conditional model that generates examples of a given class
/// (the class as the context): the features, then one value per class, 1 for the row's class and 0 for the others.
/// </summary>
public sealed class LabelContextRows : IRowSource
{
    private readonly IRowSource _features;
    private readonly int[] _labels;

    /// <summary>Creates the rows.</summary>
    /// <param name="features">The examples.</param>
    /// <param name="labels">One class per example, each in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes (context values), at least 1.</param>
    /// <exception cref="ArgumentException">The label count differs from the row count, or a label is out of range.</exception>
    public LabelContextRows(IRowSource features, ReadOnlySpan<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if (labels.Length != features.RowCount)
            throw new ArgumentException($"{labels.Length} labels for {features.RowCount} rows.", nameof(labels));
        for (int r = 0; r < labels.Length; r++)
            if ((uint)labels[r] >= (uint)classes)
                throw new ArgumentException($"Row {r} has label {labels[r]}, outside [0, {classes}).", nameof(labels));
        _features = features;
        _labels = labels.ToArray();
        Classes = classes;
    }

    /// <summary>The classes: the context values of each row.</summary>
    public int Classes { get; }

    /// <summary>The features of an example (the generated units).</summary>
    public int FeatureCount => _features.ColumnCount;

    /// <inheritdoc/>
    public int RowCount => _features.RowCount;

    /// <inheritdoc/>
    public int ColumnCount => _features.ColumnCount + Classes;

    /// <summary>The class of row <paramref name="row"/>.</summary>
    public int Label(int row) => _labels[row];

    /// <summary>Writes the one-hot context of class <paramref name="label"/> into <paramref name="context"/> (<see cref="Classes"/> values).</summary>
    /// <exception cref="ArgumentException">The label is out of range or the destination has another length.</exception>
    public static void OneHot(int label, Span<float> context)
    {
        if ((uint)label >= (uint)context.Length) throw new ArgumentException($"Label {label} is outside [0, {context.Length}).", nameof(label));
        context.Clear();
        context[label] = 1f;
    }

    /// <inheritdoc/>
    public void CopyRow(int row, Span<float> destination)
    {
        if (destination.Length < ColumnCount)
            throw new ArgumentException($"Destination holds {destination.Length} floats but a row has {ColumnCount}.", nameof(destination));
        _features.CopyRow(row, destination);
        OneHot(_labels[row], destination.Slice(_features.ColumnCount, Classes));
    }
}
