namespace RbmSimd.Data;

/// <summary>A row source with no rows (no held-out data).</summary>
internal sealed class EmptyRows : IRowSource
{
    public static EmptyRows Instance { get; } = new();

    public int RowCount => 0;

    public int ColumnCount => 0;

    public void CopyRow(int row, Span<float> destination) => throw new ArgumentOutOfRangeException(nameof(row));
}
