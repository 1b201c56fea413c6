using System.IO.Compression;

namespace RbmSimd.IO;

/// <summary>
/// Reads and writes numpy's <c>.npz</c> archives: a zip file with one <c>NAME.npy</c> entry per
/// named array, as written by <c>numpy.savez</c> and read by <c>numpy.load</c> (no pickle involved).
/// </summary>
/// <remarks>
/// <para>The writer stores entries uncompressed (like <c>numpy.savez</c>) or deflated (like
/// <c>numpy.savez_compressed</c>), with a fixed timestamp so the same arrays give the same bytes.</para>
/// <para><see cref="Open(string, ReadLimits?)"/> reads only the arrays a caller asks for;
/// <see cref="Read(string)"/> reads them all. Both accept stored and deflated entries and ignore
/// entries whose names do not end in <c>.npy</c>. Before inflating an entry the reader checks that its
/// declared size is possible for its compressed size and within <see cref="ReadLimits.MaxBytes"/>, it
/// never inflates past the declared size (a zip bomb costs at most that much), it checks the decoded
/// array's memory against the limit before allocating it, and it verifies each entry's CRC-32, which
/// also catches entries whose real data is longer than declared. Each array is then validated as by
/// <see cref="Npy"/>. Every problem with the contents is an <see cref="InvalidDataException"/> whose
/// message names the file and, where relevant, the array.</para>
/// <para>Memory is bounded by the limit (<see cref="ReadLimits"/>, 1 GiB by default) and by what the
/// archive can honestly hold: deflate expands at most about 1032 : 1, so a 1 MB entry of zeros can
/// still declare about 1 GB.</para>
/// </remarks>
public static class Npz
{
    private const string Extension = ".npy";

    /// <summary>Opens an <c>.npz</c> file to read its arrays one at a time; dispose the result to close the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limits">The memory limit for all arrays read through the archive; <see cref="ReadLimits.Default"/> when null.</param>
    /// <exception cref="InvalidDataException">The file is not a valid zip, or two entries share a name.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static NpzArchive Open(string path, ReadLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return NpzArchive.Open(stream, path, limits ?? ReadLimits.Default, ownsStream: true);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens an <c>.npz</c> archive held by a seekable stream, which stays open after the archive is disposed.</summary>
    /// <param name="stream">A readable, seekable stream holding the whole archive.</param>
    /// <param name="sourceName">Names the archive in error messages.</param>
    /// <param name="limits">The memory limit for all arrays read through the archive; <see cref="ReadLimits.Default"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable and seekable.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="sourceName"/> is null.</exception>
    /// <exception cref="InvalidDataException">The archive is not a valid zip, or two entries share a name.</exception>
    public static NpzArchive Open(Stream stream, string sourceName, ReadLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        // ZipArchive copies a non-seekable stream into memory without limit; refuse instead.
        if (!stream.CanSeek || !stream.CanRead) throw new ArgumentException("The stream must be readable and seekable.", nameof(stream));
        return NpzArchive.Open(stream, sourceName, limits ?? ReadLimits.Default, ownsStream: false);
    }

    /// <summary>Reads every <c>.npy</c> entry of an <c>.npz</c> file, keyed by name without the <c>.npy</c> suffix, in archive order, within <see cref="ReadLimits.Default"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid zip, or an entry is not a valid, supported <c>.npy</c> array, or two entries share a name, or the arrays exceed the memory limit.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path) => Read(path, ReadLimits.Default);

    /// <summary>Reads every <c>.npy</c> entry of an <c>.npz</c> file within the given memory limit (for all arrays together).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid zip, or an entry is not a valid, supported <c>.npy</c> array, or two entries share a name, or the arrays exceed <see cref="ReadLimits.MaxBytes"/>.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path, ReadLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(limits);
        using NpzArchive archive = Open(path, limits);
        return archive.ReadAll();
    }

    /// <summary>Reads an <c>.npz</c> archive from a seekable stream, which stays open, within <see cref="ReadLimits.Default"/>.</summary>
    /// <param name="stream">A readable, seekable stream holding the whole archive.</param>
    /// <param name="sourceName">Names the archive in error messages.</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable and seekable.</exception>
    /// <exception cref="InvalidDataException">The archive or one of its arrays is invalid, or the arrays exceed the memory limit.</exception>
    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream, string sourceName) => Read(stream, sourceName, ReadLimits.Default);

    /// <summary>Reads an <c>.npz</c> archive from a seekable stream, which stays open, within the given memory limit (for all arrays together).</summary>
    /// <param name="stream">A readable, seekable stream holding the whole archive.</param>
    /// <param name="sourceName">Names the archive in error messages.</param>
    /// <param name="limits">The memory limit.</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable and seekable.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidDataException">The archive or one of its arrays is invalid, or the arrays exceed <see cref="ReadLimits.MaxBytes"/>.</exception>
    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream, string sourceName, ReadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(limits);
        using NpzArchive archive = Open(stream, sourceName, limits);
        return archive.ReadAll();
    }

    /// <summary>
    /// Writes arrays to an <c>.npz</c> file atomically (see <see cref="AtomicFile"/>); each becomes
    /// the entry <c>NAME.npy</c>, in the order given.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="arrays">Names and arrays. Names must be non-empty, unique, and free of path separators and control characters.</param>
    /// <param name="compress">Deflate the entries (as <c>numpy.savez_compressed</c>); by default they are stored (as <c>numpy.savez</c>).</param>
    /// <exception cref="ArgumentException">A name is invalid or repeated.</exception>
    /// <exception cref="ArgumentNullException">An argument or array is null.</exception>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        // Validate everything before touching the disk so a bad name leaves no trace.
        var list = arrays.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, array) in list)
        {
            ValidateName(name, nameof(arrays));
            if (array is null) throw new ArgumentNullException(nameof(arrays), $"The array named {UntrustedText.Quote(name)} is null.");
            if (!seen.Add(name)) throw new ArgumentException($"The name {UntrustedText.Quote(name)} appears twice.", nameof(arrays));
        }
        AtomicFile.Write(path, stream => Write(stream, list, compress));
    }

    /// <summary>Writes arrays as an <c>.npz</c> archive to a stream (see <see cref="Write(string, IEnumerable{KeyValuePair{string, NpyArray}}, bool)"/>).</summary>
    /// <exception cref="ArgumentException">A name is invalid or repeated.</exception>
    /// <exception cref="ArgumentNullException">An argument or array is null.</exception>
    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, NpyArray>> arrays, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(arrays);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Zip timestamps are DOS local times; a fixed one makes the output reproducible.
        var timestamp = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, array) in arrays)
        {
            ValidateName(name, nameof(arrays));
            if (array is null) throw new ArgumentNullException(nameof(arrays), $"The array named {UntrustedText.Quote(name)} is null.");
            if (!seen.Add(name)) throw new ArgumentException($"The name {UntrustedText.Quote(name)} appears twice.", nameof(arrays));
            ZipArchiveEntry entry = zip.CreateEntry(name + Extension, compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            entry.LastWriteTime = timestamp;
            using Stream data = entry.Open();
            Npy.Write(data, array);
        }
    }

    private static void ValidateName(string name, string paramName)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("Array names must not be empty.", paramName);
        foreach (char c in name)
            if (c is '/' or '\\' || char.IsControl(c))
                throw new ArgumentException($"The array name {UntrustedText.Quote(name)} contains a path separator or control character.", paramName);
    }

    /// <summary>
    /// System.IO.Compression reports malformed archives through several exception types:
    /// InvalidDataException, NotSupportedException (unknown compression method), IOException (offsets
    /// outside the file), ArgumentOutOfRangeException (impossible sizes) and others. Callers of the
    /// reader get one type for all of them.
    /// </summary>
    internal static bool IsZipFormatFailure(Exception e) =>
        e is InvalidDataException or NotSupportedException or IOException or ArgumentException or InvalidOperationException or OverflowException or IndexOutOfRangeException;
}
