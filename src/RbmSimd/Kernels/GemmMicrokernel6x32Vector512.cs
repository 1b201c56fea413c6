using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>The 6 × 32 <c>Vector512</c> micro-kernel: 12 zmm accumulators over one packed A and two packed B micro-panels.</summary>
/// <remarks>
/// Implementation notes. Used by <see cref="GemmMacrokernelVector512"/> for an odd last 6-row A micro-panel
/// next to a pair of B micro-panels. The body is one half of <see cref="GemmMicrokernel12x32Vector512"/>:
/// per k-step two aligned zmm loads of B (at <c>b</c> and <c>b + 16·kc</c>), six broadcasts, 12 FMAs, the same
/// chain per element as every other kernel.
/// </remarks>
internal readonly unsafe struct GemmMicrokernel6x32Vector512 : IGemmMicrokernel
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
        Vector512<float> b0, b1, ai;
        nint bNext = 16 * (nint)kc; // the second B micro-panel
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
