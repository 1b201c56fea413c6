namespace RbmSimd.IO;

/// <summary>
/// The memory one read may still allocate (<see cref="ReadLimits.MaxBytes"/> less what it has already
/// reserved). Readers reserve what a file's declared sizes imply before allocating it.
/// </summary>
internal sealed class MemoryBudget(long limit)
{
    /// <summary>The whole budget, in bytes.</summary>
    public long Limit => limit;

    /// <summary>Bytes reserved so far.</summary>
    public long Used { get; private set; }

    /// <summary>A fresh budget of <see cref="ReadLimits.MaxBytes"/>.</summary>
    public static MemoryBudget For(ReadLimits limits) => new(limits.MaxBytes);

    /// <summary>Reserves <paramref name="bytes"/>, or throws naming <paramref name="source"/>, <paramref name="what"/> and the limit.</summary>
    /// <exception cref="InvalidDataException">Fewer than <paramref name="bytes"/> remain.</exception>
    public void Reserve(long bytes, string source, string what)
    {
        long left = limit - Used;
        if (bytes > left)
            throw new InvalidDataException(Used == 0
                ? $"{source}: {what} needs {bytes} bytes of memory, more than the read limit of {limit} bytes (ReadLimits.MaxBytes)."
                : $"{source}: {what} needs {bytes} bytes of memory, more than the {left} bytes left of the read limit of {limit} bytes (ReadLimits.MaxBytes).");
        Used += bytes;
    }
}
