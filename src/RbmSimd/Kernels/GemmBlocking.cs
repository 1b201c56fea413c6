namespace RbmSimd.Kernels;

/// <summary>Block sizes of the packed GEMM, in one place (BLIS keeps them per architecture in a context table).</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>MR × NR = 6 × 16</c>: the register tile. Twelve <c>Vector256</c> accumulators plus two B vectors and
/// one broadcast A value use 15 of the 16 ymm registers; 12 FMAs per k-step against 8 loads keep both FMA
/// pipes busy without saturating the load ports.</item>
/// <item><c>KC = 256</c>: a packed B micro-panel (KC × NR floats = 16 KiB) stays in the 32 KiB L1 while the A
/// micro-panels stream past it.</item>
/// <item><c>MC = 144</c>: a packed A block (MC × KC floats = 144 KiB) stays in the 512 KiB L2 of Zen 1.</item>
/// <item><c>NC = 4080</c>: a packed B panel (KC × NC floats ≈ 4 MiB) fits the shared L3. The RBM shapes never
/// reach it.</item>
/// </list>
/// These are the values BLIS's Haswell configuration uses for float, which suit Zen 1's caches as well.
/// The k and m dimensions are split into equal blocks no larger than KC and MC (<see cref="Split"/>), so
/// k = 784 runs as 4 × 196 rather than 3 × 256 + 16: a 16-deep pass would pay a full C-tile load and store
/// for very little arithmetic.
/// </remarks>
internal static class GemmBlocking
{
    public const int MR = 6;
    public const int NR = 16;
    public const int MC = 144;
    public const int KC = 256;
    public const int NC = 4080;

    /// <summary>The block size that splits <paramref name="total"/> into the fewest equal blocks of at most <paramref name="max"/>, rounded up to <paramref name="align"/>.</summary>
    public static int Split(int total, int max, int align)
    {
        if (total <= 0) return align;
        int count = (total + max - 1) / max;
        int size = (total + count - 1) / count;
        return (size + align - 1) / align * align;
    }
}
