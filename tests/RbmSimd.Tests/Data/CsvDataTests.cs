using RbmSimd.Data;
using Xunit;

namespace RbmSimd.Tests.Data;

public class CsvDataTests
{
    private static Dataset Read(string text, CsvOptions? options = null) => CsvData.Read(new StringReader(text), "data.csv", options);

    private static string ErrorOf(string text, CsvOptions? options = null) =>
        Assert.Throws<InvalidDataException>(() => Read(text, options)).Message;

    [Fact]
    public void Read_PlainNumbers()
    {
        Dataset d = Read("0,0.5,1\n1,0.25,0\n");
        Assert.Equal(2, d.Count);
        Assert.Equal(3, d.FeatureCount);
        Assert.False(d.HasLabels);
        Assert.Equal([0f, 0.5f, 1f, 1f, 0.25f, 0f], d.Features.AsSpan().ToArray());
        Assert.False(d.IsImage);
    }

    [Fact]
    public void Read_HeaderDetected_LabelsAndBlankLinesAndCrlf()
    {
        Dataset d = Read("\uFEFFa,b,c,d,label\r\n\r\n0,1,0,1,3\r\n1, 1 ,0 ,0,7\r\n\n", new CsvOptions { LastColumnIsLabel = true });
        Assert.Equal(2, d.Count);
        Assert.Equal(4, d.FeatureCount);
        Assert.Equal([3, 7], d.Labels.ToArray());
        Assert.Equal((2, 2), (d.ImageWidth, d.ImageHeight));   // 4 features: assumed a 2x2 image
    }

    [Fact]
    public void Read_ExplicitNumericHeader()
    {
        Dataset d = Read("0,1\n0.5,0.5\n", new CsvOptions { HasHeader = true });
        Assert.Equal(1, d.Count);
    }

    [Fact]
    public void Read_ScaleMax_DividesByLargestValue()
    {
        Dataset d = Read("0,2,4\n8,1,0\n", new CsvOptions { Scale = CsvScale.Max });
        Assert.Equal([0f, 0.25f, 0.5f, 1f, 0.125f, 0f], d.Features.AsSpan().ToArray());
    }

    [Fact]
    public void Read_ScaleDivisor()
    {
        Dataset d = Read("0;255\n51;102\n", new CsvOptions { Scale = CsvScale.Parse("255"), Separator = ';' });
        Assert.Equal([0f, 1f, 0.2f, 0.4f], d.Features.AsSpan().ToArray());
    }

    [Theory]
    [InlineData("0,1\n1,0,1\n", null, "data.csv, line 2: has 3 columns but line 1 has 2.")]
    [InlineData("x,y\n0,1\n1\n", null, "data.csv, line 3: has 1 columns but line 1 has 2.")]
    [InlineData("0,1\n0,abc\n", null, "data.csv, line 2, column 2: 'abc' is not a number.")]
    [InlineData("0,1\n0,\n", null, "data.csv, line 2, column 2: the cell is empty.")]
    [InlineData("0,1\nNaN,1\n", null, "data.csv, line 2, column 1: 'NaN' is not finite.")]
    [InlineData("0,1\n0,-Infinity\n", null, "data.csv, line 2, column 2: '-Infinity' is not finite.")]
    [InlineData("0,1e39\n", "max", "data.csv, line 1, column 2: '1e39' is too large for float32.")]
    [InlineData("0,1\n0,2\n", null, "data.csv, line 2, column 2: value '2' is outside [0, 1]; rescale the data (scale 'max' or a divisor such as 255).")]
    [InlineData("0,1\n-0.5,1\n", null, "data.csv, line 2, column 1: value '-0.5' is outside [0, 1]; rescale the data (scale 'max' or a divisor such as 255).")]
    [InlineData("0,1\n-1,1\n", "max", "data.csv, line 2, column 1: value '-1' is negative; scaling by the maximum needs non-negative values.")]
    [InlineData("0,256\n", "255", "data.csv, line 1, column 2: value '256' divided by 255 is outside [0, 1].")]
    [InlineData("1,x,2\n", null, "data.csv, line 1, column 2: 'x' is not a number (a header line may hold no numbers; set the header option to say whether there is one).")]
    [InlineData("a,b\n\n", null, "data.csv: has no data rows.")]
    [InlineData("", null, "data.csv: has no data rows.")]
    public void Read_BadContents_NameFileLineAndColumn(string text, string? scale, string expected)
    {
        var options = new CsvOptions { Scale = scale is null ? CsvScale.None : CsvScale.Parse(scale) };
        Assert.Equal(expected, ErrorOf(text, options));
    }

    [Theory]
    [InlineData("0,1,2.5\n", "data.csv, line 1, column 3: label '2.5' is not a non-negative integer.")]
    [InlineData("0,1,-1\n", "data.csv, line 1, column 3: label '-1' is not a non-negative integer.")]
    [InlineData("1\n", "data.csv, line 1: has 1 column, but a label column needs at least one feature column beside it.")]
    public void Read_BadLabels(string text, string expected)
    {
        Assert.Equal(expected, ErrorOf(text, new CsvOptions { LastColumnIsLabel = true }));
    }

    [Fact]
    public void Read_ImageShapeMismatch_Throws()
    {
        Assert.Equal("data.csv: has 3 feature columns, which is not a 2x2 image.",
            ErrorOf("0,1,0\n", new CsvOptions { ImageWidth = 2, ImageHeight = 2 }));
    }

    [Fact]
    public void Read_BadOptions_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Read("0\n", new CsvOptions { Separator = '.' }));
        Assert.Throws<ArgumentException>(() => Read("0\n", new CsvOptions { ImageWidth = 3 }));
        Assert.Throws<ArgumentException>(() => CsvScale.Parse("-3"));
        Assert.Throws<ArgumentException>(() => CsvScale.Parse("huge"));
        Assert.Throws<ArgumentOutOfRangeException>(() => CsvScale.DivideBy(0));
    }

    [Fact]
    public void CsvScale_ParseAndToString_RoundTrip()
    {
        Assert.Same(CsvScale.None, CsvScale.Parse(" None "));
        Assert.Same(CsvScale.Max, CsvScale.Parse("MAX"));
        Assert.Equal("255", CsvScale.Parse("255").ToString());
        Assert.Equal("max", CsvScale.Max.ToString());
        Assert.Equal("none", CsvScale.None.ToString());
    }

    [Fact]
    public void Load_File_ErrorNamesPath()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rbmsimd-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "0,1\n0,7\n");
            var ex = Assert.Throws<InvalidDataException>(() => CsvData.Load(path));
            Assert.StartsWith($"{path}, line 2, column 2: ", ex.Message);
            File.WriteAllText(path, "0,1\n0,7\n");
            Assert.Equal([0f, 1f / 7, 0f, 1f], CsvData.Load(path, new CsvOptions { Scale = CsvScale.Max }).Features.AsSpan().ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
