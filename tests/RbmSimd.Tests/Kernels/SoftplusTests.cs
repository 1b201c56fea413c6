using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Kernels;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Kernels;

public class SoftplusTests
{
    /// <summary>The contract: error ≤ 10⁻⁶ relative or absolute, whichever is larger, i.e. 10⁻⁶·max(1, |ref|).</summary>
    private const double Tolerance = 1e-6;

    private static bool Close(double got, double expected) =>
        double.IsNaN(expected) ? double.IsNaN(got)
        : double.IsInfinity(expected) ? got == expected
        : Math.Abs(got - expected) <= Tolerance * Math.Max(1.0, Math.Abs(expected));

    private static float[] Run(float[] x, KernelIsa isa)
    {
        var y = new float[x.Length];
        Activations.Softplus(x, y, isa);
        return y;
    }

    private static void AssertClose(float[] x, float[] y)
    {
        for (int i = 0; i < x.Length; i++)
            Assert.True(Close(y[i], NaiveActivations.Softplus(x[i])), $"softplus({x[i]:R}) = {y[i]:R}, expected {NaiveActivations.Softplus(x[i]):R}");
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Softplus_AllFloatExponents_WithinBound(KernelIsa isa)
    {
        var x = new List<float>();
        uint[] mantissas = [0, 1, 0x1234, 0x400000, 0x555555, 0x7FFFFF];
        for (uint e = 0; e < 255; e++)
            foreach (uint m in mantissas)
                foreach (uint sign in new[] { 0u, 1u })
                    x.Add(BitConverter.UInt32BitsToSingle((sign << 31) | (e << 23) | m));
        float[] xs = x.ToArray();
        AssertClose(xs, Run(xs, isa));
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Softplus_DenseMinus20To20_WithinBound(KernelIsa isa)
    {
        const int steps = 1 << 18;
        var xs = new float[steps + 1];
        for (int i = 0; i <= steps; i++) xs[i] = -20f + 40f * i / steps;
        AssertClose(xs, Run(xs, isa));
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Softplus_NegativeSide_IsRelativelyAccurate(KernelIsa isa)
    {
        // Free energies sum many tiny terms: keep them relatively accurate, not just within 10⁻⁶ absolute.
        float[] x = [-5f, -10f, -20f, -40f, -80f, -87f];
        float[] y = Run(x, isa);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = NaiveActivations.Softplus(x[i]);
            Assert.True(Math.Abs(y[i] - expected) <= 1e-6 * expected, $"softplus({x[i]}) = {y[i]:R}, expected {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Softplus_SpecialValues(KernelIsa isa)
    {
        float[] y = Run([float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1000f, -1000f, float.MaxValue], isa);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(float.PositiveInfinity, y[1]);
        Assert.Equal(0f, y[2]);
        Assert.Equal((float)Math.Log(2), y[3], 6);
        Assert.Equal((float)Math.Log(2), y[4], 6);
        Assert.Equal(1000f, y[5]);
        Assert.Equal(0f, y[6]);
        Assert.Equal(float.MaxValue, y[7]);
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void Softplus_InPlace_MatchesOutOfPlace(KernelIsa isa)
    {
        var rng = new Random(11);
        foreach (int n in KernelIsas.Lengths)
        {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 60 - 30);
            float[] expected = Run(x, isa);
            AssertClose(x, expected);
            Activations.Softplus(x, x, isa);
            Assert.Equal(expected, x);
        }
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void SumSoftplus_AllLengths_MatchesReference(KernelIsa isa)
    {
        var rng = new Random(5);
        foreach (int n in KernelIsas.Lengths.Append(784))
        {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 30 - 15);
            double expected = NaiveActivations.SumSoftplus(x);
            double got = Activations.SumSoftplus(x, isa);
            Assert.True(Close(got, expected), $"n = {n}: {got:R} vs {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void SumSoftplus_CountsEachElementOnce(KernelIsa isa)
    {
        // Σ softplus(0) = n·ln 2 to 10⁻⁶ relative; a tail element counted twice or dropped would be off by
        // ln 2, far more than 10⁻⁶·n·ln 2 for every n here (≤ 3079).
        foreach (int n in KernelIsas.Lengths)
        {
            double expected = n * Math.Log(2), got = Activations.SumSoftplus(new float[n], isa);
            Assert.True(Math.Abs(got - expected) <= Tolerance * expected, $"n = {n}: {got:R} vs {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void SumSoftplus_HugeTerms_DoNotOverflowFloat(KernelIsa isa)
    {
        // Found by the property below: two float.MaxValue terms summed in float overflow, in double they do not.
        float[] x = new float[40];
        x[1] = x[9] = float.MaxValue; // same lane of two vectors in one group of four
        double got = Activations.SumSoftplus(x, isa);
        Assert.True(Close(got, NaiveActivations.SumSoftplus(x)), $"{got:R}");
    }

    [Property(Arbitrary = [typeof(ExtremeFloats)], MaxTest = 300)]
    public Property Softplus_RandomInputs_MatchReference(ActivationInput input)
    {
        float[] x = input.Values;
        bool ok = true;
        foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
        {
            if (!KernelSelection.IsSupported(isa)) continue;
            float[] y = Run(x, isa);
            for (int i = 0; i < x.Length; i++) ok &= Close(y[i], NaiveActivations.Softplus(x[i]));
            ok &= Close(Activations.SumSoftplus(x, isa), NaiveActivations.SumSoftplus(x));
        }
        return ok.Classify(x.Length % 8 != 0, "ragged");
    }
}
