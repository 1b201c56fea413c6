using System.Buffers;
using RbmSimd.Data;

namespace RbmSimd.Preprocessing;

/// <summary>Rows of a source mapped through a transform as they are read (see <see cref="Transform.Apply"/>).</summary>
internal sealed class TransformedRows(IRowSource source, Transform transform) : IRowSource
{
    public int RowCount => source.RowCount;

    public int ColumnCount => transform.OutputCount;

    public void CopyRow(int row, Span<float> destination)
    {
        int n = transform.InputCount;
        float[] raw = ArrayPool<float>.Shared.Rent(n);
        try
        {
            source.CopyRow(row, raw.AsSpan(0, n));
            transform.Forward(raw.AsSpan(0, n), destination[..transform.OutputCount]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(raw);
        }
    }
}
