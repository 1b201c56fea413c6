using System.Globalization;
using RbmSimd.Training;
using Spectre.Console;

namespace RbmSimd.Cli.Training;

/// <summary>Shows training progress: per minibatch and per epoch.</summary>
internal interface IProgressReporter : IDisposable
{
    /// <summary>Prints a line outside the table (above a live progress bar).</summary>
    void Note(string line);

    void BatchDone(BatchProgress progress);

    void EpochDone(EpochMetrics metrics);
}

/// <summary>Picks a live progress bar on a terminal and plain lines otherwise (CI logs, pipes).</summary>
internal static class ProgressReporter
{
    public static IProgressReporter Create(int epochs, int completedEpochs, bool heldOut, string? logLikelihood, bool prediction = false)
    {
        if (Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            return new PlainProgress(new EpochTable(0, epochs, heldOut, logLikelihood, prediction));
        int width = TerminalWidth();
        return new LiveProgress(new EpochTable(width, epochs, heldOut, logLikelihood, prediction), epochs, completedEpochs, width);
    }

    /// <summary>The terminal's width in columns (80 when it cannot be read).</summary>
    public static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}

/// <summary>The legend once, then one line per epoch: what a log file wants.</summary>
internal sealed class PlainProgress : IProgressReporter
{
    private readonly EpochTable _table;
    private bool _started;

    public PlainProgress(EpochTable table) => _table = table;

    public void Note(string line) => Console.WriteLine(line);

    public void BatchDone(BatchProgress progress) { }

    public void EpochDone(EpochMetrics metrics)
    {
        if (!_started)
        {
            foreach (string line in _table.Introduction()) Console.WriteLine(line);
            _started = true;
        }
        Console.WriteLine(_table.Row(metrics));
    }

    public void Dispose() { }
}

/// <summary>
/// A Spectre.Console progress bar (epoch, minibatch, rows per second, ETA) drawn on its own thread, sized to the
/// terminal; the legend and the epoch lines, fitted to the same width, are printed above it.
/// </summary>
internal sealed class LiveProgress : IProgressReporter
{
    private readonly Task _display;
    private readonly TaskCompletionSource _finished = new();
    private readonly EpochTable _table;
    private readonly int _epochs;
    private readonly int _width;
    private ProgressTask? _task;
    private BatchProgress _last;
    private bool _started;

    public LiveProgress(EpochTable table, int epochs, int completedEpochs, int width)
    {
        _table = table;
        _epochs = epochs;
        _width = width;
        var ready = new ManualResetEventSlim();
        // Description (~28 characters), bar, percentage (4), remaining time (8), with spaces: the bar takes what is left.
        int bar = Math.Clamp(width - 46, 5, 40);
        _display = AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = bar }, new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                _task = context.AddTask("training", maxValue: Math.Max(1, epochs - completedEpochs));
                ready.Set();
                await _finished.Task.ConfigureAwait(false);
            });
        ready.Wait();
    }

    public void Note(string line)
    {
        foreach (string part in Terminal.TextWrap.Lines(line, _width)) AnsiConsole.WriteLine(part);
    }

    public void BatchDone(BatchProgress p)
    {
        if (_task is null) return;
        double rate = p.Seconds > 0 ? p.Rows / p.Seconds : 0;
        double previous = _last.Epoch == p.Epoch ? (double)_last.Batch / _last.Batches : 0;
        _task.Increment((double)p.Batch / p.Batches - previous);
        string text = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{_epochs} {rate:N0} rows/s");
        _task.Description = Markup.Escape(text.Length > 28 ? text[..28] : text);
        _last = p;
    }

    public void EpochDone(EpochMetrics metrics)
    {
        if (!_started)
        {
            foreach (string line in _table.Introduction()) AnsiConsole.WriteLine(line);
            _started = true;
        }
        AnsiConsole.WriteLine(_table.Row(metrics));
        _last = default;
    }

    public void Dispose()
    {
        _finished.TrySetResult();
        _display.GetAwaiter().GetResult();
    }
}
