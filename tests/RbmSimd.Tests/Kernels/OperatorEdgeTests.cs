using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Kernels;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Kernels;

/// <summary>
/// The sigmoid and softplus operators at the edges of their fast path, on every tier through the
/// explicit-ISA overloads: the lanes on either side of the normal-exponent limit (−126·ln 2 ≈ −87.34,
/// where a lane leaves the fast path for the fix-up), the subnormal results below it, the saturated
/// results, and ordinary lanes that share a vector with special ones.
/// </summary>
public class OperatorEdgeTests
{
    /// <summary>−126·ln 2 rounded to float: the most negative input whose e^x is a normal float.</summary>
    private const float NormalLimit = -87.33654f;

    /// <summary>One unit in the last place of a subnormal float, 2⁻¹⁴⁹.</summary>
    private static readonly double SubnormalUlp = double.ScaleB(1, -149);

    /// <summary>
    /// Relative accuracy where the result is tiny: the operator's relative bound (10⁻⁶ covers sigmoid's
    /// ≈2·10⁻⁷ and softplus's ≈4·10⁻⁷ relative) plus two subnormal ulps for the bits a subnormal result
    /// cannot carry (the rounding of the result and of the split scale factor).
    /// </summary>
    private static bool CloseRelative(double expected, float actual) =>
        Math.Abs(actual - expected) <= 1e-6 * expected + 2 * SubnormalUlp;

    /// <summary>The deep-negative inputs: at the limit, one ulp either side, the subnormal range, the round-to-zero threshold, and far below.</summary>
    private static readonly float[] DeepNegative =
    [
        NormalLimit, MathF.BitIncrement(NormalLimit), MathF.BitDecrement(NormalLimit),
        -87.4f, -88f, -90f, -95f, -100f, -102f, -103f, -103.27893f, -103.9721f, -104f, -110f, -120f, -1e10f, float.MinValue,
    ];

    private static float[] Run(Action<float[], float[]> op, float[] x)
    {
        var y = new float[x.Length];
        op(x, y);
        return y;
    }

    /// <summary>
    /// Every deep-negative input in three settings: alone (a padded short span), in a full vector of its own
    /// kind, and in a vector whose other lanes are ordinary, so it reaches the fix-up from each path.
    /// </summary>
    private static IEnumerable<(float x, float got)> InEveryPosition(Action<float[], float[]> op)
    {
        foreach (float x in DeepNegative)
        {
            yield return (x, Run(op, [x])[0]);
            float[] same = Enumerable.Repeat(x, 19).ToArray();
            float[] ys = Run(op, same);
            foreach (float y in ys) yield return (x, y);
            float[] mixed = Enumerable.Range(0, 19).Select(i => i % 5 == 3 ? x : 0.25f * i - 2f).ToArray();
            float[] ym = Run(op, mixed);
            for (int i = 3; i < 19; i += 5) yield return (x, ym[i]);
        }
    }

    // Kills: the sigmoid's negative fix-up returning 0 or the fast path's garbage below the limit, the limit
    // compared the wrong way (< ↔ <=, the sign of −NormalLimit dropped), or the fix-up skipped (!= → ==).
    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Sigmoid_AtAndBelowTheNormalLimit_IsRelativelyAccurate(KernelIsa isa)
    {
        foreach (var (x, got) in InEveryPosition((a, b) => Activations.Sigmoid(a, b, isa)))
        {
            double expected = NaiveActivations.Sigmoid(x);
            Assert.True(CloseRelative(expected, got), $"{isa}: σ({x:R}) = {got:R}, expected {expected:R}");
        }
    }

    /// <summary>
    /// Softplus below the limit is e^x, a subnormal: an absolute 10⁻⁶ would accept 0, but free energies
    /// sum such terms, so the implementation notes promise e^x with a split exponent there.
    /// </summary>
    // Kills: softplus's negative fix-up flushing to 0 (or taking the fast path's garbage), and its limit compared the wrong way.
    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Softplus_AtAndBelowTheNormalLimit_IsRelativelyAccurate(KernelIsa isa)
    {
        foreach (var (x, got) in InEveryPosition((a, b) => Activations.Softplus(a, b, isa)))
        {
            double expected = NaiveActivations.Softplus(x);
            Assert.True(CloseRelative(expected, got), $"{isa}: softplus({x:R}) = {got:R}, expected {expected:R}");
        }
    }

    /// <summary>
    /// Saturation: σ is exactly 1 where 1 − σ(x) &lt; 2⁻²⁵ (x above 25·ln 2 ≈ 17.33) and exactly 0 where σ(x) is
    /// below half the smallest subnormal (x below about −103.97), as <see cref="Activations.Sigmoid(ReadOnlySpan{float}, Span{float})"/>
    /// documents ("exactly 0 and 1 where float cannot tell σ from them"). Softplus is x itself above 17.33:
    /// its implementation notes bound the error for x &gt; 0 by 2·10⁻⁷ plus half an ulp of the result, and
    /// there e^−x &lt; 3·10⁻⁸ while x's neighbours lie an ulp (≥ 1.9·10⁻⁶) away; and 0 below −103.97,
    /// where e^x is below half the smallest subnormal.
    /// </summary>
    // Kills: the positive fix-up (|x| > 87.3) not returning exactly 1 or x, or returning them only past a wrong threshold.
    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void SaturatedRegions_AreExact(KernelIsa isa)
    {
        float[] high = [17.34f, 25f, 50f, 87.33f, -NormalLimit, MathF.BitIncrement(-NormalLimit), 88f, 100f, 1e6f, 1e30f, float.MaxValue];
        float[] low = [-104f, -105f, -110f, -150f, -1e6f, float.MinValue, float.NegativeInfinity];
        float[] x = [.. high, .. low, 0.5f, -0.5f]; // two ordinary lanes ride along
        float[] s = Run((a, b) => Activations.Sigmoid(a, b, isa), x);
        float[] sp = Run((a, b) => Activations.Softplus(a, b, isa), x);
        for (int i = 0; i < high.Length; i++)
        {
            Assert.True(s[i] == 1f, $"{isa}: σ({x[i]:R}) = {s[i]:R}");
            Assert.True(sp[i] == x[i], $"{isa}: softplus({x[i]:R}) = {sp[i]:R}");
        }
        for (int i = high.Length; i < high.Length + low.Length; i++)
        {
            Assert.True(s[i] == 0f, $"{isa}: σ({x[i]:R}) = {s[i]:R}");
            Assert.True(sp[i] == 0f, $"{isa}: softplus({x[i]:R}) = {sp[i]:R}");
        }
        Assert.True(Math.Abs(s[^2] - NaiveActivations.Sigmoid(0.5)) <= 5e-7 && Math.Abs(s[^1] - NaiveActivations.Sigmoid(-0.5)) <= 5e-7);
    }

    /// <summary>Arrays of ordinary values with special ones sprinkled in at random positions.</summary>
    public sealed record Sprinkled(float[] Values)
    {
        public override string ToString() => $"[{Values.Length}] {string.Join(", ", Values.Take(24).Select(v => v.ToString("R")))}{(Values.Length > 24 ? ", …" : "")}";
    }

    public static Arbitrary<Sprinkled> SprinkledArrays()
    {
        Gen<float> ordinary = Gen.Choose(-1 << 24, 1 << 24).Select(i => 30f * i / (1 << 24));
        Gen<float> value = Gen.Frequency((5, ordinary), (1, Gen.Elements(ExtremeFloats.Specials.Concat(DeepNegative).ToArray())));
        Gen<int> length = Gen.Frequency((2, Gen.Elements(KernelIsas.Lengths)), (3, Gen.Choose(1, 70)));
        return Arb.From(length.SelectMany(n => Gen.ArrayOf(value, n)).Select(v => new Sprinkled(v)), s =>
            s.Values.Length <= 1 ? [] : new[] { new Sprinkled(s.Values[..(s.Values.Length / 2)]), new Sprinkled(s.Values[(s.Values.Length / 2)..]) });
    }

    /// <summary>
    /// An element's result does not depend on its neighbours: a special lane sends its whole vector (or
    /// group of vectors) through the fix-up, which must leave the ordinary lanes' bits as the fast path made
    /// them. Each element is compared bit for bit with the same element computed alone.
    /// </summary>
    // Kills: a fix-up that rewrites ordinary lanes (a threshold's sign or direction flipped, the NaN select's
    // operands swapped), and group masks that send a mixed group down the fast path.
    [Property(MaxTest = 200, Arbitrary = [typeof(OperatorEdgeTests)])]
    public Property EachElement_IsIndependentOfItsNeighbours(Sprinkled input)
    {
        float[] x = input.Values;
        foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
        {
            if (!KernelSelection.IsSupported(isa)) continue;
            float[] s = Run((a, b) => Activations.Sigmoid(a, b, isa), x);
            float[] sp = Run((a, b) => Activations.Softplus(a, b, isa), x);
            for (int i = 0; i < x.Length; i++)
            {
                float alone = Run((a, b) => Activations.Sigmoid(a, b, isa), [x[i]])[0];
                if (BitConverter.SingleToInt32Bits(alone) != BitConverter.SingleToInt32Bits(s[i]) && !(float.IsNaN(alone) && float.IsNaN(s[i])))
                    return false.Label($"{isa}: σ({x[i]:R}) at {i} = {s[i]:R}, alone {alone:R}");
                alone = Run((a, b) => Activations.Softplus(a, b, isa), [x[i]])[0];
                if (BitConverter.SingleToInt32Bits(alone) != BitConverter.SingleToInt32Bits(sp[i]) && !(float.IsNaN(alone) && float.IsNaN(sp[i])))
                    return false.Label($"{isa}: softplus({x[i]:R}) at {i} = {sp[i]:R}, alone {alone:R}");
            }
        }
        return true.ToProperty().Classify(x.Any(v => !(Math.Abs(v) <= 87.3f)), "has a fix-up lane");
    }

    /// <summary>NaN in, NaN out, on every tier and in every lane position, without disturbing the other lanes' accuracy.</summary>
    // Kills: the NaN select dropped (NaN lanes take the fix-up's 0 or 1, or the scalar path's Wide(NaN)) and NaN compared as ordinary.
    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void NaN_StaysNaN_InEveryLane(KernelIsa isa)
    {
        for (int at = 0; at < 17; at++)
        {
            float[] x = Enumerable.Range(0, 17).Select(i => i == at ? float.NaN : i - 8f).ToArray();
            float[] s = Run((a, b) => Activations.Sigmoid(a, b, isa), x);
            float[] sp = Run((a, b) => Activations.Softplus(a, b, isa), x);
            Assert.True(float.IsNaN(s[at]) && float.IsNaN(sp[at]), $"{isa}: lane {at}: σ = {s[at]}, softplus = {sp[at]}");
            Assert.True(double.IsNaN(Activations.SumSoftplus(x, isa)), $"{isa}: Σ softplus with a NaN at {at}");
            for (int i = 0; i < 17; i++)
            {
                if (i == at) continue;
                Assert.True(Math.Abs(s[i] - NaiveActivations.Sigmoid(x[i])) <= 5e-7, $"{isa}: σ({x[i]}) beside a NaN");
                Assert.True(Math.Abs(sp[i] - NaiveActivations.Softplus(x[i])) <= 1e-6 * Math.Max(1, NaiveActivations.Softplus(x[i])), $"{isa}: softplus({x[i]}) beside a NaN");
            }
        }
    }
}
