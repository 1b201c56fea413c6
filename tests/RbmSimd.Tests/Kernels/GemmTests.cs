using System.Runtime.Intrinsics.X86;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Kernels;

public class GemmTests
{
    /// <summary>Unit roundoff of float, u = 2⁻²⁴.</summary>
    private static readonly double U = Math.ScaleB(1, -24);

    /// <summary>
    /// The factor c in <c>tol_ij = c·(k + 4)·u·M_ij</c>, <c>M_ij = |α|·Σ_p |a_ip·b_pj| + |β|·|c0_ij|</c>.
    /// Higham's bound for a dot product of k terms evaluated by recursive summation (with or without FMA) is
    /// <c>γ_k·Σ|a_ip·b_pj|</c>, <c>γ_k = k·u/(1 − k·u)</c>. The kernel adds at most 2 roundings for α and β and 2
    /// per extra k-block (⌈k/256⌉ − 1 merges), fewer than k + 4 in all, so the count of roundings is at most
    /// 2(k + 4) for k ≥ 1 and the rule is γ over that count; c = 2 covers the doubling, and 1/(1 − n·u) is
    /// below 1.0001 for every n in these tests, which c's slack absorbs. It is a worst-case bound, so it is
    /// never widened: an element computed from a wrong row or column misses it by orders of magnitude.
    /// </summary>
    private const double C = 2.0;

    /// <summary>The sigmoid kernel's absolute error bound (see SigmoidTests).</summary>
    private const double SigmoidError = 5e-7;

    private const float CPadding = 12345f;

    private sealed record Operands(float[] A, int Lda, float[] B, int Ldb, float[] C0, int Ldc, float[] Bias);

    private static Operands Build(GemmCase t)
    {
        var rng = new Random(t.Seed);
        (int ar, int ac) = t.TransA ? (t.K, t.M) : (t.M, t.K);
        (int br, int bc) = t.TransB ? (t.N, t.K) : (t.K, t.N);
        float[] a = Fill(rng, ar, ac, ac + t.PadA, float.NaN); // NaN padding: reading it would poison the result
        float[] b = Fill(rng, br, bc, bc + t.PadB, float.NaN);
        float[] c0 = Fill(rng, t.M, t.N, t.N + t.PadC, CPadding);
        if (t.Beta == 0) for (int i = 0; i < t.M; i++) c0.AsSpan(i * (t.N + t.PadC), t.N).Fill(float.NaN); // must not be read
        float[] bias = new float[t.N];
        for (int j = 0; j < t.N; j++) bias[j] = (float)(rng.NextDouble() * 4 - 2);
        return new Operands(a, ac + t.PadA, b, bc + t.PadB, c0, t.N + t.PadC, bias);
    }

    private static float[] Fill(Random rng, int rows, int cols, int stride, float padding)
    {
        var x = new float[rows * stride];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < stride; j++)
                x[i * stride + j] = j < cols ? (float)(rng.NextDouble() * 2 - 1) : padding;
        return x;
    }

    private static float[] Run(GemmCase t, Operands o, KernelIsa isa, bool parallel)
    {
        (int ar, int ac) = t.TransA ? (t.K, t.M) : (t.M, t.K);
        (int br, int bc) = t.TransB ? (t.N, t.K) : (t.K, t.N);
        float[] c = (float[])o.C0.Clone();
        Gemm.Multiply(
            new ReadOnlyMatrixView(o.A, ar, ac, o.Lda), t.TransA ? MatrixOp.Transpose : MatrixOp.None,
            new ReadOnlyMatrixView(o.B, br, bc, o.Ldb), t.TransB ? MatrixOp.Transpose : MatrixOp.None,
            new MatrixView(c, t.M, t.N, o.Ldc), t.Epilogue, o.Bias, t.Alpha, t.Beta, isa, parallel);
        return c;
    }

    /// <summary>Null when every element is within its bound and the padding of C is untouched; otherwise the first failure.</summary>
    private static string? Check(GemmCase t, Operands o, float[] c)
    {
        (double[] v, double[] mag) = NaiveGemm.Multiply(o.A, o.Lda, t.TransA, o.B, o.Ldb, t.TransB, o.C0, o.Ldc, t.M, t.N, t.K, t.Alpha, t.Beta);
        for (int i = 0; i < t.M; i++)
        {
            for (int j = 0; j < t.N; j++)
            {
                double tol = C * (t.K + 4) * U * mag[i * t.N + j];
                double expected = v[i * t.N + j];
                if ((t.Epilogue & GemmEpilogue.AddBias) != 0)
                {
                    expected += o.Bias[j];
                    tol += U * Math.Abs(expected); // the bias add rounds once more
                }
                if ((t.Epilogue & GemmEpilogue.Sigmoid) != 0)
                {
                    expected = NaiveActivations.Sigmoid(expected);
                    tol = tol / 4 + SigmoidError; // σ is ¼-Lipschitz
                }
                float got = c[i * o.Ldc + j];
                if (!(Math.Abs(got - expected) <= tol))
                    return $"C[{i},{j}] = {got:R}, expected {expected:R} ± {tol:E2}";
            }
            for (int j = t.N; j < o.Ldc; j++)
                if (c[i * o.Ldc + j] != CPadding) return $"padding C[{i},{j}] was overwritten";
        }
        return null;
    }

    [Property(Arbitrary = [typeof(GemmCases)], MaxTest = 120)]
    public Property Gemm_RandomShapes_MatchNaiveWithinDotProductBound(GemmCase t)
    {
        Operands o = Build(t);
        string? failure = null;
        foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
            if (KernelSelection.IsSupported(isa))
                failure ??= Check(t, o, Run(t, o, isa, parallel: false)) is { } f ? $"{isa}: {f}" : null;
        return (failure is null).Label(failure ?? "")
            .Classify(t.M % 6 != 0 || t.N % 16 != 0, "edge tiles")
            .Classify(t.K > 256, "several k-blocks")
            .Classify(t.TransA || t.TransB, "transposed");
    }

    [Property(Arbitrary = [typeof(GemmCases)], MaxTest = 60)]
    public Property Gemm_Isas_AgreeBitForBit_WithFma(GemmCase t)
    {
        // Every kernel runs the same fused multiply-add chain per element, so with FMA hardware they agree exactly.
        if (!Fma.IsSupported) return true.ToProperty();
        Operands o = Build(t);
        float[] reference = Run(t, o, KernelIsa.Scalar, parallel: false);
        bool same = true;
        foreach (KernelIsa isa in new[] { KernelIsa.Vector128, KernelIsa.Vector256, KernelIsa.Vector512 })
            if (KernelSelection.IsSupported(isa))
                same &= reference.AsSpan().SequenceEqual(Run(t, o, isa, parallel: false));
        return same.ToProperty();
    }

    [Property(Arbitrary = [typeof(GemmCases)], MaxTest = 40)]
    public Property GemmParallel_MatchesSerialBitForBit(GemmCase t)
    {
        // Scale up so the product is big enough to be split (above 2 MFLOP and more than one 128-column block).
        t = t with { M = t.M + 40, N = t.N + 200, K = t.K + 100 };
        Operands o = Build(t);
        return Run(t, o, KernelSelection.Active, parallel: false).AsSpan()
            .SequenceEqual(Run(t, o, KernelSelection.Active, parallel: true)).ToProperty();
    }

    public static TheoryData<int, int, int, bool, bool> RbmShapes => new()
    {
        { 100, 500, 784, false, false }, // V·W
        { 100, 784, 500, false, true },  // H·Wᵀ, W stored 784×500
        { 784, 500, 100, true, false },  // Vᵀ·H
    };

    [Theory]
    [MemberData(nameof(RbmShapes))]
    public void Gemm_RbmShapes_MatchNaive(int m, int n, int k, bool transA, bool transB)
    {
        var t = new GemmCase(m, n, k, transA, transB, 0, 0, 0, 1f, 0f, GemmEpilogue.None, 1234);
        Operands o = Build(t);
        foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
            if (KernelSelection.IsSupported(isa))
                Assert.Null(Check(t, o, Run(t, o, isa, parallel: false)));
        Assert.Null(Check(t, o, Run(t, o, KernelSelection.Active, parallel: true)));
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Gemm_AddBiasSigmoidEpilogue_EqualsSeparatePasses(KernelIsa isa)
    {
        // The fused epilogue must be bit-identical to the product followed by Activations.AddBiasSigmoid.
        var t = new GemmCase(37, 45, 300, false, true, 1, 2, 3, 1f, 0f, GemmEpilogue.AddBiasSigmoid, 99);
        Operands o = Build(t);
        float[] fused = Run(t, o, isa, parallel: false);
        float[] plain = Run(t with { Epilogue = GemmEpilogue.None }, o, isa, parallel: false);
        for (int i = 0; i < t.M; i++)
        {
            Span<float> row = plain.AsSpan(i * o.Ldc, t.N);
            Activations.AddBiasSigmoid(row, o.Bias, row, isa);
            Assert.True(row.SequenceEqual(fused.AsSpan(i * o.Ldc, t.N)), $"row {i}");
        }
    }

    [Fact]
    public void Gemm_SteadyState_DoesNotAllocate()
    {
        var a = new Matrix(100, 784);
        var b = new Matrix(784, 500);
        var c = new Matrix(100, 500);
        Gemm.Multiply(a, MatrixOp.None, b, MatrixOp.None, c); // grows this thread's packing buffers
        long before = GC.GetAllocatedBytesForCurrentThread();
        Gemm.Multiply(a, MatrixOp.None, b, MatrixOp.None, c);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Gemm_InnerDimensionMismatch_ThrowsNamingB()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new Matrix(2, 3), MatrixOp.None, new Matrix(4, 5), MatrixOp.None, new Matrix(2, 5)));
        Assert.Equal("b", e.ParamName);
    }

    [Fact]
    public void Gemm_WrongResultShape_ThrowsNamingC()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new Matrix(2, 3), MatrixOp.None, new Matrix(3, 5), MatrixOp.None, new Matrix(5, 2)));
        Assert.Equal("c", e.ParamName);
    }

    [Fact]
    public void Gemm_ShortBias_ThrowsNamingBias()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            Gemm.Multiply(new Matrix(2, 3), MatrixOp.None, new Matrix(3, 5), MatrixOp.None, new Matrix(2, 5), GemmEpilogue.AddBias, new float[4]));
        Assert.Equal("bias", e.ParamName);
    }

    [Fact]
    public void Gemm_ResultOverlapsOperand_ThrowsNamingC()
    {
        var storage = new float[64];
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(
            new ReadOnlyMatrixView(storage, 4, 4), MatrixOp.None, new ReadOnlyMatrixView(new float[16], 4, 4), MatrixOp.None,
            new MatrixView(storage.AsSpan(8), 4, 4)));
        Assert.Equal("c", e.ParamName);
    }
}
