using System.Runtime.Intrinsics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Kernels;
using RbmSimd.Sampling;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Sampling;

/// <summary>One draw request: stream seed, start position (near the counter's wrap for some), length and a split point.</summary>
public sealed record GaussianCase(ulong Seed, ulong Position, int Length, int Split)
{
    public override string ToString() => $"seed {Seed} at {Position}, {Length} draws split at {Split}";
}

/// <summary>FsCheck generators for <see cref="GaussianCase"/>; lengths cover every remainder of 4, 8 and 16, and shrink toward 0.</summary>
public static class GaussianCases
{
    private static readonly Gen<int> Length = Gen.Frequency(
        (3, Gen.Elements(0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 255, 256, 257, 600)),
        (2, Gen.Choose(0, 80)));

    private static readonly Gen<ulong> Position = Gen.Frequency(
        (3, Gen.Choose(0, 1 << 30).Select(p => (ulong)p)),
        (1, Gen.Choose(0, 64).Select(k => ulong.MaxValue - (ulong)k))); // the counter wraps inside the run

    public static Arbitrary<GaussianCase> Cases()
    {
        Gen<GaussianCase> gen =
            from seed in Gen.Choose(0, int.MaxValue)
            from position in Position
            from n in Length
            from split in Gen.Choose(0, n)
            select new GaussianCase((ulong)seed * 2654435761UL, position, n, split);
        return Arb.From(gen, c => c.Length == 0
            ? []
            : [c with { Length = c.Length / 2, Split = Math.Min(c.Split, c.Length / 2) }, c with { Length = c.Length - 1, Split = Math.Min(c.Split, c.Length - 1) }]);
    }
}

/// <summary>Accuracy and addressing of the Gaussian draws on every tier.</summary>
public class GaussianTests
{
    /// <summary>
    /// |z − z_exact| ≤ 18·2⁻²⁴·r for the same bits, r the exact radius: the bound derived in <c>Kernels/BoxMuller.cs</c>
    /// (r within 6u relative from the log1p form and a Log within 4u; cos within (3π + 1)u ≈ 10.5u absolute from the
    /// angle's three roundings and a Cos within 1u; one rounding of the product). The two library-function bounds it
    /// rests on are checked by <see cref="VectorLog_RelativeErrorWithinFourUlps"/> and <see cref="VectorCos_AbsoluteErrorWithinOneUlp"/>.
    /// </summary>
    private const double DeviateErrorPerRadius = 18 * Tolerance.FloatEpsilon;

    /// <summary>
    /// Every tier, Vector512 included even where the hardware does not accelerate it: the runtime then computes
    /// Vector512 operations in software, which still checks the tier's arithmetic (not its speed).
    /// </summary>
    public static TheoryData<KernelIsa> AllTiers => new(Enum.GetValues<KernelIsa>());

    private static float[] Standard(ulong seed, ulong position, int n, KernelIsa isa)
    {
        var random = new RandomStream(seed) { Position = position };
        var z = new float[n];
        Gaussian.SampleStandard(z, ref random, isa);
        Assert.Equal(unchecked(position + (ulong)n), random.Position);
        return z;
    }

    private static bool WithinBound(float z, ulong bits) =>
        Math.Abs(z - NaiveGaussian.StandardNormal(bits)) <= DeviateErrorPerRadius * NaiveGaussian.Radius(bits);

    [Property(Arbitrary = [typeof(GaussianCases)], MaxTest = 200)]
    public Property SampleStandard_EveryTier_MatchesReferencePerElement(GaussianCase c)
    {
        var stream = new RandomStream(c.Seed);
        bool ok = true;
        foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
        {
            float[] z = Standard(c.Seed, c.Position, c.Length, isa);
            for (int i = 0; i < z.Length; i++) ok &= WithinBound(z[i], stream.ValueAt(unchecked(c.Position + (ulong)i)));
        }
        return ok.Classify(c.Length % 8 != 0, "ragged").Classify(c.Position > ulong.MaxValue - 1000, "wraps");
    }

    [Property(Arbitrary = [typeof(GaussianCases)], MaxTest = 150)]
    public Property SampleStandard_ElementDependsOnlyOnItsPosition(GaussianCase c)
    {
        // Within a tier: one call, two calls split anywhere, and one-element calls at p + i give the same bits.
        bool ok = true;
        foreach (KernelIsa isa in Enum.GetValues<KernelIsa>())
        {
            float[] whole = Standard(c.Seed, c.Position, c.Length, isa);
            var random = new RandomStream(c.Seed) { Position = c.Position };
            var split = new float[c.Length];
            Gaussian.SampleStandard(split.AsSpan(0, c.Split), ref random, isa);
            Gaussian.SampleStandard(split.AsSpan(c.Split), ref random, isa);
            ok &= whole.AsSpan().SequenceEqual(split);
            for (int i = 0; i < c.Length; i++)
                ok &= BitConverter.SingleToInt32Bits(Standard(c.Seed, unchecked(c.Position + (ulong)i), 1, isa)[0]) == BitConverter.SingleToInt32Bits(whole[i]);
        }
        return ok.Classify(c.Length % 8 != 0, "ragged");
    }

    /// <summary>The halves that sit on the branches and ends of the arithmetic.</summary>
    private static readonly uint[] SpecialHi =
        [0, 1, 2, 255, 256, (1 << 24) - 1, 1 << 24, (1 << 24) + 1, 0x7FFFFF80, 0x7FFFFFBF, 0x7FFFFFC0, 0x7FFFFFFF,
         0x80000000, 0x80000001, 0x80000040, 0xFF000000, 0xFFFFFF00, 0xFFFFFFFE, 0xFFFFFFFF];

    private static readonly uint[] SpecialLo =
        [0, 1, 0x3FFFFFFF, 0x40000000, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xBFFFFFFF, 0xC0000000, 0xFFFFFFFF];

    /// <summary>The deviates for explicit halves through one tier's overload of the operator, a whole vector at a time.</summary>
    private static float[] Deviates(uint[] hi, uint[] lo, KernelIsa isa)
    {
        int width = isa switch { KernelIsa.Vector512 => 16, KernelIsa.Vector256 => 8, KernelIsa.Vector128 => 4, _ => 1 };
        int n = hi.Length, padded = (n + width - 1) / width * width;
        uint[] h = new uint[padded], l = new uint[padded];
        hi.CopyTo(h, 0);
        lo.CopyTo(l, 0);
        var z = new float[padded];
        for (int i = 0; i < padded; i += width)
        {
            switch (isa)
            {
                case KernelIsa.Vector512: BoxMuller.Invoke(Vector512.Create(h.AsSpan(i, 16)), Vector512.Create(l.AsSpan(i, 16))).CopyTo(z.AsSpan(i)); break;
                case KernelIsa.Vector256: BoxMuller.Invoke(Vector256.Create(h.AsSpan(i, 8)), Vector256.Create(l.AsSpan(i, 8))).CopyTo(z.AsSpan(i)); break;
                case KernelIsa.Vector128: BoxMuller.Invoke(Vector128.Create(h.AsSpan(i, 4)), Vector128.Create(l.AsSpan(i, 4))).CopyTo(z.AsSpan(i)); break;
                default: z[i] = BoxMuller.Invoke(h[i], l[i]); break;
            }
        }
        return z[..n];
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void BoxMuller_ExtremeBits_FiniteBoundedAndAccurate(KernelIsa isa)
    {
        var hi = new List<uint>();
        var lo = new List<uint>();
        foreach (uint h in SpecialHi)
            foreach (uint l in SpecialLo)
            {
                hi.Add(h);
                lo.Add(l);
            }
        float[] z = Deviates([.. hi], [.. lo], isa);
        for (int i = 0; i < z.Length; i++)
        {
            ulong bits = NaiveGaussian.Bits(hi[i], lo[i]);
            Assert.True(float.IsFinite(z[i]), $"hi {hi[i]:X8} lo {lo[i]:X8}: {z[i]}");
            Assert.True(Math.Abs(z[i]) <= Gaussian.MaxStandardDeviate, $"hi {hi[i]:X8} lo {lo[i]:X8}: {z[i]}");
            Assert.True(WithinBound(z[i], bits), $"hi {hi[i]:X8} lo {lo[i]:X8}: {z[i]:R} against {NaiveGaussian.StandardNormal(bits):R}");
        }
        // u₁ = 1 (hi = 0) is radius 0; u₁ = 2⁻³² (hi = 2³² − 1) with cos = 1 (lo = 0) is the largest deviate.
        Assert.Equal(0f, Math.Abs(Deviates([0], [12345], isa)[0]));
        Assert.Equal(BoxMuller.MaxRadius, Deviates([uint.MaxValue], [0], isa)[0], DeviateErrorPerRadius * BoxMuller.MaxRadius);
        Assert.Equal(-BoxMuller.MaxRadius, Deviates([uint.MaxValue], [0x80000000], isa)[0], DeviateErrorPerRadius * BoxMuller.MaxRadius);
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void BoxMuller_SweepOfUpperHalves_FiniteAndAccurate(KernelIsa isa)
    {
        // Every 4096th upper half, shifted by a varying offset, and the 4096 values at each end of each branch.
        var hi = new List<uint>();
        for (uint k = 0; k < (1u << 20); k++) hi.Add((k << 12) | (k * 2654435761u >> 20));
        for (uint k = 0; k < 4096; k++)
        {
            hi.Add(k);
            hi.Add(0x7FFFFFFF - k);
            hi.Add(0x80000000 + k);
            hi.Add(uint.MaxValue - k);
        }
        uint[] h = [.. hi];
        uint[] l = h.Select(x => x * 0x9E3779B9u + 0x7F4A7C15u).ToArray();
        float[] z = Deviates(h, l, isa);
        double worst = 0;
        int at = 0;
        for (int i = 0; i < z.Length; i++)
        {
            Assert.True(float.IsFinite(z[i]) && Math.Abs(z[i]) <= Gaussian.MaxStandardDeviate, $"hi {h[i]:X8}: {z[i]}");
            ulong bits = NaiveGaussian.Bits(h[i], l[i]);
            double r = NaiveGaussian.Radius(bits);
            double ratio = r == 0 ? (z[i] == 0 ? 0 : double.PositiveInfinity) : Math.Abs(z[i] - NaiveGaussian.StandardNormal(bits)) / r;
            if (ratio > worst) { worst = ratio; at = i; }
        }
        Assert.True(worst <= DeviateErrorPerRadius, $"|error|/r = {worst / Tolerance.FloatEpsilon:F2}·2⁻²⁴ at hi {h[at]:X8} lo {l[at]:X8}");
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void VectorLog_RelativeErrorWithinFourUlps(KernelIsa isa)
    {
        // The operator's bound assumes the tier's Log is within 4·2⁻²⁴ relative on [2⁻³², 1], every argument it can see.
        var x = new List<float>();
        for (uint bits = BitConverter.SingleToUInt32Bits(MathF.Pow(2, -32)); bits <= 0x3F800000u; bits += 61) x.Add(BitConverter.UInt32BitsToSingle(bits));
        for (uint k = 0; k < 4096; k++) x.Add(BitConverter.UInt32BitsToSingle(0x3F800000u - k)); // just below 1, where log is tiny
        float[] y = ApplyPerTier([.. x], isa, Vector128.Log, Vector256.Log, Vector512.Log, MathF.Log);
        for (int i = 0; i < y.Length; i++)
        {
            double exact = Math.Log(x[i]);
            double error = exact == 0 ? Math.Abs(y[i]) : Math.Abs(y[i] - exact) / Math.Abs(exact);
            Assert.True(error <= 4 * Tolerance.FloatEpsilon, $"log({x[i]:R}) = {y[i]:R}, relative error {error / Tolerance.FloatEpsilon:F2}·2⁻²⁴");
        }
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void VectorCos_AbsoluteErrorWithinOneUlp(KernelIsa isa)
    {
        // The operator's bound assumes the tier's Cos is within 2⁻²⁴ absolute on [−π, π].
        const int steps = 1 << 22;
        var x = new float[steps + 1];
        for (int i = 0; i <= steps; i++) x[i] = (float)(-Math.PI + 2 * Math.PI * i / steps);
        x[0] = -MathF.PI;
        float[] y = ApplyPerTier(x, isa, Vector128.Cos, Vector256.Cos, Vector512.Cos, MathF.Cos);
        for (int i = 0; i < y.Length; i++)
            Assert.True(Math.Abs(y[i] - Math.Cos(x[i])) <= Tolerance.FloatEpsilon, $"cos({x[i]:R}) = {y[i]:R}, exact {Math.Cos(x[i]):R}");
    }

    private static float[] ApplyPerTier(float[] x, KernelIsa isa, Func<Vector128<float>, Vector128<float>> f128,
        Func<Vector256<float>, Vector256<float>> f256, Func<Vector512<float>, Vector512<float>> f512, Func<float, float> scalar)
    {
        int width = isa switch { KernelIsa.Vector512 => 16, KernelIsa.Vector256 => 8, KernelIsa.Vector128 => 4, _ => 1 };
        int padded = (x.Length + width - 1) / width * width;
        var input = new float[padded];
        Array.Fill(input, 0.5f);
        x.CopyTo(input, 0);
        var y = new float[padded];
        for (int i = 0; i < padded; i += width)
        {
            switch (isa)
            {
                case KernelIsa.Vector512: f512(Vector512.Create(input.AsSpan(i, 16))).CopyTo(y.AsSpan(i)); break;
                case KernelIsa.Vector256: f256(Vector256.Create(input.AsSpan(i, 8))).CopyTo(y.AsSpan(i)); break;
                case KernelIsa.Vector128: f128(Vector128.Create(input.AsSpan(i, 4))).CopyTo(y.AsSpan(i)); break;
                default: y[i] = scalar(input[i]); break;
            }
        }
        return y[..x.Length];
    }

    [Theory]
    [MemberData(nameof(AllTiers))]
    public void Sample_MeanAndScaleSpans_AreMultiplyThenAddOfTheStandardDeviates(KernelIsa isa)
    {
        var rng = new Random(8);
        foreach (int n in new[] { 0, 1, 3, 4, 7, 8, 15, 16, 17, 255, 256, 257, 1000 })
        {
            float[] mean = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();
            float[] scale = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 3)).ToArray();
            float[] z = Standard(77, 5, n, isa);
            var random = new RandomStream(77) { Position = 5 };
            var v = new float[n];
            Gaussian.Sample(mean, scale, v, ref random, isa);
            Assert.Equal(5UL + (ulong)n, random.Position);
            for (int i = 0; i < n; i++) Assert.Equal(mean[i] + scale[i] * z[i], v[i]);

            // In place over the means, and over the scales, give the same values.
            float[] inPlace = (float[])mean.Clone();
            random.Position = 5;
            Gaussian.Sample(inPlace, scale, inPlace, ref random, isa);
            Assert.Equal(v, inPlace);
            float[] overScale = (float[])scale.Clone();
            random.Position = 5;
            Gaussian.Sample(mean, overScale, overScale, ref random, isa);
            Assert.Equal(v, overScale);

            // Scalar mean and scale.
            random.Position = 5;
            var w = new float[n];
            Gaussian.Sample(-2.5f, 0.75f, w, ref random, isa);
            for (int i = 0; i < n; i++) Assert.Equal(-2.5f + 0.75f * z[i], w[i]);
        }
    }

    [Fact]
    public void Sample_PublicOverloads_UseTheActiveTier()
    {
        float[] expected = Standard(3, 0, 100, KernelSelection.Active);
        var random = new RandomStream(3);
        var z = new float[100];
        Gaussian.SampleStandard(z, ref random);
        Assert.Equal(expected, z);
        random = new RandomStream(3);
        var m = new float[100];
        Gaussian.Sample(m, Enumerable.Repeat(1f, 100).ToArray(), m, ref random);
        Assert.Equal(expected, m);
    }

    [Fact]
    public void Sample_AllocatesNothing()
    {
        var random = new RandomStream(6);
        float[] v = new float[1000], scale = Enumerable.Repeat(0.5f, 1000).ToArray();
        Gaussian.Sample(v, scale, v, ref random); // warm-up: JIT and statics
        Gaussian.Sample(1f, 2f, v, ref random);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Gaussian.Sample(v, scale, v, ref random);
            Gaussian.Sample(1f, 2f, v, ref random);
            Gaussian.SampleStandard(v, ref random);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Sample_InvalidArguments_Throw()
    {
        var random = new RandomStream(1);
        var buffer = new float[20];
        Assert.Equal("scale", Assert.Throws<ArgumentException>(() => Gaussian.Sample(new float[4], new float[3], new float[4], ref random)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Gaussian.Sample(new float[4], new float[4], new float[3], ref random)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Gaussian.Sample(buffer.AsSpan(0, 8), new float[8], buffer.AsSpan(1, 8), ref random)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => Gaussian.Sample(new float[8], buffer.AsSpan(2, 8), buffer.AsSpan(0, 8), ref random)).ParamName);
        Assert.Equal("mean", Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.Sample(float.NaN, 1f, buffer, ref random)).ParamName);
        Assert.Equal("scale", Assert.Throws<ArgumentOutOfRangeException>(() => Gaussian.Sample(0f, float.PositiveInfinity, buffer, ref random)).ParamName);
        Assert.Equal(0UL, random.Position);
    }
}
