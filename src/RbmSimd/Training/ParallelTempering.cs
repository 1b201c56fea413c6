using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Training;

/// <summary>
/// Parallel tempering as a negative phase (Desjardins et al. 2010; Fischer and Igel 2010): R replicas of C
/// persistent chains at inverse temperatures <c>1 = β₁ &gt; … &gt; β_R = β₀</c> (equally spaced), each
/// advanced by k Gibbs sweeps at its own β per step, then neighbouring replicas offered to swap states by the
/// Metropolis rule. Hot replicas cross between modes that the β = 1 chains alone would rarely leave; the
/// β = 1 replica supplies the negative statistics.
/// </summary>
/// <remarks>
/// <para>Replica r keeps the visible states of its C chains. A swap of chain c between replicas r and r + 1
/// is accepted with probability <c>min(1, f_r(v_{r+1}) f_{r+1}(v_r) / (f_r(v_r) f_{r+1}(v_{r+1})))</c>, where
/// <c>f_r = exp(−F_{β_r})</c> is the tempered free energy with the hidden units summed out; this leaves the
/// product of the tempered distributions invariant (detailed balance). Each step offers either the pairs
/// (1, 2), (3, 4), … or (2, 3), (4, 5), …, chosen by a fair draw, so every pair is offered every other step on
/// average.</para>
/// <para>Every draw comes from the step's stream in a fixed order (replica 1's sweeps, …, replica R's, then one
/// uniform per offered swap), so the result is the same bits for any thread count. Chains start as fair coin
/// flips (Bernoulli visibles) or at zero (Gaussian visibles, for which the first sweeps move them).</para>
/// </remarks>
public sealed class ParallelTempering : INegativePhase
{
    private readonly float[] _betas;
    private readonly int _chains;
    private readonly Matrix _visible, _hidden, _inputs;
    private readonly double[] _here, _there, _hereSwapped, _thereSwapped;
    private readonly long[] _accepted, _offered;

    /// <summary>Creates parallel tempering for <paramref name="model"/>.</summary>
    /// <param name="model">The model whose shape the chains take.</param>
    /// <param name="replicas">R, at least 2.</param>
    /// <param name="minBeta">β of the hottest replica, in (0, 1).</param>
    /// <param name="chains">C, the chains per replica.</param>
    /// <param name="steps">Gibbs sweeps per replica per step.</param>
    /// <param name="random">Draws the starting states.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or β is out of range.</exception>
    /// <exception cref="ArgumentException">The model has a context (a conditional model).</exception>
    public ParallelTempering(IRbm model, int replicas, float minBeta, int chains, int steps, RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.ContextCount > 0)
            throw new ArgumentException($"Parallel tempering keeps chains of one distribution; a {model.Kind} model has one per context. Use CD-k or PCD.", nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 2);
        if (!(minBeta > 0f && minBeta < 1f)) throw new ArgumentOutOfRangeException(nameof(minBeta), minBeta, "The hottest replica's β must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfLessThan(chains, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        Steps = steps;
        _chains = chains;
        _betas = new float[replicas];
        for (int r = 0; r < replicas; r++) _betas[r] = r == 0 ? 1f : 1f - (1f - minBeta) * r / (replicas - 1);
        int rows = replicas * chains;
        _visible = new Matrix(rows, model.VisibleCount);
        _hidden = new Matrix(rows, model.HiddenCount);
        _inputs = new Matrix(rows, model.HiddenCount);
        _here = new double[chains];
        _there = new double[chains];
        _hereSwapped = new double[chains];
        _thereSwapped = new double[chains];
        _accepted = new long[replicas - 1];
        _offered = new long[replicas - 1];
        if (model.VisibleUnits == VisibleUnitKind.Bernoulli)
        {
            random.NextSingles(_visible.AsSpan());
            Span<float> v = _visible.AsSpan();
            for (int i = 0; i < v.Length; i++) v[i] = v[i] < 0.5f ? 1f : 0f;
        }
    }

    /// <summary>Gibbs sweeps per replica per step.</summary>
    public int Steps { get; }

    /// <summary>The replicas' inverse temperatures, β = 1 first.</summary>
    public IReadOnlyList<float> Betas => _betas;

    /// <inheritdoc/>
    public int ChainCount(int batchRows) => _chains;

    /// <inheritdoc/>
    public void Run(IRbm model, PhaseBatch phases, MatrixView chainHidden, ref RandomStream random, int maxDegreeOfParallelism)
    {
        int replicas = _betas.Length, c = _chains;
        for (int r = 0; r < replicas; r++)
        {
            MatrixView v = Replica(_visible, r), h = Replica(_hidden, r);
            var t = new Temperature(_betas[r]);
            for (int s = 0; s < Steps; s++)
            {
                model.SampleHiddens(v, h, ref random, t, maxDegreeOfParallelism);
                model.SampleVisibles(h, v, ref random, t, maxDegreeOfParallelism);
            }
        }
        // One product gives every replica's hidden inputs at β = 1: the swap rule's free energies and the
        // negative phase's P(h | v) both scale it.
        model.HiddenInputs(_visible, _inputs, Temperature.One, maxDegreeOfParallelism);
        // Even or odd pairs, chosen by the step's stream (so a resumed run makes the same choice).
        for (int r = (int)(random.NextUInt64() & 1); r + 1 < replicas; r += 2) OfferSwaps(model, r, ref random);

        ContrastiveDivergence.CopyRows(Replica(_visible, 0), phases.ModelVisible);
        MatrixView hk = phases.ModelHidden;
        ContrastiveDivergence.CopyRows(Replica(_inputs, 0), hk);
        model.HiddenMeansFromInputs(hk);
    }

    /// <summary>Offers chain c of replicas r and r + 1 to swap, for every c, by the Metropolis rule.</summary>
    private void OfferSwaps(IRbm model, int r, ref RandomStream random)
    {
        int c = _chains;
        MatrixView vr = Replica(_visible, r), vs = Replica(_visible, r + 1);
        MatrixView ur = Replica(_inputs, r), us = Replica(_inputs, r + 1);
        FreeEnergies(model, vr, ur, _betas[r], _here);
        FreeEnergies(model, vs, us, _betas[r + 1], _there);
        FreeEnergies(model, vs, us, _betas[r], _hereSwapped);
        FreeEnergies(model, vr, ur, _betas[r + 1], _thereSwapped);
        for (int i = 0; i < c; i++)
        {
            double u = random.NextDouble();
            _offered[r]++;
            if (u < AcceptanceProbability(_here[i], _there[i], _hereSwapped[i], _thereSwapped[i]))
            {
                _accepted[r]++;
                Swap(vr.Row(i), vs.Row(i));
                Swap(ur.Row(i), us.Row(i));
            }
        }
    }

    /// <summary>
    /// The Metropolis probability of swapping state x of replica r with state y of replica s, given the free
    /// energies <c>F_r(x)</c>, <c>F_s(y)</c> (now) and <c>F_r(y)</c>, <c>F_s(x)</c> (after the swap):
    /// <c>min(1, exp(F_r(x) + F_s(y) − F_r(y) − F_s(x)))</c>.
    /// </summary>
    internal static double AcceptanceProbability(double hereNow, double thereNow, double hereSwapped, double thereSwapped)
    {
        double logRatio = hereNow + thereNow - hereSwapped - thereSwapped;
        return logRatio >= 0 ? 1 : Math.Exp(logRatio);
    }

    /// <summary>F_β of rows whose β = 1 hidden inputs are <paramref name="inputs"/>, into <paramref name="destination"/>.</summary>
    private void FreeEnergies(IRbm model, MatrixView visible, MatrixView inputs, float beta, double[] destination)
    {
        // Scaled inputs go into the hidden buffer of the rows' own replica slot, which the sweeps no longer need.
        MatrixView scaled = _hidden.AsView().SliceRows(0, inputs.Rows);
        for (int i = 0; i < inputs.Rows; i++)
        {
            ReadOnlySpan<float> from = inputs.Row(i);
            Span<float> to = scaled.Row(i);
            for (int j = 0; j < from.Length; j++) to[j] = beta * from[j];
        }
        model.FreeEnergyFromHiddenInputs(visible, scaled, new Temperature(beta), destination);
    }

    private static void Swap(Span<float> a, Span<float> b)
    {
        for (int i = 0; i < a.Length; i++) (a[i], b[i]) = (b[i], a[i]);
    }

    private MatrixView Replica(Matrix m, int r) => m.AsView().SliceRows(r * _chains, _chains);

    /// <summary>
    /// The fraction of offered swaps accepted between each neighbouring pair (β_r, β_{r+1}) since the last call,
    /// and resets the counts.
    /// </summary>
    public IReadOnlyList<double> TakeSwapAcceptanceRates()
    {
        var rates = new double[_accepted.Length];
        for (int r = 0; r < rates.Length; r++)
        {
            rates[r] = _offered[r] == 0 ? double.NaN : (double)_accepted[r] / _offered[r];
            _accepted[r] = _offered[r] = 0;
        }
        return rates;
    }

    /// <inheritdoc/>
    public Matrix? SaveState() => _visible.Clone();

    /// <inheritdoc/>
    public void RestoreState(Matrix state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Rows != _visible.Rows || state.Cols != _visible.Cols)
            throw new ArgumentException($"The state is {state.Rows}x{state.Cols} but parallel tempering runs {_betas.Length} replicas of {_chains} chains of {_visible.Cols} visible units.", nameof(state));
        state.AsSpan().CopyTo(_visible.AsSpan());
    }
}
