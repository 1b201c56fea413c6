using RbmSimd.Model;
using RbmSimd.Sampling;

namespace RbmSimd.Tests.Reference;

/// <summary>
/// A plain, double-precision RBM written from the formulas for clarity, not speed: the oracle every
/// fast path is compared with. Parameters are copied to double on construction.
/// </summary>
internal sealed class NaiveRbm : INaiveModel
{
    public NaiveRbm(int nv, int nh, double[,] w, double[] a, double[] b)
    {
        Nv = nv;
        Nh = nh;
        W = w;
        A = a;
        B = b;
    }

    public NaiveRbm(BernoulliRbm rbm)
    {
        Nv = rbm.VisibleCount;
        Nh = rbm.HiddenCount;
        W = new double[Nv, Nh];
        for (int i = 0; i < Nv; i++)
            for (int j = 0; j < Nh; j++)
                W[i, j] = rbm.Weights[i * Nh + j];
        A = rbm.VisibleBias.ToArray().Select(x => (double)x).ToArray();
        B = rbm.HiddenBias.ToArray().Select(x => (double)x).ToArray();
    }

    public int Nv { get; }
    public int Nh { get; }
    public double[,] W { get; }
    public double[] A { get; }
    public double[] B { get; }

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>log(1 + eˣ) without overflow.</summary>
    public static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    /// <summary>E(v, h) = −Σ aᵢvᵢ − Σ bⱼhⱼ − Σᵢⱼ vᵢWᵢⱼhⱼ.</summary>
    public double Energy(double[] v, double[] h)
    {
        double e = 0;
        for (int i = 0; i < Nv; i++) e -= A[i] * v[i];
        for (int j = 0; j < Nh; j++) e -= B[j] * h[j];
        for (int i = 0; i < Nv; i++)
            for (int j = 0; j < Nh; j++)
                e -= v[i] * W[i, j] * h[j];
        return e;
    }

    public double HiddenActivation(double[] v, int j)
    {
        double x = B[j];
        for (int i = 0; i < Nv; i++) x += v[i] * W[i, j];
        return x;
    }

    public double VisibleActivation(double[] h, int i)
    {
        double x = A[i];
        for (int j = 0; j < Nh; j++) x += W[i, j] * h[j];
        return x;
    }

    /// <summary>P(hⱼ = 1 | v) = σ(bⱼ + Σᵢ vᵢWᵢⱼ).</summary>
    public double[] MeanHiddens(double[] v) => Enumerable.Range(0, Nh).Select(j => Sigmoid(HiddenActivation(v, j))).ToArray();

    /// <summary>P(vᵢ = 1 | h) = σ(aᵢ + Σⱼ Wᵢⱼhⱼ).</summary>
    public double[] MeanVisibles(double[] h) => Enumerable.Range(0, Nv).Select(i => Sigmoid(VisibleActivation(h, i))).ToArray();

    /// <summary>F(v) = −aᵀv − Σⱼ softplus(bⱼ + W:,ⱼᵀv).</summary>
    public double FreeEnergy(double[] v)
    {
        double f = 0;
        for (int i = 0; i < Nv; i++) f -= A[i] * v[i];
        for (int j = 0; j < Nh; j++) f -= Softplus(HiddenActivation(v, j));
        return f;
    }

    /// <summary>P(hⱼ = 1 | v) at inverse temperature β: σ(β(bⱼ + Σᵢ vᵢWᵢⱼ)).</summary>
    public double[] MeanHiddens(double[] v, double beta) =>
        Enumerable.Range(0, Nh).Select(j => Sigmoid(beta * HiddenActivation(v, j))).ToArray();

    /// <summary>P(vᵢ = 1 | h) at β: σ(βaᵢ + (1 − β)a₀ᵢ + β(Wh)ᵢ).</summary>
    public double[] MeanVisibles(double[] h, double beta, double[]? a0) =>
        Enumerable.Range(0, Nv).Select(i => Sigmoid(beta * VisibleActivation(h, i) + (1 - beta) * (a0?[i] ?? 0))).ToArray();

    /// <summary>F_β(v) = −Σᵢ (βaᵢ + (1 − β)a₀ᵢ)vᵢ − Σⱼ softplus(β(bⱼ + (vW)ⱼ)).</summary>
    public double FreeEnergy(double[] v, double beta, double[]? a0)
    {
        double f = 0;
        for (int i = 0; i < Nv; i++) f -= (beta * A[i] + (1 - beta) * (a0?[i] ?? 0)) * v[i];
        for (int j = 0; j < Nh; j++) f -= Softplus(beta * HiddenActivation(v, j));
        return f;
    }

    /// <summary>On when the uniform of the bits (their top 24 bits) is below the probability.</summary>
    public double DrawVisible(double mean, int i, ulong bits) => RbmSimd.Sampling.RandomStream.ToUnitSingle(bits) < mean ? 1 : 0;

    /// <summary>nh·log 2 + Σᵢ softplus(a₀ᵢ).</summary>
    public double BaseLogZ(double[]? a0) => Nh * Math.Log(2) + Enumerable.Range(0, Nv).Sum(i => Softplus(a0?[i] ?? 0));

    /// <summary>log Z = log Σ_h exp(bᵀh + Σᵢ softplus(aᵢ + (Wh)ᵢ)), over the 2^nh hidden states.</summary>
    public double LogZ() => LogSumExp(AllStates(Nh).Select(h =>
    {
        double t = 0;
        for (int j = 0; j < Nh; j++) t += B[j] * h[j];
        for (int i = 0; i < Nv; i++) t += Softplus(VisibleActivation(h, i));
        return t;
    }));

    /// <summary>F(v) by definition: −log Σₕ e^{−E(v,h)}, over all 2^nh hidden states.</summary>
    public double FreeEnergyByEnumeration(double[] v) => -LogSumExp(AllStates(Nh).Select(h => -Energy(v, h)));

    /// <summary>log Z by summing e^{−E(v,h)} over every joint state (tiny models only).</summary>
    public double LogZBruteForce() =>
        LogSumExp(AllStates(Nv).SelectMany(v => AllStates(Nh).Select(h => -Energy(v, h))));

    /// <summary>log P(v) = log Σₕ e^{−E(v,h)} − log Z, by enumeration.</summary>
    public double LogProbabilityBruteForce(double[] v, double logZ) => -FreeEnergyByEnumeration(v) - logZ;

    public static IEnumerable<double[]> AllStates(int n)
    {
        for (long s = 0; s < 1L << n; s++)
        {
            var x = new double[n];
            for (int i = 0; i < n; i++) x[i] = (s >> i) & 1;
            yield return x;
        }
    }

    public static double LogSumExp(IEnumerable<double> xs)
    {
        double[] v = xs.ToArray();
        double max = v.Max();
        return max + Math.Log(v.Sum(x => Math.Exp(x - max)));
    }

    /// <summary>
    /// Bernoulli draw with the library's documented rule: on when the stream's next uniform is below
    /// p. Records how close any draw came to the threshold, since float and double probabilities can
    /// legitimately fall on opposite sides of a uniform that lies between them.
    /// </summary>
    public double[] Sample(double[] p, ref RandomStream random, ref double minMargin)
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

    /// <summary>
    /// <paramref name="steps"/> Gibbs steps v → h → v on every row, drawing in the order the model
    /// documents: per step the hidden sample row by row (row r at positions r·nh on from the step's
    /// start), then the visible sample row by row. Returns the last visible and hidden samples (the
    /// hidden ones are null when <paramref name="steps"/> is 0).
    /// </summary>
    public (double[][] visible, double[][]? hidden) Gibbs(double[][] visible, int steps, ref RandomStream random, ref double minMargin)
    {
        double[][] v = visible.Select(r => (double[])r.Clone()).ToArray();
        double[][]? h = null;
        for (int s = 0; s < steps; s++)
        {
            h = new double[v.Length][];
            for (int r = 0; r < v.Length; r++) h[r] = Sample(MeanHiddens(v[r]), ref random, ref minMargin);
            for (int r = 0; r < v.Length; r++) v[r] = Sample(MeanVisibles(h[r]), ref random, ref minMargin);
        }
        return (v, h);
    }

    /// <summary>
    /// The one-step mean-field reconstruction error of a batch: the mean over rows and units of
    /// (vᵢ − P(vᵢ = 1 | h = P(h | v)))².
    /// </summary>
    public double ReconstructionError(double[][] batch)
    {
        double sum = 0;
        foreach (double[] v in batch)
        {
            double[] recon = MeanVisibles(MeanHiddens(v));
            for (int i = 0; i < Nv; i++) sum += (v[i] - recon[i]) * (v[i] - recon[i]);
        }
        return sum / (batch.Length * (double)Nv);
    }

    /// <summary>The mean free energy of a batch.</summary>
    public double MeanFreeEnergy(double[][] batch) => batch.Average(FreeEnergy);

    /// <summary>
    /// The CD-k (chains == null) or PCD gradient of one step, drawing random numbers in the order the
    /// trainer documents: for CD the chain-start hidden sample row by row (PCD starts from the chains'
    /// hidden states), then per Gibbs step the visible sample row by row and, except after the last
    /// step, the hidden sample row by row; PCD finally samples the chains' next hidden states from Hᵏ.
    /// </summary>
    public (double[,] dW, double[] da, double[] db, double[][] newChains) Gradient(
        double[][] batch, int k, double[][]? chains, ref RandomStream random, ref double minMargin)
    {
        double[][] pos = batch.Select(v => MeanHiddens(v)).ToArray();
        double[][] hs;
        if (chains is null)
        {
            hs = new double[pos.Length][];
            for (int r = 0; r < pos.Length; r++) hs[r] = Sample(pos[r], ref random, ref minMargin);
        }
        else
        {
            hs = chains.Select(h => (double[])h.Clone()).ToArray();
        }
        double[][] negV = new double[hs.Length][];
        double[][] negH = new double[hs.Length][];
        for (int step = 1; step <= k; step++)
        {
            for (int r = 0; r < hs.Length; r++) negV[r] = Sample(MeanVisibles(hs[r]), ref random, ref minMargin);
            for (int r = 0; r < hs.Length; r++) negH[r] = MeanHiddens(negV[r]);
            if (step < k)
                for (int r = 0; r < hs.Length; r++) hs[r] = Sample(negH[r], ref random, ref minMargin);
        }
        var dW = new double[Nv, Nh];
        var da = new double[Nv];
        var db = new double[Nh];
        int bRows = batch.Length, cRows = negV.Length;
        for (int i = 0; i < Nv; i++)
        {
            for (int j = 0; j < Nh; j++)
            {
                double p = 0, n = 0;
                for (int r = 0; r < bRows; r++) p += batch[r][i] * pos[r][j];
                for (int r = 0; r < cRows; r++) n += negV[r][i] * negH[r][j];
                dW[i, j] = p / bRows - n / cRows;
            }
        }
        for (int i = 0; i < Nv; i++) da[i] = batch.Average(v => v[i]) - negV.Average(v => v[i]);
        for (int j = 0; j < Nh; j++) db[j] = pos.Average(h => h[j]) - negH.Average(h => h[j]);
        double[][] newChains = new double[chains is null ? 0 : negH.Length][];
        for (int r = 0; r < newChains.Length; r++) newChains[r] = Sample(negH[r], ref random, ref minMargin);
        return (dW, da, db, newChains);
    }
}
