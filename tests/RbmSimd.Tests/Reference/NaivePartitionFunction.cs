namespace RbmSimd.Tests.Reference;

/// <summary>
/// log Z of a <see cref="NaiveRbm"/> in double, with one layer summed out analytically and the other
/// enumerated state by state: fast enough for a smaller layer of up to about 16 units, where the
/// brute-force sum over every joint state (<see cref="NaiveRbm.LogZBruteForce"/>) is out of reach.
/// </summary>
/// <remarks>
/// Summing out h: <c>Σ_h e^{−E(v,h)} = e^{aᵀv} Πⱼ (1 + e^{bⱼ + (vW)ⱼ})</c>, so
/// <c>log Z = log Σ_v exp(aᵀv + Σⱼ softplus(bⱼ + Σᵢ vᵢWᵢⱼ))</c>, and symmetrically with v summed out.
/// Each state's log-weight is computed afresh from the formula (no incremental updates).
/// </remarks>
internal static class NaivePartitionFunction
{
    /// <summary>log Z, enumerating whichever layer is smaller.</summary>
    public static double LogZ(NaiveRbm rbm) => rbm.Nv <= rbm.Nh ? LogZEnumeratingVisible(rbm) : LogZEnumeratingHidden(rbm);

    /// <summary>log Σ_v exp(aᵀv + Σⱼ softplus(bⱼ + (vW)ⱼ)) over all 2^nv visible states.</summary>
    public static double LogZEnumeratingVisible(NaiveRbm rbm)
    {
        int nv = rbm.Nv, nh = rbm.Nh;
        var terms = new double[1L << nv];
        var v = new double[nv];
        for (long s = 0; s < terms.Length; s++)
        {
            for (int i = 0; i < nv; i++) v[i] = (s >> i) & 1;
            double t = 0;
            for (int i = 0; i < nv; i++) t += rbm.A[i] * v[i];
            for (int j = 0; j < nh; j++) t += NaiveRbm.Softplus(rbm.HiddenActivation(v, j));
            terms[s] = t;
        }
        return NaiveRbm.LogSumExp(terms);
    }

    /// <summary>log Σ_h exp(bᵀh + Σᵢ softplus(aᵢ + (Wh)ᵢ)) over all 2^nh hidden states.</summary>
    public static double LogZEnumeratingHidden(NaiveRbm rbm)
    {
        int nv = rbm.Nv, nh = rbm.Nh;
        var terms = new double[1L << nh];
        var h = new double[nh];
        for (long s = 0; s < terms.Length; s++)
        {
            for (int j = 0; j < nh; j++) h[j] = (s >> j) & 1;
            double t = 0;
            for (int j = 0; j < nh; j++) t += rbm.B[j] * h[j];
            for (int i = 0; i < nv; i++) t += NaiveRbm.Softplus(rbm.VisibleActivation(h, i));
            terms[s] = t;
        }
        return NaiveRbm.LogSumExp(terms);
    }

    /// <summary>With W = 0 the layers are independent: <c>log Z = Σᵢ softplus(aᵢ) + Σⱼ softplus(bⱼ)</c>.</summary>
    public static double LogZWithoutWeights(double[] a, double[] b) => a.Sum(NaiveRbm.Softplus) + b.Sum(NaiveRbm.Softplus);
}
