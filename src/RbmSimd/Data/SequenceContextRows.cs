namespace RbmSimd.Data;

/// <summary>
/// The rows a conditional model learns from, read from a <see cref="SequenceSet"/> without copying it: for every frame t
/// that has n frames before it in its sequence, <c>[v_t | v_{t−1}, v_{t−2}, …, v_{t−n}]</c> (the most recent frame first),
/// <c>(1 + n)·d</c> values for frames of d values. Row order: sequence by sequence, in time.
/// </summary>
public sealed class SequenceContextRows : IRowSource
{
    private readonly SequenceSet _set;
    private readonly int[] _firstRow; // the first row of each sequence; one more entry with the total

    /// <summary>Creates the rows of <paramref name="set"/> with history <paramref name="history"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="history"/> is below 1 or the rows would be too wide.</exception>
    public SequenceContextRows(SequenceSet set, int history)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(history, 1);
        if ((long)(history + 1) * set.FrameWidth > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(history), history, "The rows would be too wide for one array.");
        _set = set;
        History = history;
        _firstRow = new int[set.Count + 1];
        long rows = 0;
        for (int s = 0; s < set.Count; s++)
        {
            _firstRow[s] = (int)rows;
            rows += Math.Max(0, set.Length(s) - history);
        }
        _firstRow[^1] = checked((int)rows);
    }

    /// <summary>n, the frames of history in each row.</summary>
    public int History { get; }

    /// <summary>d, the values of a frame (the generated units of a conditional model).</summary>
    public int FrameWidth => _set.FrameWidth;

    /// <inheritdoc/>
    public int RowCount => _firstRow[^1];

    /// <inheritdoc/>
    public int ColumnCount => (History + 1) * _set.FrameWidth;

    /// <summary>The sequence and time of the frame row <paramref name="row"/> predicts.</summary>
    public (int Sequence, int Time) Locate(int row)
    {
        if ((uint)row >= (uint)RowCount) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {RowCount}).");
        int s = Array.BinarySearch(_firstRow, row);
        // A match may be the start of an empty sequence's range: the row belongs to the last sequence starting there.
        if (s < 0) s = ~s - 1;
        else while (s + 1 < _firstRow.Length - 1 && _firstRow[s + 1] == row) s++;
        return (s, History + row - _firstRow[s]);
    }

    /// <inheritdoc/>
    public void CopyRow(int row, Span<float> destination)
    {
        if (destination.Length < ColumnCount)
            throw new ArgumentException($"Destination holds {destination.Length} floats but a row has {ColumnCount}.", nameof(destination));
        (int s, int t) = Locate(row);
        int d = _set.FrameWidth, start = _set.Start(s);
        for (int k = 0; k <= History; k++) _set.Frames.CopyRow(start + t - k, destination.Slice(k * d, d));
    }
}
