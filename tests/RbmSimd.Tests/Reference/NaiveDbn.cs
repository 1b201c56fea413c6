using RbmSimd.Sampling;

namespace RbmSimd.Tests.Reference;

/// <summary>A deep belief network as a list of <see cref="NaiveRbm"/> layers, bottom first, in double.</summary>
internal sealed class NaiveDbn(IReadOnlyList<NaiveRbm> layers)
{
    /// <summary>The mean-field up pass: P(h | v) of each layer fed to the next.</summary>
    public double[] Transform(double[] v)
    {
        foreach (NaiveRbm layer in layers) v = layer.MeanHiddens(v);
        return v;
    }

    /// <summary>
    /// Generation as the network documents it, drawing from one stream: the top RBM's visible units start
    /// on where the next uniform is below ½ (row by row), run <paramref name="gibbsSteps"/> Gibbs steps,
    /// then each lower layer above the data layer is sampled from P(v | h) row by row, and the data layer
    /// is returned as probabilities P(v | h). A one-layer network returns P(v | h) of the top's last
    /// hidden sample (all zeros when no step ran).
    /// </summary>
    public double[][] Sample(int count, int gibbsSteps, ulong seed, ref double minMargin)
    {
        var random = new RandomStream(seed);
        NaiveRbm top = layers[^1];
        var start = new double[count][];
        for (int r = 0; r < count; r++)
        {
            start[r] = new double[top.Nv];
            for (int i = 0; i < top.Nv; i++) start[r][i] = random.NextSingle() < 0.5f ? 1 : 0;
        }
        var (v, h) = top.Gibbs(start, gibbsSteps, ref random, ref minMargin);
        if (layers.Count == 1)
        {
            h ??= Enumerable.Range(0, count).Select(_ => new double[top.Nh]).ToArray();
            return h.Select(top.MeanVisibles).ToArray();
        }
        double[][] current = v;
        for (int l = layers.Count - 2; l >= 0; l--)
        {
            double[][] below = new double[count][];
            for (int r = 0; r < count; r++)
            {
                double[] p = layers[l].MeanVisibles(current[r]);
                below[r] = l > 0 ? layers[l].Sample(p, ref random, ref minMargin) : p;
            }
            current = below;
        }
        return current;
    }
}
