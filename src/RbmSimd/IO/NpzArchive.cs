using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;

namespace RbmSimd.IO;

/// <summary>
/// An open <c>.npz</c> archive whose arrays are read one at a time, on request (see
/// <see cref="Npz.Open(string, ReadLimits?)"/>): memory goes only to the arrays a caller reads.
/// </summary>
/// <remarks>
/// <para>Opening reads the zip's central directory and nothing else; <see cref="Names"/> lists the
/// <c>.npy</c> entries (other entries are ignored), and two entries with the same name make the archive
/// invalid. <see cref="Read"/> then checks one entry as <see cref="Npz"/> describes (the declared size
/// against the compressed size and against <see cref="ReadLimits.MaxBytes"/>, the decoded array's
/// memory against what is left of the limit, the CRC-32) and decodes it. The limit covers all the
/// arrays read through one archive, counted when each read starts.</para>
/// <para>Not thread-safe: read from one thread at a time. Dispose it to close the file (an archive
/// opened on a caller's stream leaves that stream open).</para>
/// </remarks>
public sealed class NpzArchive : IDisposable
{
    /// <summary>
    /// Deflate cannot expand data more than about 1032 : 1 (each 258-byte match costs at least two
    /// bits). An entry claiming a larger ratio is corrupt or hostile; the slack covers tiny entries
    /// whose fixed overhead dominates.
    /// </summary>
    private const long MaxDeflateRatio = 1032;
    private const long RatioSlackBytes = 1024;
    private const string Extension = ".npy";

    private readonly ZipArchive _zip;
    private readonly Stream? _ownedStream;
    private readonly string _source;
    private readonly ReadLimits _limits;
    private readonly MemoryBudget _budget;
    private readonly OrderedDictionary<string, ZipArchiveEntry> _entries;
    private bool _disposed;

    private NpzArchive(ZipArchive zip, Stream? ownedStream, string source, ReadLimits limits, OrderedDictionary<string, ZipArchiveEntry> entries)
    {
        _zip = zip;
        _ownedStream = ownedStream;
        _source = source;
        _limits = limits;
        _budget = MemoryBudget.For(limits);
        _entries = entries;
        Names = [.. entries.Keys];
    }

    /// <summary>The names of the arrays (entry names without <c>.npy</c>), in archive order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether the archive holds an array named <paramref name="name"/> (ordinal comparison).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _entries.ContainsKey(name);
    }

    /// <summary>Reads and validates one array.</summary>
    /// <param name="name">The array's name, as listed in <see cref="Names"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="InvalidDataException">The archive has no such array, or its entry is invalid, or it exceeds what is left of <see cref="ReadLimits.MaxBytes"/>.</exception>
    /// <exception cref="ObjectDisposedException">The archive was disposed.</exception>
    public NpyArray Read(string name)
    {
        if (TryRead(name, out NpyArray? array)) return array;
        throw new InvalidDataException($"{_source}: has no array {UntrustedText.Quote(name)}.");
    }

    /// <summary>Reads and validates one array if the archive holds it.</summary>
    /// <param name="name">The array's name.</param>
    /// <param name="array">The array, or null when the archive has no array of that name.</param>
    /// <returns>Whether the archive holds the array.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="InvalidDataException">The array's entry is invalid, or it exceeds what is left of <see cref="ReadLimits.MaxBytes"/>.</exception>
    /// <exception cref="ObjectDisposedException">The archive was disposed.</exception>
    public bool TryRead(string name, [NotNullWhen(true)] out NpyArray? array)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_entries.TryGetValue(name, out ZipArchiveEntry? entry))
        {
            array = null;
            return false;
        }
        array = ReadEntry(name, entry);
        return true;
    }

    /// <summary>Every array, in archive order, within one budget.</summary>
    internal IReadOnlyDictionary<string, NpyArray> ReadAll()
    {
        var arrays = new OrderedDictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (string name in Names) arrays.Add(name, Read(name));
        return new System.Collections.ObjectModel.ReadOnlyDictionary<string, NpyArray>(arrays);
    }

    private NpyArray ReadEntry(string name, ZipArchiveEntry entry)
    {
        string context = $"{_source}: array {UntrustedText.Quote(name)}";
        long declared = entry.Length;
        long compressed = entry.CompressedLength;
        // Divide rather than multiply: a hostile zip64 compressed size would overflow the product.
        // (System.IO.Compression refuses negative sizes; were one to arrive, a negative compressed
        // size fails this test and a negative declared size fails the .npy preamble check.)
        if ((declared - RatioSlackBytes) / MaxDeflateRatio > compressed)
            throw new InvalidDataException($"{context}: its zip entry declares {declared} bytes from {compressed} compressed bytes, which is impossible (corrupt file or zip bomb).");
        if (declared > _limits.MaxBytes)
            throw new InvalidDataException($"{context}: its zip entry holds {declared} bytes, more than the read limit of {_limits.MaxBytes} bytes (ReadLimits.MaxBytes).");
        Stream raw;
        try
        {
            raw = entry.Open();
        }
        catch (Exception e) when (Npz.IsZipFormatFailure(e))
        {
            throw new InvalidDataException($"{context}: its zip entry cannot be opened: {e.Message}", e);
        }
        using var data = new CheckedReadStream(raw, context);
        NpyArray array = Npy.Read(data, declared, context, verifyEnd: true, _budget);
        if (data.Crc != entry.Crc32)
            throw new InvalidDataException($"{context}: its zip entry's checksum does not match its data (corrupt file, or an entry longer than its declared size).");
        return array;
    }

    /// <summary>Opens an archive on <paramref name="stream"/>, which it disposes with the archive when <paramref name="ownsStream"/>.</summary>
    internal static NpzArchive Open(Stream stream, string source, ReadLimits limits, bool ownsStream)
    {
        ZipArchive? zip = null;
        try
        {
            IReadOnlyList<ZipArchiveEntry> zipEntries;
            try
            {
                zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
                // The central directory is read here, lazily; its failures belong to the same catch.
                zipEntries = zip.Entries;
            }
            catch (Exception e) when (Npz.IsZipFormatFailure(e))
            {
                throw new InvalidDataException($"{source}: not a valid .npz (zip) archive: {e.Message}", e);
            }
            var entries = new OrderedDictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (ZipArchiveEntry entry in zipEntries)
            {
                if (!entry.FullName.EndsWith(Extension, StringComparison.Ordinal)) continue;
                string name = entry.FullName[..^Extension.Length];
                if (!entries.TryAdd(name, entry))
                    throw new InvalidDataException($"{source}: array {UntrustedText.Quote(name)} appears twice in the archive.");
            }
            return new NpzArchive(zip, ownsStream ? stream : null, source, limits, entries);
        }
        catch
        {
            zip?.Dispose();
            throw;
        }
    }

    /// <summary>Closes the archive, and its file when it was opened from a path.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _zip.Dispose();
        _ownedStream?.Dispose();
    }
}
