using System.Buffers;
using RbmSimd.Data;

namespace RbmSimd.Preprocessing;

/// <summary>
/// Reads the rows of a source in double precision, optionally through a transform applied in double (so a fit
/// sees the preceding steps' exact results, not float-rounded ones). Owns pooled buffers: dispose it.
/// </summary>
internal sealed class RowReader : IDisposable
{
    private readonly IRowSource _source;
    private readonly Transform? _input;
    private readonly float[] _raw;
    private readonly double[] _wide;
    private readonly double[] _row;
    private readonly double[] _scratch;

    /// <exception cref="ArgumentException">The source's column count differs from the input transform's.</exception>
    public RowReader(IRowSource source, Transform? input, string paramName)
    {
        ArgumentNullException.ThrowIfNull(source, paramName);
        if (input is not null && source.ColumnCount != input.InputCount)
            throw new ArgumentException($"The rows have {source.ColumnCount} columns but the input transform takes {input.InputCount}.", paramName);
        _source = source;
        _input = input;
        Columns = input?.OutputCount ?? source.ColumnCount;
        _raw = ArrayPool<float>.Shared.Rent(Math.Max(source.ColumnCount, 1));
        _wide = ArrayPool<double>.Shared.Rent(Math.Max(source.ColumnCount, 1));
        _row = ArrayPool<double>.Shared.Rent(Math.Max(Columns, 1));
        _scratch = ArrayPool<double>.Shared.Rent(Math.Max(input?.ScratchLength ?? 0, 1));
    }

    /// <summary>The number of values in a row as read (after the input transform).</summary>
    public int Columns { get; }

    /// <summary>The number of rows.</summary>
    public int Rows => _source.RowCount;

    /// <summary>Row <paramref name="r"/> in double; valid until the next call.</summary>
    /// <exception cref="ArgumentException">The row holds a value that is not finite.</exception>
    public ReadOnlySpan<double> Read(int r)
    {
        int n = _source.ColumnCount;
        _source.CopyRow(r, _raw.AsSpan(0, n));
        Span<double> target = _input is null ? _row.AsSpan(0, n) : _wide.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            float v = _raw[i];
            if (!float.IsFinite(v)) throw new ArgumentException($"Row {r}, column {i} of the training rows is {v}; every value must be finite.", "rows");
            target[i] = v;
        }
        _input?.ForwardRow(target, _row.AsSpan(0, Columns), _scratch);
        return _row.AsSpan(0, Columns);
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_raw);
        ArrayPool<double>.Shared.Return(_wide);
        ArrayPool<double>.Shared.Return(_row);
        ArrayPool<double>.Shared.Return(_scratch);
    }
}
