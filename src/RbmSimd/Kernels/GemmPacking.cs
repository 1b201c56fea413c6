using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RbmSimd.Kernels;

/// <summary>Copies blocks of op(A) and op(B) into the zero-padded micro-panel layout the micro-kernels read.</summary>
/// <remarks>
/// Implementation notes. Packed layouts (MR = 6, NR = 16):
/// <code>
///  A block, mc × kc, as ⌈mc/6⌉ micro-panels       B panel, kc × nc, as ⌈nc/16⌉ micro-panels
///  panel r = rows 6r … 6r+5, column-major:         panel s = columns 16s … 16s+15, row-major:
///    p=0        p=1        …   p=kc−1                j=0 … 15   (p = 0)
///  [a0 … a5]  [a0 … a5]    …  [a0 … a5]            [b0 … b15]  (p = 1)
///  └ 6 floats ┘                                     …           (p = kc−1)
///  panel r starts at r·6·kc                        panel s starts at s·16·kc (32-byte aligned)
/// </code>
/// Rows of the last A panel past <c>mc</c> and columns of the last B panel past <c>nc</c> are written as
/// zeros, so the micro-kernel computes a full tile without branching and the padded results are discarded.
/// Each operand is read straight from row-major storage with its stride, in either orientation; nothing is
/// transposed in memory beforehand. <c>src</c> points at op(X)(0, 0) of the block.
/// Orientation by orientation:
/// <list type="bullet">
/// <item>A as stored: a panel gathers 6 rows. With AVX, 8 consecutive p of the 6 rows (plus two zero rows) are
/// transposed 8 × 8 in registers and each 8-float column is stored at <c>p·6</c>, overlapping the next by two
/// floats that the next store overwrites (the buffer has slack for the last one).</item>
/// <item>A transposed: op(A)'s rows are B's columns; each p copies 6 contiguous floats.</item>
/// <item>B as stored: each p copies 16 contiguous floats, two vectors.</item>
/// <item>B transposed: a panel gathers 16 rows of the stored matrix, transposed 8 × 8 in registers.</item>
/// </list>
/// </remarks>
internal static unsafe class GemmPacking
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;

    /// <summary>Floats written past the end of a packed A block by the overlapping stores.</summary>
    public const int Slack = 8;

    /// <summary>Packs op(A)[0..mc, 0..kc] (op(A)(i, p) at <c>src[i·lda + p]</c>, or <c>src[p·lda + i]</c> when transposed).</summary>
    public static void PackPanelA_MCxKC(float* src, nint lda, bool transposed, int mc, int kc, float* dst, bool useAvx)
    {
        for (int i0 = 0; i0 < mc; i0 += MR, dst += MR * kc)
        {
            int rows = Math.Min(MR, mc - i0);
            if (transposed)
            {
                float* s = src + i0;
                for (int p = 0; p < kc; p++, s += lda)
                {
                    float* d = dst + p * MR;
                    int i = 0;
                    for (; i < rows; i++) d[i] = s[i];
                    for (; i < MR; i++) d[i] = 0f;
                }
            }
            else
            {
                float* s = src + i0 * lda;
                int p = 0;
                if (useAvx && rows == MR)
                {
                    for (; p <= kc - 8; p += 8)
                    {
                        Transpose8x8(
                            Vector256.Load(s + p), Vector256.Load(s + lda + p), Vector256.Load(s + 2 * lda + p),
                            Vector256.Load(s + 3 * lda + p), Vector256.Load(s + 4 * lda + p), Vector256.Load(s + 5 * lda + p),
                            Vector256<float>.Zero, Vector256<float>.Zero,
                            out var t0, out var t1, out var t2, out var t3, out var t4, out var t5, out var t6, out var t7);
                        float* d = dst + p * MR;
                        t0.Store(d);
                        t1.Store(d + MR);
                        t2.Store(d + 2 * MR);
                        t3.Store(d + 3 * MR);
                        t4.Store(d + 4 * MR);
                        t5.Store(d + 5 * MR);
                        t6.Store(d + 6 * MR);
                        t7.Store(d + 7 * MR);
                    }
                }
                for (; p < kc; p++)
                {
                    float* d = dst + p * MR;
                    int i = 0;
                    for (; i < rows; i++) d[i] = s[i * lda + p];
                    for (; i < MR; i++) d[i] = 0f;
                }
            }
        }
    }

    /// <summary>Packs op(B)[0..kc, 0..nc] (op(B)(p, j) at <c>src[p·ldb + j]</c>, or <c>src[j·ldb + p]</c> when transposed).</summary>
    public static void PackPanelB_KCxNC(float* src, nint ldb, bool transposed, int kc, int nc, float* dst, bool useAvx)
    {
        for (int j0 = 0; j0 < nc; j0 += NR, dst += NR * kc)
        {
            int cols = Math.Min(NR, nc - j0);
            if (!transposed)
            {
                float* s = src + j0;
                if (cols == NR && useAvx)
                {
                    for (int p = 0; p < kc; p++, s += ldb)
                    {
                        Vector256.Load(s).StoreAligned(dst + p * NR);
                        Vector256.Load(s + 8).StoreAligned(dst + p * NR + 8);
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++, s += ldb)
                    {
                        float* d = dst + p * NR;
                        int j = 0;
                        for (; j < cols; j++) d[j] = s[j];
                        for (; j < NR; j++) d[j] = 0f;
                    }
                }
            }
            else
            {
                float* s = src + j0 * ldb;
                int p = 0;
                if (cols == NR && useAvx)
                {
                    for (; p <= kc - 8; p += 8)
                    {
                        for (int half = 0; half < 2; half++)
                        {
                            float* r = s + half * 8 * ldb + p;
                            Transpose8x8(
                                Vector256.Load(r), Vector256.Load(r + ldb), Vector256.Load(r + 2 * ldb), Vector256.Load(r + 3 * ldb),
                                Vector256.Load(r + 4 * ldb), Vector256.Load(r + 5 * ldb), Vector256.Load(r + 6 * ldb), Vector256.Load(r + 7 * ldb),
                                out var t0, out var t1, out var t2, out var t3, out var t4, out var t5, out var t6, out var t7);
                            float* d = dst + p * NR + half * 8;
                            t0.StoreAligned(d);
                            t1.StoreAligned(d + NR);
                            t2.StoreAligned(d + 2 * NR);
                            t3.StoreAligned(d + 3 * NR);
                            t4.StoreAligned(d + 4 * NR);
                            t5.StoreAligned(d + 5 * NR);
                            t6.StoreAligned(d + 6 * NR);
                            t7.StoreAligned(d + 7 * NR);
                        }
                    }
                }
                for (; p < kc; p++)
                {
                    float* d = dst + p * NR;
                    int j = 0;
                    for (; j < cols; j++) d[j] = s[j * ldb + p];
                    for (; j < NR; j++) d[j] = 0f;
                }
            }
        }
    }

    /// <summary>Transposes the 8 × 8 block whose rows are <c>r0…r7</c>: <c>tk</c> holds element k of every row.</summary>
    /// <remarks>Three rounds: interleave pairs of rows (unpack), then pairs of pairs (shuffle), then swap 128-bit halves.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(
        Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3,
        out Vector256<float> t4, out Vector256<float> t5, out Vector256<float> t6, out Vector256<float> t7)
    {
        // Lane notation: row r, element k → rk. After unpack: (00 10 01 11 | 04 14 05 15) etc.
        Vector256<float> u0 = Avx.UnpackLow(r0, r1), u1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> u2 = Avx.UnpackLow(r2, r3), u3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> u4 = Avx.UnpackLow(r4, r5), u5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> u6 = Avx.UnpackLow(r6, r7), u7 = Avx.UnpackHigh(r6, r7);
        // After shuffle: (00 10 20 30 | 04 14 24 34), (01 11 21 31 | 05 …), …
        Vector256<float> s0 = Avx.Shuffle(u0, u2, 0x44), s1 = Avx.Shuffle(u0, u2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(u1, u3, 0x44), s3 = Avx.Shuffle(u1, u3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(u4, u6, 0x44), s5 = Avx.Shuffle(u4, u6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(u5, u7, 0x44), s7 = Avx.Shuffle(u5, u7, 0xEE);
        t0 = Avx.Permute2x128(s0, s4, 0x20);
        t1 = Avx.Permute2x128(s1, s5, 0x20);
        t2 = Avx.Permute2x128(s2, s6, 0x20);
        t3 = Avx.Permute2x128(s3, s7, 0x20);
        t4 = Avx.Permute2x128(s0, s4, 0x31);
        t5 = Avx.Permute2x128(s1, s5, 0x31);
        t6 = Avx.Permute2x128(s2, s6, 0x31);
        t7 = Avx.Permute2x128(s3, s7, 0x31);
    }
}
