using System.Globalization;
using System.Text.RegularExpressions;
using RbmSimd.Cli.Terminal;

namespace RbmSimd.Cli.Training;

/// <summary>
/// The folder a training run writes to, locked for as long as the run lasts.
/// </summary>
/// <remarks>
/// <para>Without <c>--output</c> every run gets a new folder <c>runs/YYYYMMDD-HHMMSS</c> (with <c>-2</c>, <c>-3</c>, … when
/// two start in the same second) and <c>runs/latest</c> becomes a symbolic link to it, so the README's first command can
/// be run again and <c>runs/latest/model.npz</c> always names the newest model. An older <c>runs/latest</c> that is a real
/// folder is renamed to a dated folder first. Where links cannot be made (Windows without Developer Mode), the run still
/// happens and rbm says that <c>runs/latest</c> was not updated.</para>
/// <para>With <c>--output DIR</c>, a folder that already holds a run (a model, checkpoint or metrics file) is refused unless
/// <c>--force</c>, which deletes that run's files first. A folder locked by a live run is refused even with <c>--force</c>.</para>
/// </remarks>
internal sealed partial class RunFolder : IDisposable
{
    public const string RunsRoot = "runs", LatestName = "latest";

    /// <summary>The files a run of rbm train or rbm stack writes; any of the first <see cref="MarkerCount"/> means the folder holds a run.</summary>
    public static readonly string[] RunFiles = ["model.npz", "checkpoint.npz", "metrics.csv", "dbn.npz", "filters.png", "samples.png", "curves.png"];

    /// <summary>How many of <see cref="RunFiles"/> mark a folder as holding a run (the pictures alone do not).</summary>
    private const int MarkerCount = 4;

    private readonly RunLock _lock;

    private RunFolder(string fullPath, RunLock runLock, List<string> notes)
    {
        FullPath = fullPath;
        _lock = runLock;
        Notes = notes;
    }

    /// <summary>The folder's absolute path.</summary>
    public string FullPath { get; }

    /// <summary>The folder as the user would type it: relative to the current folder when inside it.</summary>
    public string DisplayPath => Shown(FullPath);

    /// <summary>Whether runs/latest was pointed at this folder.</summary>
    public bool IsLatest { get; private init; }

    /// <summary>Things done that the user should know (a stale lock removed, runs/latest moved or not linked, files removed).</summary>
    public List<string> Notes { get; }

    public string File(string name) => Path.Combine(FullPath, name);

    /// <summary>The folder for a new run: <paramref name="output"/>, or a new dated folder under runs/ linked as runs/latest.</summary>
    /// <exception cref="UsageException">The folder holds a run and <paramref name="force"/> is false, is in use, or is a file.</exception>
    public static RunFolder ForNewRun(string? output, bool force)
    {
        var notes = new List<string>();
        if (output is null) return NewDated(notes);

        string full = Path.GetFullPath(output);
        if (System.IO.File.Exists(full)) throw new UsageException($"--output {Display.Quote(output)} is a file, not a folder.");
        Directory.CreateDirectory(full);
        RunLock runLock = RunLock.Acquire(full, out string? note);
        try
        {
            if (note is not null) notes.Add(note);
            string[] present = RunFiles.Take(MarkerCount).Where(f => System.IO.File.Exists(Path.Combine(full, f))).ToArray();
            if (present.Length > 0 && !force)
                throw new UsageException($"--output {Display.Quote(output)} already holds a run ({string.Join(", ", present)}): pass --force to replace it, " +
                    $"--resume {Display.Escape(output)} to continue it, or name another folder (without --output each run gets a new folder under runs/).");
            int removed = 0;
            if (present.Length > 0)
                foreach (string name in RunFiles)
                    if (System.IO.File.Exists(Path.Combine(full, name)))
                    {
                        System.IO.File.Delete(Path.Combine(full, name));
                        removed++;
                    }
            if (removed > 0) notes.Add($"--force: removed the previous run's {removed} files from {Display.Quote(Shown(full))}.");
            RemoveUnfinishedWrites(full, notes);
            return new RunFolder(full, runLock, notes);
        }
        catch
        {
            runLock.Dispose();
            throw;
        }
    }

    /// <summary>The folder of a run to resume (a link such as runs/latest is followed), locked.</summary>
    /// <exception cref="UsageException">The folder does not exist, is a file, or is in use.</exception>
    public static RunFolder ForResume(string folder)
    {
        if (System.IO.File.Exists(folder)) throw new UsageException($"--resume {Display.Quote(folder)} is a file; give the run's folder (the one holding checkpoint.npz).");
        if (!Directory.Exists(folder)) throw new UsageException($"--resume {Display.Quote(folder)}: no such folder.");
        string full = Path.GetFullPath(folder);
        if (Directory.ResolveLinkTarget(full, returnFinalTarget: true) is { } target) full = target.FullName;
        var notes = new List<string>();
        RunLock runLock = RunLock.Acquire(full, out string? note);
        if (note is not null) notes.Add(note);
        RemoveUnfinishedWrites(full, notes);
        return new RunFolder(full, runLock, notes);
    }

    public void Dispose() => _lock.Dispose();

    private static RunFolder NewDated(List<string> notes)
    {
        string root = Path.GetFullPath(RunsRoot);
        Directory.CreateDirectory(root);
        string stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (int n = 1; ; n++)
        {
            string name = n == 1 ? stamp : $"{stamp}-{n}";
            string full = Path.Combine(root, name);
            if (Directory.Exists(full) || System.IO.File.Exists(full)) continue;
            Directory.CreateDirectory(full);
            RunLock runLock;
            try
            {
                runLock = RunLock.Acquire(full, out _);
            }
            catch (UsageException)
            {
                continue; // another run created the same folder at the same moment
            }
            if (Directory.EnumerateFileSystemEntries(full).Count() > 1)
            {
                runLock.Dispose();
                continue;
            }
            bool linked = LinkLatest(root, name, notes);
            return new RunFolder(full, runLock, notes) { IsLatest = linked };
        }
    }

    /// <summary>Points runs/latest at <paramref name="name"/>: a relative symbolic link, replacing an older link or moving an older folder aside.</summary>
    private static bool LinkLatest(string root, string name, List<string> notes)
    {
        string latest = Path.Combine(root, LatestName);
        var info = new DirectoryInfo(latest);
        try
        {
            if (info.Exists && info.LinkTarget is null)
            {
                // A folder from an rbm that wrote every run into runs/latest: keep it under a dated name.
                if (RunLock.IsHeld(latest, out string holder))
                {
                    notes.Add($"{Display.Quote(Shown(latest))} is a folder in use by {holder}, so it was not replaced by a link to this run.");
                    return false;
                }
                string aside = Path.Combine(root, info.LastWriteTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
                for (int n = 2; Directory.Exists(aside) || System.IO.File.Exists(aside); n++)
                    aside = Path.Combine(root, info.LastWriteTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + $"-{n}");
                Directory.Move(latest, aside);
                notes.Add($"moved the older folder {Display.Quote(Shown(latest))} to {Display.Quote(Shown(aside))}.");
            }
            else if (info.LinkTarget is not null || System.IO.File.Exists(latest))
            {
                System.IO.File.Delete(latest);
            }
            Directory.CreateSymbolicLink(latest, name);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            notes.Add($"could not point {Display.Quote(Shown(latest))} at this run ({Display.Escape(e.Message)}); use {Display.Quote(Shown(Path.Combine(root, name)))}.");
            return false;
        }
    }

    /// <summary>Deletes temporary files that interrupted atomic writes of the run's files left behind (the lock is held, so none is in progress).</summary>
    private static void RemoveUnfinishedWrites(string folder, List<string> notes)
    {
        int removed = 0;
        foreach (string path in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            if (!UnfinishedWrite().IsMatch(Path.GetFileName(path))) continue;
            try
            {
                System.IO.File.Delete(path);
                removed++;
            }
            catch (IOException)
            {
            }
        }
        if (removed > 0) notes.Add($"removed {removed} unfinished temporary file{(removed == 1 ? "" : "s")} left by an interrupted write.");
    }

    /// <summary>A path relative to the current folder when it is inside it, else absolute.</summary>
    public static string Shown(string full)
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }

    /// <summary>The temporary names AtomicFile uses: ".NAME.GUID.tmp" for one of the run's files.</summary>
    [GeneratedRegex(@"^\.(model\.npz|checkpoint\.npz|metrics\.csv|dbn\.npz|filters\.png|samples\.png|curves\.png)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex UnfinishedWrite();
}
