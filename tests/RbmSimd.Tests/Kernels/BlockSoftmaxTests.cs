using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Kernels;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Kernels;

/// <summary>
/// Probabilistic max-pooling's block softmax and sampler against double-precision definitions: probabilities and the off
/// state sum to 1, extreme inputs stay finite, every path (registers for p = 2, scalar for the rest) gives the same bits,
/// at most one unit is on per block in every sample, and sampled frequencies match the probabilities.
/// </summary>
public class BlockSoftmaxTests
{
    /// <summary>Maps of K × H × W with pool p; widths cover below, at and past one and several vectors, in p = 2 steps.</summary>
    private static Arbitrary<(int K, int H, int W, int P, int Seed, double Scale)> Layouts() => Arb.From(
        from p in Gen.Elements(1, 2, 2, 2, 3)
        from k in Gen.Choose(1, 3)
        from hb in Gen.Choose(1, 4)
        from wb in Gen.Elements(1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 16, 17, 24)
        from seed in Gen.Choose(0, int.MaxValue)
        from scale in Gen.Elements(0.1, 1.0, 10.0, 100.0, 1e4)
        select (k, hb * p, wb * p, p, seed, scale));

    private static float[] Inputs(int n, int seed, double scale)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(scale * (2 * random.NextDouble() - 1))).ToArray();
    }

    /// <summary>P(unit) and P(off) of one block from the definition, by log-sum-exp in double.</summary>
    private static (double[] Units, double Off) Reference(double[] x)
    {
        double log = NaiveRbm.LogSumExp(x.Append(0.0));
        return (x.Select(v => Math.Exp(v - log)).ToArray(), Math.Exp(-log));
    }

    private static IEnumerable<int[]> Blocks(PoolingShape s)
    {
        for (int k = 0; k < s.Maps; k++)
            for (int bi = 0; bi < s.PooledHeight; bi++)
                for (int bj = 0; bj < s.PooledWidth; bj++)
                {
                    var units = new int[s.BlockSize];
                    for (int t = 0; t < s.Pool; t++)
                        for (int u = 0; u < s.Pool; u++) units[t * s.Pool + u] = (k * s.Height + bi * s.Pool + t) * s.Width + bj * s.Pool + u;
                    yield return units;
                }
    }

    [Property(MaxTest = 200)]
    public Property Probabilities_MatchTheDefinition_AndSumToOneWithTheOffState() => Prop.ForAll(Layouts(), l =>
    {
        var s = new PoolingShape(l.K, l.H, l.W, l.P);
        float[] x = Inputs(s.Length, l.Seed, l.Scale);
        var p = new float[s.Length];
        BlockSoftmax.Probabilities(s, x, p);
        foreach (int[] block in Blocks(s))
        {
            (double[] expected, double off) = Reference(block.Select(i => (double)x[i]).ToArray());
            double sum = off;
            for (int t = 0; t < block.Length; t++)
            {
                float actual = p[block[t]];
                if (!float.IsFinite(actual) || actual < 0 || actual > 1) return false.Label($"unit {block[t]}: {actual}");
                // Float exponentials, a sum and a division: a few ε relative to each probability, and the input's own
                // rounding in x − m, which moves e^{x−m} by |x − m|·ε relative (at most ε/e absolute after scaling).
                if (!Tolerance.Close(expected[t], actual, 3e-7, 1e-6)) return false.Label($"unit {block[t]}: {expected[t]} vs {actual}");
                sum += actual;
            }
            if (Math.Abs(sum - 1) > 2e-6) return false.Label($"block at {block[0]}: probabilities and off sum to {sum}");
        }
        return true.ToProperty().Classify(l.P == 2 && l.W >= 16, "p = 2, vector rows").Classify(l.Scale >= 100, "extreme inputs");
    });

    [Property(MaxTest = 100)]
    public Property EveryPath_GivesTheSameBits_InPlaceOrNot() => Prop.ForAll(Layouts(), l =>
    {
        var s = new PoolingShape(l.K, l.H, l.W, l.P);
        float[] x = Inputs(s.Length, l.Seed, l.Scale);
        var scalar = new float[s.Length];
        BlockSoftmax.Probabilities(s, x, scalar, KernelIsa.Scalar);
        foreach (KernelIsa isa in new[] { KernelIsa.Vector256, KernelIsa.Vector512 }.Where(KernelSelection.IsSupported))
        {
            var vector = new float[s.Length];
            BlockSoftmax.Probabilities(s, x, vector, isa);
            float[] inPlace = (float[])x.Clone();
            BlockSoftmax.Probabilities(s, inPlace, inPlace, isa);
            if (!vector.AsSpan().SequenceEqual(scalar) || !inPlace.AsSpan().SequenceEqual(scalar))
                return false.Label($"{isa} differs from the scalar path");
        }
        return true.ToProperty();
    });

    [Fact]
    public void ExtremeInputs_StayFinite()
    {
        var s = new PoolingShape(1, 2, 32, 2);
        float[] x = Enumerable.Range(0, s.Length).Select(i => i % 3 == 0 ? 3e38f : i % 3 == 1 ? -3e38f : 88.7f).ToArray();
        var p = new float[s.Length];
        BlockSoftmax.Probabilities(s, x, p);
        Assert.All(p, v => Assert.True(float.IsFinite(v) && v >= 0 && v <= 1));
        Assert.True(double.IsFinite(BlockSoftmax.SumLogPartition(s, x)));
    }

    [Property(MaxTest = 100)]
    public Property SumLogPartition_MatchesTheDefinition() => Prop.ForAll(Layouts(), l =>
    {
        var s = new PoolingShape(l.K, l.H, l.W, l.P);
        float[] x = Inputs(s.Length, l.Seed, l.Scale);
        double expected = Blocks(s).Sum(b => NaiveRbm.LogSumExp(b.Select(i => (double)x[i]).Append(0.0)));
        double magnitude = x.Sum(v => Math.Abs((double)v)) + s.Blocks;
        return Tolerance.Close(expected, BlockSoftmax.SumLogPartition(s, x), 1e-6 * magnitude).Label($"{expected} vs {BlockSoftmax.SumLogPartition(s, x)}");
    });

    [Property(MaxTest = 200)]
    public Property Sample_SwitchesOnTheUnitWhoseIntervalHoldsTheUniform_AtMostOnePerBlock() => Prop.ForAll(Layouts(), l =>
    {
        var s = new PoolingShape(l.K, l.H, l.W, l.P);
        var p = new float[s.Length];
        BlockSoftmax.Probabilities(s, Inputs(s.Length, l.Seed, Math.Min(l.Scale, 5)), p);
        var random = new Random(l.Seed);
        float[] u = Enumerable.Range(0, s.Blocks).Select(_ => (float)random.NextDouble()).ToArray();
        // Uniforms planted on interval edges (0 and each cumulative sum) test the half-open intervals.
        int[][] blocks = Blocks(s).ToArray();
        for (int b = 0; b < blocks.Length; b += 3)
        {
            float edge = 0f;
            int upTo = random.Next(blocks[b].Length + 1);
            for (int t = 0; t < upTo; t++) edge += p[blocks[b][t]];
            u[b] = Math.Min(edge, 0.99999994f);
        }
        foreach (KernelIsa isa in new[] { KernelIsa.Scalar, KernelIsa.Vector512 }.Where(KernelSelection.IsSupported))
        {
            var h = new float[s.Length];
            BlockSoftmax.Sample(s, p, u, h, isa);
            for (int b = 0; b < blocks.Length; b++)
            {
                int on = blocks[b].Count(i => h[i] == 1f);
                if (on > 1 || blocks[b].Any(i => h[i] != 0f && h[i] != 1f)) return false.Label($"{isa}: block {b} has {on} units on");
                float before = 0f;
                int expected = -1;
                for (int t = 0; t < blocks[b].Length; t++)
                {
                    float after = before + p[blocks[b][t]];
                    if (before <= u[b] && u[b] < after) expected = t;
                    before = after;
                }
                int actual = Array.FindIndex(blocks[b], i => h[i] == 1f);
                if (actual != expected) return false.Label($"{isa}: block {b}, u = {u[b]}: unit {actual}, expected {expected}");
            }
        }
        return true.ToProperty();
    });

    /// <summary>Pearson's χ² of observed counts against expected probabilities.</summary>
    internal static double ChiSquare(long[] observed, double[] probabilities)
    {
        long n = observed.Sum();
        double chi = 0;
        for (int i = 0; i < observed.Length; i++)
        {
            double e = n * probabilities[i];
            chi += (observed[i] - e) * (observed[i] - e) / e;
        }
        return chi;
    }

    /// <summary>χ² with 4 degrees of freedom exceeds 31.83 with probability 10⁻⁶: a correct sampler fails this about once in a million seeds.</summary>
    private const double ChiSquare4DegreesCritical = 31.83;

    /// <summary>Counts of each block state (0: off, 1 + t: unit t) over <paramref name="draws"/> samples of one 2 × 2 block.</summary>
    private static long[] Frequencies(float[] p, int draws, Func<float[], float, float[]> sampler)
    {
        var counts = new long[5];
        var random = new RbmSimd.Sampling.RandomStream(2024);
        for (int d = 0; d < draws; d++)
        {
            float[] h = sampler(p, random.NextSingle());
            int on = Array.FindIndex(h, v => v == 1f);
            counts[on + 1]++;
        }
        return counts;
    }

    [Fact]
    public void SampledFrequencies_MatchTheProbabilities_AndAWrongSamplerFails()
    {
        var s = new PoolingShape(1, 2, 2, 2);
        var p = new float[4];
        BlockSoftmax.Probabilities(s, [0.3f, -1.1f, 1.4f, -0.2f], p);
        double[] states = [1 - p.Sum(v => (double)v), p[0], p[1], p[2], p[3]];
        const int Draws = 200_000;
        float[] Library(float[] probs, float u)
        {
            var h = new float[4];
            BlockSoftmax.Sample(s, probs, [u], h);
            return h;
        }
        double chi = ChiSquare(Frequencies(p, Draws, Library), states);
        Assert.True(chi < ChiSquare4DegreesCritical, $"χ² = {chi}");

        // The same test rejects plausible mistakes: units drawn independently (more than one may fire; counted by the first),
        // and a sampler that forgets the off state (renormalises over the units).
        float[] Independent(float[] probs, float u)
        {
            var h = new float[4];
            var r = new Random(BitConverter.SingleToInt32Bits(u));
            for (int t = 0; t < 4; t++) h[t] = r.NextDouble() < probs[t] ? 1f : 0f;
            int first = Array.IndexOf(h, 1f);
            for (int t = first + 1; t < 4 && first >= 0; t++) h[t] = 0f;
            return h;
        }
        float[] NoOffState(float[] probs, float u)
        {
            float total = probs.Sum();
            return Library(probs.Select(v => v / total).ToArray(), u);
        }
        Assert.True(ChiSquare(Frequencies(p, Draws, Independent), states) > ChiSquare4DegreesCritical);
        Assert.True(ChiSquare(Frequencies(p, Draws, NoOffState), states) > ChiSquare4DegreesCritical);
    }

    [Fact]
    public void PooledSums_AreEachBlocksProbabilityOfBeingOn()
    {
        var s = new PoolingShape(2, 4, 6, 2);
        float[] x = Inputs(s.Length, 3, 2);
        var p = new float[s.Length];
        BlockSoftmax.Probabilities(s, x, p);
        var pooled = new float[s.Blocks];
        BlockSoftmax.PooledSums(s, p, pooled);
        int b = 0;
        foreach (int[] block in Blocks(s))
        {
            (_, double off) = Reference(block.Select(i => (double)x[i]).ToArray());
            Assert.True(Math.Abs(1 - off - pooled[b++]) < 2e-6);
        }
    }

    [Fact]
    public void BadArguments_AreArgumentExceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoolingShape(1, 5, 4, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoolingShape(1, 4, 4, 0));
        var s = new PoolingShape(1, 4, 4, 2);
        var x = new float[16];
        Assert.Throws<ArgumentException>(() => BlockSoftmax.Probabilities(s, x, new float[15]));
        Assert.Throws<ArgumentException>(() => BlockSoftmax.Sample(s, x, new float[3], new float[16]));
        var shifted = new float[20];
        Assert.Throws<ArgumentException>(() => BlockSoftmax.Probabilities(s, shifted.AsSpan(0, 16), shifted.AsSpan(2, 16)));
    }
}
