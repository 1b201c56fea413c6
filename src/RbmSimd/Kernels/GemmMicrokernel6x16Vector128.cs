using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>The 6 × 16 micro-kernel on <c>Vector128</c>: the same tile as <see cref="GemmMicrokernel6x16"/>, in two 6 × 8 halves.</summary>
/// <remarks>
/// Implementation notes. A full 6 × 16 tile would need 24 xmm accumulators, more than the 16 registers SSE
/// has, so the kernel sweeps the packed panels twice: columns 0–7, then 8–15, each with twelve
/// <c>Vector128</c> accumulators. Packing is shared with the 256-bit kernel, and every element sees the
/// same multiply-add chain, so with FMA the two kernels agree bit for bit.
/// </remarks>
internal readonly unsafe struct GemmMicrokernel6x16Vector128 : IGemmMicrokernel
{
    public static void Run<TEpilogue>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
        where TEpilogue : struct, IGemmEpilogue
    {
        Half<TEpilogue>(kc, a, b, c, ldc, alpha, beta, bias);
        Half<TEpilogue>(kc, a, b + 8, c + 8, ldc, alpha, beta, TEpilogue.UsesBias ? bias + 8 : bias);
    }

    [SkipLocalsInit]
    private static void Half<TEpilogue>(int kc, float* ap, float* bp, float* c, nint ldc, float alpha, float beta, float* bias)
        where TEpilogue : struct, IGemmEpilogue
    {
        Vector128<float> c00 = Vector128<float>.Zero, c01 = Vector128<float>.Zero;
        Vector128<float> c10 = Vector128<float>.Zero, c11 = Vector128<float>.Zero;
        Vector128<float> c20 = Vector128<float>.Zero, c21 = Vector128<float>.Zero;
        Vector128<float> c30 = Vector128<float>.Zero, c31 = Vector128<float>.Zero;
        Vector128<float> c40 = Vector128<float>.Zero, c41 = Vector128<float>.Zero;
        Vector128<float> c50 = Vector128<float>.Zero, c51 = Vector128<float>.Zero;
        Vector128<float> b0, b1, ai;
        int p = 0;
        for (; p <= kc - 4; p += 4)
        {
            b0 = Vector128.LoadAligned(bp + 0);
            b1 = Vector128.LoadAligned(bp + 4);
            ai = Vector128.Create(ap[0]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector128.Create(ap[1]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector128.Create(ap[2]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector128.Create(ap[3]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector128.Create(ap[4]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector128.Create(ap[5]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            b0 = Vector128.LoadAligned(bp + 16);
            b1 = Vector128.LoadAligned(bp + 20);
            ai = Vector128.Create(ap[6]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector128.Create(ap[7]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector128.Create(ap[8]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector128.Create(ap[9]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector128.Create(ap[10]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector128.Create(ap[11]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            b0 = Vector128.LoadAligned(bp + 32);
            b1 = Vector128.LoadAligned(bp + 36);
            ai = Vector128.Create(ap[12]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector128.Create(ap[13]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector128.Create(ap[14]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector128.Create(ap[15]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector128.Create(ap[16]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector128.Create(ap[17]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            b0 = Vector128.LoadAligned(bp + 48);
            b1 = Vector128.LoadAligned(bp + 52);
            ai = Vector128.Create(ap[18]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector128.Create(ap[19]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector128.Create(ap[20]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector128.Create(ap[21]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector128.Create(ap[22]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector128.Create(ap[23]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            ap += 24;
            bp += 64;
        }
        for (; p < kc; p++)
        {
            b0 = Vector128.LoadAligned(bp + 0);
            b1 = Vector128.LoadAligned(bp + 4);
            ai = Vector128.Create(ap[0]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector128.Create(ap[1]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector128.Create(ap[2]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector128.Create(ap[3]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector128.Create(ap[4]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector128.Create(ap[5]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            ap += 6;
            bp += 16;
        }

        Vector128<float> va = Vector128.Create(alpha), vb = Vector128.Create(beta);
        Vector128<float> bias0 = default, bias1 = default;
        if (TEpilogue.UsesBias)
        {
            bias0 = Vector128.Load(bias);
            bias1 = Vector128.Load(bias + 4);
        }
        bool readC = beta != 0f;
        Store<TEpilogue>(c + 0 * ldc, c00, c01, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 1 * ldc, c10, c11, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 2 * ldc, c20, c21, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 3 * ldc, c30, c31, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 4 * ldc, c40, c41, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 5 * ldc, c50, c51, va, vb, bias0, bias1, readC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TEpilogue>(float* row, Vector128<float> acc0, Vector128<float> acc1, Vector128<float> va, Vector128<float> vb,
        Vector128<float> bias0, Vector128<float> bias1, bool readC)
        where TEpilogue : struct, IGemmEpilogue
    {
        Vector128<float> v0 = acc0 * va, v1 = acc1 * va;
        if (readC)
        {
            v0 = FusedOps.MulAdd(Vector128.Load(row), vb, v0);
            v1 = FusedOps.MulAdd(Vector128.Load(row + 4), vb, v1);
        }
        TEpilogue.Apply(v0, bias0).Store(row);
        TEpilogue.Apply(v1, bias1).Store(row + 4);
    }
}
