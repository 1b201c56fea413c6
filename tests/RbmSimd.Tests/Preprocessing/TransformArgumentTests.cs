using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using Xunit;

namespace RbmSimd.Tests.Preprocessing;

public class TransformArgumentTests
{
    private static Standardization Simple() => new([1f, 2f, 3f], [0.5f, 1f, 2f]);

    [Fact]
    public void Forward_EmptyBatch_DoesNothing()
    {
        var y = new Matrix(0, 3);
        Simple().Forward(new Matrix(0, 3), y);
        Simple().Inverse(new Matrix(0, 3), y);
    }

    [Fact]
    public void Forward_InPlace_EqualsSeparateOutput_AndRowFormEqualsBatchForm()
    {
        var x = new Matrix(4, 3, [1, 2, 3, 4, 5, 6, -1, -2, -3, 0.5f, 0.25f, 8]);
        var separate = new Matrix(4, 3);
        Simple().Forward(x, separate);
        var row = new float[3];
        Simple().Forward(x.Row(2), row);
        Assert.Equal(separate.Row(2).ToArray(), row);
        Simple().Forward(x, x);
        Assert.Equal(separate.AsSpan().ToArray(), x.AsSpan().ToArray());
        Assert.Equal([0f, 0f, 0f], separate.Row(0).ToArray()); // (x − μ)/s at x = μ
    }

    [Fact]
    public void Forward_WrongShapesOrPartialOverlap_Throw()
    {
        Standardization s = Simple();
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => s.Forward(new Matrix(2, 4), new Matrix(2, 3))).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => s.Forward(new Matrix(2, 3), new Matrix(3, 3))).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => s.Forward(new float[3], new float[2])).ParamName);
        var buffer = new float[12];
        Assert.Equal("output", Assert.Throws<ArgumentException>(() =>
            s.Forward(new ReadOnlyMatrixView(buffer.AsSpan(0, 9), 3, 3), new MatrixView(buffer.AsSpan(3, 9), 3, 3))).ParamName);
    }

    [Fact]
    public void NonFiniteInput_OrOverflowingOutput_ThrowsNamingTheRow()
    {
        Standardization s = Simple();
        var x = new Matrix(3, 3, [1, 2, 3, 1, float.NaN, 3, 1, 2, 3]);
        Assert.Contains("Row 1, column 1", Assert.Throws<ArgumentException>(() => s.Forward(x, new Matrix(3, 3))).Message);
        var tiny = new Standardization([0f], [1e-30f]);
        Assert.Contains("Row 0", Assert.Throws<ArgumentException>(() => tiny.Forward([1e20f], new float[1])).Message);
        Assert.Contains("Row 0", Assert.Throws<ArgumentException>(() => tiny.Inverse([float.PositiveInfinity], new float[1])).Message);
    }

    [Fact]
    public void Apply_RowSource_GivesTheForwardRows()
    {
        var x = new Matrix(2, 3, [1, 2, 3, 4, 5, 6]);
        var expected = new Matrix(2, 3);
        Simple().Forward(x, expected);
        var rows = Simple().Apply(x.AsRows());
        Assert.Equal((2, 3), (rows.RowCount, rows.ColumnCount));
        var row = new float[3];
        rows.CopyRow(1, row);
        Assert.Equal(expected.Row(1).ToArray(), row);
        Assert.Throws<ArgumentException>(() => Simple().Apply(new Matrix(2, 4).AsRows()));
    }

    [Fact]
    public void Constructors_And_Fits_RejectBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scaling(0, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scaling(3, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Scaling(3, float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RowCentering(1));
        Assert.Throws<ArgumentException>(() => new Standardization([], []));
        Assert.Throws<ArgumentException>(() => new Standardization([1f], [0f]));
        Assert.Throws<ArgumentException>(() => new Standardization([1f, 2f], [1f]));
        Assert.Throws<ArgumentException>(() => new PcaWhitening([0f, 0f], [1f, 1f], [1f]));
        Assert.Throws<ArgumentException>(() => new ZcaWhitening([0f, 0f], [1f, 0f], [1f]));
        Assert.Throws<ArgumentException>(() => new TransformChain());
        Assert.Throws<ArgumentException>(() => new TransformChain(new Scaling(3, 2f), new RowCentering(4)));
        var data = new Matrix(5, 2, [1, 2, 3, 5, 4, 1, 0, 0, 2, 7]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Standardization.Fit(data.AsRows(), epsilon: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PcaWhitening.Fit(data.AsRows(), epsilon: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => PcaWhitening.Fit(data.AsRows(), epsilon: 0, dropThreshold: 1));
        Assert.Throws<ArgumentException>(() => Standardization.Fit(new Matrix(0, 2).AsRows()));
        Assert.Throws<ArgumentException>(() => Standardization.Fit(data.AsRows(), input: new RowCentering(3)));
        var withNaN = new Matrix(2, 2, [1, float.NaN, 2, 3]);
        Assert.Contains("Row 0, column 1", Assert.Throws<ArgumentException>(() => ZcaWhitening.Fit(withNaN.AsRows(), 1)).Message);
    }

    [Fact]
    public void Forward_AfterTheFirstCall_AllocatesNothing()
    {
        // Buffers come from the shared pool; ZCA forms its D × D products once, on first use.
        var c = new TransformCase(60, 9, 9, 0, TransformKind.ScaleCenterZca, 2);
        Transform t = c.Fit();
        Matrix x = c.Fresh(20);
        var y = new Matrix(20, t.OutputCount);
        t.Forward(x, y);
        t.Inverse(y, x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            t.Forward(x, y);
            t.Inverse(y, x);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void NestedChains_AreFlattened()
    {
        var inner = new TransformChain(new Scaling(3, 2f), new RowCentering(3));
        var outer = new TransformChain(inner, Simple());
        Assert.Equal(3, outer.Steps.Count);
        Assert.DoesNotContain(outer.Steps, s => s is TransformChain);
    }
}
