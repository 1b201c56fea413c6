using System.Text;
using RbmSimd.Numerics;

namespace RbmSimd.IO;

/// <summary>
/// An immutable n-dimensional float32 array in C (row-major) order: what one <c>.npy</c> file or
/// one entry of an <c>.npz</c> archive holds, once read.
/// </summary>
/// <remarks>
/// Files may store other numeric types (float64, integers, booleans); <see cref="Npy"/> converts them
/// to float32 on reading. A rank-0 array (shape <c>()</c>) is a scalar with one element.
/// </remarks>
public sealed class NpyArray
{
    /// <summary>The largest rank accepted; numpy's own limit is 64, real files use far fewer.</summary>
    public const int MaxRank = 32;

    private readonly int[] _shape;
    private readonly float[] _values;

    /// <summary>Creates an array holding copies of <paramref name="shape"/> and <paramref name="values"/>.</summary>
    /// <param name="shape">The dimensions, each non-negative; empty for a scalar.</param>
    /// <param name="values">The elements in C order; as many as the product of the dimensions.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the rank exceeds <see cref="MaxRank"/>, or the size exceeds the largest .NET array.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> has the wrong length.</exception>
    public NpyArray(ReadOnlySpan<int> shape, ReadOnlySpan<float> values)
    {
        long count = ElementCount(shape, nameof(shape));
        if (values.Length != count)
            throw new ArgumentException($"Shape {FormatShape(shape)} needs {count} values but {values.Length} were given.", nameof(values));
        _shape = shape.ToArray();
        _values = values.ToArray();
    }

    private NpyArray(int[] shape, float[] values, bool _)
    {
        _shape = shape;
        _values = values;
    }

    /// <summary>An array of shape <c>(rows, cols)</c> holding a copy of the matrix.</summary>
    public static NpyArray FromMatrix(ReadOnlyMatrixView matrix)
    {
        var values = new float[(long)matrix.Rows * matrix.Cols];
        for (int r = 0; r < matrix.Rows; r++) matrix.Row(r).CopyTo(values.AsSpan(r * matrix.Cols, matrix.Cols));
        return new NpyArray([matrix.Rows, matrix.Cols], values, true);
    }

    /// <summary>A one-dimensional array of shape <c>(n,)</c> holding a copy of <paramref name="values"/>.</summary>
    public static NpyArray FromVector(ReadOnlySpan<float> values) => new([values.Length], values.ToArray(), true);

    /// <summary>A rank-0 array (shape <c>()</c>) holding one value.</summary>
    public static NpyArray FromScalar(float value) => new([], [value], true);

    /// <summary>Wraps arrays the caller gives up; the reader uses this to avoid a second copy.</summary>
    internal static NpyArray FromOwned(int[] shape, float[] values) => new(shape, values, true);

    /// <summary>The dimensions; empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (the product of the dimensions, 1 for a scalar).</summary>
    public int Length => _values.Length;

    /// <summary>The elements in C (row-major) order.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The shape as numpy prints it, e.g. <c>(784, 500)</c>, <c>(3,)</c> or <c>()</c>.</summary>
    public string ShapeText => FormatShape(_shape);

    /// <summary>A copy of a rank-2 array as a <see cref="Matrix"/>.</summary>
    /// <exception cref="InvalidOperationException">The array is not two-dimensional.</exception>
    public Matrix ToMatrix()
    {
        if (Rank != 2) throw new InvalidOperationException($"An array of shape {ShapeText} is not a matrix.");
        return new Matrix(_shape[0], _shape[1], _values);
    }

    /// <summary>The product of the dimensions, validated.</summary>
    internal static long ElementCount(ReadOnlySpan<int> shape, string paramName)
    {
        if (shape.Length > MaxRank)
            throw new ArgumentOutOfRangeException(paramName, $"Rank {shape.Length} exceeds the limit of {MaxRank}.");
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(paramName, $"Shape {FormatShape(shape)} has a negative dimension.");
            // Check before multiplying so the product never overflows a long.
            if (d != 0 && count > Array.MaxLength / d)
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
}
