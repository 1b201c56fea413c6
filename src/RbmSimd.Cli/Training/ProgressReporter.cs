using System.Globalization;
using RbmSimd.Training;
using Spectre.Console;

namespace RbmSimd.Cli.Training;

/// <summary>Shows training progress: per minibatch and per epoch.</summary>
internal interface IProgressReporter : IDisposable
{
    void BatchDone(BatchProgress progress);

    void EpochDone(EpochMetrics metrics);
}

/// <summary>Picks a live progress bar on a terminal and plain lines otherwise (CI logs, pipes).</summary>
internal static class ProgressReporter
{
    public static IProgressReporter Create(int epochs, int completedEpochs) =>
        Console.IsOutputRedirected || Environment.GetEnvironmentVariable("CI") is { Length: > 0 }
            ? new PlainProgress()
            : new LiveProgress(epochs, completedEpochs);
}

/// <summary>One line per epoch: what a log file wants.</summary>
internal sealed class PlainProgress : IProgressReporter
{
    public void BatchDone(BatchProgress progress) { }

    public void EpochDone(EpochMetrics metrics) => Console.WriteLine(MetricsCsv.FormatLine(metrics));

    public void Dispose() { }
}

/// <summary>
/// A Spectre.Console progress bar (epoch, minibatch, rows per second, ETA) drawn on its own thread;
/// epoch lines are printed above it.
/// </summary>
internal sealed class LiveProgress : IProgressReporter
{
    private readonly Task _display;
    private readonly TaskCompletionSource _finished = new();
    private readonly int _epochs;
    private ProgressTask? _task;
    private BatchProgress _last;

    public LiveProgress(int epochs, int completedEpochs)
    {
        _epochs = epochs;
        var ready = new ManualResetEventSlim();
        _display = AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _task = context.AddTask("training", maxValue: Math.Max(1, epochs - completedEpochs));
                ready.Set();
                await _finished.Task.ConfigureAwait(false);
            });
        ready.Wait();
    }

    public void BatchDone(BatchProgress p)
    {
        if (_task is null) return;
        double rate = p.Seconds > 0 ? p.Rows / p.Seconds : 0;
        double previous = _last.Epoch == p.Epoch ? (double)_last.Batch / _last.Batches : 0;
        _task.Increment((double)p.Batch / p.Batches - previous);
        _task.Description = string.Create(CultureInfo.InvariantCulture,
            $"epoch {p.Epoch}/{_epochs}  batch {p.Batch}/{p.Batches}  {rate:N0} rows/s");
        _last = p;
    }

    public void EpochDone(EpochMetrics metrics)
    {
        AnsiConsole.WriteLine(MetricsCsv.FormatLine(metrics));
        _last = default;
    }

    public void Dispose()
    {
        _finished.TrySetResult();
        _display.GetAwaiter().GetResult();
    }
}
