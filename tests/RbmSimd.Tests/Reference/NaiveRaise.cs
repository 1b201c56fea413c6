using RbmSimd.Sampling;

namespace RbmSimd.Tests.Reference;

/// <summary>
/// Reverse annealed importance sampling (Burda, Grosse and Salakhutdinov 2015) written for clarity: one run of
/// one data row at a time, in double. The chain is drawn whole, <c>x_K = v</c> then <c>x_{k−1} ~ T_k(· | x_k)</c>
/// for k = K … 1 (a Gibbs sweep h ~ P_{β_k}(h | x), x ~ P_{β_k}(v | h)), and its weight is taken from the
/// formula in one piece:
/// <code>log w = log p₀(x₀) + Σ_{k=1}^{K} [log f_k(x_k) − log f_k(x_{k−1})],   log f_k = −F_{β_k}</code>
/// with <c>log p₀ = −F₀ − log Z₀</c>. Each row's estimate is <c>log mean(w)</c> over its runs. The random stream
/// is addressed as the library documents: temperature k draws from <c>Derive(k)</c>; within it the hidden draws
/// of all rows × runs come first (run m of row r is batch row r·runs + m), then their visible draws.
/// </summary>
internal static class NaiveRaise
{
    /// <summary>Each row's estimate of log p(v), over <paramref name="runs"/> runs.</summary>
    public static double[] Run(INaiveModel model, double[][] data, double[] betas, double[]? a0, int runs, ulong seed, ref double minMargin)
    {
        var root = new RandomStream(seed);
        int nv = model.Nv, nh = model.Nh, K = betas.Length - 1, batch = data.Length * runs;
        var estimates = new double[data.Length];
        for (int r = 0; r < data.Length; r++)
        {
            var logW = new double[runs];
            for (int m = 0; m < runs; m++)
            {
                int row = r * runs + m;
                var x = new double[K + 1][];
                x[K] = data[r].ToArray();
                for (int k = K; k >= 1; k--)
                {
                    RandomStream stream = root.Derive((ulong)k);
                    double[] ph = model.MeanHiddens(x[k], betas[k]);
                    var h = new double[nh];
                    for (int j = 0; j < nh; j++)
                    {
                        double u = RandomStream.ToUnitSingle(stream.ValueAt((ulong)(row * nh + j)));
                        minMargin = Math.Min(minMargin, Math.Abs(u - ph[j]));
                        h[j] = u < ph[j] ? 1 : 0;
                    }
                    double[] mean = model.MeanVisibles(h, betas[k], a0);
                    x[k - 1] = new double[nv];
                    for (int i = 0; i < nv; i++)
                    {
                        ulong bits = stream.ValueAt((ulong)(batch * nh + row * nv + i));
                        if (model is NaiveRbm) minMargin = Math.Min(minMargin, Math.Abs(RandomStream.ToUnitSingle(bits) - mean[i]));
                        x[k - 1][i] = model.DrawVisible(mean[i], i, bits);
                    }
                }
                double w = -model.FreeEnergy(x[0], 0, a0) - model.BaseLogZ(a0);
                for (int k = 1; k <= K; k++) w += -model.FreeEnergy(x[k], betas[k], a0) + model.FreeEnergy(x[k - 1], betas[k], a0);
                logW[m] = w;
            }
            estimates[r] = NaiveRbm.LogSumExp(logW) - Math.Log(runs);
        }
        return estimates;
    }
}
