using System.Text;

namespace RbmSimd.IO;

/// <summary>
/// Writes files so that readers see either the complete old contents or the complete new contents,
/// never a half-written file: the data goes to a temporary file in the target's folder, is flushed to
/// disk, and is then renamed over the target.
/// </summary>
/// <remarks>
/// <para>The temporary file lives in the same folder because a rename is only atomic within one file
/// system. If writing fails (the callback throws, the disk is full, …) the temporary file is deleted
/// and an existing target is left untouched. The folder itself is not fsynced (.NET has no API for
/// it), so after a power cut the rename may be lost, but the target is then the old, complete file.</para>
/// <para>The temporary is named <c>.NAME.&lt;32 hex digits&gt;.tmp</c>. A process killed while writing
/// leaves one behind; the next write of the same target removes such leftovers once they are older
/// than <see cref="StaleTemporaryAge"/> (regular files only, with exactly that name pattern for that
/// target: other files, links and folders are never touched, and a younger one may belong to a
/// writer still at work).</para>
/// <para>File-system errors (a full disk, a missing folder) are reported with the path the caller
/// asked for, not the hidden temporary: the exception keeps its type and the original is its
/// <see cref="Exception.InnerException"/>.</para>
/// </remarks>
public static class AtomicFile
{
    /// <summary>How old (since its last write) a leftover temporary must be before a write of the same target removes it: one hour.</summary>
    public static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(1);

    private const string TemporarySuffix = ".tmp";
    private const int GuidHexDigits = 32;

    /// <summary>Writes a file atomically; <paramref name="write"/> receives a stream to fill.</summary>
    /// <param name="path">The file to create or replace. Its folder must exist.</param>
    /// <param name="write">Writes the whole contents; it must not dispose the stream.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="IOException">The file system refused (missing folder, full disk, …); the target is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or target is not writable; the target is unchanged.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0) throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        // Only a root has no parent folder, and a root has no file name: refused just above.
        string folder = Path.GetDirectoryName(fullPath)!;

        // Before creating another temporary: on a full disk, removing leftovers may be what lets this write succeed.
        RemoveStaleTemporaries(folder, fileName, DateTime.UtcNow - StaleTemporaryAge);

        // A random suffix keeps two concurrent writers of the same target from sharing one temp file;
        // the leading dot hides it from casual listings should a crash leave it behind.
        string tempPath = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                // Flush(true) reaches the disk, not just the OS cache: without it a crash after the
                // rename could leave the new name pointing at data that was never written.
                stream.Flush(flushToDisk: true);
            }
            File.Move(tempPath, fullPath, overwrite: true);
        }
        catch (Exception e)
        {
            TryDelete(tempPath);
            Exception? renamed = NamingTarget(e, tempPath, fullPath);
            if (renamed is null) throw;
            throw renamed;
        }
    }

    /// <summary>
    /// The same failure with the temporary's path replaced by the target's, when <paramref name="e"/>
    /// is a file-system error that names the temporary; otherwise null (rethrow as it is).
    /// </summary>
    private static Exception? NamingTarget(Exception e, string tempPath, string fullPath)
    {
        if (e is not (IOException or UnauthorizedAccessException)) return null;
        string tempName = Path.GetFileName(tempPath);
        if (!e.Message.Contains(tempName, StringComparison.Ordinal)) return null;
        string message = e.Message.Replace(tempPath, fullPath, StringComparison.Ordinal)
            .Replace(tempName, Path.GetFileName(fullPath), StringComparison.Ordinal);
        return e switch
        {
            DirectoryNotFoundException => new DirectoryNotFoundException(message, e),
            FileNotFoundException => new FileNotFoundException(message, fullPath, e),
            PathTooLongException => new PathTooLongException(message, e),
            UnauthorizedAccessException => new UnauthorizedAccessException(message, e),
            _ => new IOException(message, e),
        };
    }

    /// <summary>Deletes this target's leftover temporaries last written before <paramref name="olderThanUtc"/>; best effort.</summary>
    private static void RemoveStaleTemporaries(string folder, string fileName, DateTime olderThanUtc)
    {
        try
        {
            foreach (string candidate in Directory.EnumerateFiles(folder, "*" + TemporarySuffix))
            {
                if (!IsTemporaryOf(Path.GetFileName(candidate), fileName)) continue;
                var info = new FileInfo(candidate);
                // A link could point anywhere; only plain files this class could have made are removed
                // (EnumerateFiles lists no folders).
                if ((info.Attributes & FileAttributes.ReparsePoint) != 0) continue;
                if (info.LastWriteTimeUtc >= olderThanUtc) continue;
                TryDelete(candidate);
            }
        }
        catch (IOException)
        {
            // A missing or unreadable folder: the write itself reports it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Whether <paramref name="name"/> is exactly <c>.FILENAME.&lt;32 lowercase hex digits&gt;.tmp</c>.</summary>
    internal static bool IsTemporaryOf(string name, string fileName)
    {
        ReadOnlySpan<char> n = name;
        if (n.Length != 1 + fileName.Length + 1 + GuidHexDigits + TemporarySuffix.Length) return false;
        if (n[0] != '.' || !n.Slice(1, fileName.Length).SequenceEqual(fileName) || n[1 + fileName.Length] != '.') return false;
        if (!n.EndsWith(TemporarySuffix, StringComparison.Ordinal)) return false;
        foreach (char c in n.Slice(2 + fileName.Length, GuidHexDigits))
            if (!char.IsAsciiHexDigitLower(c)) return false;
        return true;
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <exception cref="IOException">The file system refused; the target is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or target is not writable; the target is unchanged.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        // A span cannot be captured by the callback, so copy once; these are small files (metrics, text).
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically as UTF-8 without a byte order mark.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a folder.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="IOException">The file system refused; the target is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder or target is not writable; the target is unchanged.</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // GetBytes never emits a byte order mark (only GetPreamble does).
        WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original failure is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
