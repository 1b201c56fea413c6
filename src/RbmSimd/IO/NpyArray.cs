using System.Text;
using RbmSimd.Numerics;

namespace RbmSimd.IO;

/// <summary>
/// An immutable n-dimensional array in C (row-major) order: what one <c>.npy</c> file or one entry
/// of an <c>.npz</c> archive holds. Either float32 (the usual case: parameters, data, samples),
/// exact 64-bit integers (seeds, counters, random-stream positions in checkpoints), or unicode
/// strings (names and metadata, as <c>numpy.array("gaussian-bernoulli")</c> stores them).
/// </summary>
/// <remarks>
/// <para>Files storing floats (float16/32/64) or booleans are read as float arrays; files storing
/// integers of any width are read as integer arrays (<see cref="IsInteger"/>), and
/// <see cref="Values"/> gives them as float32 too, so code that only wants numbers never needs to
/// care. Files storing unicode strings (<c>'&lt;U<em>n</em>'</c>) are read as text arrays
/// (<see cref="IsText"/>, <see cref="Texts"/>); a text array has no numeric view and a numeric
/// array no text view: asking for one throws <see cref="InvalidOperationException"/>.</para>
/// <para>Float arrays are written as <c>'&lt;f4'</c>, integer arrays as <c>'&lt;i8'</c>, text arrays as
/// <c>'&lt;U<em>n</em>'</c> with <em>n</em> the longest element's length in code points (at least 1,
/// as numpy does), each element UCS-4 little-endian and NUL-padded.</para>
/// <para>A rank-0 array (shape <c>()</c>) is a scalar with one element.</para>
/// </remarks>
public sealed class NpyArray
{
    /// <summary>The largest rank accepted; numpy's own limit is 64, real files use far fewer.</summary>
    public const int MaxRank = 32;

    private readonly int[] _shape;
    private readonly long[]? _integers;
    private readonly string[]? _texts;
    // For integer arrays this is filled on first use of Values; a race only computes it twice.
    private float[]? _values;

    /// <summary>Creates a float array holding copies of <paramref name="shape"/> and <paramref name="values"/>.</summary>
    /// <param name="shape">The dimensions, each non-negative; empty for a scalar.</param>
    /// <param name="values">The elements in C order; as many as the product of the dimensions.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the rank exceeds <see cref="MaxRank"/>, or the size exceeds the largest .NET array.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> has the wrong length.</exception>
    public NpyArray(ReadOnlySpan<int> shape, ReadOnlySpan<float> values)
    {
        RequireLength(shape, values.Length);
        _shape = shape.ToArray();
        _values = values.ToArray();
    }

    private NpyArray(int[] shape, float[]? values, long[]? integers, string[]? texts = null)
    {
        _shape = shape;
        _values = values;
        _integers = integers;
        _texts = texts;
    }

    /// <summary>An integer array holding copies of <paramref name="shape"/> and <paramref name="values"/>; written as <c>'&lt;i8'</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the rank exceeds <see cref="MaxRank"/>, or the size exceeds the largest .NET array.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> has the wrong length.</exception>
    public static NpyArray FromIntegers(ReadOnlySpan<int> shape, ReadOnlySpan<long> values)
    {
        RequireLength(shape, values.Length);
        return new NpyArray(shape.ToArray(), null, values.ToArray());
    }

    /// <summary>A rank-0 integer array holding one exact 64-bit value (store a <see cref="ulong"/> with an unchecked cast).</summary>
    public static NpyArray FromInteger(long value) => new([], null, [value]);

    /// <summary>A rank-0 text array (shape <c>()</c>) holding one string, as <c>numpy.array(text)</c> makes; written as <c>'&lt;U<em>n</em>'</c>.</summary>
    /// <param name="text">The string; see <see cref="FromStrings"/> for what it may hold.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> holds an unpaired surrogate or ends with a NUL character.</exception>
    public static NpyArray FromString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ValidateText(text, 0, nameof(text));
        return new NpyArray([], null, null, [text]);
    }

    /// <summary>A text array holding copies of <paramref name="shape"/> and <paramref name="texts"/>.</summary>
    /// <param name="shape">The dimensions, each non-negative; empty for a scalar.</param>
    /// <param name="texts">
    /// The elements in C order; as many as the product of the dimensions. Each must be valid UTF-16
    /// (no unpaired surrogates, since the file stores code points) and must not end with a NUL
    /// character (numpy treats trailing NULs as padding and drops them, so they would not survive a
    /// round trip; NULs elsewhere are kept).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the rank exceeds <see cref="MaxRank"/>, or the size exceeds the largest .NET array.</exception>
    /// <exception cref="ArgumentException"><paramref name="texts"/> has the wrong length, or an element is null or not representable.</exception>
    public static NpyArray FromStrings(ReadOnlySpan<int> shape, ReadOnlySpan<string> texts)
    {
        RequireLength(shape, texts.Length, nameof(texts));
        for (int i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null) throw new ArgumentException($"Element {i} is null.", nameof(texts));
            ValidateText(texts[i], i, nameof(texts));
        }
        return new NpyArray(shape.ToArray(), null, null, texts.ToArray());
    }

    /// <summary>A float array of shape <c>(rows, cols)</c> holding a copy of the matrix.</summary>
    public static NpyArray FromMatrix(ReadOnlyMatrixView matrix)
    {
        var values = new float[(long)matrix.Rows * matrix.Cols];
        for (int r = 0; r < matrix.Rows; r++) matrix.Row(r).CopyTo(values.AsSpan(r * matrix.Cols, matrix.Cols));
        return new NpyArray([matrix.Rows, matrix.Cols], values, null);
    }

    /// <summary>A one-dimensional float array of shape <c>(n,)</c> holding a copy of <paramref name="values"/>.</summary>
    public static NpyArray FromVector(ReadOnlySpan<float> values) => new([values.Length], values.ToArray(), null);

    /// <summary>A rank-0 float array (shape <c>()</c>) holding one value.</summary>
    public static NpyArray FromScalar(float value) => new([], [value], null);

    /// <summary>Wraps arrays the caller gives up; the reader uses these to avoid a second copy.</summary>
    internal static NpyArray FromOwned(int[] shape, float[] values) => new(shape, values, null);

    /// <inheritdoc cref="FromOwned(int[], float[])"/>
    internal static NpyArray FromOwned(int[] shape, long[] integers) => new(shape, null, integers);

    /// <inheritdoc cref="FromOwned(int[], float[])"/>
    internal static NpyArray FromOwned(int[] shape, string[] texts) => new(shape, null, null, texts);

    /// <summary>The dimensions; empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (the product of the dimensions, 1 for a scalar).</summary>
    public int Length => _texts?.Length ?? _integers?.Length ?? _values!.Length;

    /// <summary>Whether the array holds exact integers (see <see cref="Integers"/>) rather than floats or text.</summary>
    public bool IsInteger => _integers is not null;

    /// <summary>Whether the array holds unicode strings (see <see cref="Texts"/>) rather than numbers.</summary>
    public bool IsText => _texts is not null;

    /// <summary>The elements in C (row-major) order as float32; integers are rounded to the nearest float.</summary>
    /// <exception cref="InvalidOperationException">The array holds text (<see cref="IsText"/> is true).</exception>
    public ReadOnlySpan<float> Values =>
        _values ??= _texts is null ? ToSingles(_integers!) : throw NotNumbers();

    /// <summary>The exact elements of an integer array, in C order.</summary>
    /// <exception cref="InvalidOperationException">The array holds floats or text (<see cref="IsInteger"/> is false).</exception>
    public ReadOnlySpan<long> Integers =>
        _integers ?? throw (_texts is null
            ? new InvalidOperationException($"This array of shape {ShapeText} holds floats, not integers.")
            : NotNumbers());

    /// <summary>The strings of a text array, in C order.</summary>
    /// <exception cref="InvalidOperationException">The array holds numbers (<see cref="IsText"/> is false).</exception>
    public ReadOnlySpan<string> Texts =>
        _texts ?? throw new InvalidOperationException($"This array of shape {ShapeText} holds {(IsInteger ? "integers" : "floats")}, not text.");

    /// <summary>The shape as numpy prints it, e.g. <c>(784, 500)</c>, <c>(3,)</c> or <c>()</c>.</summary>
    public string ShapeText => FormatShape(_shape);

    /// <summary>A copy of a rank-2 array as a float <see cref="Matrix"/>.</summary>
    /// <exception cref="InvalidOperationException">The array is not two-dimensional.</exception>
    public Matrix ToMatrix()
    {
        if (Rank != 2) throw new InvalidOperationException($"An array of shape {ShapeText} is not a matrix.");
        return new Matrix(_shape[0], _shape[1], Values);
    }

    /// <summary>The product of the dimensions, validated.</summary>
    internal static long ElementCount(ReadOnlySpan<int> shape, string paramName)
    {
        if (shape.Length > MaxRank)
            throw new ArgumentOutOfRangeException(paramName, $"Rank {shape.Length} exceeds the limit of {MaxRank}.");
        foreach (int d in shape)
            if (d < 0) throw new ArgumentOutOfRangeException(paramName, $"Shape {FormatShape(shape)} has a negative dimension.");
        // Any zero dimension makes the array empty, whatever the others are (as the reader accepts).
        if (shape.Contains(0)) return 0;
        long count = 1;
        foreach (int d in shape)
        {
            // Check before multiplying so the product never overflows a long.
            if (count > Array.MaxLength / d)
                throw new ArgumentOutOfRangeException(paramName, $"Shape {FormatShape(shape)} exceeds the largest array .NET can hold.");
            count *= d;
        }
        return count;
    }

    /// <summary>numpy's tuple notation for a shape.</summary>
    internal static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        if (shape.Length == 1) sb.Append(',');
        return sb.Append(')').ToString();
    }

    private static void RequireLength(ReadOnlySpan<int> shape, int length, string paramName = "values")
    {
        long count = ElementCount(shape, nameof(shape));
        if (length != count)
            throw new ArgumentException($"Shape {FormatShape(shape)} needs {count} values but {length} were given.", paramName);
    }

    private InvalidOperationException NotNumbers() => new($"This array of shape {ShapeText} holds text, not numbers.");

    /// <summary>The number of code points in <paramref name="text"/> (a surrogate pair counts once).</summary>
    internal static int CodePointCount(string text)
    {
        int n = text.Length;
        foreach (char c in text) if (char.IsLowSurrogate(c)) n--;
        return n;
    }

    /// <summary>Refuses unpaired surrogates, a trailing NUL and more than <paramref name="maxCodePoints"/> code points.</summary>
    internal static void ValidateText(string text, int index, string paramName, int maxCodePoints = NpyDtype.MaxTextChars)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c))
                throw new ArgumentException($"Element {index} holds an unpaired surrogate U+{(int)c:X4} at index {i}; the file stores whole code points.", paramName);
        }
        if (text.Length > 0 && text[^1] == '\0')
            throw new ArgumentException($"Element {index} ends with a NUL character, which numpy drops as padding.", paramName);
        if (CodePointCount(text) > maxCodePoints)
            throw new ArgumentException($"Element {index} is longer than {maxCodePoints} code points.", paramName);
    }

    private static float[] ToSingles(long[] integers)
    {
        var values = new float[integers.Length];
        for (int i = 0; i < values.Length; i++) values[i] = integers[i];
        return values;
    }
}
