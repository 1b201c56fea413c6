using System.Runtime.InteropServices;

namespace RbmSimd.Cli.Training;

/// <summary>
/// Turns the first Ctrl+C (SIGINT) or SIGTERM into a cancellation, so that training stops after the current minibatch
/// and saves; a second signal is left to its default action (the process ends at once; every file is written atomically,
/// so what is on disk stays readable).
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    public StopSignals()
    {
        foreach (PosixSignal signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, Handle));
            }
            catch (PlatformNotSupportedException)
            {
            }
        }
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>The signal that stopped the run, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The exit code for the signal received: 130 for SIGINT, 143 for SIGTERM (128 + the signal number, as shells report).</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? TrainRun.Terminated : TrainRun.Interrupted;

    /// <summary>Stops as a signal would (tests, and callers that stop a run without one).</summary>
    public void Request(PosixSignal signal)
    {
        Signal ??= signal;
        _cancel.Cancel();
    }

    private void Handle(PosixSignalContext context)
    {
        if (_cancel.IsCancellationRequested) return; // a second signal: the default action ends the process
        context.Cancel = true;
        Request(context.Signal);
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations) registration.Dispose();
        _cancel.Dispose();
    }
}
