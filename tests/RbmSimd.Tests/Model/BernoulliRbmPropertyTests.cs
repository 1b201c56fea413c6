using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;

namespace RbmSimd.Tests.Model;

/// <summary>The model's batch operations against the double-precision reference on random shapes.</summary>
public class BernoulliRbmPropertyTests
{
    [Property(MaxTest = 150)]
    public Property MeanHiddens_MatchesReference() => Prop.ForAll(RbmArbitraries.Cases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix v = c.BinaryRows(c.Nv, 1);
        var h = new Matrix(c.Rows, c.Nh);
        rbm.MeanHiddens(v, h);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] vr = RbmCase.Row(v, r);
            double[] expected = naive.MeanHiddens(vr);
            for (int j = 0; j < c.Nh; j++)
            {
                double terms = Math.Abs(naive.B[j]) + Enumerable.Range(0, c.Nv).Sum(i => Math.Abs(vr[i] * naive.W[i, j]));
                double tol = Tolerance.SigmoidAbsolute + Tolerance.DotBound(c.Nv + 1, terms) / 4;
                if (!Tolerance.Close(expected[j], h[r, j], tol)) return false.Label($"row {r} unit {j}: {expected[j]} vs {h[r, j]}");
            }
        }
        return true.ToProperty().Classify(c.Nh % 8 != 0, "ragged hidden width");
    });

    [Property(MaxTest = 150)]
    public Property MeanVisibles_MatchesReference() => Prop.ForAll(RbmArbitraries.Cases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix h = c.BinaryRows(c.Nh, 2);
        var v = new Matrix(c.Rows, c.Nv);
        rbm.MeanVisibles(h, v);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] hr = RbmCase.Row(h, r);
            double[] expected = naive.MeanVisibles(hr);
            for (int i = 0; i < c.Nv; i++)
            {
                double terms = Math.Abs(naive.A[i]) + Enumerable.Range(0, c.Nh).Sum(j => Math.Abs(naive.W[i, j] * hr[j]));
                double tol = Tolerance.SigmoidAbsolute + Tolerance.DotBound(c.Nh + 1, terms) / 4;
                if (!Tolerance.Close(expected[i], v[r, i], tol)) return false.Label($"row {r} unit {i}: {expected[i]} vs {v[r, i]}");
            }
        }
        return true.ToProperty().Classify(c.Nv % 8 != 0, "ragged visible width");
    });

    [Property(MaxTest = 150)]
    public Property Energy_MatchesReference() => Prop.ForAll(RbmArbitraries.Cases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix v = c.BinaryRows(c.Nv, 3), h = c.BinaryRows(c.Nh, 4);
        var e = new double[c.Rows];
        rbm.Energy(v, h, e);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] vr = RbmCase.Row(v, r), hr = RbmCase.Row(h, r);
            double expected = naive.Energy(vr, hr);
            // The library accumulates float products in double: only double rounding remains.
            double scale = 1 + naive.A.Sum(Math.Abs) + naive.B.Sum(Math.Abs) + naive.W.Cast<double>().Sum(Math.Abs);
            if (!Tolerance.Close(expected, e[r], 1e-12 * scale)) return false.Label($"row {r}: {expected} vs {e[r]}");
        }
        return true.ToProperty();
    });

    [Property(MaxTest = 150)]
    public Property FreeEnergy_MatchesFormula() => Prop.ForAll(RbmArbitraries.Cases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix v = c.UnitRows(c.Nv, 5);
        var f = new double[c.Rows];
        rbm.FreeEnergy(v, f);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] vr = RbmCase.Row(v, r);
            double expected = naive.FreeEnergy(vr);
            if (!Tolerance.Close(expected, f[r], FreeEnergyTolerance(naive, vr))) return false.Label($"row {r}: {expected} vs {f[r]}");
        }
        return true.ToProperty();
    });

    [Property(MaxTest = 100)]
    public Property FreeEnergy_EqualsMinusLogSumOverHidden() => Prop.ForAll(RbmArbitraries.TinyCases(), c =>
    {
        BernoulliRbm rbm = c.CreateModel();
        NaiveRbm naive = c.Reference(rbm);
        Matrix v = c.BinaryRows(c.Nv, 6);
        var f = new double[c.Rows];
        rbm.FreeEnergy(v, f);
        for (int r = 0; r < c.Rows; r++)
        {
            double[] vr = RbmCase.Row(v, r);
            double expected = naive.FreeEnergyByEnumeration(vr);
            if (!Tolerance.Close(expected, f[r], FreeEnergyTolerance(naive, vr) + 1e-9 * (1 + Math.Abs(expected))))
                return false.Label($"row {r}: {expected} vs {f[r]}");
        }
        return true.ToProperty();
    });

    /// <summary>
    /// Per hidden unit: the float activation's dot-product error (softplus has slope ≤ 1) plus the
    /// softplus kernel's promised error of 10⁻⁶, relative or absolute, whichever is larger.
    /// </summary>
    internal static double FreeEnergyTolerance(NaiveRbm naive, double[] v)
    {
        double tol = 1e-12 * (1 + naive.A.Sum(Math.Abs));
        for (int j = 0; j < naive.Nh; j++)
        {
            double terms = Math.Abs(naive.B[j]) + Enumerable.Range(0, naive.Nv).Sum(i => Math.Abs(v[i] * naive.W[i, j]));
            tol += Tolerance.DotBound(naive.Nv + 1, terms) + 1e-6 * Math.Max(1, terms + 1);
        }
        return tol;
    }
}
