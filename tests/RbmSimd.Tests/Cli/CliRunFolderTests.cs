using System.Diagnostics;
using System.Globalization;
using RbmSimd.Persistence;
using RbmSimd.Cli.Training;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>Output folders a user can trust: one run per folder, locked while it runs, runs/latest naming the newest, resume that knows its data.</summary>
[Collection("Console")]
public class CliRunFolderTests
{
    private static readonly string[] Small = ["--data", "bars:3", "--hidden", "4", "--epochs", "3", "--held-out", "0"];

    /// <summary>Runs with the current folder set to <paramref name="folder"/> (the CLI resolves runs/ against it).</summary>
    private static (int Code, string Out, string Err) RunIn(string folder, params string[] args)
    {
        string old = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder;
        try
        {
            return CliRunner.Run(args);
        }
        finally
        {
            Environment.CurrentDirectory = old;
        }
    }

    [Fact]
    public void DefaultOutput_NewFolderPerRun_RunsLatestNamesTheNewest()
    {
        using var folder = new TempFolder();
        var first = RunIn(folder.Path, ["train", .. Small]);
        Assert.True(first.Code == 0, first.Err);
        var second = RunIn(folder.Path, ["train", .. Small, "--seed", "2"]);
        Assert.True(second.Code == 0, second.Err);
        string runs = Path.Combine(folder.Path, "runs");
        string[] dated = Directory.GetDirectories(runs).Where(d => Path.GetFileName(d) != "latest").ToArray();
        Assert.Equal(2, dated.Length);
        string latest = Path.Combine(runs, "latest");
        Assert.NotNull(new DirectoryInfo(latest).LinkTarget);
        string newest = dated.OrderBy(d => d, StringComparer.Ordinal).Last();
        Assert.Equal(newest, Directory.ResolveLinkTarget(latest, returnFinalTarget: true)!.FullName);
        Assert.True(File.Exists(Path.Combine(latest, "model.npz")));
        Assert.Contains("(runs/latest)", second.Out);
        // The first run's files are untouched.
        string older = dated.OrderBy(d => d, StringComparer.Ordinal).First();
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(older, "model.npz")), File.ReadAllBytes(Path.Combine(newest, "model.npz")));
    }

    [Fact]
    public void OldRunsLatestFolder_IsMovedAside_NotOverwritten()
    {
        using var folder = new TempFolder();
        string old = Path.Combine(folder.Path, "runs", "latest");
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, "metrics.csv"), "epoch\n1\n");
        var result = RunIn(folder.Path, ["train", .. Small]);
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("moved the older folder 'runs/latest' to 'runs/", result.Out);
        Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, "runs"), "metrics.csv", SearchOption.AllDirectories),
            f => File.ReadAllText(f) == "epoch\n1\n");
    }

    [Fact]
    public void OutputHoldingARun_IsRefused_UnlessForce()
    {
        using var folder = new TempFolder();
        string output = folder.File("run");
        Assert.Equal(0, CliRunner.Run(["train", .. Small, "--output", output]).Code);
        byte[] model = File.ReadAllBytes(Path.Combine(output, "model.npz"));
        string[] five = ["train", "--data", "bars:3", "--hidden", "5", "--epochs", "3", "--held-out", "0", "--output", output];
        CliUsageErrorTests.AssertUserError(CliRunner.Run(five),
            "already holds a run (model.npz, checkpoint.npz, metrics.csv)", "pass --force to replace it", $"--resume {output}");
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(output, "model.npz")));
        var (code, stdout, stderr) = CliRunner.Run([.. five, "--force"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("--force: removed the previous run's", stdout);
        Assert.Equal(5, ModelFile.Load(Path.Combine(output, "model.npz")).HiddenCount);
    }

    [Fact]
    public void LockedFolder_IsRefused_StaleLockIsTakenOver()
    {
        using var folder = new TempFolder();
        string output = folder.File("run");
        Directory.CreateDirectory(output);
        string lockPath = Path.Combine(output, RunLock.FileName);
        using (Process self = Process.GetCurrentProcess())
            File.WriteAllText(lockPath, string.Create(CultureInfo.InvariantCulture,
                $"pid {Environment.ProcessId}\nhost {Environment.MachineName}\nstarted {self.StartTime.ToUniversalTime():O}\ncommand rbm train\n"));
        CliUsageErrorTests.AssertUserError(CliRunner.Run(["train", .. Small, "--output", output, "--force"]),
            "is in use by rbm (process " + Environment.ProcessId);
        Assert.False(File.Exists(Path.Combine(output, "model.npz")));

        // A process id that no longer runs (or started after the lock was written) is a stale lock.
        File.WriteAllText(lockPath, $"pid {int.MaxValue - 7}\nhost {Environment.MachineName}\nstarted 2001-01-01T00:00:00.0000000Z\ncommand rbm train\n");
        var (code, stdout, stderr) = CliRunner.Run(["train", .. Small, "--output", output]);
        Assert.True(code == 0, stderr);
        Assert.Contains("removed a stale lock", stdout);
        Assert.False(File.Exists(lockPath), "the lock is released when the run ends");
    }

    [Fact]
    public void UnfinishedTemporaryFiles_AreRemovedByTheNextRunInTheFolder()
    {
        using var folder = new TempFolder();
        string output = folder.File("run");
        Assert.Equal(0, CliRunner.Run(["train", .. Small, "--output", output]).Code);
        string leftover = Path.Combine(output, $".checkpoint.npz.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(leftover, "half");
        string unrelated = Path.Combine(output, ".notes.tmp");
        File.WriteAllText(unrelated, "mine");
        var (code, stdout, stderr) = CliRunner.Run("train", "--resume", output, "--epochs", "4");
        Assert.True(code == 0, stderr);
        Assert.Contains("removed 1 unfinished temporary file", stdout);
        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public void Resume_WithContradictingOptions_IsRefusedNamingThem()
    {
        using var folder = new TempFolder();
        string output = folder.File("run");
        Assert.Equal(0, CliRunner.Run(["train", .. Small, "--output", output]).Code);
        byte[] checkpoint = File.ReadAllBytes(Path.Combine(output, "checkpoint.npz"));
        CliUsageErrorTests.AssertUserError(CliRunner.Run("train", "--resume", output, "--hidden", "10", "--learning-rate", "0.5", "--epochs", "5"),
            "--hidden 10 (the checkpoint has 4); --learning-rate 0.5 (the checkpoint has 0.05)", "only --epochs, --threads, --save-interval, --early-stopping and --on-divergence may change");
        CliUsageErrorTests.AssertUserError(CliRunner.Run("train", "--resume", output, "--pcd", "--epochs", "5"), "--pcd (the checkpoint has no --pcd)");
        CliUsageErrorTests.AssertUserError(CliRunner.Run("train", "--resume", output, "--output", folder.File("x")), "--output cannot be used with --resume");
        CliUsageErrorTests.AssertUserError(CliRunner.Run("train", "--resume", output), "has completed all its 3 epochs; pass --epochs");
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(output, "checkpoint.npz")));
        // Options that agree with the checkpoint are fine.
        var (code, _, stderr) = CliRunner.Run("train", "--resume", output, "--hidden", "4", "--data", "bars:3", "--epochs", "4");
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void Resume_RecordsTheAbsoluteSource_AndRefusesChangedRows()
    {
        using var folder = new TempFolder();
        string csv = folder.File("bars.csv");
        File.WriteAllText(csv, "1,1,0,0\n0,0,1,1\n1,0,1,0\n0,1,0,1\n");
        string output = folder.File("run");
        // Started with a relative path, resumed from another current folder.
        var started = RunIn(folder.Path, "train", "--data", "bars.csv", "--hidden", "2", "--epochs", "2", "--held-out", "0", "--output", output);
        Assert.True(started.Code == 0, started.Err);
        var (code, stdout, stderr) = RunIn(Path.GetTempPath(), "train", "--resume", output, "--epochs", "3");
        Assert.True(code == 0, stderr);
        Assert.Contains("resuming", stdout);
        var (_, metadata) = CheckpointFile.Load(Path.Combine(output, "checkpoint.npz"));
        Assert.Equal(csv, metadata["data_source"]);
        Assert.Equal(64, metadata["data_sha256"].Length);

        // Same shape, other rows: refused, naming what changed.
        File.WriteAllText(csv, "1,1,1,1\n0,0,1,1\n1,0,1,0\n0,1,0,1\n");
        CliUsageErrorTests.AssertUserError(CliRunner.Run("train", "--resume", output, "--epochs", "4"),
            "the data changed:", "has the same shape (4 + 0 rows × 4) but other values");
        File.WriteAllText(csv, "1,1,0,0\n0,0,1,1\n1,0,1,0\n");
        CliUsageErrorTests.AssertUserError(CliRunner.Run("train", "--resume", output, "--epochs", "4"),
            "now gives 3 training and 0 held-out rows; the checkpoint was trained on 4 and 0");

        // The same rows in a new place: pass --data.
        File.WriteAllText(csv, "1,1,0,0\n0,0,1,1\n1,0,1,0\n0,1,0,1\n");
        string moved = folder.File("moved.csv");
        File.Move(csv, moved);
        CliUsageErrorTests.AssertUserError(CliRunner.Run("train", "--resume", output, "--epochs", "4"), "no longer exists; if it moved, pass --data");
        (code, _, stderr) = CliRunner.Run("train", "--resume", output, "--epochs", "4", "--data", moved);
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public void StopMidEpoch_ThenResume_BannerAndTheEpochsWholeTime()
    {
        using var folder = new TempFolder();
        string output = folder.File("run");
        // digits: 1,617 training rows, 162 minibatches; stop 150 minibatches into epoch 2, each made slow enough to measure.
        string[] args = ["train", "--data", "digits", "--hidden", "8", "--epochs", "2", "--output", output, "--save-interval", "0"];
        TrainRun.StopWhenForTests = p =>
        {
            if (p.Epoch == 2) Thread.Sleep(2);
            return p.Epoch == 2 && p.Batch == 150;
        };
        (int Code, string Out, string Err) stopped;
        try
        {
            stopped = CliRunner.Run(args);
        }
        finally
        {
            TrainRun.StopWhenForTests = null;
        }
        Assert.True(stopped.Code == TrainRun.Interrupted, stopped.Err);
        Assert.Contains("stopped by SIGINT in epoch 2 after 1,500 of 1,617 rows", stopped.Out);
        var (checkpoint, metadata) = CheckpointFile.Load(Path.Combine(output, "checkpoint.npz"));
        Assert.Equal(1500, checkpoint.EpochPosition);
        double before = double.Parse(metadata["epoch_seconds"], CultureInfo.InvariantCulture);
        Assert.True(before >= 0.29, $"150 minibatches of at least 2 ms took {before} s");
        Assert.True(File.Exists(Path.Combine(output, "filters.png")), "pictures are written on Ctrl+C too");

        var (code, stdout, stderr) = CliRunner.Run("train", "--resume", output);
        Assert.True(code == 0, stderr);
        Assert.Contains($"resuming '{output}' at epoch 2 of 2, 1,500 of its 1,617 rows already trained", stdout);
        string[] rows = File.ReadAllLines(Path.Combine(output, "metrics.csv"));
        Assert.Equal(3, rows.Length);
        double seconds = double.Parse(rows[2].Split(',')[1], CultureInfo.InvariantCulture);
        Assert.True(seconds >= before, $"epoch 2 took {seconds} s in metrics.csv, less than the {before} s before the stop");
    }

    [Fact]
    public void SaveInterval_WritesOnTheInterval_AndAppendsMetrics()
    {
        using var folder = new TempFolder();
        string output = folder.File("run");
        Directory.CreateDirectory(output);
        var renamed = new List<string>();
        using var watcher = new FileSystemWatcher(output) { IncludeSubdirectories = false, InternalBufferSize = 1 << 16 };
        watcher.Renamed += (_, e) => { lock (renamed) renamed.Add(e.Name!); };
        watcher.EnableRaisingEvents = true;
        var (code, _, stderr) = CliRunner.Run("train", "--data", "bars:3", "--hidden", "4", "--epochs", "60", "--held-out", "0", "--output", output, "--save-interval", "3600");
        Assert.True(code == 0, stderr);
        Thread.Sleep(500);
        lock (renamed)
        {
            // Atomic writes rename a temporary file into place: once at the end for the model and checkpoint, and
            // metrics.csv only when it is created (its rows are appended).
            Assert.Equal(1, renamed.Count(n => n == "checkpoint.npz"));
            Assert.Equal(1, renamed.Count(n => n == "model.npz"));
            Assert.Equal(1, renamed.Count(n => n == "metrics.csv"));
        }
        Assert.Equal(61, File.ReadAllLines(Path.Combine(output, "metrics.csv")).Length);
    }

    [Fact]
    public void Divergence_WithAnUnsavedEpoch_SavesTheLastGoodOne()
    {
        using var folder = new TempFolder();
        var (code, _, stderr) = CliRunner.Run("train", "--data", "bars:3", "--hidden", "5", "--epochs", "60", "--learning-rate", "10",
            "--weight-decay", "1", "--held-out", "0", "--on-divergence", "continue", "--learning-rate-decay-epochs", "0", "--output", folder.Path, "--save-interval", "3600");
        Assert.Equal(2, code);
        Assert.Contains("last good checkpoint (epoch", stderr);
        var (checkpoint, _) = CheckpointFile.Load(Path.Combine(folder.Path, "checkpoint.npz"));
        Assert.True(checkpoint.Model.Parameters.IsFinite());
        Assert.True(checkpoint.CompletedEpochs >= 1);
        Assert.Contains($"(epoch {checkpoint.CompletedEpochs})", stderr);
        Assert.True(ModelFile.Load(Path.Combine(folder.Path, "model.npz")).Parameters.IsFinite());
    }
}
