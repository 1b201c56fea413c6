using System.Text;

namespace RbmSimd.IO;

/// <summary>
/// Writes files so that readers see either the complete old contents or the complete new contents,
/// never a half-written file: the data goes to a temporary file in the target's folder, is flushed to
/// disk, and is then renamed over the target.
/// </summary>
/// <remarks>
/// The temporary file lives in the same folder because a rename is only atomic within one file
/// system. If writing fails (the callback throws, the disk is full, …) the temporary file is deleted
/// and an existing target is left untouched. The folder itself is not fsynced (.NET has no API for
/// it), so after a power cut the rename may be lost, but the target is then the old, complete file.
/// </remarks>
public static class AtomicFile
{
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
        string folder = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no parent folder.", nameof(path));

        // A random suffix keeps two concurrent writers of the same target from sharing one temp file;
        // the leading dot hides it from casual listings should a crash leave it behind.
        string tempPath = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.tmp");
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
        catch
        {
            TryDelete(tempPath);
            throw;
        }
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
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
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
