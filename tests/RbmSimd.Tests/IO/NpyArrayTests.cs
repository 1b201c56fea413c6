using RbmSimd.IO;
using RbmSimd.Numerics;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// <see cref="NpyArray"/>'s construction and views against its documented contract: copies of the
/// inputs, C order, numpy's shape notation, the argument checks with their limits exactly at and one
/// past, and which view each kind of array has.
/// </summary>
public class NpyArrayTests
{
    [Fact]
    public void Constructor_CopiesShapeAndValues()
    {
        int[] shape = [2, 3];
        float[] values = [1, 2, 3, 4, 5, 6];
        var a = new NpyArray(shape, values);
        shape[0] = 9;
        values[0] = 9;
        Assert.Equal([2, 3], a.Shape.ToArray());
        Assert.Equal([1f, 2, 3, 4, 5, 6], a.Values.ToArray());
        Assert.Equal(2, a.Rank);
        Assert.Equal(6, a.Length);
        Assert.False(a.IsInteger);
        Assert.False(a.IsText);
    }

    [Fact]
    public void FromIntegers_CopiesAndViewsAsFloats()
    {
        long[] values = [1, -2, (1L << 24) + 1, long.MaxValue];
        NpyArray a = NpyArray.FromIntegers([4], values);
        values[0] = 7;
        Assert.True(a.IsInteger);
        Assert.Equal([1L, -2, (1L << 24) + 1, long.MaxValue], a.Integers.ToArray());
        // Values rounds each integer to the nearest float (2^24 + 1 is not representable).
        Assert.Equal([1f, -2f, 16777216f, 9.223372E+18f], a.Values.ToArray());
        Assert.Equal(4, a.Length);
    }

    [Fact]
    public void FromInteger_FromScalar_AreRankZero()
    {
        NpyArray i = NpyArray.FromInteger(-5);
        Assert.Equal(0, i.Rank);
        Assert.Equal(1, i.Length);
        Assert.Equal([-5L], i.Integers.ToArray());
        Assert.Equal("()", i.ShapeText);
        NpyArray f = NpyArray.FromScalar(2.5f);
        Assert.Equal(0, f.Rank);
        Assert.Equal([2.5f], f.Values.ToArray());
        Assert.False(f.IsInteger);
    }

    [Fact]
    public void FromVector_FromMatrix_CopyInCOrder()
    {
        float[] v = [3, 4];
        NpyArray vector = NpyArray.FromVector(v);
        v[0] = 0;
        Assert.Equal([2], vector.Shape.ToArray());
        Assert.Equal([3f, 4f], vector.Values.ToArray());
        Assert.Equal("(2,)", vector.ShapeText);

        // A 2 × 2 view with a stride of 3: the padding column must not be copied.
        float[] storage = [1, 2, -1, 3, 4, -1];
        NpyArray matrix = NpyArray.FromMatrix(new ReadOnlyMatrixView(storage, 2, 2, 3));
        storage[0] = 0;
        Assert.Equal([2, 2], matrix.Shape.ToArray());
        Assert.Equal([1f, 2, 3, 4], matrix.Values.ToArray());
        Assert.Equal(0, NpyArray.FromMatrix(new ReadOnlyMatrixView([], 0, 5)).Length);
    }

    [Fact]
    public void ToMatrix_RankTwoOnly()
    {
        Matrix m = new NpyArray([2, 3], [1, 2, 3, 4, 5, 6]).ToMatrix();
        Assert.Equal((2, 3), (m.Rows, m.Cols));
        Assert.Equal(6f, m[1, 2]);
        Assert.Equal("An array of shape (6,) is not a matrix.", Assert.Throws<InvalidOperationException>(() => NpyArray.FromVector([1, 2, 3, 4, 5, 6]).ToMatrix()).Message);
        Assert.Equal("An array of shape (1, 2, 3) is not a matrix.", Assert.Throws<InvalidOperationException>(() => new NpyArray([1, 2, 3], new float[6]).ToMatrix()).Message);
        Assert.Equal([1f, 2], NpyArray.FromIntegers([1, 2], [1, 2]).ToMatrix().AsSpan().ToArray());
    }

    [Theory]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 0 }, "(0,)")]
    [InlineData(new[] { 7 }, "(7,)")]
    [InlineData(new[] { 2, 0 }, "(2, 0)")]
    [InlineData(new[] { 1, 2, 3 }, "(1, 2, 3)")]
    public void ShapeText_NumpyNotation(int[] shape, string expected)
    {
        Assert.Equal(expected, new NpyArray(shape, new float[shape.Aggregate(1, (p, d) => p * d)]).ShapeText);
    }

    [Fact]
    public void Integers_OfAFloatArray_Throws()
    {
        Assert.Equal("This array of shape (2,) holds floats, not integers.",
            Assert.Throws<InvalidOperationException>(() => NpyArray.FromVector([1, 2]).Integers.Length).Message);
    }

    [Fact]
    public void Rank_AtTheLimitAccepted_OnePastRefused()
    {
        Assert.Equal(32, NpyArray.MaxRank);
        Assert.Equal(32, new NpyArray(Enumerable.Repeat(1, 32).ToArray(), [1f]).Rank);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new NpyArray(Enumerable.Repeat(1, 33).ToArray(), [1f]));
        Assert.Equal("shape", ex.ParamName);
        Assert.StartsWith("Rank 33 exceeds the limit of 32.", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => NpyArray.FromIntegers(Enumerable.Repeat(1, 33).ToArray(), [1L]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NpyArray.FromStrings(Enumerable.Repeat(1, 33).ToArray(), ["a"]));
    }

    [Fact]
    public void NegativeDimension_Refused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new NpyArray([2, -1], []));
        Assert.Equal("shape", ex.ParamName);
        Assert.StartsWith("Shape (2, -1) has a negative dimension.", ex.Message);
        // Zero is a dimension, not a negative one: an empty array.
        Assert.Equal(0, new NpyArray([2, 0], []).Length);
    }

    [Fact]
    public void Size_AtArrayMaxLengthPassesTheShapeCheck_OnePastRefused()
    {
        // The shape check alone: Array.MaxLength elements pass it and fail the length check instead.
        var atLimit = Assert.Throws<ArgumentException>(() => new NpyArray([Array.MaxLength], [1f]));
        Assert.IsNotType<ArgumentOutOfRangeException>(atLimit);
        Assert.StartsWith($"Shape ({Array.MaxLength},) needs {Array.MaxLength} values but 1 were given.", atLimit.Message);
        Assert.Equal("values", atLimit.ParamName);
        var over = Assert.Throws<ArgumentOutOfRangeException>(() => new NpyArray([Array.MaxLength / 2 + 1, 2], [1f]));
        Assert.StartsWith($"Shape ({Array.MaxLength / 2 + 1}, 2) exceeds the largest array .NET can hold.", over.Message);
        // A zero anywhere makes any other dimensions acceptable.
        Assert.Equal(0, new NpyArray([int.MaxValue, 0, int.MaxValue], []).Length);
    }

    [Fact]
    public void WrongValueCount_Refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NpyArray([2, 2], [1, 2, 3]));
        Assert.Equal("values", ex.ParamName);
        Assert.StartsWith("Shape (2, 2) needs 4 values but 3 were given.", ex.Message);
        Assert.Throws<ArgumentException>(() => new NpyArray([], []));
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => NpyArray.FromIntegers([3], [1, 2])).ParamName);
        Assert.Equal("texts", Assert.Throws<ArgumentException>(() => NpyArray.FromStrings([3], ["a"])).ParamName);
    }
}
