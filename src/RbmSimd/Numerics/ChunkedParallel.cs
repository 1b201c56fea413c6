namespace RbmSimd.Numerics;

/// <summary>A body run once per chunk index by <see cref="ChunkedParallel"/>.</summary>
internal interface IChunkAction
{
    void Invoke(int chunk);
}

/// <summary>
/// Runs a struct body over chunk indices, in parallel when allowed. Chunks are a fixed partition of
/// the work chosen by the caller (never derived from the core count) and each chunk's result is a
/// pure function of its index, so the output does not depend on how many threads ran it.
/// </summary>
internal static class ChunkedParallel
{
    /// <summary>
    /// Invokes <paramref name="body"/> for chunks 0…<paramref name="chunks"/>−1 on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads of the allocation-free <see cref="ChunkWorkers"/>
    /// (the library's one parallel mechanism). An exception from a chunk reaches the caller as itself,
    /// whatever the thread count.
    /// </summary>
    public static void For<T>(int chunks, int maxDegreeOfParallelism, in T body) where T : struct, IChunkAction
    {
        if (maxDegreeOfParallelism == 1 || chunks <= 1)
        {
            T local = body;
            for (int i = 0; i < chunks; i++) local.Invoke(i);
            return;
        }
        ChunkWorkers.Shared.Run(chunks, maxDegreeOfParallelism, body);
    }

    /// <summary>Resolves −1 to the processor count and validates other values.</summary>
    public static int Resolve(int maxDegreeOfParallelism, string paramName)
    {
        if (maxDegreeOfParallelism == -1) return Environment.ProcessorCount;
        if (maxDegreeOfParallelism < 1)
            throw new ArgumentOutOfRangeException(paramName, maxDegreeOfParallelism, $"{paramName} must be −1 (all cores) or a positive thread count.");
        return maxDegreeOfParallelism;
    }
}
