using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>
/// <c>e^y</c> for <c>y ≤ 0</c>, the only exponential the logistic and softplus functions need once they are
/// written in terms of <c>−|x|</c>.
/// </summary>
/// <remarks>
/// Implementation notes.
/// <para>
/// Range reduction: <c>e^y = 2^n · e^r</c> with <c>n = round(y·log₂e)</c> and <c>r = y − n·ln2</c>, so
/// <c>|r| ≤ ln2/2 ≈ 0.347</c>. The rounding uses the "magic number" trick: adding <c>1.5·2²³</c> to
/// <c>y·log₂e</c> leaves <c>n</c> in the low mantissa bits (round-to-nearest-even), so one add and one
/// subtract replace a round and a convert, and shifting the sum's bits left by 23 gives <c>n</c> already in
/// the exponent field (the magic constant's own bits shift out). <c>n·ln2</c> is subtracted in two parts
/// (Cody–Waite): <c>ln2_hi</c> = 0x3F317180 has 17 significant bits, so <c>n·ln2_hi</c> is exact for
/// <c>|n| ≤ 127</c> even without FMA, and <c>ln2_lo</c> = 0x3717F7D1 carries the rest.
/// </para>
/// <para>
/// Polynomial: <c>e^r ≈ 1 + c₁r + … + c₅r⁵</c>, a degree-5 minimax fit to relative error on
/// <c>[−ln2/2, ln2/2]</c> computed for this project (Lawson's iteratively reweighted least squares in
/// double): 9.1·10⁻⁸ in exact arithmetic, 1.5·10⁻⁷ measured with float Horner and the rounded coefficients
/// below. <c>c₀</c> is pinned to exactly 1 so that <c>e^0 = 1</c> and <c>σ(0) = ½</c> come out exact.
/// </para>
/// <para>
/// Scaling: <see cref="Normal(Vector256{float})"/> builds <c>2^n</c> directly, which is a normal float only
/// for <c>n ≥ −126</c>, that is <c>y ≥ −87.33</c>; callers test for <see cref="NormalLimit"/> and fix up
/// the rare lanes beyond it with <see cref="Wide(Vector256{float})"/>, which splits <c>2^n</c> into two
/// normal factors so subnormal results round correctly and <c>y</c> down to −110 (far below the
/// 2⁻¹⁵⁰ underflow threshold) gives exactly 0.
/// </para>
/// </remarks>
internal static partial class ExpNonPositive
{
    /// <summary><c>−126·ln2</c>: the most negative <c>y</c> for which <c>2^n</c> is a normal float.</summary>
    public const float NormalLimit = -87.33654f;

    /// <summary>Where <see cref="Wide(Vector256{float})"/> clamps: <c>e^−110</c> is far below half the smallest subnormal.</summary>
    public const float WideLimit = -110f;

    private const float Log2E = 1.44269504f;
    private const float Magic = 12582912f; // 1.5·2²³
    private const float Ln2Hi = 0.693138123f; // 0x3F317180
    private const float Ln2Lo = 9.05800061e-06f; // 0x3717F7D1
    private const int OneBits = 0x3F800000;

    // Minimax fit for e^r on [−ln2/2, ln2/2] (relative error, c₀ pinned to 1), rounded to float.
    private const float C0 = 1f;
    private const float C1 = 0.9999997f;
    private const float C2 = 0.4999915f;
    private const float C3 = 0.16667636f;
    private const float C4 = 0.04189793f;
    private const float C5 = 0.008290316f;

    /// <summary><c>e^y</c> for <c>y</c> in [<see cref="NormalLimit"/>, 0]; other inputs give unspecified lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Normal(Vector256<float> y)
    {
        Vector256<float> k = FusedOps.MulAdd(y, Vector256.Create(Log2E), Vector256.Create(Magic));
        Vector256<float> n = k - Vector256.Create(Magic);
        Vector256<float> p = Polynomial(Reduce(y, n));
        Vector256<int> scale = Vector256.ShiftLeft(k.AsInt32(), 23) + Vector256.Create(OneBits);
        return p * scale.AsSingle();
    }

    /// <summary><c>e^y</c> for any <c>y ≤ 0</c> (clamped at <see cref="WideLimit"/>), with correctly scaled subnormals; NaN lanes unspecified.</summary>
    public static Vector256<float> Wide(Vector256<float> y)
    {
        y = Vector256.MaxNative(y, Vector256.Create(WideLimit));
        Vector256<float> k = FusedOps.MulAdd(y, Vector256.Create(Log2E), Vector256.Create(Magic));
        Vector256<float> n = k - Vector256.Create(Magic);
        Vector256<float> p = Polynomial(Reduce(y, n));
        Vector256<int> ni = k.AsInt32() - Vector256.Create(Magic).AsInt32();
        Vector256<int> n1 = Vector256.ShiftRightArithmetic(ni, 1);
        Vector256<int> n2 = ni - n1;
        Vector256<float> s1 = Vector256.ShiftLeft(n1 + Vector256.Create(127), 23).AsSingle();
        Vector256<float> s2 = Vector256.ShiftLeft(n2 + Vector256.Create(127), 23).AsSingle();
        return p * s1 * s2;
    }

    /// <inheritdoc cref="Normal(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Normal(Vector128<float> y)
    {
        Vector128<float> k = FusedOps.MulAdd(y, Vector128.Create(Log2E), Vector128.Create(Magic));
        Vector128<float> n = k - Vector128.Create(Magic);
        Vector128<float> p = Polynomial(Reduce(y, n));
        Vector128<int> scale = Vector128.ShiftLeft(k.AsInt32(), 23) + Vector128.Create(OneBits);
        return p * scale.AsSingle();
    }

    /// <inheritdoc cref="Wide(Vector256{float})"/>
    public static Vector128<float> Wide(Vector128<float> y)
    {
        y = Vector128.MaxNative(y, Vector128.Create(WideLimit));
        Vector128<float> k = FusedOps.MulAdd(y, Vector128.Create(Log2E), Vector128.Create(Magic));
        Vector128<float> n = k - Vector128.Create(Magic);
        Vector128<float> p = Polynomial(Reduce(y, n));
        Vector128<int> ni = k.AsInt32() - Vector128.Create(Magic).AsInt32();
        Vector128<int> n1 = Vector128.ShiftRightArithmetic(ni, 1);
        Vector128<int> n2 = ni - n1;
        Vector128<float> s1 = Vector128.ShiftLeft(n1 + Vector128.Create(127), 23).AsSingle();
        Vector128<float> s2 = Vector128.ShiftLeft(n2 + Vector128.Create(127), 23).AsSingle();
        return p * s1 * s2;
    }

    /// <inheritdoc cref="Normal(Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Normal(float y)
    {
        float k = FusedOps.MulAdd(y, Log2E, Magic);
        float n = k - Magic;
        float p = Polynomial(Reduce(y, n));
        int scale = (BitConverter.SingleToInt32Bits(k) << 23) + OneBits;
        return p * BitConverter.Int32BitsToSingle(scale);
    }

    /// <inheritdoc cref="Wide(Vector256{float})"/>
    public static float Wide(float y)
    {
        y = MathF.Max(y, WideLimit);
        float k = FusedOps.MulAdd(y, Log2E, Magic);
        float n = k - Magic;
        float p = Polynomial(Reduce(y, n));
        int ni = BitConverter.SingleToInt32Bits(k) - BitConverter.SingleToInt32Bits(Magic);
        int n1 = ni >> 1;
        int n2 = ni - n1;
        return p * BitConverter.Int32BitsToSingle((n1 + 127) << 23) * BitConverter.Int32BitsToSingle((n2 + 127) << 23);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Reduce(Vector256<float> y, Vector256<float> n) =>
        FusedOps.NegMulAdd(n, Vector256.Create(Ln2Lo), FusedOps.NegMulAdd(n, Vector256.Create(Ln2Hi), y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Reduce(Vector128<float> y, Vector128<float> n) =>
        FusedOps.NegMulAdd(n, Vector128.Create(Ln2Lo), FusedOps.NegMulAdd(n, Vector128.Create(Ln2Hi), y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(float y, float n) => FusedOps.MulAdd(-n, Ln2Lo, FusedOps.MulAdd(-n, Ln2Hi, y));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Polynomial(Vector256<float> r)
    {
        Vector256<float> p = FusedOps.MulAdd(Vector256.Create(C5), r, Vector256.Create(C4));
        p = FusedOps.MulAdd(p, r, Vector256.Create(C3));
        p = FusedOps.MulAdd(p, r, Vector256.Create(C2));
        p = FusedOps.MulAdd(p, r, Vector256.Create(C1));
        return FusedOps.MulAdd(p, r, Vector256.Create(C0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Polynomial(Vector128<float> r)
    {
        Vector128<float> p = FusedOps.MulAdd(Vector128.Create(C5), r, Vector128.Create(C4));
        p = FusedOps.MulAdd(p, r, Vector128.Create(C3));
        p = FusedOps.MulAdd(p, r, Vector128.Create(C2));
        p = FusedOps.MulAdd(p, r, Vector128.Create(C1));
        return FusedOps.MulAdd(p, r, Vector128.Create(C0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Polynomial(float r)
    {
        float p = FusedOps.MulAdd(C5, r, C4);
        p = FusedOps.MulAdd(p, r, C3);
        p = FusedOps.MulAdd(p, r, C2);
        p = FusedOps.MulAdd(p, r, C1);
        return FusedOps.MulAdd(p, r, C0);
    }
}
