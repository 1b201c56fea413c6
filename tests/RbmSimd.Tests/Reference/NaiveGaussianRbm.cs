using RbmSimd.Model;

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
}
