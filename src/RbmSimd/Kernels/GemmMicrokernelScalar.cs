using System.Runtime.CompilerServices;

namespace RbmSimd.Kernels;

/// <summary>The reference 6 × 16 micro-kernel: plain loops, same signature and packing as the vector kernels.</summary>
/// <remarks>
/// The fallback for CPUs without SIMD and the readable statement of what a micro-kernel computes. It keeps
/// the 96 accumulators in a stack tile and walks k in the same order with the same (fused, where the CPU
/// has FMA) multiply-adds as the vector kernels.
/// </remarks>
internal readonly unsafe struct GemmMicrokernelScalar : IGemmMicrokernel
{
    [SkipLocalsInit]
    public static void Run<TEpilogue>(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
        where TEpilogue : struct, IGemmEpilogue
    {
        const int MR = GemmBlocking.MR, NR = GemmBlocking.NR;
        float* acc = stackalloc float[MR * NR];
        new Span<float>(acc, MR * NR).Clear();
        for (int p = 0; p < kc; p++, a += MR, b += NR)
            for (int i = 0; i < MR; i++)
            {
                float ai = a[i];
                for (int j = 0; j < NR; j++) acc[i * NR + j] = FusedOps.MulAdd(ai, b[j], acc[i * NR + j]);
            }

        for (int i = 0; i < MR; i++)
        {
            float* row = c + i * ldc;
            for (int j = 0; j < NR; j++)
            {
                float v = acc[i * NR + j] * alpha;
                if (beta != 0f) v = FusedOps.MulAdd(row[j], beta, v);
                row[j] = TEpilogue.Apply(v, TEpilogue.UsesBias ? bias[j] : 0f);
            }
        }
    }
}
