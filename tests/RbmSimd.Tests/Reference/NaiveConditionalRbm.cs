using RbmSimd.Model;
using RbmSimd.Sampling;

namespace RbmSimd.Tests.Reference;

/// <summary>
/// A plain double-precision conditional RBM written from the definition "given u it is an ordinary RBM with per-row
/// biases": for each row <c>[v | u]</c> the dynamic biases <c>â = a + A·u</c> and <c>b̂ = b + B·u</c> are added up by loops
/// and the naive unconditional reference (<see cref="NaiveRbm"/> or <see cref="NaiveGaussianRbm"/>) with those biases
/// answers. The oracle of <see cref="ConditionalRbm"/>.
/// </summary>
internal sealed class NaiveConditionalRbm : INaiveModel
{
    public NaiveConditionalRbm(ConditionalRbm model)
    {
        Frames = model.FrameCount;
        Nc = model.ContextCount;
        Nh = model.HiddenCount;
        Gaussian = model.VisibleUnits == VisibleUnitKind.Gaussian;
        W = new double[Frames, Nh];
        ReadOnlySpan<float> w = model.Parameters["W"].Span;
        for (int i = 0; i < Frames; i++)
            for (int j = 0; j < Nh; j++) W[i, j] = w[i * Nh + j];
        A = model.Parameters["visible_bias"].Span.ToArray().Select(x => (double)x).ToArray();
        B = model.Parameters["hidden_bias"].Span.ToArray().Select(x => (double)x).ToArray();
        Z = Gaussian ? model.Parameters["log_variance"].Span.ToArray().Select(x => (double)x).ToArray() : new double[Frames];
        ContextVisible = new double[Frames, Nc];
        ContextHidden = new double[Nh, Nc];
        ReadOnlySpan<float> a = model.ContextVisibleWeights, bt = model.ContextHiddenWeights;
        for (int i = 0; i < Frames; i++)
            for (int k = 0; k < Nc; k++) ContextVisible[i, k] = a[i * Nc + k];
        for (int k = 0; k < Nc; k++)
            for (int j = 0; j < Nh; j++) ContextHidden[j, k] = bt[k * Nh + j];
    }

    /// <summary>nv + nc: the width of a row.</summary>
    public int Nv => Frames + Nc;

    /// <summary>nv, the generated units.</summary>
    public int Frames { get; }

    public int Nc { get; }

    public int Nh { get; }

    public bool Gaussian { get; }

    public double[,] W { get; }

    /// <summary>a.</summary>
    public double[] A { get; }

    /// <summary>b.</summary>
    public double[] B { get; }

    /// <summary>log σ² (zeros for Bernoulli units).</summary>
    public double[] Z { get; }

    /// <summary>A, nv × nc (context → visible).</summary>
    public double[,] ContextVisible { get; }

    /// <summary>B, nh × nc (context → hidden), in the orientation (the library stores Bᵀ).</summary>
    public double[,] ContextHidden { get; }

    public double[] Frame(double[] row) => row[..Frames];

    public double[] Context(double[] row) => row[Frames..];

    /// <summary>â = a + A·u, by loops.</summary>
    public double[] VisibleBias(double[] u)
    {
        var a = new double[Frames];
        for (int i = 0; i < Frames; i++)
        {
            a[i] = A[i];
            for (int k = 0; k < Nc; k++) a[i] += ContextVisible[i, k] * u[k];
        }
        return a;
    }

    /// <summary>b̂ = b + B·u, by loops.</summary>
    public double[] HiddenBias(double[] u)
    {
        var b = new double[Nh];
        for (int j = 0; j < Nh; j++)
        {
            b[j] = B[j];
            for (int k = 0; k < Nc; k++) b[j] += ContextHidden[j, k] * u[k];
        }
        return b;
    }

    /// <summary>The ordinary RBM for context u.</summary>
    public INaiveModel Given(double[] u) => Gaussian
        ? new NaiveGaussianRbm(W, VisibleBias(u), HiddenBias(u), Z)
        : new NaiveRbm(Frames, Nh, W, VisibleBias(u), HiddenBias(u));

    public double Energy(double[] row, double[] h) => Given(Context(row)).Energy(Frame(row), h);

    public double[] MeanHiddens(double[] row, double beta) => Given(Context(row)).MeanHiddens(Frame(row), beta);

    /// <summary>Needs the context: see the overload with the destination row.</summary>
    public double[] MeanVisibles(double[] h, double beta, double[]? a0) =>
        throw new InvalidOperationException("A conditional model's visible means depend on the context in the destination row.");

    public double[] MeanVisibles(double[] h, double[] row, double beta, double[]? a0) => Given(Context(row)).MeanVisibles(h, beta, a0);

    public double FreeEnergy(double[] row, double beta, double[]? a0) => Given(Context(row)).FreeEnergy(Frame(row), beta, a0);

    public double DrawVisible(double mean, int i, ulong bits) => Given(new double[Nc]).DrawVisible(mean, i, bits);

    public double BaseLogZ(double[]? a0) => Given(new double[Nc]).BaseLogZ(a0);

    /// <summary>Needs a context: see <see cref="LogZ(double[])"/>.</summary>
    public double LogZ() => throw new InvalidOperationException("A conditional model has a log Z for each context.");

    /// <summary>log Z(u), enumerating the hidden layer.</summary>
    public double LogZ(double[] u) => Given(u).LogZ();

    /// <summary>log p(v | u) = −F(v | u) − log Z(u).</summary>
    public double LogProbability(double[] row) => -FreeEnergy(row, 1, null) - LogZ(Context(row));

    /// <summary>
    /// The CD-k (chains == null) or PCD gradient of one step of a Bernoulli model, drawing in the trainer's documented
    /// order (see <see cref="NaiveRbm.Gradient"/>), every chain r with the context of batch row r mod B: the frame
    /// statistics of W, a, b and the context statistics <c>∇A = ⟨v uᵀ⟩_D − ⟨v uᵀ⟩_M</c>, <c>∇B = ⟨h uᵀ⟩_D − ⟨h uᵀ⟩_M</c>.
    /// </summary>
    public (double[,] dW, double[] da, double[] db, double[,] dA, double[,] dB, double[][] newChains) Gradient(
        double[][] batch, int k, double[][]? chains, ref RandomStream random, ref double minMargin)
    {
        if (Gaussian) throw new InvalidOperationException("The same-stream reference is written for Bernoulli units.");
        var sampler = new NaiveRbm(Frames, Nh, W, A, B);
        double[][] pos = batch.Select(row => MeanHiddens(row, 1)).ToArray();
        int chainCount = chains?.Length ?? batch.Length;
        double[][] contexts = Enumerable.Range(0, chainCount).Select(r => Context(batch[r % batch.Length])).ToArray();
        double[][] hs;
        if (chains is null)
        {
            hs = new double[pos.Length][];
            for (int r = 0; r < pos.Length; r++) hs[r] = sampler.Sample(pos[r], ref random, ref minMargin);
        }
        else
        {
            hs = chains.Select(h => (double[])h.Clone()).ToArray();
        }
        var negV = new double[chainCount][];
        var negH = new double[chainCount][];
        for (int step = 1; step <= k; step++)
        {
            for (int r = 0; r < chainCount; r++) negV[r] = sampler.Sample(Given(contexts[r]).MeanVisibles(hs[r], 1, null), ref random, ref minMargin);
            for (int r = 0; r < chainCount; r++) negH[r] = Given(contexts[r]).MeanHiddens(negV[r], 1);
            if (step < k)
                for (int r = 0; r < chainCount; r++) hs[r] = sampler.Sample(negH[r], ref random, ref minMargin);
        }
        int bRows = batch.Length;
        var dW = new double[Frames, Nh];
        var da = new double[Frames];
        var db = new double[Nh];
        var dA = new double[Frames, Nc];
        var dB = new double[Nh, Nc];
        for (int i = 0; i < Frames; i++)
        {
            for (int j = 0; j < Nh; j++)
            {
                double p = 0, n = 0;
                for (int r = 0; r < bRows; r++) p += batch[r][i] * pos[r][j];
                for (int r = 0; r < chainCount; r++) n += negV[r][i] * negH[r][j];
                dW[i, j] = p / bRows - n / chainCount;
            }
            da[i] = batch.Average(v => v[i]) - negV.Average(v => v[i]);
            for (int c = 0; c < Nc; c++)
            {
                double p = 0, n = 0;
                for (int r = 0; r < bRows; r++) p += batch[r][i] * batch[r][Frames + c];
                for (int r = 0; r < chainCount; r++) n += negV[r][i] * contexts[r][c];
                dA[i, c] = p / bRows - n / chainCount;
            }
        }
        for (int j = 0; j < Nh; j++)
        {
            db[j] = pos.Average(h => h[j]) - negH.Average(h => h[j]);
            for (int c = 0; c < Nc; c++)
            {
                double p = 0, n = 0;
                for (int r = 0; r < bRows; r++) p += pos[r][j] * batch[r][Frames + c];
                for (int r = 0; r < chainCount; r++) n += negH[r][j] * contexts[r][c];
                dB[j, c] = p / bRows - n / chainCount;
            }
        }
        double[][] newChains = new double[chains is null ? 0 : chainCount][];
        for (int r = 0; r < newChains.Length; r++) newChains[r] = sampler.Sample(negH[r], ref random, ref minMargin);
        return (dW, da, db, dA, dB, newChains);
    }
}
