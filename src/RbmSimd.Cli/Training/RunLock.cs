using System.Diagnostics;
using System.Globalization;
using RbmSimd.Cli.Terminal;

namespace RbmSimd.Cli.Training;

/// <summary>
/// A lock on a run folder while an <c>rbm train</c> writes to it: a file <c>.rbm.lock</c> created exclusively, holding
/// the process id, the host, the process's start time and the command. A lock whose process has ended (or whose id now
/// belongs to a process started later) is stale and taken over; a lock held by a live process, or by another host
/// (which cannot be checked), is refused.
/// </summary>
internal sealed class RunLock : IDisposable
{
    public const string FileName = ".rbm.lock";

    private readonly string _path;
    private readonly string _content;

    private RunLock(string path, string content)
    {
        _path = path;
        _content = content;
    }

    /// <summary>Takes the lock on <paramref name="folder"/> (which must exist).</summary>
    /// <param name="folder">The run folder.</param>
    /// <param name="note">Set when a stale lock was removed, to tell the user.</param>
    /// <exception cref="UsageException">Another live process holds the lock.</exception>
    public static RunLock Acquire(string folder, out string? note)
    {
        note = null;
        string path = Path.Combine(folder, FileName);
        string content = Describe(Environment.ProcessId, Environment.MachineName, CurrentStart(), "rbm train");
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                using (var writer = new StreamWriter(stream))
                    writer.Write(content);
                return new RunLock(path, content);
            }
            catch (IOException) when (File.Exists(path))
            {
                Holder holder = Read(path);
                if (holder.IsAlive)
                    throw new UsageException($"{Display.Quote(folder)} is in use by {holder.Describe()}; wait for it to finish or stop it " +
                        $"(if it has ended on another machine, delete {Display.Quote(path)}).");
                TryDelete(path);
                note = $"removed a stale lock in {Display.Quote(folder)} ({holder.Describe()} has ended).";
            }
        }
        throw new UsageException($"could not lock {Display.Quote(folder)}: {Display.Quote(path)} keeps reappearing.");
    }

    /// <summary>Whether <paramref name="folder"/> has a lock held by a live process (false when there is none or it is stale).</summary>
    public static bool IsHeld(string folder, out string holder)
    {
        string path = Path.Combine(folder, FileName);
        holder = "";
        if (!File.Exists(path)) return false;
        Holder h = Read(path);
        holder = h.Describe();
        return h.IsAlive;
    }

    public void Dispose()
    {
        // Only remove the file if it is still this process's lock.
        try
        {
            if (File.Exists(_path) && File.ReadAllText(_path) == _content) File.Delete(_path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Describe(int pid, string host, DateTime startUtc, string command) =>
        string.Create(CultureInfo.InvariantCulture, $"pid {pid}\nhost {host}\nstarted {startUtc:O}\ncommand {command}\n");

    private static DateTime CurrentStart()
    {
        using Process self = Process.GetCurrentProcess();
        return StartOf(self) ?? DateTime.UtcNow;
    }

    private static DateTime? StartOf(Process process)
    {
        try
        {
            return process.StartTime.ToUniversalTime();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }

    private static Holder Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return new Holder(null, null, null);
        }
        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0]).ToDictionary(g => g.Key, g => g.First()[1].Trim());
        int? pid = fields.TryGetValue("pid", out string? p) && int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : null;
        DateTime? started = fields.TryGetValue("started", out string? s)
            && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime t) ? t.ToUniversalTime() : null;
        return new Holder(pid, fields.GetValueOrDefault("host"), started);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Who a lock file names.</summary>
    private sealed record Holder(int? Pid, string? Host, DateTime? Started)
    {
        /// <summary>
        /// Whether the holder may still be running: on this host, a process with that id exists and started when the lock
        /// says (within 2 s); on another host, always (it cannot be checked). An unreadable lock counts as stale.
        /// </summary>
        public bool IsAlive
        {
            get
            {
                if (Pid is not { } pid) return false;
                if (Host is not null && !string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)) return true;
                try
                {
                    using Process process = Process.GetProcessById(pid);
                    if (process.HasExited) return false;
                    return Started is not { } started || StartOf(process) is not { } actual || Math.Abs((actual - started).TotalSeconds) < 2;
                }
                catch (ArgumentException)
                {
                    return false; // no such process
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            }
        }

        public string Describe() =>
            Pid is { } pid
                ? string.Create(CultureInfo.InvariantCulture, $"rbm (process {pid} on {Display.Escape(Host ?? "this machine")}{(Started is { } s ? $", started {s:yyyy-MM-dd HH:mm:ss} UTC" : "")})")
                : "an unreadable lock";
    }
}
