using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <remarks>
/// The <c>Vector512</c> overloads are the <c>Vector256</c> ones lane for lane: the same constants, the same
/// operations in the same order (AVX-512's <c>vscalefps</c> or <c>vgetexpps</c> would round differently), so
/// every tier returns the same bits for the same input when the CPU has FMA.
/// </remarks>
internal static partial class ExpNonPositive
{
    /// <inheritdoc cref="Normal(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Normal(Vector512<float> y)
    {
        Vector512<float> k = FusedOps.MulAdd(y, Vector512.Create(Log2E), Vector512.Create(Magic));
        Vector512<float> n = k - Vector512.Create(Magic);
        Vector512<float> p = Polynomial(Reduce(y, n));
        Vector512<int> scale = Vector512.ShiftLeft(k.AsInt32(), 23) + Vector512.Create(OneBits);
        return p * scale.AsSingle();
    }

    /// <inheritdoc cref="Wide(Vector256{float})"/>
    public static Vector512<float> Wide(Vector512<float> y)
    {
        y = Vector512.MaxNative(y, Vector512.Create(WideLimit));
        Vector512<float> k = FusedOps.MulAdd(y, Vector512.Create(Log2E), Vector512.Create(Magic));
        Vector512<float> n = k - Vector512.Create(Magic);
        Vector512<float> p = Polynomial(Reduce(y, n));
        Vector512<int> ni = k.AsInt32() - Vector512.Create(Magic).AsInt32();
        Vector512<int> n1 = Vector512.ShiftRightArithmetic(ni, 1);
        Vector512<int> n2 = ni - n1;
        Vector512<float> s1 = Vector512.ShiftLeft(n1 + Vector512.Create(127), 23).AsSingle();
        Vector512<float> s2 = Vector512.ShiftLeft(n2 + Vector512.Create(127), 23).AsSingle();
        return p * s1 * s2;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reduce(Vector512<float> y, Vector512<float> n) =>
        FusedOps.NegMulAdd(n, Vector512.Create(Ln2Lo), FusedOps.NegMulAdd(n, Vector512.Create(Ln2Hi), y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Polynomial(Vector512<float> r)
    {
        Vector512<float> p = FusedOps.MulAdd(Vector512.Create(C5), r, Vector512.Create(C4));
        p = FusedOps.MulAdd(p, r, Vector512.Create(C3));
        p = FusedOps.MulAdd(p, r, Vector512.Create(C2));
        p = FusedOps.MulAdd(p, r, Vector512.Create(C1));
        return FusedOps.MulAdd(p, r, Vector512.Create(C0));
    }
}
