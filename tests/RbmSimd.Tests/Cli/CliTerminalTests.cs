using System.Diagnostics;
using System.Text.RegularExpressions;
using RbmSimd.Cli.Terminal;
using RbmSimd.Cli.Training;
using RbmSimd.Tests.IO;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>What rbm train prints fits an 80- or 60-column terminal, with a legend once; untrusted text is escaped.</summary>
[Collection("Console")]
public class CliTerminalTests
{
    private static readonly EpochMetrics Wide = new(1234, 123.456, 0.123456, -1234.567, -1230.5, 12.5, -123.4567, -130.1234);

    [Theory]
    [InlineData(80)]
    [InlineData(60)]
    [InlineData(40)]
    public void EpochTable_LinesAreShorterThanTheWidth(int width)
    {
        var table = new EpochTable(width, epochs: 5000, heldOut: true, logLikelihood: "exact");
        string[] lines = [.. table.Introduction(), table.Row(Wide)];
        Assert.All(lines, line => Assert.True(line.Length < width, $"{line.Length} characters: '{line}'"));
        Assert.StartsWith("columns: recon = reconstruction error", lines[0]);
        Assert.Matches(@"^\s*1234\s+0\.12346", lines[^1]);
    }

    [Fact]
    public void EpochTable_Narrow_SaysWhichColumnsAreLeftOut_Unlimited_ShowsAll()
    {
        string narrow = string.Join(' ', new EpochTable(60, 100, heldOut: true, logLikelihood: "exact").Introduction());
        Assert.Contains("Not shown at this width:", narrow);
        Assert.Contains("metrics.csv has every column", narrow);
        var all = new EpochTable(0, 100, heldOut: true, logLikelihood: "exact");
        string header = all.Introduction().Last();
        foreach (string column in new[] { "epoch", "recon", "F(train)", "gap", "rgap", "logL(train)", "logL(held)", "s" }) Assert.Contains(column, header);
        Assert.DoesNotContain("Not shown", string.Join(' ', all.Introduction()));
    }

    [Fact]
    public void EpochTable_NamesAnAisEstimateAsAnEstimate()
    {
        string ais = string.Join(' ', new EpochTable(0, 100, heldOut: false, logLikelihood: "ais").Introduction());
        Assert.Contains("AIS estimate of log Z", ais);
        Assert.DoesNotContain("exact", ais);
        string none = string.Join(' ', new EpochTable(0, 100, heldOut: false, logLikelihood: null).Introduction());
        Assert.DoesNotContain("logL", none);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(60)]
    public void TextWrap_KeepsEveryLineShorterThanTheWidth(int width)
    {
        string text = "note: " + string.Join(' ', Enumerable.Repeat("word", 40)) + " /a/very/long/path/" + new string('x', 150) + " end";
        string[] lines = TextWrap.Lines(text, width).ToArray();
        Assert.All(lines, l => Assert.True(l.Length < width, l));
        Assert.Equal(text.Replace(" ", ""), string.Concat(lines).Replace(" ", ""));
    }

    [Fact]
    public void Display_EscapesControlAndFormatCharacters_KeepsPrintableText()
    {
        Assert.Equal("plain päth/ünïcode ±∞ →", Display.Escape("plain päth/ünïcode ±∞ →"));
        Assert.Equal(@"\x1B]0;title\x07\x1B[2J\x00\x0A\x9B\u{202E}\u{200B}", Display.Escape("\x1B]0;title\x07\x1B[2J\0\n\x9B\u202E\u200B"));
        Assert.Equal(@"\u{D800}x", Display.Escape("\uD800x"));
        Assert.Equal("😀", Display.Escape("😀"));
    }

    [Fact]
    public void PlainOutput_LegendOnce_OneLinePerEpoch()
    {
        using var folder = new TempFolder();
        var (code, stdout, stderr) = CliRunner.Run("train", "--data", "bars:3", "--hidden", "4", "--epochs", "4", "--output", folder.File("run"));
        Assert.True(code == 0, stderr);
        Assert.Single(Regex.Matches(stdout, "^columns: ", RegexOptions.Multiline));
        Assert.Single(Regex.Matches(stdout, @"^epoch\s+recon", RegexOptions.Multiline));
        Assert.Equal(4, CliTests.EpochLines(stdout));
    }

    /// <summary>The real thing: rbm train in tmux panes of 80 and 60 columns, the screen captured after it ends.</summary>
    [SkippableTmuxTheory]
    [InlineData(80)]
    [InlineData(60)]
    public void Tmux_TrainOutput_FitsTheTerminal(int width)
    {
        using var folder = new TempFolder();
        string session = $"rbm-test-{Environment.ProcessId}-{width}";
        string rbm = Path.Combine(AppContext.BaseDirectory, "rbm.dll");
        string done = folder.File("done");
        string command = $"cd '{folder.Path}' && env -u CI dotnet '{rbm}' train --data digits --hidden 32 --epochs 12 --output run; echo $? > '{done}'; sleep 60";
        Tmux($"new-session -d -s {session} -x {width} -y 50 \"{command}\"");
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(done) && clock.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(200);
            Assert.True(File.Exists(done), "rbm train did not finish in tmux within 120 s");
            Assert.Equal("0", File.ReadAllText(done).Trim());
            string screen = Tmux($"capture-pane -p -t {session} -S -100");
            string[] lines = screen.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToArray();
            Assert.All(lines, l => Assert.True(l.Length < width, $"line of {l.Length} columns: '{l}'"));
            string[] epochs = lines.Where(l => Regex.IsMatch(l, @"^\s+\d+\s+\d\.\d{5}\s")).ToArray();
            Assert.Equal(Enumerable.Range(1, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                epochs.Select(l => l.Trim().Split(' ')[0]));
            Assert.Single(lines, l => l.StartsWith("columns: ", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains("rows/s", StringComparison.Ordinal)); // the bar is cleared at the end
        }
        finally
        {
            Tmux($"kill-session -t {session}");
        }
    }

    private static string Tmux(string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("tmux", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}

/// <summary>A theory that is skipped where tmux is not installed.</summary>
public sealed class SkippableTmuxTheoryAttribute : TheoryAttribute
{
    public SkippableTmuxTheoryAttribute()
    {
        bool found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, "tmux")));
        if (!found || OperatingSystem.IsWindows()) Skip = "tmux is not installed";
    }
}

/// <summary>A platform without SkiaSharp's native library gets one line saying so, not a stack trace.</summary>
public class CliMissingNativeTests
{
    [Fact]
    public void MissingNativeLibrary_IsRecognised_InsideATypeInitialiser()
    {
        var missing = new TypeInitializationException("SkiaSharp.SKImageInfo", new DllNotFoundException("libSkiaSharp"));
        Assert.True(RbmSimd.Cli.CliErrors.IsMissingNativeLibrary(missing));
        Assert.False(RbmSimd.Cli.CliErrors.IsMissingNativeLibrary(new TypeInitializationException("X", new InvalidOperationException())));
        Assert.Contains("linux-x64 only", RbmSimd.Cli.CliErrors.MissingNativeLibrary);
    }
}
