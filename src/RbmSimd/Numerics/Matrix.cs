namespace RbmSimd.Numerics;

/// <summary>An owned, dense, row-major float matrix.</summary>
public sealed class Matrix
{
    private readonly float[] _data;

    /// <summary>Creates a zero matrix.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the size overflows.</exception>
    public Matrix(int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        long size = (long)rows * cols;
        if (size > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(rows), $"A {rows}x{cols} matrix exceeds the largest array .NET can hold.");
        Rows = rows;
        Cols = cols;
        _data = new float[size];
    }

    /// <summary>Creates a matrix holding a copy of <paramref name="values"/> (row-major).</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold <c>rows * cols</c> floats.</exception>
    public Matrix(int rows, int cols, ReadOnlySpan<float> values) : this(rows, cols)
    {
        if (values.Length != _data.Length)
            throw new ArgumentException($"A {rows}x{cols} matrix needs {_data.Length} values but {values.Length} were given.", nameof(values));
        values.CopyTo(_data);
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>Element access.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> or <paramref name="col"/> is outside the matrix.</exception>
    public ref float this[int row, int col]
    {
        get
        {
            // Without the column check [0, Cols] would silently address the next row.
            if ((uint)row >= (uint)Rows || (uint)col >= (uint)Cols)
                throw new ArgumentOutOfRangeException((uint)row >= (uint)Rows ? nameof(row) : nameof(col), $"Element [{row}, {col}] is outside the {Rows}x{Cols} matrix.");
            return ref _data[row * Cols + col];
        }
    }

    /// <summary>All elements, row-major.</summary>
    public Span<float> AsSpan() => _data;

    /// <summary>A writable view of the whole matrix.</summary>
    public MatrixView AsView() => new(_data, Rows, Cols);

    /// <summary>A read-only view of the whole matrix.</summary>
    public ReadOnlyMatrixView AsReadOnlyView() => new(_data, Rows, Cols);

    /// <summary>One row.</summary>
    public Span<float> Row(int row) => AsView().Row(row);

    /// <summary>A deep copy.</summary>
    public Matrix Clone() => new(Rows, Cols, _data);

    /// <summary>A read-only view of the whole matrix.</summary>
    public static implicit operator ReadOnlyMatrixView(Matrix m) => m.AsReadOnlyView();

    /// <summary>A writable view of the whole matrix.</summary>
    public static implicit operator MatrixView(Matrix m) => m.AsView();
}
