namespace RbmSimd.Data;

/// <summary>
/// Rows of visible-unit values, read one row at a time as floats: lets training and monitoring run
/// over data kept compactly (bytes, bits) without a full float copy.
/// </summary>
public interface IRowSource
{
    /// <summary>Number of rows (examples).</summary>
    int RowCount { get; }

    /// <summary>Number of values per row (visible units).</summary>
    int ColumnCount { get; }

    /// <summary>Writes row <paramref name="row"/> as floats into <paramref name="destination"/> (at least <see cref="ColumnCount"/> long).</summary>
    void CopyRow(int row, Span<float> destination);
}
