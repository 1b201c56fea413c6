namespace RbmSimd.Numerics;

/// <summary>Shape arithmetic and checks shared by the matrix views.</summary>
internal static class MatrixShape
{
    /// <summary>Floats spanned by <paramref name="rows"/> rows: the last row needs only <paramref name="cols"/>.</summary>
    public static int Extent(int rows, int cols, int stride) =>
        rows == 0 || cols == 0 ? 0 : checked((rows - 1) * stride + cols);

    public static void Validate(int length, int rows, int cols, int stride, string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        if (stride < cols) throw new ArgumentOutOfRangeException(nameof(stride), stride, $"Stride must be at least the column count {cols}.");
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * stride + cols;
        if (length < need)
            throw new ArgumentException($"A {rows}x{cols} matrix with stride {stride} needs {need} floats but the span has {length}.", paramName);
    }

    public static void RequireShape(in ReadOnlyMatrixView m, int rows, int cols, string paramName)
    {
        if (m.Rows != rows || m.Cols != cols)
            throw new ArgumentException($"Expected a {rows}x{cols} matrix but got {m.Rows}x{m.Cols}.", paramName);
    }

    public static void RequireShape(in MatrixView m, int rows, int cols, string paramName)
    {
        if (m.Rows != rows || m.Cols != cols)
            throw new ArgumentException($"Expected a {rows}x{cols} matrix but got {m.Rows}x{m.Cols}.", paramName);
    }
}
