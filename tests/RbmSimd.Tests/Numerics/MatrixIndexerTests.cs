using RbmSimd.Numerics;
using Xunit;

namespace RbmSimd.Tests.Numerics;

/// <summary>
/// Element indexers of <see cref="MatrixView"/>, <see cref="ReadOnlyMatrixView"/> and <see cref="Matrix"/>
/// against their documented layout (element [r, c] is <c>Span[r * Stride + c]</c>), and their bounds:
/// every index outside the shape throws, including the ones whose offset still lands inside the
/// storage (a column past the end addressing the next row, as <c>v[0, 4]</c> on a 3 × 3 view wrote [1, 1]).
/// </summary>
public class MatrixIndexerTests
{
    /// <summary>3 × 3 with a stride of 4: one padding float per row, and a storage of 12 floats.</summary>
    private static float[] Storage() => Enumerable.Range(0, 12).Select(i => (float)i).ToArray();

    public static TheoryData<int, int> Outside => new()
    {
        { 0, 3 }, { 0, 4 }, { 1, 7 }, { 2, 3 }, { 3, 0 }, { -1, 0 }, { 0, -1 }, { -1, 5 }, { int.MinValue, 0 }, { 0, int.MaxValue },
    };

    [Fact]
    public void Indexers_InsideTheShape_FollowTheLayout()
    {
        float[] storage = Storage();
        var view = new MatrixView(storage, 3, 3, 4);
        var readOnly = new ReadOnlyMatrixView(storage, 3, 3, 4);
        var matrix = new Matrix(3, 4, storage);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(storage[r * 4 + c], view[r, c]);
                Assert.Equal(storage[r * 4 + c], readOnly[r, c]);
                Assert.Equal(storage[r * 4 + c], matrix[r, c]);
            }
        view[2, 1] = -5;
        Assert.Equal(-5f, storage[9]);
        Assert.Equal(11f, matrix[2, 3]);
    }

    [Theory]
    [MemberData(nameof(Outside))]
    public void MatrixView_OutsideTheShape_Throws(int row, int col)
    {
        float[] storage = Storage();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView(storage, 3, 3, 4)[row, col] = 99);
        Assert.Equal((uint)row >= 3 ? "row" : "col", ex.ParamName);
        Assert.StartsWith($"Element [{row}, {col}] is outside the 3x3 view.", ex.Message);
        Assert.DoesNotContain(99f, storage);
    }

    [Theory]
    [MemberData(nameof(Outside))]
    public void ReadOnlyMatrixView_OutsideTheShape_Throws(int row, int col)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixView(Storage(), 3, 3, 4)[row, col]);
        Assert.Equal((uint)row >= 3 ? "row" : "col", ex.ParamName);
    }

    [Theory]
    [MemberData(nameof(Outside))]
    public void Matrix_OutsideTheShape_Throws(int row, int col)
    {
        var matrix = new Matrix(3, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => matrix[row, col] = 99);
        Assert.Equal((uint)row >= 3 ? "row" : "col", ex.ParamName);
        Assert.DoesNotContain(99f, matrix.AsSpan().ToArray());
    }

    [Fact]
    public void EmptyView_AnyIndexThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView([], 0, 3)[0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixView([], 3, 0)[0, 0]);
    }
}
