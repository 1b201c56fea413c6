using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>The 6 × 16 <c>Vector256</c> micro-kernel: twelve accumulators, two B vectors and one broadcast per step.</summary>
/// <remarks>
/// Implementation notes (layout in <see cref="IGemmMicrokernel"/>). Per k-step: load two B vectors (16
/// floats of the packed B row), broadcast each of the six A values of the packed A column in turn and issue
/// two FMAs with it, twelve in all. Fifteen of sixteen ymm registers stay live, so there is no spill; the
/// loop is unrolled by 4 (as BLIS's <c>sgemm_haswell_asm_6x16</c>) with a one-step remainder loop, and has
/// no loop in the MR or NR direction. Zen 1 retires one 256-bit FMA per cycle, so the kernel's ceiling is
/// 16 flop/cycle; the eight loads per step fit its two load ports easily.
/// Write-back: <c>v = α·acc</c>, then <c>v = β·c + v</c> as one FMA unless β = 0 (then C is not read), then
/// the epilogue, then an unaligned store.
/// </remarks>
internal readonly unsafe struct GemmMicrokernel6x16 : IGemmMicrokernel
{
    [SkipLocalsInit]
    public static void Run<TEpilogue>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
        where TEpilogue : struct, IGemmEpilogue
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
        Vector256<float> c40 = Vector256<float>.Zero, c41 = Vector256<float>.Zero;
        Vector256<float> c50 = Vector256<float>.Zero, c51 = Vector256<float>.Zero;
        Vector256<float> b0, b1, ai;
        int p = 0;
        for (; p <= kc - 4; p += 4)
        {
            b0 = Vector256.LoadAligned(b + 0);
            b1 = Vector256.LoadAligned(b + 8);
            ai = Vector256.Create(a[0]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            b0 = Vector256.LoadAligned(b + 16);
            b1 = Vector256.LoadAligned(b + 24);
            ai = Vector256.Create(a[6]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector256.Create(a[7]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector256.Create(a[8]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector256.Create(a[9]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector256.Create(a[10]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector256.Create(a[11]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            b0 = Vector256.LoadAligned(b + 32);
            b1 = Vector256.LoadAligned(b + 40);
            ai = Vector256.Create(a[12]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector256.Create(a[13]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector256.Create(a[14]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector256.Create(a[15]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector256.Create(a[16]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector256.Create(a[17]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            b0 = Vector256.LoadAligned(b + 48);
            b1 = Vector256.LoadAligned(b + 56);
            ai = Vector256.Create(a[18]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector256.Create(a[19]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector256.Create(a[20]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector256.Create(a[21]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector256.Create(a[22]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector256.Create(a[23]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            a += 24;
            b += 64;
        }
        for (; p < kc; p++)
        {
            b0 = Vector256.LoadAligned(b + 0);
            b1 = Vector256.LoadAligned(b + 8);
            ai = Vector256.Create(a[0]);
            c00 = FusedOps.MulAdd(ai, b0, c00);
            c01 = FusedOps.MulAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = FusedOps.MulAdd(ai, b0, c10);
            c11 = FusedOps.MulAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = FusedOps.MulAdd(ai, b0, c20);
            c21 = FusedOps.MulAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = FusedOps.MulAdd(ai, b0, c30);
            c31 = FusedOps.MulAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = FusedOps.MulAdd(ai, b0, c40);
            c41 = FusedOps.MulAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = FusedOps.MulAdd(ai, b0, c50);
            c51 = FusedOps.MulAdd(ai, b1, c51);
            a += 6;
            b += 16;
        }

        Vector256<float> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        Vector256<float> bias0 = default, bias1 = default;
        if (TEpilogue.UsesBias)
        {
            bias0 = Vector256.Load(bias);
            bias1 = Vector256.Load(bias + 8);
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
    private static void Store<TEpilogue>(float* row, Vector256<float> acc0, Vector256<float> acc1, Vector256<float> va, Vector256<float> vb,
        Vector256<float> bias0, Vector256<float> bias1, bool readC)
        where TEpilogue : struct, IGemmEpilogue
    {
        Vector256<float> v0 = acc0 * va, v1 = acc1 * va;
        if (readC)
        {
            v0 = FusedOps.MulAdd(Vector256.Load(row), vb, v0);
            v1 = FusedOps.MulAdd(Vector256.Load(row + 8), vb, v1);
        }
        TEpilogue.Apply(v0, bias0).Store(row);
        TEpilogue.Apply(v1, bias1).Store(row + 8);
    }
}
