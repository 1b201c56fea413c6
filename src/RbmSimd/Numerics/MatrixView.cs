namespace RbmSimd.Numerics;

/// <summary>
/// A writable, row-major view of a matrix: <see cref="Rows"/> rows of <see cref="Cols"/> contiguous
/// floats, consecutive rows <see cref="Stride"/> floats apart.
/// </summary>
public readonly ref struct MatrixView
{
    /// <summary>The underlying storage; row <c>i</c> starts at <c>i * Stride</c>.</summary>
    public Span<float> Span { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (contiguous floats per row).</summary>
    public int Cols { get; }

    /// <summary>Distance in floats between the starts of consecutive rows (at least <see cref="Cols"/>).</summary>
    public int Stride { get; }

    /// <summary>Creates a dense view (<c>Stride == cols</c>).</summary>
    /// <exception cref="ArgumentException">The span is shorter than <c>rows * cols</c>.</exception>
    public MatrixView(Span<float> span, int rows, int cols) : this(span, rows, cols, cols) { }

    /// <summary>Creates a view with an explicit row stride.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the stride is below <paramref name="cols"/>.</exception>
    /// <exception cref="ArgumentException">The span is too short for the shape.</exception>
    public MatrixView(Span<float> span, int rows, int cols, int stride)
    {
        MatrixShape.Validate(span.Length, rows, cols, stride, nameof(span));
        Span = span;
        Rows = rows;
        Cols = cols;
        Stride = stride;
    }

    /// <summary>Whether the view has no elements.</summary>
    public bool IsEmpty => Rows == 0 || Cols == 0;

    /// <summary>Element at row <paramref name="row"/>, column <paramref name="col"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> or <paramref name="col"/> is outside the view.</exception>
    public ref float this[int row, int col]
    {
        get
        {
            // Two unsigned compares: negative indices wrap to large values. Without the column check,
            // [0, Cols] would silently address the next row (or the stride's padding).
            if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols) ThrowOutside(row, col, Rows, Cols);
            return ref Span[row * Stride + col];
        }
    }

    /// <summary>The contiguous floats of one row.</summary>
    public Span<float> Row(int row)
    {
        if ((uint)row >= (uint)Rows) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {Rows}).");
        return Span.Slice(row * Stride, Cols);
    }

    /// <summary>A view of <paramref name="count"/> rows starting at <paramref name="start"/>.</summary>
    public MatrixView SliceRows(int start, int count)
    {
        if ((uint)start > (uint)Rows || (uint)count > (uint)(Rows - start))
            throw new ArgumentOutOfRangeException(nameof(count), $"Rows [{start}, {start + count}) are outside [0, {Rows}).");
        if (count == 0) return new MatrixView(Span<float>.Empty, 0, Cols, Stride);
        return new MatrixView(Span.Slice(start * Stride, MatrixShape.Extent(count, Cols, Stride)), count, Cols, Stride);
    }

    /// <summary>Sets every element of the view to <paramref name="value"/>.</summary>
    public void Fill(float value)
    {
        for (int i = 0; i < Rows; i++) Row(i).Fill(value);
    }

    /// <summary>The same view, read-only.</summary>
    public static implicit operator ReadOnlyMatrixView(MatrixView view) =>
        new(view.Span, view.Rows, view.Cols, view.Stride);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private static void ThrowOutside(int row, int col, int rows, int cols) =>
        throw new ArgumentOutOfRangeException((uint)row >= (uint)rows ? nameof(row) : nameof(col), $"Element [{row}, {col}] is outside the {rows}x{cols} view.");
}
