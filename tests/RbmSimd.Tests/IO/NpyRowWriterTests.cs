using RbmSimd.IO;
using RbmSimd.Numerics;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>The block-at-a-time .npy writer: the same bytes as the whole-array writer, and nothing left behind when it fails.</summary>
public class NpyRowWriterTests
{
    private static Matrix Values(int rows, int cols)
    {
        var m = new Matrix(rows, cols);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) m[r, c] = r * 1000 + c + 0.25f * (r % 3) - 7f;
        return m;
    }

    [Theory]
    [InlineData(10, 3, 1)]
    [InlineData(10, 3, 4)]
    [InlineData(10, 3, 10)]
    [InlineData(1, 17, 1)]
    [InlineData(0, 5, 3)]
    public void WriteFile_InBlocks_GivesTheBytesOfTheWholeArray(int rows, int cols, int block)
    {
        using var folder = new TempFolder();
        Matrix m = Values(rows, cols);
        string blocks = folder.File("blocks.npy"), whole = folder.File("whole.npy");
        NpyRowWriter.WriteFile(blocks, rows, cols, writer =>
        {
            for (int start = 0; start < rows; start += block)
                writer.Write(m.AsReadOnlyView().SliceRows(start, Math.Min(block, rows - start)));
        });
        Npy.Write(whole, NpyArray.FromMatrix(m));
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(blocks));
        NpyArray back = Npy.Read(blocks);
        Assert.Equal([rows, cols], back.Shape.ToArray());
        Assert.Equal(m.AsSpan().ToArray(), back.Values.ToArray());
    }

    [Fact]
    public void WriteFile_TooFewRows_LeavesTheOldFileAndNoTemporary()
    {
        using var folder = new TempFolder();
        string path = folder.File("f.npy");
        File.WriteAllText(path, "old");
        Matrix m = Values(3, 2);
        var e = Assert.Throws<InvalidOperationException>(() => NpyRowWriter.WriteFile(path, 4, 2, w => w.Write(m.AsReadOnlyView())));
        Assert.Contains("3 of the array's 4 rows", e.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Write_RefusesTooManyRowsAndAWrongWidth()
    {
        using var stream = new MemoryStream();
        var writer = new NpyRowWriter(stream, 2, 3);
        Assert.Throws<ArgumentException>(() => writer.Write(Values(1, 4).AsReadOnlyView()));
        writer.Write(Values(2, 3).AsReadOnlyView());
        var e = Assert.Throws<ArgumentException>(() => writer.Write(Values(1, 3).AsReadOnlyView()));
        Assert.Contains("would make 3", e.Message);
        writer.Complete();
        Assert.Equal(2, writer.RowsWritten);
    }
}
