using RbmSimd.IO;
using RbmSimd.Numerics;

namespace RbmSimd.Data;

/// <summary>
/// Sequences of frames (time series): the frames of every sequence one after another as rows of a row source, and where each
/// sequence starts. A conditional model learns from <see cref="ContextRows"/>: each frame beside the frames before it.
/// </summary>
/// <remarks>
/// Sequence boundaries: a sequence never borrows frames of its neighbour, so a sequence of T frames gives T − n rows of
/// context rows with history n (its first n frames only serve as history). Files mark them as
/// <see cref="FromFrames"/> (a column of sequence ids: a new sequence starts where the id changes) and
/// <see cref="FromNumpy"/> (the array's leading axis) describe.
/// </remarks>
public sealed class SequenceSet
{
    private readonly int[] _starts; // sequence s is frames _starts[s] .. _starts[s + 1] − 1

    /// <summary>Creates a set from frames and sequence lengths (not copied).</summary>
    /// <param name="frames">Every frame, sequence after sequence.</param>
    /// <param name="lengths">The frames of each sequence, each at least 1, summing to the frames' row count.</param>
    /// <param name="imageWidth">Width of a frame as an image (0: not an image).</param>
    /// <param name="imageHeight">Height of a frame as an image (0: not an image).</param>
    /// <exception cref="ArgumentException">The lengths do not cover the frames, a length is below 1, or the image shape does not fit a frame.</exception>
    public SequenceSet(IRowSource frames, ReadOnlySpan<int> lengths, int imageWidth = 0, int imageHeight = 0)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (lengths.IsEmpty) throw new ArgumentException("A sequence set needs at least one sequence.", nameof(lengths));
        _starts = new int[lengths.Length + 1];
        long total = 0;
        for (int s = 0; s < lengths.Length; s++)
        {
            if (lengths[s] < 1) throw new ArgumentException($"Sequence {s} has {lengths[s]} frames; each needs at least 1.", nameof(lengths));
            _starts[s] = (int)total;
            total += lengths[s];
            if (total > frames.RowCount) break;
        }
        if (total != frames.RowCount)
            throw new ArgumentException($"The sequences' lengths add up to {total} frames but there are {frames.RowCount}.", nameof(lengths));
        _starts[^1] = (int)total;
        if ((long)imageWidth * imageHeight != (imageWidth == 0 && imageHeight == 0 ? 0 : frames.ColumnCount))
            throw new ArgumentException($"An image of {imageWidth}x{imageHeight} does not have {frames.ColumnCount} values.", nameof(imageWidth));
        Frames = frames;
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
    }

    /// <summary>Every frame, sequence after sequence.</summary>
    public IRowSource Frames { get; }

    /// <summary>The values of a frame.</summary>
    public int FrameWidth => Frames.ColumnCount;

    /// <summary>The number of sequences.</summary>
    public int Count => _starts.Length - 1;

    /// <summary>The number of frames in all.</summary>
    public int TotalFrames => _starts[^1];

    /// <summary>Width of a frame as an image (0: not an image).</summary>
    public int ImageWidth { get; }

    /// <summary>Height of a frame as an image (0: not an image).</summary>
    public int ImageHeight { get; }

    /// <summary>The index among <see cref="Frames"/> of the first frame of sequence <paramref name="sequence"/>.</summary>
    public int Start(int sequence) => _starts[sequence];

    /// <summary>The frames of sequence <paramref name="sequence"/>.</summary>
    public int Length(int sequence) => _starts[sequence + 1] - _starts[sequence];

    /// <summary>The shortest sequence's length.</summary>
    public int MinLength
    {
        get
        {
            int min = int.MaxValue;
            for (int s = 0; s < Count; s++) min = Math.Min(min, Length(s));
            return min;
        }
    }

    /// <summary>The frames of one sequence as a matrix (time × values).</summary>
    public Matrix Sequence(int sequence)
    {
        var m = new Matrix(Length(sequence), FrameWidth);
        for (int t = 0; t < m.Rows; t++) Frames.CopyRow(Start(sequence) + t, m.Row(t));
        return m;
    }

    /// <summary>
    /// Rows <c>[v_t | v_{t−1}, …, v_{t−n}]</c> for every frame t with n frames before it in its sequence (n =
    /// <paramref name="history"/>), assembled when read (nothing is copied up front).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="history"/> is below 1.</exception>
    public SequenceContextRows ContextRows(int history) => new(this, history);

    /// <summary>The sequences <c>[first, first + count)</c> as a set of their own (the frames are read through, not copied).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is outside the set or empty.</exception>
    public SequenceSet Slice(int first, int count)
    {
        if (first < 0 || count < 1 || first + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Sequences [{first}, {first + count}) are outside [0, {Count}) or empty.");
        int[] lengths = new int[count];
        for (int s = 0; s < count; s++) lengths[s] = Length(first + s);
        return new SequenceSet(new RowRange(Frames, Start(first), _starts[first + count] - Start(first)), lengths, ImageWidth, ImageHeight);
    }

    /// <summary>The same sequences with other frames (the same count of rows, any width): e.g. the frames through a transform.</summary>
    /// <exception cref="ArgumentException">The frames' row count differs.</exception>
    public SequenceSet WithFrames(IRowSource frames, int imageWidth = 0, int imageHeight = 0)
    {
        ArgumentNullException.ThrowIfNull(frames);
        int[] lengths = new int[Count];
        for (int s = 0; s < Count; s++) lengths[s] = Length(s);
        return new SequenceSet(frames, lengths, imageWidth, imageHeight);
    }

    /// <summary>
    /// Sequences from frames in time order and an optional sequence id per frame: consecutive frames with the same id form a
    /// sequence, and a new one starts wherever the id changes (ids need not be sorted or distinct between sequences that are
    /// not adjacent). No ids: the frames are one sequence.
    /// </summary>
    /// <exception cref="ArgumentException">There are no frames, or the ids' count differs from the frames'.</exception>
    public static SequenceSet FromFrames(IRowSource frames, ReadOnlySpan<int> sequenceIds = default, int imageWidth = 0, int imageHeight = 0)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.RowCount == 0) throw new ArgumentException("There are no frames.", nameof(frames));
        if (sequenceIds.IsEmpty) return new SequenceSet(frames, [frames.RowCount], imageWidth, imageHeight);
        if (sequenceIds.Length != frames.RowCount)
            throw new ArgumentException($"{sequenceIds.Length} sequence ids for {frames.RowCount} frames.", nameof(sequenceIds));
        var lengths = new List<int>();
        int run = 1;
        for (int t = 1; t < sequenceIds.Length; t++)
        {
            if (sequenceIds[t] == sequenceIds[t - 1]) run++;
            else
            {
                lengths.Add(run);
                run = 1;
            }
        }
        lengths.Add(run);
        return new SequenceSet(frames, [.. lengths], imageWidth, imageHeight);
    }

    /// <summary>
    /// Sequences from a numpy array: 2-D (frames × values) is one sequence; 3-D (sequences × frames × values) holds
    /// sequences of equal length; 4-D (sequences × frames × height × width) holds image frames. Values as stored
    /// (integers converted to float).
    /// </summary>
    /// <exception cref="InvalidDataException">The array holds text, has another rank, or a dimension of 0; the message names <paramref name="sourceName"/>.</exception>
    public static SequenceSet FromNumpy(NpyArray array, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.IsText) throw new InvalidDataException($"{sourceName}: the array holds strings, not frames.");
        ReadOnlySpan<int> shape = array.Shape;
        if (array.Rank is < 2 or > 4)
            throw new InvalidDataException($"{sourceName}: a time series is frames × values (2-D), sequences × frames × values (3-D) or sequences × frames × height × width (4-D), but the array has shape {array.ShapeText}.");
        foreach (int d in shape)
            if (d < 1) throw new InvalidDataException($"{sourceName}: the array has shape {array.ShapeText}; every dimension needs at least 1.");
        int sequences = array.Rank == 2 ? 1 : shape[0];
        int length = array.Rank == 2 ? shape[0] : shape[1];
        long width = array.Rank switch { 2 => shape[1], 3 => shape[2], _ => (long)shape[2] * shape[3] };
        if ((long)sequences * length * width > Array.MaxLength)
            throw new InvalidDataException($"{sourceName}: the array of shape {array.ShapeText} is too large to hold.");
        var frames = new Matrix(sequences * length, (int)width, array.Values);
        int[] lengths = Enumerable.Repeat(length, sequences).ToArray();
        return array.Rank == 4
            ? new SequenceSet(new Dataset(frames, imageWidth: shape[3], imageHeight: shape[2]), lengths, shape[3], shape[2])
            : new SequenceSet(new Dataset(frames), lengths);
    }

    /// <summary>Rows <c>[start, start + count)</c> of a row source.</summary>
    private sealed class RowRange(IRowSource rows, int start, int count) : IRowSource
    {
        public int RowCount => count;

        public int ColumnCount => rows.ColumnCount;

        public void CopyRow(int row, Span<float> destination)
        {
            if ((uint)row >= (uint)count) throw new ArgumentOutOfRangeException(nameof(row), row, $"Row must be in [0, {count}).");
            rows.CopyRow(start + row, destination);
        }
    }
}
