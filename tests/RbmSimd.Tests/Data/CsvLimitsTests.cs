using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Data;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.Data;

/// <summary>
/// The CSV reader's limits and quoting (issue 10, section 6): a 200 MB line took 2.6 GB, and cells
/// with escape sequences reached the terminal raw. Lines are split exactly as
/// <see cref="TextReader.ReadLine"/> splits them (the reference), but never held whole past
/// <see cref="ReadLimits.MaxLineLength"/>; values count 8 bytes each against
/// <see cref="ReadLimits.MaxBytes"/>; quoted cells are printable.
/// </summary>
public class CsvLimitsTests
{
    /// <summary>A reader that hands out at most <paramref name="step"/> characters per call, so block boundaries fall everywhere.</summary>
    private sealed class Trickle(string text, int step) : TextReader
    {
        private int _pos;

        public override int Read(char[] buffer, int index, int count)
        {
            int n = Math.Min(Math.Min(count, step), text.Length - _pos);
            text.CopyTo(_pos, buffer, index, n);
            _pos += n;
            return n;
        }
    }

    /// <summary>One line of <c>0,0,0,…</c> that never ends, produced as it is read: nothing holds it.</summary>
    private sealed class EndlessLine(long length) : TextReader
    {
        public long Served { get; private set; }

        public override int Read(char[] buffer, int index, int count)
        {
            int n = (int)Math.Min(count, length - Served);
            for (int i = 0; i < n; i++) buffer[index + i] = (Served + i) % 2 == 0 ? '0' : ',';
            Served += n;
            return n;
        }
    }

    private static List<string> Lines(TextReader reader, int max = int.MaxValue)
    {
        var lines = new BoundedLineReader(reader, max, "t.csv");
        var result = new List<string>();
        while (lines.TryReadLine(out ReadOnlySpan<char> line))
        {
            result.Add(line.ToString());
            Assert.Equal(result.Count, lines.LineNumber);
        }
        return result;
    }

    private static List<string> Reference(string text)
    {
        var reader = new StringReader(text);
        var result = new List<string>();
        while (reader.ReadLine() is { } line) result.Add(line);
        return result;
    }

    [Property(MaxTest = 500)]
    public Property Lines_SplitAsTextReaderReadLine_AtAnyBlockBoundary() =>
        Prop.ForAll(
            (from chars in Gen.Elements('a', 'b', ',', '\r', '\n', '\r', '\n').ArrayOf()
             from step in Gen.Choose(1, 5)
             select (Text: new string(chars), step)).ToArbitrary(),
            input => Assert.Equal(Reference(input.Text), Lines(new Trickle(input.Text, input.step))));

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r")]
    [InlineData("\r\n")]
    [InlineData("\n\r")]
    [InlineData("a")]
    [InlineData("a\r\r\nb\n")]
    public void Lines_EdgeCases_AsReadLine(string text)
    {
        Assert.Equal(Reference(text), Lines(new StringReader(text)));
    }

    [Fact]
    public void Lines_LongLinesAcrossBlocks_Exact()
    {
        string a = new('a', 40_000), b = new('b', 16 * 1024), c = new('c', 16 * 1024 - 1);
        string text = a + "\r\n" + b + "\r" + c + "\n";
        Assert.Equal([a, b, c], Lines(new StringReader(text)));
        Assert.Equal([a, b, c], Lines(new StringReader(text), max: 40_000));
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void LineLength_AtTheLimitLoads_OnePastThrows(string newline)
    {
        const int Max = 49_999; // more than one 16 Ki-character block
        string ok = "0" + string.Concat(Enumerable.Repeat(",1", Max / 2));
        Assert.Equal(Max, ok.Length);
        var options = new CsvOptions { HasHeader = false, Limits = new ReadLimits { MaxLineLength = Max } };
        Dataset d = CsvData.Read(new StringReader(ok + newline + ok), "ok.csv", options);
        Assert.Equal(2, d.Count);
        string text = ok + newline + ok + newline + ok + "1" + newline + ok;
        var ex = Assert.Throws<InvalidDataException>(() => CsvData.Read(new StringReader(text), "long.csv", options));
        Assert.Equal($"long.csv, line 3: is longer than the limit of {Max} characters (ReadLimits.MaxLineLength).", ex.Message);
    }

    [Fact]
    public void EnormousLine_RefusedAfterTheLimit_MemoryBounded()
    {
        // 200 million characters on one line: refused after about 1 Mi characters have been read.
        var reader = new EndlessLine(200_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => CsvData.Read(reader, "huge.csv"));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("huge.csv, line 1: is longer than the limit of 1048576 characters (ReadLimits.MaxLineLength).", ex.Message);
        Assert.True(allocated < (16 << 20), $"allocated {allocated} bytes");
        Assert.True(reader.Served < 2 << 20, $"read {reader.Served} characters");
    }

    [Fact]
    public void Memory_EightBytesPerValue_AtTheLimitAndOnePast()
    {
        const string Text = "0,1\n1,0\n0.5,0.5\n";
        // Before line k: 2(k − 1) values so far and 2 on the line, 8 bytes each: 48 before line 3.
        Assert.Equal(3, CsvData.Read(new StringReader(Text), "m.csv", new CsvOptions { Limits = new ReadLimits { MaxBytes = 48 } }).Count);
        var ex = Assert.Throws<InvalidDataException>(() => CsvData.Read(new StringReader(Text), "m.csv", new CsvOptions { Limits = new ReadLimits { MaxBytes = 47 } }));
        Assert.Equal("m.csv, line 3: the data up to this line needs 48 bytes of memory, more than the read limit of 47 bytes (ReadLimits.MaxBytes).", ex.Message);
        // With a label column the labels count too: 3 cells a line, 72 bytes before line 3.
        const string Labelled = "0,1,4\n1,0,5\n\n0.5,0.5,6\n";
        var labelled = new CsvOptions { LastColumnIsLabel = true, Limits = new ReadLimits { MaxBytes = 72 } };
        Assert.Equal([4, 5, 6], CsvData.Read(new StringReader(Labelled), "l.csv", labelled).Labels.ToArray());
        Assert.Equal("l.csv, line 4: the data up to this line needs 72 bytes of memory, more than the read limit of 71 bytes (ReadLimits.MaxBytes).",
            Assert.Throws<InvalidDataException>(() => CsvData.Read(new StringReader(Labelled), "l.csv", labelled with { Limits = new ReadLimits { MaxBytes = 71 } })).Message);
    }

    [Fact]
    public void Load_File_UsesTheLimits()
    {
        using var dir = new IO.TempFolder();
        string path = dir.File("f.csv");
        File.WriteAllText(path, "0,1\n1,0\n");
        Assert.Equal(2, CsvData.Load(path, new CsvOptions { Limits = new ReadLimits { MaxLineLength = 3 } }).Count);
        Assert.Equal($"{path}, line 1: is longer than the limit of 2 characters (ReadLimits.MaxLineLength).",
            Assert.Throws<InvalidDataException>(() => CsvData.Load(path, new CsvOptions { Limits = new ReadLimits { MaxLineLength = 2 } })).Message);
        Assert.Throws<ArgumentNullException>(() => CsvData.Load(path, new CsvOptions { Limits = null! }));
    }

    // ---- Cells are quoted printably (UntrustedText): escapes, NUL, length.

    public static TheoryData<string, string> HostileCells => new()
    {
        { "0,\u001b]0;pwned\u0007,1\n", "hostile.csv, line 1, column 2: '\\x1B]0;pwned\\x07' is not a number." },
        { "0,1\n0,\u001b[2J\u001b[31m\n", "hostile.csv, line 2, column 2: '\\x1B[2J\\x1B[31m' is not a number." },
        { "0,1\n0,a\0b\n", "hostile.csv, line 2, column 2: 'a\\x00b' is not a number." },
        { "0,1\n0,\u202e1\n", "hostile.csv, line 2, column 2: '\\u{202E}1' is not a number." },
        { "0,1\n0,5\u0007\n", "hostile.csv, line 2, column 2: '5\\x07' is not a number." },
    };

    [Theory]
    [MemberData(nameof(HostileCells))]
    public void Errors_QuoteCellsPrintably(string text, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => CsvData.Read(new StringReader(text), "hostile.csv", new CsvOptions { HasHeader = false }));
        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Errors_EveryCellMessage_Quoted()
    {
        static string Fail(string text, CsvOptions options) =>
            Assert.Throws<InvalidDataException>(() => CsvData.Read(new StringReader(text), "q.csv", options)).Message;
        var plain = new CsvOptions { HasHeader = false };
        Assert.Equal("q.csv, line 1, column 2: value '2' is outside [0, 1]; rescale the data (scale 'max' or a divisor such as 255).", Fail("0;2", plain with { Separator = ';' }));
        Assert.Equal("q.csv, line 1, column 2: value '-1' is negative; scaling by the maximum needs non-negative values.", Fail("0,-1", plain with { Scale = CsvScale.Max }));
        Assert.Equal("q.csv, line 1, column 2: value '300' divided by 255 is outside [0, 1].", Fail("0,300", plain with { Scale = CsvScale.DivideBy(255) }));
        Assert.Equal("q.csv, line 1, column 2: label '1.5' is not a non-negative integer.", Fail("0,1.5", plain with { LastColumnIsLabel = true }));
        Assert.Equal("q.csv, line 1, column 2: '1e39' is too large for float32.", Fail("0,1e39", plain));
        Assert.Equal("q.csv, line 1, column 2: 'NaN' is not finite.", Fail("0,NaN", plain));
        Assert.Equal("q.csv, line 1, column 2: '\\x1B' is not a number (a header line may hold no numbers; set the header option to say whether there is one).",
            Fail("0,\u001b\n", new CsvOptions()));
    }

    [Fact]
    public void Errors_LongCell_CutShort()
    {
        string cell = new('x', 100_000);
        string message = Assert.Throws<InvalidDataException>(() => CsvData.Read(new StringReader("0,1\n0," + cell), "long.csv")).Message;
        Assert.Equal($"long.csv, line 2, column 2: '{new string('x', 60)}…' (100000 characters) is not a number.", message);
    }

    [Fact]
    public void Options_SeparatorQuoted()
    {
        Assert.Equal("'\\x0D' cannot separate numeric cells. (Parameter 'options')",
            Assert.Throws<ArgumentException>(() => CsvData.Read(new StringReader("0"), "s.csv", new CsvOptions { Separator = '\r' })).Message);
    }
}
