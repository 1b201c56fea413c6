using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>The 12 × 32 <c>Vector512</c> micro-kernel: 24 zmm accumulators over two packed A and two packed B micro-panels.</summary>
/// <remarks>
/// Implementation notes. The packing is unchanged (MR = 6, NR = 16): the kernel reads two adjacent packed A
/// micro-panels (rows 0–5 at <c>a</c>, rows 6–11 at <c>a + 6·kc</c>) and two adjacent packed B micro-panels
/// (columns 0–15 at <c>b</c>, 16–31 at <c>b + 16·kc</c>, both 64-byte aligned). Per k-step: two aligned zmm
/// loads of B, twelve broadcasts of A, 24 FMAs. 24 accumulators + 2 B vectors + 1 broadcast = 27 of the 32
/// zmm registers, so nothing spills; 14 loads per 24 FMAs (the 6 × 16 ymm kernel needs 8 per 12) leaves the
/// load ports room, and 24 independent chains cover Zen 5's FMA latency (4 cycles × 2 pipes = 8) three times.
/// Each element is still one chain of FMAs in increasing p from 0, then <c>α·acc</c>, then <c>+ β·c</c>: the
/// tile shape changes which register holds an element, never its arithmetic, so the result equals the other
/// kernels' bit for bit with FMA. Write-back as <see cref="GemmMicrokernel6x16"/>, one zmm per half row.
/// </remarks>
internal readonly unsafe struct GemmMicrokernel12x32Vector512 : IGemmMicrokernel
{
    [SkipLocalsInit]
    public static void Run<TEpilogue>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
        where TEpilogue : struct, IGemmEpilogue
    {
        Vector512<float> c0a = Vector512<float>.Zero, c0b = Vector512<float>.Zero;
        Vector512<float> c1a = Vector512<float>.Zero, c1b = Vector512<float>.Zero;
        Vector512<float> c2a = Vector512<float>.Zero, c2b = Vector512<float>.Zero;
        Vector512<float> c3a = Vector512<float>.Zero, c3b = Vector512<float>.Zero;
        Vector512<float> c4a = Vector512<float>.Zero, c4b = Vector512<float>.Zero;
        Vector512<float> c5a = Vector512<float>.Zero, c5b = Vector512<float>.Zero;
        Vector512<float> c6a = Vector512<float>.Zero, c6b = Vector512<float>.Zero;
        Vector512<float> c7a = Vector512<float>.Zero, c7b = Vector512<float>.Zero;
        Vector512<float> c8a = Vector512<float>.Zero, c8b = Vector512<float>.Zero;
        Vector512<float> c9a = Vector512<float>.Zero, c9b = Vector512<float>.Zero;
        Vector512<float> c10a = Vector512<float>.Zero, c10b = Vector512<float>.Zero;
        Vector512<float> c11a = Vector512<float>.Zero, c11b = Vector512<float>.Zero;
        Vector512<float> b0, b1, ai;
        nint bNext = 16 * (nint)kc; // the second B micro-panel
        nint aNext = 6 * (nint)kc;  // the second A micro-panel
        for (int p = 0; p < kc; p++)
        {
            b0 = Vector512.LoadAligned(b);
            b1 = Vector512.LoadAligned(b + bNext);
            ai = Vector512.Create(a[0]);
            c0a = FusedOps.MulAdd(ai, b0, c0a);
            c0b = FusedOps.MulAdd(ai, b1, c0b);
            ai = Vector512.Create(a[1]);
            c1a = FusedOps.MulAdd(ai, b0, c1a);
            c1b = FusedOps.MulAdd(ai, b1, c1b);
            ai = Vector512.Create(a[2]);
            c2a = FusedOps.MulAdd(ai, b0, c2a);
            c2b = FusedOps.MulAdd(ai, b1, c2b);
            ai = Vector512.Create(a[3]);
            c3a = FusedOps.MulAdd(ai, b0, c3a);
            c3b = FusedOps.MulAdd(ai, b1, c3b);
            ai = Vector512.Create(a[4]);
            c4a = FusedOps.MulAdd(ai, b0, c4a);
            c4b = FusedOps.MulAdd(ai, b1, c4b);
            ai = Vector512.Create(a[5]);
            c5a = FusedOps.MulAdd(ai, b0, c5a);
            c5b = FusedOps.MulAdd(ai, b1, c5b);
            ai = Vector512.Create(a[aNext + 0]);
            c6a = FusedOps.MulAdd(ai, b0, c6a);
            c6b = FusedOps.MulAdd(ai, b1, c6b);
            ai = Vector512.Create(a[aNext + 1]);
            c7a = FusedOps.MulAdd(ai, b0, c7a);
            c7b = FusedOps.MulAdd(ai, b1, c7b);
            ai = Vector512.Create(a[aNext + 2]);
            c8a = FusedOps.MulAdd(ai, b0, c8a);
            c8b = FusedOps.MulAdd(ai, b1, c8b);
            ai = Vector512.Create(a[aNext + 3]);
            c9a = FusedOps.MulAdd(ai, b0, c9a);
            c9b = FusedOps.MulAdd(ai, b1, c9b);
            ai = Vector512.Create(a[aNext + 4]);
            c10a = FusedOps.MulAdd(ai, b0, c10a);
            c10b = FusedOps.MulAdd(ai, b1, c10b);
            ai = Vector512.Create(a[aNext + 5]);
            c11a = FusedOps.MulAdd(ai, b0, c11a);
            c11b = FusedOps.MulAdd(ai, b1, c11b);
            a += 6;
            b += 16;
        }

        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        Vector512<float> bias0 = default, bias1 = default;
        if (TEpilogue.UsesBias)
        {
            bias0 = Vector512.Load(bias);
            bias1 = Vector512.Load(bias + 16);
        }
        bool readC = beta != 0f;
        Store<TEpilogue>(c + 0 * ldc, c0a, c0b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 1 * ldc, c1a, c1b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 2 * ldc, c2a, c2b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 3 * ldc, c3a, c3b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 4 * ldc, c4a, c4b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 5 * ldc, c5a, c5b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 6 * ldc, c6a, c6b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 7 * ldc, c7a, c7b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 8 * ldc, c8a, c8b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 9 * ldc, c9a, c9b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 10 * ldc, c10a, c10b, va, vb, bias0, bias1, readC);
        Store<TEpilogue>(c + 11 * ldc, c11a, c11b, va, vb, bias0, bias1, readC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<TEpilogue>(float* row, Vector512<float> acc0, Vector512<float> acc1, Vector512<float> va, Vector512<float> vb,
        Vector512<float> bias0, Vector512<float> bias1, bool readC)
        where TEpilogue : struct, IGemmEpilogue
    {
        Vector512<float> v0 = acc0 * va, v1 = acc1 * va;
        if (readC)
        {
            v0 = FusedOps.MulAdd(Vector512.Load(row), vb, v0);
            v1 = FusedOps.MulAdd(Vector512.Load(row + 16), vb, v1);
        }
        TEpilogue.Apply(v0, bias0).Store(row);
        TEpilogue.Apply(v1, bias1).Store(row + 16);
    }
}
