using RbmSimd.Numerics;

namespace RbmSimd.Data;

/// <summary>A matrix view read through <see cref="IRowSource"/>, for code generic over row sources.</summary>
internal readonly ref struct MatrixRows(ReadOnlyMatrixView matrix) : IRowSource
{
    private readonly ReadOnlyMatrixView _matrix = matrix;

    public int RowCount => _matrix.Rows;

    public int ColumnCount => _matrix.Cols;

    public void CopyRow(int row, Span<float> destination) => _matrix.Row(row).CopyTo(destination);
}
