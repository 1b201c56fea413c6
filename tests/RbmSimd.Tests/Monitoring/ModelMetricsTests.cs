using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Numerics;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Model;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;
using RbmSimd.Tests.Training;
using Xunit;

namespace RbmSimd.Tests.Monitoring;

/// <summary><see cref="ModelMetrics"/> against the double reference, across its 256-row chunks, and its argument checks.</summary>
public class ModelMetricsTests
{
    private static double[][] Rows(Matrix m, int count) => Enumerable.Range(0, count).Select(r => RbmCase.Row(m, r)).ToArray();

    // Kills: a chunk boundary slip (rows after the first 256 dropped, read from the wrong offset, or a
    // chunk counted twice), a wrong divisor of either mean, and the reconstruction taken from P(h | v)
    // before the sigmoid or without the visible bias.
    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(600)]
    public void ReconstructionErrorAndMeanFreeEnergy_MatchReference(int rows)
    {
        var c = new RbmCase(11, 6, rows, 1.0, 81);
        BernoulliRbm rbm = c.CreateModel();
        var naive = new NaiveRbm(rbm);
        Matrix v = c.UnitRows(11, 1);
        double[][] all = Rows(v, rows);
        double fTol = all.Max(r => BernoulliRbmPropertyTests.FreeEnergyTolerance(naive, r));
        double rTol = TrainerUpdateTests.ReconstructionTolerance(naive);

        Assert.True(Tolerance.Close(naive.MeanFreeEnergy(all), ModelMetrics.MeanFreeEnergy(rbm, v), fTol));
        Assert.True(Tolerance.Close(naive.ReconstructionError(all), ModelMetrics.ReconstructionError(rbm, v), rTol));
        DataFit fit = ModelMetrics.Evaluate(rbm, (IRowSource)new Dataset(v.Clone()), maxDegreeOfParallelism: 2);
        Assert.True(Tolerance.Close(naive.MeanFreeEnergy(all), fit.MeanFreeEnergy, fTol));
        Assert.True(Tolerance.Close(naive.ReconstructionError(all), fit.ReconstructionError, rTol));
    }

    // Kills: Evaluate ignoring its row count (always all rows), treating −1 other than "all", or not capping a count past the end.
    [Theory]
    [InlineData(5, 5)]
    [InlineData(300, 300)]
    [InlineData(-1, 320)]
    [InlineData(1000, 320)]
    public void Evaluate_UsesTheFirstRows(int requested, int used)
    {
        var c = new RbmCase(7, 4, 320, 1.0, 82);
        BernoulliRbm rbm = c.CreateModel();
        var naive = new NaiveRbm(rbm);
        Matrix v = c.BinaryRows(7, 1);
        double[][] first = Rows(v, used);
        // Through the public overload (the cast keeps the internal generic one, visible to tests, out of the choice).
        DataFit fit = ModelMetrics.Evaluate(rbm, (IRowSource)new Dataset(v), requested);
        Assert.True(Tolerance.Close(naive.MeanFreeEnergy(first), fit.MeanFreeEnergy, first.Max(r => BernoulliRbmPropertyTests.FreeEnergyTolerance(naive, r))));
        Assert.True(Tolerance.Close(naive.ReconstructionError(first), fit.ReconstructionError, TrainerUpdateTests.ReconstructionTolerance(naive)));
    }

    // Kills: the empty-data or column-count check removed (0/0 = NaN; a wrong width reads the wrong values), and a row count of 0 read as "all" (rows < 0 → rows <= 0).
    [Fact]
    public void Evaluate_RejectsEmptyOrMisshapenData_NamingIt()
    {
        var rbm = BernoulliRbm.CreateRandom(4, 3, seed: 1);
        Assert.Equal("visible", Assert.Throws<ArgumentException>(() => ModelMetrics.ReconstructionError(rbm, new Matrix(0, 4))).ParamName);
        Assert.Equal("visible", Assert.Throws<ArgumentException>(() => ModelMetrics.MeanFreeEnergy(rbm, new Matrix(3, 5))).ParamName);
        Assert.Equal("visible", Assert.Throws<ArgumentException>(() => ModelMetrics.Evaluate(rbm, (IRowSource)new Dataset(new Matrix(3, 5)))).ParamName);
        // Asking for the first 0 rows leaves nothing to average: −1, not 0, means all rows.
        Assert.Equal("visible", Assert.Throws<ArgumentException>(() => ModelMetrics.Evaluate(rbm, (IRowSource)new Dataset(new Matrix(3, 4)), rows: 0)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ModelMetrics.Evaluate(rbm, null!));
        Assert.Throws<ArgumentNullException>(() => ModelMetrics.MeanFreeEnergy(null!, new Matrix(3, 4)));
    }
}
