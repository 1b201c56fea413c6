using RbmSimd.Model;
using RbmSimd.Sampling;

namespace RbmSimd.Tests.Reference;

/// <summary>
/// A plain, double-precision convolutional RBM with probabilistic max-pooling written from Lee et al.'s formulas with
/// explicit loops over every index: the oracle for <see cref="ConvolutionalRbm"/>. Parameters are copied to double.
/// </summary>
/// <remarks>
/// Hidden unit (k, i, j) has input <c>I = b_k + Σ_{c,r,s} W[k,c,r,s]·v[c, i+r, j+s]</c>; visible unit (c, y, x) has input
/// <c>a_c + Σ_{k,i,j: i+r=y, j+s=x} W[k,c,r,s]·h[k,i,j]</c>, found by looping over every hidden unit and tap (not by a
/// flipped-filter formula), so the reference does not share the library's index algebra. A hidden state with more than
/// one unit on in a pooling block has energy +∞.
/// </remarks>
internal sealed class NaiveConvRbm : INaiveModel
{
    public NaiveConvRbm(ConvolutionalRbm model)
    {
        C = model.Shape.Channels;
        H = model.Shape.Height;
        Wd = model.Shape.Width;
        K = model.Shape.Filters;
        F = model.Shape.FilterSize;
        Pool = model.PoolSize;
        Gaussian = model.VisibleUnits == VisibleUnitKind.Gaussian;
        Filters = model.Filters.ToArray().Select(x => (double)x).ToArray();
        A = model.VisibleBias.ToArray().Select(x => (double)x).ToArray();
        B = model.HiddenBias.ToArray().Select(x => (double)x).ToArray();
    }

    public int C { get; }
    public int H { get; }
    public int Wd { get; }
    public int K { get; }
    public int F { get; }
    public int Pool { get; }
    public bool Gaussian { get; }
    public double[] Filters { get; }
    public double[] A { get; }
    public double[] B { get; }

    public int Oh => H - F + 1;
    public int Ow => Wd - F + 1;
    public int Nv => C * H * Wd;
    public int Nh => K * Oh * Ow;

    public double Weight(int k, int c, int r, int s) => Filters[((k * C + c) * F + r) * F + s];

    public int VisibleIndex(int c, int y, int x) => (c * H + y) * Wd + x;

    public int HiddenIndex(int k, int i, int j) => (k * Oh + i) * Ow + j;

    /// <summary>The visible bias of unit i (its channel's).</summary>
    public double VisibleBiasOf(int i) => A[i / (H * Wd)];

    /// <summary>The dense weight matrix the model unrolls to: W[visible, hidden], nv × nh.</summary>
    public double[,] Toeplitz()
    {
        var w = new double[Nv, Nh];
        for (int k = 0; k < K; k++)
            for (int i = 0; i < Oh; i++)
                for (int j = 0; j < Ow; j++)
                    for (int c = 0; c < C; c++)
                        for (int r = 0; r < F; r++)
                            for (int s = 0; s < F; s++)
                                w[VisibleIndex(c, i + r, j + s), HiddenIndex(k, i, j)] += Weight(k, c, r, s);
        return w;
    }

    /// <summary>I[k, i, j] = b_k + Σ_{c,r,s} W[k,c,r,s]·v[c, i+r, j+s].</summary>
    public double HiddenInput(double[] v, int unit)
    {
        int k = unit / (Oh * Ow), i = unit % (Oh * Ow) / Ow, j = unit % Ow;
        double x = B[k];
        for (int c = 0; c < C; c++)
            for (int r = 0; r < F; r++)
                for (int s = 0; s < F; s++)
                    x += Weight(k, c, r, s) * v[VisibleIndex(c, i + r, j + s)];
        return x;
    }

    /// <summary>a_c + the sum over every hidden unit and tap that lands on visible unit (c, y, x).</summary>
    public double[] VisibleInputs(double[] h)
    {
        var x = new double[Nv];
        for (int n = 0; n < Nv; n++) x[n] = VisibleBiasOf(n);
        for (int k = 0; k < K; k++)
            for (int i = 0; i < Oh; i++)
                for (int j = 0; j < Ow; j++)
                {
                    double hk = h[HiddenIndex(k, i, j)];
                    if (hk == 0) continue;
                    for (int c = 0; c < C; c++)
                        for (int r = 0; r < F; r++)
                            for (int s = 0; s < F; s++)
                                x[VisibleIndex(c, i + r, j + s)] += Weight(k, c, r, s) * hk;
                }
        return x;
    }

    /// <summary>The hidden units of each pooling block, block by block.</summary>
    public IEnumerable<int[]> Blocks()
    {
        for (int k = 0; k < K; k++)
            for (int bi = 0; bi < Oh / Pool; bi++)
                for (int bj = 0; bj < Ow / Pool; bj++)
                {
                    var units = new List<int>();
                    for (int t = 0; t < Pool; t++)
                        for (int u = 0; u < Pool; u++) units.Add(HiddenIndex(k, bi * Pool + t, bj * Pool + u));
                    yield return units.ToArray();
                }
    }

    public bool IsPoolingState(double[] h) => Blocks().All(block => block.Count(u => h[u] != 0) <= 1);

    public double Energy(double[] v, double[] h)
    {
        if (!IsPoolingState(h)) return double.PositiveInfinity;
        double e = 0;
        for (int n = 0; n < Nv; n++) e += Gaussian ? 0.5 * (v[n] - VisibleBiasOf(n)) * (v[n] - VisibleBiasOf(n)) : -VisibleBiasOf(n) * v[n];
        for (int u = 0; u < Nh; u++)
            if (h[u] != 0) e -= h[u] * HiddenInput(v, u);
        return e;
    }

    /// <summary>P(unit on | v) = e^{βI}/(1 + Σ_block e^{βI}), by log-sum-exp in double.</summary>
    public double[] MeanHiddens(double[] v, double beta)
    {
        var p = new double[Nh];
        foreach (int[] block in Blocks())
        {
            double[] x = block.Select(u => beta * HiddenInput(v, u)).ToArray();
            double log = NaiveRbm.LogSumExp(x.Append(0.0));
            for (int t = 0; t < block.Length; t++) p[block[t]] = Math.Exp(x[t] - log);
        }
        return p;
    }

    public double[] MeanVisibles(double[] h, double beta, double[]? a0)
    {
        double[] x = VisibleInputs(h);
        return Enumerable.Range(0, Nv).Select(n =>
        {
            double t = beta * x[n] + (1 - beta) * (a0?[n] ?? 0);
            return Gaussian ? t : NaiveRbm.Sigmoid(t);
        }).ToArray();
    }

    /// <summary>F_β(v) = the tempered visible term − Σ_blocks log(1 + Σ_block e^{βI}).</summary>
    public double FreeEnergy(double[] v, double beta, double[]? a0)
    {
        double f = 0;
        for (int n = 0; n < Nv; n++)
        {
            double b0 = a0?[n] ?? 0;
            f += Gaussian
                ? 0.5 * (beta * (v[n] - VisibleBiasOf(n)) * (v[n] - VisibleBiasOf(n)) + (1 - beta) * (v[n] - b0) * (v[n] - b0))
                : -(beta * VisibleBiasOf(n) + (1 - beta) * b0) * v[n];
        }
        foreach (int[] block in Blocks())
            f -= NaiveRbm.LogSumExp(block.Select(u => beta * HiddenInput(v, u)).Append(0.0));
        return f;
    }

    public double DrawVisible(double mean, int i, ulong bits) => Gaussian
        ? mean + NaiveGaussian.StandardNormal(bits)
        : RandomStream.ToUnitSingle(bits) < mean ? 1 : 0;

    /// <summary>Every pooling block free ((p² + 1) states each, 2 per unit without pooling) and the base visible units.</summary>
    public double BaseLogZ(double[]? a0) => Blocks().Count() * Math.Log(Pool * Pool + 1.0)
        + (Gaussian ? Nv * 0.5 * Math.Log(2 * Math.PI) : Enumerable.Range(0, Nv).Sum(n => NaiveRbm.Softplus(a0?[n] ?? 0)));

    /// <summary>Every hidden state with at most one unit on per block.</summary>
    public IEnumerable<double[]> PoolingStates()
    {
        int[][] blocks = Blocks().ToArray();
        int radix = Pool * Pool + 1;
        long count = 1;
        foreach (int[] _ in blocks) count *= radix;
        for (long s = 0; s < count; s++)
        {
            var h = new double[Nh];
            long rest = s;
            foreach (int[] block in blocks)
            {
                int digit = (int)(rest % radix);
                rest /= radix;
                if (digit > 0) h[block[digit - 1]] = 1;
            }
            yield return h;
        }
    }

    /// <summary>log Z over the valid hidden states with the visible layer summed (Bernoulli) or integrated (Gaussian, σ = 1) in closed form.</summary>
    public double LogZ() => NaiveRbm.LogSumExp(PoolingStates().Select(h =>
    {
        double t = 0;
        for (int u = 0; u < Nh; u++) t += B[u / (Oh * Ow)] * h[u];
        double[] x = VisibleInputs(h);
        for (int n = 0; n < Nv; n++)
        {
            if (Gaussian)
            {
                // ∫ exp(−(v − a)²/2 + v·c) dv = √(2π)·exp(c²/2 + a·c), c = x − a the part from h.
                double c = x[n] - VisibleBiasOf(n);
                t += 0.5 * c * c + VisibleBiasOf(n) * c + 0.5 * Math.Log(2 * Math.PI);
            }
            else
            {
                t += NaiveRbm.Softplus(x[n]);
            }
        }
        return t;
    }));

    /// <summary>log Z by summing e^{−E(v,h)} over every binary v and every hidden state, including the impossible ones (+∞ energy).</summary>
    public double LogZBruteForce() =>
        NaiveRbm.LogSumExp(NaiveRbm.AllStates(Nv).SelectMany(v => NaiveRbm.AllStates(Nh).Select(h => -Energy(v, h))));

    /// <summary>
    /// A draw of the hidden layer from its probabilities by the library's documented rule: each block takes the uniform at
    /// the stream's position (row start) + (block index) and switches on the unit whose interval of the cumulative
    /// probabilities (units in row-major order within the block) holds it; the stream then moves past the row's nh positions.
    /// Records how close a uniform came to an interval edge (float and double probabilities may straddle it).
    /// </summary>
    public double[] SampleHidden(double[] p, ref RandomStream random, ref double minMargin)
    {
        var h = new double[Nh];
        ulong start = random.Position;
        int b = 0;
        foreach (int[] block in Blocks())
        {
            random.Position = start + (ulong)b++;
            double u = random.NextSingle(), before = 0;
            for (int t = 0; t < block.Length; t++)
            {
                double after = before + p[block[t]];
                minMargin = Math.Min(minMargin, Math.Min(Math.Abs(u - before), Math.Abs(u - after)));
                if (before <= u && u < after) h[block[t]] = 1;
                before = after;
            }
        }
        random.Position = start + (ulong)Nh;
        return h;
    }

    /// <summary>A draw of the visible layer: unit i from the uniform (Bernoulli) or the normal deviate (Gaussian) at row start + i.</summary>
    public double[] SampleVisible(double[] mean, ref RandomStream random, ref double minMargin)
    {
        var v = new double[Nv];
        for (int i = 0; i < Nv; i++)
        {
            ulong bits = random.NextUInt64();
            if (!Gaussian) minMargin = Math.Min(minMargin, Math.Abs(RandomStream.ToUnitSingle(bits) - mean[i]));
            v[i] = DrawVisible(mean[i], i, bits);
        }
        return v;
    }

    /// <summary>
    /// The CD-k (chains == null) or PCD gradient of one step, drawing in the trainer's documented order: for CD the chain
    /// start (a hidden sample of every row of P(h | V⁰)), then per Gibbs step the visible sample of every row and, except
    /// after the last step, the hidden sample of every row; PCD finally samples the chains' next states from Hᵏ. Gradients are
    /// the exact derivatives with respect to the shared parameters: sums over the positions that share them.
    /// </summary>
    public (double[] dFilters, double[] da, double[] db, double[][] newChains) Gradient(
        double[][] batch, int k, double[][]? chains, ref RandomStream random, ref double minMargin)
    {
        double[][] pos = batch.Select(v => MeanHiddens(v, 1)).ToArray();
        double[][] hs;
        if (chains is null)
        {
            hs = new double[pos.Length][];
            for (int r = 0; r < pos.Length; r++) hs[r] = SampleHidden(pos[r], ref random, ref minMargin);
        }
        else
        {
            hs = chains.Select(h => (double[])h.Clone()).ToArray();
        }
        var negV = new double[hs.Length][];
        var negH = new double[hs.Length][];
        for (int step = 1; step <= k; step++)
        {
            for (int r = 0; r < hs.Length; r++) negV[r] = SampleVisible(MeanVisibles(hs[r], 1, null), ref random, ref minMargin);
            for (int r = 0; r < hs.Length; r++) negH[r] = MeanHiddens(negV[r], 1);
            if (step < k)
                for (int r = 0; r < hs.Length; r++) hs[r] = SampleHidden(negH[r], ref random, ref minMargin);
        }
        double[] Statistic(double[] v, double[] h, int kk, int c, int r, int s)
        {
            double sum = 0;
            for (int i = 0; i < Oh; i++)
                for (int j = 0; j < Ow; j++) sum += h[HiddenIndex(kk, i, j)] * v[VisibleIndex(c, i + r, j + s)];
            return [sum];
        }
        var dFilters = new double[K * C * F * F];
        for (int kk = 0; kk < K; kk++)
            for (int c = 0; c < C; c++)
                for (int r = 0; r < F; r++)
                    for (int s = 0; s < F; s++)
                    {
                        double p = 0, n = 0;
                        for (int row = 0; row < batch.Length; row++) p += Statistic(batch[row], pos[row], kk, c, r, s)[0];
                        for (int row = 0; row < negV.Length; row++) n += Statistic(negV[row], negH[row], kk, c, r, s)[0];
                        dFilters[((kk * C + c) * F + r) * F + s] = p / batch.Length - n / negV.Length;
                    }
        int plane = H * Wd, positions = Oh * Ow;
        var da = new double[C];
        for (int c = 0; c < C; c++)
            da[c] = batch.Average(v => v.Skip(c * plane).Take(plane).Sum()) - negV.Average(v => v.Skip(c * plane).Take(plane).Sum());
        var db = new double[K];
        for (int kk = 0; kk < K; kk++)
            db[kk] = pos.Average(h => h.Skip(kk * positions).Take(positions).Sum()) - negH.Average(h => h.Skip(kk * positions).Take(positions).Sum());
        var newChains = new double[chains is null ? 0 : negH.Length][];
        for (int r = 0; r < newChains.Length; r++) newChains[r] = SampleHidden(negH[r], ref random, ref minMargin);
        return (dFilters, da, db, newChains);
    }
}
