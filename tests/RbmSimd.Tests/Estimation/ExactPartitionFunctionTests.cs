using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Model;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using Xunit;

namespace RbmSimd.Tests.Estimation;

public class ExactPartitionFunctionTests
{
    [Property(MaxTest = 120)]
    public Property LogZ_MatchesBruteForce() => Prop.ForAll(RbmArbitraries.TinyCases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        double expected = naive.LogZBruteForce();
        double actual = ExactPartitionFunction.LogPartitionFunction(rbm);
        double tol = LogZTolerance(naive);
        return Tolerance.Close(expected, actual, tol)
            .Label($"brute force {expected}, exact {actual}, tolerance {tol}")
            .Classify(c.Nh <= c.Nv, "hidden layer enumerated")
            .Classify(c.Nh > c.Nv, "visible layer enumerated");
    });

    [Property(MaxTest = 60)]
    public Property LogProbability_SumsToOneOverAllVisibleStates() => Prop.ForAll(RbmArbitraries.TinyCases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        double logZ = ExactPartitionFunction.LogPartitionFunction(rbm);
        int states = 1 << c.Nv;
        var all = new Matrix(states, c.Nv);
        for (int s = 0; s < states; s++)
            for (int i = 0; i < c.Nv; i++) all[s, i] = (s >> i) & 1;
        var lp = new double[states];
        ExactPartitionFunction.LogProbability(rbm, all, logZ, lp);
        double total = NaiveRbm.LogSumExp(lp);
        // log Σ P(v) = log Z(from free energies) − log Z(exact): both carry the float error bound.
        double tol = 2 * LogZTolerance(c.Reference(rbm));
        return (Math.Abs(total) <= tol).Label($"log Σ P(v) = {total}, tolerance {tol}");
    });

    [Property(MaxTest = 60)]
    public Property LogProbability_MatchesBruteForce() => Prop.ForAll(RbmArbitraries.TinyCases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        double logZ = naive.LogZBruteForce();
        Matrix v = c.BinaryRows(c.Nv, 8);
        var lp = new double[c.Rows];
        ExactPartitionFunction.LogProbability(rbm, v, logZ, lp);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] vr = RbmCase.Row(v, r);
            double expected = naive.LogProbabilityBruteForce(vr, logZ);
            double tol = BernoulliRbmPropertyTests.FreeEnergyTolerance(naive, vr) + 1e-9 * (1 + Math.Abs(expected));
            if (!Tolerance.Close(expected, lp[r], tol)) return false.Label($"row {r}: {expected} vs {lp[r]}");
        }
        return true.ToProperty();
    });

    [Fact]
    public void LogZ_InTheThousands_DoesNotOverflow()
    {
        // All weights w, biases 0: Z = Σ_{p,q} C(nv,p) C(nh,q) e^{w·p·q}, a sum over counts of ones.
        const int nv = 40, nh = 12;
        const float w = 10f;
        var rbm = new BernoulliRbm(nv, nh, Enumerable.Repeat(w, nv * nh).ToArray(), new float[nv], new float[nh]);
        var terms = new List<double>();
        for (int p = 0; p <= nv; p++)
            for (int q = 0; q <= nh; q++)
                terms.Add(LogChoose(nv, p) + LogChoose(nh, q) + (double)w * p * q);
        double expected = NaiveRbm.LogSumExp(terms);
        Assert.InRange(expected, 4000, 5000);
        double actual = ExactPartitionFunction.LogPartitionFunction(rbm);
        Assert.True(double.IsFinite(actual));
        Assert.Equal(expected, actual, LogZTolerance(new NaiveRbm(rbm)));
    }

    [Fact]
    public void LogZ_IndependentOfThreadCount()
    {
        var rbm = BernoulliRbm.CreateRandom(30, 14, seed: 5, weightStdDev: 0.5f);
        double one = ExactPartitionFunction.LogPartitionFunction(rbm, maxDegreeOfParallelism: 1);
        double many = ExactPartitionFunction.LogPartitionFunction(rbm, maxDegreeOfParallelism: 4);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(many));
    }

    [Fact]
    public void LogZ_TooManyStates_ThrowsWithTheCount()
    {
        var rbm = BernoulliRbm.CreateRandom(784, 500, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunction(rbm));
        Assert.Equal("model", ex.ParamName);
        Assert.Contains("2^500", ex.Message);
        Assert.False(ExactPartitionFunction.TryLogPartitionFunction(rbm, out _));
        var small = BernoulliRbm.CreateRandom(10, 27, seed: 1);
        Assert.Throws<ArgumentException>(() => ExactPartitionFunction.LogPartitionFunction(small, stateLimit: 512));
        Assert.True(ExactPartitionFunction.TryLogPartitionFunction(small, out double z, stateLimit: 1024));
        Assert.True(double.IsFinite(z));
    }

    [Fact]
    public void LogZ_WiderThanOneBlock_MatchesClosedForm()
    {
        // Zero weights: Z = Π(1 + e^{aᵢ}) Π(1 + e^{bⱼ}); 2^16 states span 64 Gray-code blocks.
        var random = new Random(3);
        float[] a = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] b = Enumerable.Range(0, 20).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var rbm = new BernoulliRbm(16, 20, new float[16 * 20], a, b);
        double expected = a.Sum(x => NaiveRbm.Softplus(x)) + b.Sum(x => NaiveRbm.Softplus(x));
        Assert.Equal(expected, ExactPartitionFunction.LogPartitionFunction(rbm), 1e-4);
    }

    /// <summary>
    /// log Z is 1-Lipschitz in each state's log-weight, so its error is at most the largest error of
    /// one state's log-weight. With the smaller layer (n units, Gray-code blocks of at most 2¹⁰
    /// flips) enumerated and the other (m units) summed out, activation k drifts by at most
    /// (flips + n + 2)·ε·Sₖ, where Sₖ = |dₖ| + Σᵢ|Rᵢₖ| bounds every value it takes, and softplus adds
    /// its promised 10⁻⁶·max(1, Sₖ + 1).
    /// </summary>
    internal static double LogZTolerance(NaiveRbm naive)
    {
        bool hidden = naive.Nh <= naive.Nv;
        int n = Math.Min(naive.Nv, naive.Nh), m = Math.Max(naive.Nv, naive.Nh);
        double flips = Math.Pow(2, Math.Min(n, 10));
        double tol = 1e-12 * (1 + naive.A.Sum(Math.Abs) + naive.B.Sum(Math.Abs));
        for (int k = 0; k < m; k++)
        {
            double s = hidden ? Math.Abs(naive.A[k]) : Math.Abs(naive.B[k]);
            for (int i = 0; i < n; i++) s += hidden ? Math.Abs(naive.W[k, i]) : Math.Abs(naive.W[i, k]);
            tol += (flips + n + 2) * Tolerance.FloatEpsilon * s + 1e-6 * Math.Max(1, s + 1);
        }
        return tol;
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (int i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
