using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Kernels;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Kernels;

public class SigmoidTests
{
    /// <summary>The accuracy contract: max absolute error against σ in double.</summary>
    private const double MaxAbsError = 5e-7;

    private static double AbsError(float got, double expected) =>
        double.IsNaN(expected) ? (float.IsNaN(got) ? 0 : double.PositiveInfinity) : Math.Abs(got - expected);

    private static float[] Run(float[] x, KernelIsa isa)
    {
        var y = new float[x.Length];
        Activations.Sigmoid(x, y, isa);
        return y;
    }

    private static void AssertWithinBound(float[] x, float[] y)
    {
        double worst = 0;
        int at = -1;
        for (int i = 0; i < x.Length; i++)
        {
            double e = AbsError(y[i], NaiveActivations.Sigmoid(x[i]));
            if (!(e <= worst)) { worst = e; at = i; }
        }
        Assert.True(worst <= MaxAbsError, $"max |error| {worst:E3} at x = {(at < 0 ? 0 : x[at]):R} (got {(at < 0 ? 0 : y[at]):R})");
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Sigmoid_AllFloatExponents_WithinBound(KernelIsa isa)
    {
        // Every biased exponent (subnormals to the largest finite), both signs, eight mantissas each.
        var x = new List<float>();
        uint[] mantissas = [0, 1, 0x1234, 0x200000, 0x400000, 0x555555, 0x7FFFFE, 0x7FFFFF];
        for (uint e = 0; e < 255; e++)
            foreach (uint m in mantissas)
                foreach (uint sign in new[] { 0u, 1u })
                    x.Add(BitConverter.UInt32BitsToSingle((sign << 31) | (e << 23) | m));
        float[] xs = x.ToArray();
        AssertWithinBound(xs, Run(xs, isa));
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Sigmoid_DenseMinus20To20_WithinBound(KernelIsa isa)
    {
        const int steps = 1 << 19; // spacing 40/2¹⁹ ≈ 7.6·10⁻⁵
        var xs = new float[steps + 1];
        for (int i = 0; i <= steps; i++) xs[i] = -20f + 40f * i / steps;
        AssertWithinBound(xs, Run(xs, isa));
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Sigmoid_SpecialValues_AreExact(KernelIsa isa)
    {
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 17.34f, 20f, 88f, 1000f, float.MaxValue, -104f, -1000f, float.MinValue];
        float[] y = Run(x, isa);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(1f, y[1]);
        Assert.Equal(0f, y[2]);
        Assert.Equal(0.5f, y[3]);
        Assert.Equal(0.5f, y[4]);
        for (int i = 5; i <= 9; i++) Assert.Equal(1f, y[i]);
        for (int i = 10; i <= 12; i++) Assert.Equal(0f, y[i]);
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Sigmoid_SubnormalRange_MatchesReferenceRelatively(KernelIsa isa)
    {
        // Below −87.3, σ(x) is subnormal: the result must still be e^x, not flushed to 0.
        float[] x = [-87.5f, -90f, -95f, -100f, -102f];
        float[] y = Run(x, isa);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = NaiveActivations.Sigmoid(x[i]);
            Assert.True(y[i] > 0f, $"σ({x[i]}) flushed to 0");
            // A subnormal carries fewer bits: allow 2 units in its last place (2⁻¹⁴⁹ each).
            Assert.True(Math.Abs(y[i] - expected) <= 2 * double.ScaleB(1, -149) + 1e-6 * expected, $"σ({x[i]}) = {y[i]:R}, expected {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Sigmoid_AllLengths_MatchElementwiseBitForBit(KernelIsa isa)
    {
        // Tails reuse the vector path, so an element's result cannot depend on its position or the length.
        var rng = new Random(42);
        foreach (int n in KernelIsas.Lengths)
        {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 60 - 30);
            float[] y = Run(x, isa);
            AssertWithinBound(x, y);
            for (int i = 0; i < n; i++)
                Assert.Equal(BitConverter.SingleToInt32Bits(Run([x[i]], isa)[0]), BitConverter.SingleToInt32Bits(y[i]));
        }
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Sigmoid_InPlace_MatchesOutOfPlace(KernelIsa isa)
    {
        var rng = new Random(7);
        foreach (int n in KernelIsas.Lengths)
        {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 40 - 20);
            float[] expected = Run(x, isa);
            Activations.Sigmoid(x, x, isa);
            Assert.Equal(expected, x);
        }
    }

    [Fact]
    public void Sigmoid_ShortDestination_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Activations.Sigmoid(new float[9], new float[8]));
        Assert.Equal("destination", e.ParamName);
    }

    [Fact]
    public void Sigmoid_PartialOverlap_Throws()
    {
        var buffer = new float[20];
        var e = Assert.Throws<ArgumentException>(() => Activations.Sigmoid(buffer.AsSpan(0, 16), buffer.AsSpan(1, 16)));
        Assert.Equal("destination", e.ParamName);
    }

    [Property(Arbitrary = [typeof(ExtremeFloats)], MaxTest = 300)]
    public Property Sigmoid_RandomInputs_MatchReference(ActivationInput input)
    {
        float[] x = input.Values;
        bool ok = true;
        foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
        {
            if (!KernelSelection.IsSupported(isa)) continue;
            float[] y = Run(x, isa);
            for (int i = 0; i < x.Length; i++) ok &= AbsError(y[i], NaiveActivations.Sigmoid(x[i])) <= MaxAbsError;
        }
        return ok.Classify(x.Length % 8 != 0, "ragged").Classify(x.Any(float.IsNaN), "has NaN");
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void AddBiasSigmoid_MatchesAddThenSigmoid_BitForBit(KernelIsa isa)
    {
        var rng = new Random(3);
        foreach (int n in KernelIsas.Lengths)
        {
            float[] x = new float[n], b = new float[n], sum = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (float)(rng.NextDouble() * 40 - 20);
                b[i] = (float)(rng.NextDouble() * 4 - 2);
                sum[i] = x[i] + b[i];
            }
            float[] expected = Run(sum, isa);
            Activations.AddBiasSigmoid(x, b, x, isa); // in place over x
            Assert.Equal(expected, x);
        }
    }

    [Fact]
    public void AddBiasSigmoid_BiasLengthMismatch_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Activations.AddBiasSigmoid(new float[8], new float[7], new float[8]));
        Assert.Equal("bias", e.ParamName);
    }
}
