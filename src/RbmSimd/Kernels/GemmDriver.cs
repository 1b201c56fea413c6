using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace RbmSimd.Kernels;

/// <summary>BLIS loops 5, 4 and 3 around the macro-kernel: partition N by NC, K by KC (packing B), M by MC (packing A).</summary>
/// <remarks>
/// Implementation notes.
/// <code>
/// for jc in N step NC                      loop 5
///   for pc in K step kc  (kc ≤ KC, equal)  loop 4: pack op(B)[pc.., jc..] → B̃ (kc × nc)
///     for ic in M step mc (mc ≤ MC, equal) loop 3: pack op(A)[ic.., pc..] → Ã (mc × kc)
///       macro-kernel(Ã, B̃, C[ic.., jc..])  loops 2 and 1, micro-kernel
/// </code>
/// β is applied on the first k-block only (later blocks accumulate with β = 1), and the epilogue (bias,
/// sigmoid) on the last only, when each element's sum is complete. K = 0 still runs one empty k-block so
/// that C ← β·C and the epilogue happen. Every element's value depends only on its row of op(A), its column
/// of op(B), the k-blocking (a function of K alone) and the kernel, never on which M or N block it falls in;
/// this is what lets <see cref="Gemm.MultiplyParallel"/> split C freely and still match the serial bits.
/// </remarks>
internal static unsafe class GemmDriver
{
    public static void Run(in GemmProblem problem, KernelIsa isa)
    {
        if (problem.M == 0 || problem.N == 0) return;
        switch (isa)
        {
            case KernelIsa.Vector512 when (problem.Epilogue & GemmEpilogue.Sigmoid) != 0:
                RunThenSigmoid(problem);
                break;
            case KernelIsa.Vector512: Run<GemmMicrokernel12x32Vector512>(problem, Avx.IsSupported); break;
            case KernelIsa.Vector256: Run<GemmMicrokernel6x16>(problem, Avx.IsSupported); break;
            case KernelIsa.Vector128: Run<GemmMicrokernel6x16Vector128>(problem, false); break;
            default: Run<GemmMicrokernelScalar>(problem, false); break;
        }
    }

    /// <summary>
    /// The Vector512 tier applies σ in a second pass over the finished rows of C. Inlined into the 12 × 32
    /// kernel the sigmoid's constants and temporaries compete with its 24 accumulators for the 32 zmm
    /// registers; measured on Zen 5 (100×784 · 784×500) the fused form took 670 µs against 385 µs for the
    /// product plus a row pass (the pass is about 7 µs: C is still in L2). Same operator, same bits.
    /// </summary>
    private static void RunThenSigmoid(in GemmProblem problem)
    {
        GemmProblem linear = problem;
        linear.Epilogue = problem.Epilogue & ~GemmEpilogue.Sigmoid;
        if (linear.Epilogue == GemmEpilogue.AddBias) Run<GemmMicrokernel12x32Vector512, BiasEpilogue>(linear, Avx.IsSupported);
        else Run<GemmMicrokernel12x32Vector512, NoEpilogue>(linear, Avx.IsSupported);
        for (int i = 0; i < problem.M; i++)
        {
            var row = new Span<float>(problem.C + (nint)i * problem.Ldc, problem.N);
            Activations.Sigmoid(row, row, KernelIsa.Vector512);
        }
    }

    private static void Run<TKernel>(in GemmProblem problem, bool useAvx) where TKernel : struct, IGemmMicrokernel
    {
        switch (problem.Epilogue)
        {
            case GemmEpilogue.None: Run<TKernel, NoEpilogue>(problem, useAvx); break;
            case GemmEpilogue.AddBias: Run<TKernel, BiasEpilogue>(problem, useAvx); break;
            case GemmEpilogue.Sigmoid: Run<TKernel, SigmoidEpilogue>(problem, useAvx); break;
            default: Run<TKernel, BiasSigmoidEpilogue>(problem, useAvx); break;
        }
    }

    private static void Run<TKernel, TEpilogue>(in GemmProblem pr, bool useAvx)
        where TKernel : struct, IGemmMicrokernel
        where TEpilogue : struct, IGemmEpilogue
    {
        const int MR = GemmBlocking.MR, NR = GemmBlocking.NR;
        int m = pr.M, n = pr.N, k = pr.K;
        int kcBlock = Math.Max(1, GemmBlocking.Split(k, GemmBlocking.KC, 1));
        int mcBlock = GemmBlocking.Split(m, GemmBlocking.MC, MR);
        int ncBlock = GemmBlocking.Split(n, GemmBlocking.NC, NR);

        GemmWorkspace ws = GemmWorkspace.Current;
        float* packedA = ws.A(mcBlock * kcBlock + GemmPacking.Slack);
        float* packedB = ws.B(ncBlock * kcBlock);

        for (int jc = 0; jc < n; jc += ncBlock)
        {
            int nc = Math.Min(ncBlock, n - jc);
            int pc = 0;
            do
            {
                int kc = Math.Min(kcBlock, k - pc);
                bool first = pc == 0, last = pc + kc >= k;
                float* bSrc = pr.TransB ? pr.B + jc * pr.Ldb + pc : pr.B + pc * pr.Ldb + jc;
                GemmPacking.PackPanelB_KCxNC(bSrc, pr.Ldb, pr.TransB, kc, nc, packedB, useAvx);
                float beta = first ? pr.Beta : 1f;

                for (int ic = 0; ic < m; ic += mcBlock)
                {
                    int mc = Math.Min(mcBlock, m - ic);
                    float* aSrc = pr.TransA ? pr.A + pc * pr.Lda + ic : pr.A + ic * pr.Lda + pc;
                    GemmPacking.PackPanelA_MCxKC(aSrc, pr.Lda, pr.TransA, mc, kc, packedA, useAvx);
                    float* c = pr.C + ic * pr.Ldc + jc;
                    if (last)
                        Macrokernel<TKernel, TEpilogue>(mc, nc, kc, packedA, packedB, c, pr.Ldc, pr.Alpha, beta, pr.Bias + jc);
                    else
                        Macrokernel<TKernel, NoEpilogue>(mc, nc, kc, packedA, packedB, c, pr.Ldc, pr.Alpha, beta, null);
                }
                pc += kc;
            }
            while (pc < k);
        }
    }

    /// <summary>Loops 2 and 1: the 12 × 32 tier tiles C with its own macro-kernel over the same packing; every other kernel shares <see cref="GemmMacrokernel"/>.</summary>
    /// <remarks>The type test is a JIT-time constant for struct type arguments, so each instantiation keeps one direct call.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Macrokernel<TKernel, TEpilogue>(int mc, int nc, int kc, float* packedA, float* packedB, float* c, nint ldc,
        float alpha, float beta, float* bias)
        where TKernel : struct, IGemmMicrokernel
        where TEpilogue : struct, IGemmEpilogue
    {
        if (typeof(TKernel) == typeof(GemmMicrokernel12x32Vector512))
            GemmMacrokernelVector512.Run<TEpilogue>(mc, nc, kc, packedA, packedB, c, ldc, alpha, beta, bias);
        else
            GemmMacrokernel.Run<TKernel, TEpilogue>(mc, nc, kc, packedA, packedB, c, ldc, alpha, beta, bias);
    }
}
