using System.Runtime.CompilerServices;

namespace RbmSimd.Kernels;

/// <summary>BLIS loops 2 and 1 for the <c>Vector512</c> tier: 12 × 32 register tiles over the unchanged 6 × 16 packing.</summary>
/// <remarks>
/// Implementation notes. The packed layouts are exactly those of the other tiers (<see cref="GemmPacking"/>,
/// MR = 6, NR = 16), so packing, blocking and the driver are shared; a register tile simply spans two adjacent
/// A micro-panels and two adjacent B micro-panels, which are contiguous in the packed buffers. Per tile:
/// <list type="bullet">
/// <item>two B panels and two A panels left: <see cref="GemmMicrokernel12x32Vector512"/>;</item>
/// <item>two B panels, one (last, odd) A panel: <see cref="GemmMicrokernel6x32Vector512"/>;</item>
/// <item>one (last, odd) B panel: the 16-column strip goes to <see cref="GemmMacrokernel"/> with the 6 × 16
/// <c>Vector256</c> kernel. It forms every element with the same FMA chain, so the bits are the same; it only
/// runs at the 256-bit rate, on at most 16 columns of the block.</item>
/// </list>
/// Edge tiles (fewer valid rows or columns than the tile) run the same kernel on a stack tile with row stride
/// 32, loaded from C when β ≠ 0, and copy back the valid part, as <see cref="GemmMacrokernel"/> does; the bias
/// of a partial column pair is copied into a zero-padded 32-float row. Loop order as there: the B panel pair
/// (kc × 32 floats, 25 KiB at kc = 196) stays in Zen 5's 48 KiB L1 while A panel pairs stream from L2.
/// </remarks>
internal static unsafe class GemmMacrokernelVector512
{
    private const int MR = GemmBlocking.MR;   // rows of one packed A micro-panel
    private const int NR = GemmBlocking.NR;   // columns of one packed B micro-panel
    private const int TileRows = 2 * MR;      // 12
    private const int TileCols = 2 * NR;      // 32

    [SkipLocalsInit]
    public static void Run<TEpilogue>(int mc, int nc, int kc, float* packedA, float* packedB, float* c, nint ldc,
        float alpha, float beta, float* bias)
        where TEpilogue : struct, IGemmEpilogue
    {
        float* tile = stackalloc float[TileRows * TileCols];
        float* biasTile = stackalloc float[TileCols];
        int jr = 0;
        for (; jr + NR < nc; jr += TileCols)   // a second B panel exists
        {
            int nCur = Math.Min(TileCols, nc - jr);
            float* bPanel = packedB + (nint)jr * kc;
            float* biasJ = TEpilogue.UsesBias ? bias + jr : null;
            if (TEpilogue.UsesBias && nCur < TileCols)
            {
                new Span<float>(biasTile, TileCols).Clear();
                new ReadOnlySpan<float>(biasJ, nCur).CopyTo(new Span<float>(biasTile, TileCols));
                biasJ = biasTile;
            }

            int ir = 0;
            for (; ir + MR < mc; ir += TileRows)   // a second A panel exists
                RunTile<GemmMicrokernel12x32Vector512, TEpilogue>(TileRows, Math.Min(TileRows, mc - ir), nCur, kc,
                    packedA + (nint)ir * kc, bPanel, c + ir * ldc + jr, ldc, alpha, beta, biasJ, tile);
            if (ir < mc)
                RunTile<GemmMicrokernel6x32Vector512, TEpilogue>(MR, mc - ir, nCur, kc,
                    packedA + (nint)ir * kc, bPanel, c + ir * ldc + jr, ldc, alpha, beta, biasJ, tile);
        }
        if (jr < nc)
            GemmMacrokernel.Run<GemmMicrokernel6x16, TEpilogue>(mc, nc - jr, kc, packedA, packedB + (nint)jr * kc, c + jr, ldc,
                alpha, beta, TEpilogue.UsesBias ? bias + jr : null);
    }

    /// <summary>One <paramref name="rows"/> × 32 tile, straight into C when it is whole, else through the stack tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunTile<TKernel, TEpilogue>(int rows, int mCur, int nCur, int kc, float* aPanel, float* bPanel,
        float* cTile, nint ldc, float alpha, float beta, float* bias, float* tile)
        where TKernel : struct, IGemmMicrokernel
        where TEpilogue : struct, IGemmEpilogue
    {
        if (mCur == rows && nCur == TileCols)
        {
            TKernel.Run<TEpilogue>(kc, aPanel, bPanel, cTile, ldc, alpha, beta, bias);
            return;
        }

        if (beta != 0f)
        {
            new Span<float>(tile, rows * TileCols).Clear();
            for (int i = 0; i < mCur; i++)
                new ReadOnlySpan<float>(cTile + i * ldc, nCur).CopyTo(new Span<float>(tile + i * TileCols, TileCols));
        }
        TKernel.Run<TEpilogue>(kc, aPanel, bPanel, tile, TileCols, alpha, beta, bias);
        for (int i = 0; i < mCur; i++)
            new ReadOnlySpan<float>(tile + i * TileCols, nCur).CopyTo(new Span<float>(cTile + i * ldc, nCur));
    }
}
