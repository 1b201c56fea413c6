using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace RbmSimd.IO;

/// <summary>
/// The arrays of an open <see cref="NpzArchive"/> as a read-only dictionary that reads each array when it is first looked up
/// (and keeps it): readers that validate an archive by name (<see cref="Persistence.ModelFile"/>, …) then decode only the
/// arrays they use, so an archive with large entries nobody asks for costs nothing. Enumerating the values reads every array.
/// Valid while the archive is open.
/// </summary>
public sealed class NpzArrays : IReadOnlyDictionary<string, NpyArray>
{
    private readonly NpzArchive _archive;
    private readonly Dictionary<string, NpyArray> _read = new(StringComparer.Ordinal);

    /// <summary>Wraps an open archive.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="archive"/> is null.</exception>
    public NpzArrays(NpzArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        _archive = archive;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The array's entry is invalid or exceeds the archive's read limit.</exception>
    public NpyArray this[string key] => TryGetValue(key, out NpyArray? value) ? value : throw new KeyNotFoundException($"The archive has no array '{key}'.");

    /// <summary>The array names, in archive order (reads nothing).</summary>
    public IEnumerable<string> Keys => _archive.Names;

    /// <summary>Every array, read as enumerated.</summary>
    public IEnumerable<NpyArray> Values => Keys.Select(k => this[k]);

    /// <inheritdoc/>
    public int Count => _archive.Names.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _archive.Contains(key);

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The array's entry is invalid or exceeds the archive's read limit.</exception>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out NpyArray value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_read.TryGetValue(key, out value)) return true;
        if (!_archive.TryRead(key, out NpyArray? array)) return false;
        _read[key] = array;
        value = array;
        return true;
    }

    /// <summary>Every name with its array, reading each as it is enumerated.</summary>
    public IEnumerator<KeyValuePair<string, NpyArray>> GetEnumerator()
    {
        foreach (string name in Keys) yield return new(name, this[name]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
