using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Model;

/// <summary>
/// <see cref="GibbsChain"/> against a chain written from its documentation, for both kinds at a tempered β with a
/// base model: from hidden states H, each step draws <c>V ~ P_β(v | H)</c> and, between steps, <c>H ~ P_β(h | V)</c>,
/// in that order from the stream (each layer's draws for all rows, row r at r·units from the layer's start); the last
/// step's <c>E[v | H]</c> before sampling and <c>P_β(h | V)</c> after it are written when asked. Also its checks.
/// </summary>
public class GibbsChainTests
{
    private static ModelKindFixture Fixture(string kind) =>
        kind == "bernoulli" ? new ModelKindFixture.Bernoulli() : new ModelKindFixture.GaussianBernoulli();

    private static double[] RowOf(ReadOnlyMatrixView m, int r) => m.Row(r).ToArray().Select(x => (double)x).ToArray();

    [Theory]
    [InlineData("bernoulli", 1)]
    [InlineData("bernoulli", 3)]
    [InlineData("gaussian-bernoulli", 1)]
    [InlineData("gaussian-bernoulli", 3)]
    public void FromHidden_MatchesTheDocumentedChain(string kind, int steps)
    {
        ModelKindFixture fixture = Fixture(kind);
        int compared = 0;
        // Seeds until 4 are free of ambiguous draws: the rows come from HashCode.Combine, which .NET seeds afresh in
        // every process, so how many of a fixed few seeds are clean varies from run to run.
        for (int seed = 1; seed <= 30 && compared < 4; seed++)
        {
            var c = new RbmCase(5 + seed % 3, 4 + seed % 2, 3, 0.8, seed);
            IRbm model = fixture.Create(c);
            INaiveModel naive = fixture.Reference(model);
            float[] a0 = ModelKindFixture.BaseBias(c);
            double[] a0d = a0.Select(x => (double)x).ToArray();
            var t = new Temperature(0.6f, a0);
            Matrix h = c.BinaryRows(c.Nh, 4);
            double[][] hn = Enumerable.Range(0, c.Rows).Select(r => RbmCase.Row(h, r)).ToArray();
            var v = new Matrix(c.Rows, c.Nv);
            var means = new Matrix(c.Rows, c.Nh);
            var lastMeans = new Matrix(c.Rows, c.Nv);
            var random = new RandomStream((ulong)seed).Derive(5);
            RandomStream reference = random;
            GibbsChain.FromHidden(model, h, v, means, steps, ref random, t, 1, lastMeans);

            // The reference chain.
            double margin = double.PositiveInfinity;
            ulong p = reference.Position;
            double[][] vn = new double[c.Rows][], lastMeanRows = new double[c.Rows][];
            for (int step = 1; step <= steps; step++)
            {
                for (int r = 0; r < c.Rows; r++)
                {
                    double[] mean = naive.MeanVisibles(hn[r], 0.6, a0d);
                    if (step == steps) lastMeanRows[r] = mean;
                    vn[r] = new double[c.Nv];
                    for (int i = 0; i < c.Nv; i++)
                    {
                        ulong bits = reference.ValueAt(p + (ulong)(r * c.Nv + i));
                        if (naive is NaiveRbm) margin = Math.Min(margin, Math.Abs(RandomStream.ToUnitSingle(bits) - mean[i]));
                        vn[r][i] = naive.DrawVisible(mean[i], i, bits);
                    }
                }
                p += (ulong)(c.Rows * c.Nv);
                if (step == steps) break;
                for (int r = 0; r < c.Rows; r++)
                {
                    double[] ph = naive.MeanHiddens(vn[r], 0.6);
                    for (int j = 0; j < c.Nh; j++)
                    {
                        double u = RandomStream.ToUnitSingle(reference.ValueAt(p + (ulong)(r * c.Nh + j)));
                        margin = Math.Min(margin, Math.Abs(u - ph[j]));
                        hn[r][j] = u < ph[j] ? 1 : 0;
                    }
                }
                p += (ulong)(c.Rows * c.Nh);
            }
            Assert.Equal(p, random.Position);
            if (margin < 1e-4) continue;
            compared++;
            for (int r = 0; r < c.Rows; r++)
            {
                Assert.Equal(hn[r], RowOf(h, r));
                double[] expectedMeans = naive.MeanHiddens(vn[r], 0.6);
                for (int i = 0; i < c.Nv; i++)
                {
                    Assert.True(Math.Abs(vn[r][i] - v[r, i]) <= 1e-4 * (1 + Math.Abs(vn[r][i])), $"seed {seed}: v[{r},{i}] {vn[r][i]} vs {v[r, i]}");
                    Assert.True(Math.Abs(lastMeanRows[r][i] - lastMeans[r, i]) <= 1e-4 * (1 + Math.Abs(lastMeanRows[r][i])), $"seed {seed}: E[v] {lastMeanRows[r][i]} vs {lastMeans[r, i]}");
                }
                for (int j = 0; j < c.Nh; j++)
                    Assert.True(Math.Abs(expectedMeans[j] - means[r, j]) <= 1e-4, $"seed {seed}: P(h | v) {expectedMeans[j]} vs {means[r, j]}");
            }
        }
        Assert.True(compared >= 4, $"only {compared} of 30 seeds were free of ambiguous draws");
    }

    [Fact]
    public void FromHidden_WithoutOptionalOutputs_DrawsTheSameChain()
    {
        var c = new RbmCase(6, 4, 3, 0.8, 2);
        BernoulliRbm model = c.CreateModel();
        Matrix h1 = c.BinaryRows(4, 1), h2 = h1.Clone();
        var v1 = new Matrix(3, 6);
        var v2 = new Matrix(3, 6);
        var r1 = new RandomStream(4);
        var r2 = new RandomStream(4);
        GibbsChain.FromHidden(model, h1, v1, new Matrix(3, 4), 2, ref r1, Temperature.One, 1, new Matrix(3, 6));
        GibbsChain.FromHidden(model, h2, v2, default, 2, ref r2, Temperature.One);
        Assert.Equal(v1.AsSpan().ToArray(), v2.AsSpan().ToArray());
        Assert.Equal(h1.AsSpan().ToArray(), h2.AsSpan().ToArray());
        Assert.Equal(r1.Position, r2.Position);
    }

    [Fact]
    public void FromVisible_ZeroSteps_LeavesEverythingAsItIs()
    {
        BernoulliRbm model = new RbmCase(4, 3, 2, 1, 1).CreateModel();
        var v = new Matrix(2, 4, [1f, 0f, 1f, 0f, 0f, 1f, 1f, 1f]);
        var h = new Matrix(2, 3, [0.5f, 0.5f, 0.5f, 0.25f, 0.25f, 0.25f]);
        var means = new Matrix(2, 4);
        means.AsSpan().Fill(7f);
        var random = new RandomStream(3);
        GibbsChain.FromVisible(model, v, h, means, 0, ref random, Temperature.One);
        Assert.Equal([1f, 0f, 1f, 0f, 0f, 1f, 1f, 1f], v.AsSpan().ToArray());
        Assert.Equal([0.5f, 0.5f, 0.5f, 0.25f, 0.25f, 0.25f], h.AsSpan().ToArray());
        Assert.All(means.AsSpan().ToArray(), x => Assert.Equal(7f, x));
        Assert.Equal(0UL, random.Position);
    }

    [Fact]
    public void Chains_CheckTheirArguments_NamingThem()
    {
        BernoulliRbm model = new RbmCase(4, 3, 2, 1, 1).CreateModel();
        var random = new RandomStream(1);
        void Expect<T>(string name, string? message, Action<RandomStream> action) where T : ArgumentException
        {
            var ex = Assert.Throws<T>(() => action(random));
            Assert.Equal(name, ex.ParamName);
            if (message is not null) Assert.StartsWith(message, ex.Message);
        }

        Expect<ArgumentNullException>("model", null, r => GibbsChain.FromHidden(null!, new Matrix(2, 3), new Matrix(2, 4), default, 1, ref r, Temperature.One));
        Expect<ArgumentOutOfRangeException>("steps", null, r => GibbsChain.FromHidden(model, new Matrix(2, 3), new Matrix(2, 4), default, 0, ref r, Temperature.One));
        Expect<ArgumentException>("visible", "Expected 2 rows (one per chain) but got 3.", r => GibbsChain.FromHidden(model, new Matrix(2, 3), new Matrix(3, 4), default, 1, ref r, Temperature.One));
        Expect<ArgumentException>("hiddenMeans", "Expected 2 rows (one per chain) but got 1.", r => GibbsChain.FromHidden(model, new Matrix(2, 3), new Matrix(2, 4), new Matrix(1, 3), 1, ref r, Temperature.One));
        Expect<ArgumentException>("lastVisibleMeans", "Expected 2 rows (one per chain) but got 3.",
            r => GibbsChain.FromHidden(model, new Matrix(2, 3), new Matrix(2, 4), default, 1, ref r, Temperature.One, 1, new Matrix(3, 4)));

        Expect<ArgumentNullException>("model", null, r => GibbsChain.FromVisible(null!, new Matrix(2, 4), new Matrix(2, 3), default, 1, ref r, Temperature.One));
        Expect<ArgumentOutOfRangeException>("steps", null, r => GibbsChain.FromVisible(model, new Matrix(2, 4), new Matrix(2, 3), default, -1, ref r, Temperature.One));
        Expect<ArgumentException>("visible", "Expected 4 columns but got 5.", r => GibbsChain.FromVisible(model, new Matrix(2, 5), new Matrix(2, 3), default, 1, ref r, Temperature.One));
        Expect<ArgumentException>("hiddenSample", "Expected 3 columns but got 2.", r => GibbsChain.FromVisible(model, new Matrix(2, 4), new Matrix(2, 2), default, 1, ref r, Temperature.One));
        Expect<ArgumentException>("hiddenSample", "Expected 2 rows (one per chain) but got 1.", r => GibbsChain.FromVisible(model, new Matrix(2, 4), new Matrix(1, 3), default, 1, ref r, Temperature.One));
        // The checks come before any draw: a zero-step call with bad shapes still throws.
        Expect<ArgumentException>("visible", "Expected 4 columns but got 5.", r => GibbsChain.FromVisible(model, new Matrix(2, 5), new Matrix(2, 3), default, 0, ref r, Temperature.One));
    }
}
