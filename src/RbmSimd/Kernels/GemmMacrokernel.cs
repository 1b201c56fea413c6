using System.Runtime.CompilerServices;

namespace RbmSimd.Kernels;

/// <summary>BLIS loops 2 and 1: sweep an MC × NC block of C in MR × NR tiles over the packed A block and B panel.</summary>
/// <remarks>
/// Implementation notes. The column loop (jr) is outside the row loop (ir): one packed B micro-panel
/// (kc × 16 floats) stays in L1 while the A micro-panels of the block stream from L2. Interior tiles are
/// written straight into C. An edge tile (fewer than 6 rows or 16 columns left) runs the same micro-kernel on
/// a 6 × 16 stack tile, loaded from C when β ≠ 0, and only the valid part is copied back; so the edges get
/// exactly the interior arithmetic and the micro-kernel never branches on shape. The bias row of an edge
/// tile is likewise copied into a zero-padded 16-float stack row.
/// </remarks>
internal static unsafe class GemmMacrokernel
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;

    [SkipLocalsInit]
    public static void Run<TKernel, TEpilogue>(int mc, int nc, int kc, float* packedA, float* packedB, float* c, nint ldc,
        float alpha, float beta, float* bias)
        where TKernel : struct, IGemmMicrokernel
        where TEpilogue : struct, IGemmEpilogue
    {
        float* tile = stackalloc float[MR * NR];
        float* biasTile = stackalloc float[NR];
        for (int jr = 0; jr < nc; jr += NR)
        {
            int nCur = Math.Min(NR, nc - jr);
            float* bPanel = packedB + (nint)jr * kc;
            float* biasJ = TEpilogue.UsesBias ? bias + jr : null;
            if (TEpilogue.UsesBias && nCur < NR)
            {
                new Span<float>(biasTile, NR).Clear();
                new ReadOnlySpan<float>(biasJ, nCur).CopyTo(new Span<float>(biasTile, NR));
                biasJ = biasTile;
            }

            for (int ir = 0; ir < mc; ir += MR)
            {
                int mCur = Math.Min(MR, mc - ir);
                float* aPanel = packedA + (nint)ir * kc;
                float* cTile = c + ir * ldc + jr;
                if (mCur == MR && nCur == NR)
                {
                    TKernel.Run<TEpilogue>(kc, aPanel, bPanel, cTile, ldc, alpha, beta, biasJ);
                    continue;
                }

                if (beta != 0f)
                {
                    new Span<float>(tile, MR * NR).Clear();
                    for (int i = 0; i < mCur; i++)
                        new ReadOnlySpan<float>(cTile + i * ldc, nCur).CopyTo(new Span<float>(tile + i * NR, NR));
                }
                TKernel.Run<TEpilogue>(kc, aPanel, bPanel, tile, NR, alpha, beta, biasJ);
                for (int i = 0; i < mCur; i++)
                    new ReadOnlySpan<float>(tile + i * NR, nCur).CopyTo(new Span<float>(cTile + i * ldc, nCur));
            }
        }
    }
}
