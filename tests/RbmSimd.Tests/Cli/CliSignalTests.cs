using System.Diagnostics;
using RbmSimd.Persistence;
using RbmSimd.IO;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>SIGTERM (what kill, systemd and container runtimes send) stops a run the way Ctrl+C does: after the minibatch, everything saved.</summary>
public class CliSignalTests
{
    [SkippableUnixTheory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public void Signal_StopsAfterTheMinibatch_SavesAndResumes(string signal, int exitCode)
    {
        using var folder = new TempFolder();
        string output = folder.File("run");
        string rbm = Path.Combine(AppContext.BaseDirectory, "rbm.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { rbm, "train", "--data", "digits", "--hidden", "200", "--batch-size", "1", "--epochs", "500", "--output", output, "--save-interval", "3600" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder.Path,
        };
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stdout = new System.Text.StringBuilder();
        var firstEpoch = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            if (System.Text.RegularExpressions.Regex.IsMatch(e.Data, @"^\s+1\s+\d")) firstEpoch.Set();
        };
        process.BeginOutputReadLine();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(firstEpoch.Wait(TimeSpan.FromSeconds(120)), "no epoch finished within 120 s");
            Thread.Sleep(300);
            using (Process kill = Process.Start("kill", $"-{signal} {process.Id}")!) kill.WaitForExit();
            Assert.True(process.WaitForExit(60_000), "the run did not stop within 60 s of the signal");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        process.WaitForExit();
        string output1;
        lock (stdout) output1 = stdout.ToString();
        Assert.True(process.ExitCode == exitCode, $"exit code {process.ExitCode}; stdout: {output1}; stderr: {stderr.Result}");
        Assert.Contains($"stopped by SIG{signal} in epoch", output1);
        Assert.Contains("resume with: rbm train --resume run", output1); // relative to the current folder
        var (checkpoint, _) = CheckpointFile.Load(Path.Combine(output, "checkpoint.npz"));
        Assert.True(checkpoint.CompletedEpochs >= 1);
        Assert.True(File.Exists(Path.Combine(output, "model.npz")));
        Assert.False(File.Exists(Path.Combine(output, ".rbm.lock")), "the lock is released");
        Assert.Equal(checkpoint.CompletedEpochs + 1, File.ReadAllLines(Path.Combine(output, "metrics.csv")).Length);
    }
}

/// <summary>A theory that runs only where POSIX signals and the kill command exist.</summary>
public sealed class SkippableUnixTheoryAttribute : TheoryAttribute
{
    public SkippableUnixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "POSIX signals";
    }
}
