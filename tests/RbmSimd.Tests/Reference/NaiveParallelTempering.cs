using RbmSimd.Sampling;

namespace RbmSimd.Tests.Reference;

/// <summary>
/// Parallel tempering written from its description (Desjardins et al. 2010), in double, one chain at a time:
/// R replicas of C chains at <c>β_r = 1 − (1 − β_min)·r/(R − 1)</c>; each step sweeps every replica k times at its
/// own β (h ~ P_β(h | v), then v ~ P_β(v | h)), then offers chain c of replicas r and r + 1 to swap with probability
/// <c>min(1, f_r(v_{r+1}) f_{r+1}(v_r) / (f_r(v_r) f_{r+1}(v_{r+1})))</c>, <c>f = e^{−F_β}</c>, for the even pairs
/// (0, 1), (2, 3), … or the odd ones (1, 2), …. The negative phase is replica 0's states and <c>P(h | v)</c> at β = 1.
/// Draws follow the library's documented order within the step's stream: the replicas' sweeps in turn (each
/// layer's draws for all C chains, chain c at c·units from the layer's start), one value whose lowest bit picks
/// the odd pairs, then one uniform per offered swap.
/// </summary>
internal sealed class NaiveParallelTempering
{
    private readonly INaiveModel _model;
    private readonly int _chains, _steps;

    public NaiveParallelTempering(INaiveModel model, int replicas, double minBeta, int chains, int steps, double[][] start)
    {
        _model = model;
        _chains = chains;
        _steps = steps;
        Betas = Enumerable.Range(0, replicas).Select(r => 1 - (1 - minBeta) * r / (replicas - 1)).ToArray();
        States = start.Select(s => s.ToArray()).ToArray();
        Accepted = new long[replicas - 1];
        Offered = new long[replicas - 1];
    }

    public double[] Betas { get; }

    /// <summary>Replica r's chain c is row r·C + c.</summary>
    public double[][] States { get; }

    public long[] Accepted { get; }

    public long[] Offered { get; }

    /// <summary>One step; returns the negative phase's visible rows and their hidden means at β = 1.</summary>
    public (double[][] Visible, double[][] HiddenMeans) Step(ref RandomStream random, ref double minMargin)
    {
        int nv = _model.Nv, nh = _model.Nh, c = _chains;
        ulong p = random.Position;
        for (int r = 0; r < Betas.Length; r++)
        {
            for (int s = 0; s < _steps; s++)
            {
                var h = new double[c][];
                for (int i = 0; i < c; i++)
                {
                    double[] ph = _model.MeanHiddens(States[r * c + i], Betas[r]);
                    h[i] = new double[nh];
                    for (int j = 0; j < nh; j++)
                    {
                        double u = RandomStream.ToUnitSingle(random.ValueAt(p + (ulong)(i * nh + j)));
                        minMargin = Math.Min(minMargin, Math.Abs(u - ph[j]));
                        h[i][j] = u < ph[j] ? 1 : 0;
                    }
                }
                p += (ulong)(c * nh);
                for (int i = 0; i < c; i++)
                {
                    double[] mean = _model.MeanVisibles(h[i], Betas[r], null);
                    for (int k = 0; k < nv; k++)
                    {
                        ulong bits = random.ValueAt(p + (ulong)(i * nv + k));
                        if (_model is NaiveRbm) minMargin = Math.Min(minMargin, Math.Abs(RandomStream.ToUnitSingle(bits) - mean[k]));
                        States[r * c + i][k] = _model.DrawVisible(mean[k], k, bits);
                    }
                }
                p += (ulong)(c * nv);
            }
        }
        int first = (int)(random.ValueAt(p++) & 1);
        for (int r = first; r + 1 < Betas.Length; r += 2)
        {
            for (int i = 0; i < c; i++)
            {
                double[] x = States[r * c + i], y = States[(r + 1) * c + i];
                double logRatio = -_model.FreeEnergy(y, Betas[r], null) - _model.FreeEnergy(x, Betas[r + 1], null)
                    + _model.FreeEnergy(x, Betas[r], null) + _model.FreeEnergy(y, Betas[r + 1], null);
                double accept = Math.Min(1, Math.Exp(logRatio));
                var stream = random;
                stream.Position = p++;
                double u = stream.NextDouble();
                if (accept < 1) minMargin = Math.Min(minMargin, Math.Abs(u - accept));
                Offered[r]++;
                if (u < accept)
                {
                    Accepted[r]++;
                    (States[r * c + i], States[(r + 1) * c + i]) = (y, x);
                }
            }
        }
        random.Position = p;
        double[][] visible = Enumerable.Range(0, c).Select(i => States[i].ToArray()).ToArray();
        return (visible, visible.Select(v => _model.MeanHiddens(v, 1)).ToArray());
    }
}
