using RbmSimd.Sampling;

namespace RbmSimd.Tests.Reference;

/// <summary>
/// Annealed importance sampling written for clarity: one run at a time, in double, from the formulas of
/// Salakhutdinov and Murray (2008). It addresses the random stream the way the library documents (temperature
/// k draws from <c>Derive(k)</c>; within it the M runs' hidden draws come first, row by row, then their visible
/// draws), so the fast estimator can be compared with it run by run.
/// </summary>
internal static class NaiveAis
{
    /// <summary>The log importance weight of each run, and log Z₀.</summary>
    public static (double[] LogWeights, double BaseLogZ) Run(INaiveModel model, double[] betas, double[]? a0, int runs, ulong seed, ref double minMargin)
    {
        var root = new RandomStream(seed);
        var logW = new double[runs];
        int nv = model.Nv, nh = model.Nh;
        for (int m = 0; m < runs; m++)
        {
            // v₀ ~ p₀: the visible conditional at β = 0 (any h).
            RandomStream start = root.Derive(0);
            double[] mean0 = model.MeanVisibles(new double[nh], 0, a0);
            double[] v = Enumerable.Range(0, nv).Select(i => model.DrawVisible(mean0[i], i, start.ValueAt((ulong)(m * nv + i)))).ToArray();
            for (int k = 1; k < betas.Length; k++)
            {
                logW[m] += model.FreeEnergy(v, betas[k - 1], a0) - model.FreeEnergy(v, betas[k], a0);
                if (k == betas.Length - 1) break;
                RandomStream r = root.Derive((ulong)k);
                double[] ph = model.MeanHiddens(v, betas[k]);
                var h = new double[nh];
                for (int j = 0; j < nh; j++)
                {
                    double u = RandomStream.ToUnitSingle(r.ValueAt((ulong)(m * nh + j)));
                    minMargin = Math.Min(minMargin, Math.Abs(u - ph[j]));
                    h[j] = u < ph[j] ? 1 : 0;
                }
                double[] mean = model.MeanVisibles(h, betas[k], a0);
                for (int i = 0; i < nv; i++)
                {
                    ulong bits = r.ValueAt((ulong)(runs * nh + m * nv + i));
                    if (model is NaiveRbm) minMargin = Math.Min(minMargin, Math.Abs(RandomStream.ToUnitSingle(bits) - mean[i]));
                    v[i] = model.DrawVisible(mean[i], i, bits);
                }
            }
        }
        return (logW, model.BaseLogZ(a0));
    }
}
