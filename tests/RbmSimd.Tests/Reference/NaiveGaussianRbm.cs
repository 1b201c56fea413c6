using RbmSimd.Model;
using RbmSimd.Sampling;

namespace RbmSimd.Tests.Reference;

/// <summary>
/// A plain double-precision Gaussian–Bernoulli RBM written from the formulas (the article's energy, with
/// the visible variances as zᵢ = log σᵢ²): the oracle for <see cref="GaussianBernoulliRbm"/>.
/// </summary>
/// <remarks>
/// <c>E(v, h) = Σᵢ (vᵢ − aᵢ)²/(2σᵢ²) − bᵀh − Σᵢⱼ (vᵢ/σᵢ)Wᵢⱼhⱼ</c>.
/// </remarks>
internal sealed class NaiveGaussianRbm : INaiveModel
{
    public NaiveGaussianRbm(double[,] w, double[] a, double[] b, double[] z)
    {
        W = w;
        A = a;
        B = b;
        Z = z;
        Nv = a.Length;
        Nh = b.Length;
    }

    public NaiveGaussianRbm(GaussianBernoulliRbm rbm)
    {
        Nv = rbm.VisibleCount;
        Nh = rbm.HiddenCount;
        W = new double[Nv, Nh];
        for (int i = 0; i < Nv; i++)
            for (int j = 0; j < Nh; j++)
                W[i, j] = rbm.Weights[i * Nh + j];
        A = rbm.VisibleBias.ToArray().Select(x => (double)x).ToArray();
        B = rbm.HiddenBias.ToArray().Select(x => (double)x).ToArray();
        Z = rbm.LogVariance.ToArray().Select(x => (double)x).ToArray();
    }

    public int Nv { get; }
    public int Nh { get; }
    public double[,] W { get; }
    public double[] A { get; }
    public double[] B { get; }
    public double[] Z { get; }

    /// <summary>σᵢ = exp(zᵢ/2).</summary>
    public double Sigma(int i) => Math.Exp(Z[i] / 2);

    public double Energy(double[] v, double[] h)
    {
        double e = 0;
        for (int i = 0; i < Nv; i++) e += (v[i] - A[i]) * (v[i] - A[i]) / (2 * Sigma(i) * Sigma(i));
        for (int j = 0; j < Nh; j++) e -= B[j] * h[j];
        for (int i = 0; i < Nv; i++)
            for (int j = 0; j < Nh; j++)
                e -= v[i] / Sigma(i) * W[i, j] * h[j];
        return e;
    }

    /// <summary>bⱼ + Σᵢ vᵢWᵢⱼ/σᵢ.</summary>
    public double HiddenActivation(double[] v, int j)
    {
        double x = B[j];
        for (int i = 0; i < Nv; i++) x += v[i] / Sigma(i) * W[i, j];
        return x;
    }

    /// <summary>(Wh)ᵢ.</summary>
    public double Wh(double[] h, int i)
    {
        double x = 0;
        for (int j = 0; j < Nh; j++) x += W[i, j] * h[j];
        return x;
    }

    public double[] MeanHiddens(double[] v, double beta) =>
        Enumerable.Range(0, Nh).Select(j => NaiveRbm.Sigmoid(beta * HiddenActivation(v, j))).ToArray();

    /// <summary>E[vᵢ | h] at β = βaᵢ + (1 − β)a₀ᵢ + βσᵢ(Wh)ᵢ (the variance stays σᵢ²).</summary>
    public double[] MeanVisibles(double[] h, double beta, double[]? a0) =>
        Enumerable.Range(0, Nv).Select(i => beta * A[i] + (1 - beta) * (a0?[i] ?? 0) + beta * Sigma(i) * Wh(h, i)).ToArray();

    /// <summary>F_β(v) = Σᵢ [β(vᵢ − aᵢ)² + (1 − β)(vᵢ − a₀ᵢ)²]/(2σᵢ²) − Σⱼ softplus(β(bⱼ + Σᵢ vᵢWᵢⱼ/σᵢ)).</summary>
    public double FreeEnergy(double[] v, double beta, double[]? a0)
    {
        double f = 0;
        for (int i = 0; i < Nv; i++)
        {
            double d = v[i] - A[i], d0 = v[i] - (a0?[i] ?? 0);
            f += (beta * d * d + (1 - beta) * d0 * d0) / (2 * Sigma(i) * Sigma(i));
        }
        for (int j = 0; j < Nh; j++) f -= NaiveRbm.Softplus(beta * HiddenActivation(v, j));
        return f;
    }

    /// <summary>mean + σᵢ·z, z the Box–Muller deviate of the bits.</summary>
    public double DrawVisible(double mean, int i, ulong bits) => mean + Sigma(i) * NaiveGaussian.StandardNormal(bits);

    /// <summary>nh·log 2 + Σᵢ log(σᵢ√(2π)): the base keeps the variances, and a Gaussian integrates to σ√(2π) whatever its mean.</summary>
    public double BaseLogZ(double[]? a0) => Nh * Math.Log(2) + Enumerable.Range(0, Nv).Sum(i => Math.Log(Sigma(i) * Math.Sqrt(2 * Math.PI)));

    /// <summary>F(v) by definition: −log Σ_h e^{−E(v,h)} over all 2^nh hidden states.</summary>
    public double FreeEnergyByEnumeration(double[] v) => -NaiveRbm.LogSumExp(NaiveRbm.AllStates(Nh).Select(h => -Energy(v, h)));

    /// <summary>
    /// log Z with each visible unit integrated in closed form: ∫ exp(−(v − a)²/(2σ²) + v c/σ) dv
    /// = σ√(2π)·exp(c²/2 + a c/σ) with c = (Wh)ᵢ.
    /// </summary>
    public double LogZ() => NaiveRbm.LogSumExp(NaiveRbm.AllStates(Nh).Select(h =>
    {
        double t = 0;
        for (int j = 0; j < Nh; j++) t += B[j] * h[j];
        for (int i = 0; i < Nv; i++)
        {
            double c = Wh(h, i);
            t += 0.5 * c * c + A[i] * c / Sigma(i) + Math.Log(Sigma(i) * Math.Sqrt(2 * Math.PI));
        }
        return t;
    }));

    /// <summary>The exact log-density log p(v) = −F(v) − log Z.</summary>
    public double LogDensity(double[] v, double logZ) => -FreeEnergy(v, 1, null) - logZ;

    /// <summary>Draws v | h with the library's documented rule: vᵢ = meanᵢ + σᵢ·z, z the Box–Muller deviate of the stream's next 64-bit value.</summary>
    public double[] SampleVisibles(double[] h, ref RandomStream random)
    {
        double[] mean = MeanVisibles(h, 1, null);
        var v = new double[Nv];
        for (int i = 0; i < Nv; i++) v[i] = mean[i] + Sigma(i) * NaiveGaussian.StandardNormal(random.NextUInt64());
        return v;
    }

    /// <summary>
    /// The CD-k (chains == null) or PCD gradient of one step, drawing in the trainer's documented order (see
    /// <see cref="NaiveRbm.Gradient"/>), with the log-variance gradient from its definition:
    /// ∂(−E)/∂zᵢ = (vᵢ − aᵢ)²/(2σᵢ²) − (vᵢ/(2σᵢ))(Wh)ᵢ, averaged over each phase with h = P(h | v).
    /// </summary>
    public (double[,] dW, double[] da, double[] db, double[] dz, double[][] negV, double[][] negH, double[][] newChains) Gradient(
        double[][] batch, int k, double[][]? chains, ref RandomStream random, ref double minMargin)
    {
        double[][] pos = batch.Select(v => MeanHiddens(v, 1)).ToArray();
        double[][] hs;
        if (chains is null)
        {
            hs = new double[pos.Length][];
            for (int r = 0; r < pos.Length; r++) hs[r] = SampleBinary(pos[r], ref random, ref minMargin);
        }
        else
        {
            hs = chains.Select(h => (double[])h.Clone()).ToArray();
        }
        double[][] negV = new double[hs.Length][];
        double[][] negH = new double[hs.Length][];
        for (int step = 1; step <= k; step++)
        {
            for (int r = 0; r < hs.Length; r++) negV[r] = SampleVisibles(hs[r], ref random);
            for (int r = 0; r < hs.Length; r++) negH[r] = MeanHiddens(negV[r], 1);
            if (step < k)
                for (int r = 0; r < hs.Length; r++) hs[r] = SampleBinary(negH[r], ref random, ref minMargin);
        }
        var dW = new double[Nv, Nh];
        var da = new double[Nv];
        var db = new double[Nh];
        var dz = new double[Nv];
        double Mean(double[][] vs, double[][] hsAll, Func<double[], double[], double> f) => vs.Select((v, r) => f(v, hsAll[r])).Average();
        for (int i = 0; i < Nv; i++)
        {
            int ii = i;
            for (int j = 0; j < Nh; j++)
            {
                int jj = j;
                dW[i, j] = Mean(batch, pos, (v, h) => v[ii] / Sigma(ii) * h[jj]) - Mean(negV, negH, (v, h) => v[ii] / Sigma(ii) * h[jj]);
            }
            double s2 = Sigma(i) * Sigma(i);
            da[i] = Mean(batch, pos, (v, _) => (v[ii] - A[ii]) / s2) - Mean(negV, negH, (v, _) => (v[ii] - A[ii]) / s2);
            double Dz(double[] v, double[] h) => (v[ii] - A[ii]) * (v[ii] - A[ii]) / (2 * s2) - v[ii] / (2 * Sigma(ii)) * Wh(h, ii);
            dz[i] = Mean(batch, pos, Dz) - Mean(negV, negH, Dz);
        }
        for (int j = 0; j < Nh; j++)
        {
            int jj = j;
            db[j] = pos.Average(h => h[jj]) - negH.Average(h => h[jj]);
        }
        double[][] newChains = new double[chains is null ? 0 : negH.Length][];
        for (int r = 0; r < newChains.Length; r++) newChains[r] = SampleBinary(negH[r], ref random, ref minMargin);
        return (dW, da, db, dz, negV, negH, newChains);
    }

    private static double[] SampleBinary(double[] p, ref RandomStream random, ref double minMargin)
    {
        var s = new double[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            double u = random.NextSingle();
            minMargin = Math.Min(minMargin, Math.Abs(u - p[i]));
            s[i] = u < p[i] ? 1 : 0;
        }
        return s;
    }
}
