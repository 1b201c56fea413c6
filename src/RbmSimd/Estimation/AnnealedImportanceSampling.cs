using System.Diagnostics;
using System.Numerics.Tensors;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Estimation;

/// <summary>
/// Annealed importance sampling of <c>log Z</c> (Neal 2001; Salakhutdinov and Murray 2008) for any model
/// kind: M independent runs anneal from the base model (β = 0) to the model (β = 1), and the importance
/// weights give an unbiased estimate of <c>Z/Z₀</c>, so <c>log Ẑ</c> is biased low and log-likelihoods
/// computed with it are optimistic.
/// </summary>
/// <remarks>
/// <para>Implementation notes. With <c>f_k(v) = exp(−F_{β_k}(v))</c> the tempered, hidden-marginalised densities
/// (see <see cref="Temperature"/>), each run draws <c>v₀ ~ p₀</c> exactly, then for k = 1 … K adds
/// <c>log f_k(v_{k−1}) − log f_{k−1}(v_{k−1})</c> to its log-weight (in double) and, except after the last,
/// moves by one Gibbs sweep at β_k (<c>h ~ P_{β_k}(h | v)</c>, <c>v ~ P_{β_k}(v | h)</c>), which leaves f_k
/// invariant. Runs are the rows of one batch, and the hidden inputs <c>u = b + x·W</c> of a state serve both
/// weights (<c>x_k = β_k·u</c> and <c>β_{k−1}·u</c>) and the sweep's hidden draw, so each temperature costs one
/// product each way.</para>
/// <para>Temperature k draws from the stream <c>Derive(k)</c> of the seed's stream, so the result is the same
/// bits for any thread count.</para>
/// </remarks>
public static class AnnealedImportanceSampling
{
    /// <summary>Estimates log Z of <paramref name="model"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Runs, schedule, base model, seed, threads.</param>
    /// <param name="progress">Called after each temperature with the fraction done (for progress displays).</param>
    /// <param name="cancellationToken">Checked between temperatures.</param>
    /// <exception cref="ArgumentException">The options do not fit the model.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static LogZEstimate Estimate(IRbm model, AisOptions options, Action<double>? progress = null, CancellationToken cancellationToken = default) =>
        Estimate(model, options, default, progress, cancellationToken);

    /// <summary>As <see cref="Estimate(IRbm, AisOptions, Action{double}?, CancellationToken)"/>, also writing each run's log-weight (for tests).</summary>
    internal static LogZEstimate Estimate(IRbm model, AisOptions options, Span<double> runLogWeights, Action<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(model);
        var clock = Stopwatch.StartNew();
        float[] baseBias = options.BaseVisibleBias ?? new float[model.VisibleCount];
        IReadOnlyList<double> betas = options.Schedule.Betas;
        int runs = options.Runs, threads = options.MaxDegreeOfParallelism;
        var state = new AnnealingState(model, runs);
        var logWeights = new double[runs];
        var root = new RandomStream(options.Seed);

        // v₀ ~ p₀: at β = 0 the visible conditional is the base model's, whatever h is.
        var random = root.Derive(0);
        model.SampleVisibles(state.Hidden, state.Visible, ref random, new Temperature(0f, baseBias), threads);
        for (int k = 1; k < betas.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            state.ComputeInputs(threads);
            state.AddLogRatio(logWeights, betas[k], betas[k - 1], baseBias);
            if (k < betas.Count - 1)
            {
                random = root.Derive((ulong)k);
                state.Sweep(betas[k], baseBias, ref random, threads);
            }
            progress?.Invoke((double)k / (betas.Count - 1));
        }
        if (!runLogWeights.IsEmpty) logWeights.CopyTo(runLogWeights);
        return LogZEstimate.FromLogWeights(logWeights, model.BaseLogPartitionFunction(baseBias), "ais", options.Schedule.Transitions, clock.Elapsed.TotalSeconds);
    }
}

/// <summary>The buffers and steps AIS and reverse AIS share: one row per run.</summary>
internal sealed class AnnealingState
{
    private readonly IRbm _model;
    private readonly Matrix _scaled;
    private readonly double[] _current, _previous;

    public AnnealingState(IRbm model, int rows)
    {
        _model = model;
        Visible = new Matrix(rows, model.VisibleCount);
        Hidden = new Matrix(rows, model.HiddenCount);
        Inputs = new Matrix(rows, model.HiddenCount);
        _scaled = new Matrix(rows, model.HiddenCount);
        _current = new double[rows];
        _previous = new double[rows];
    }

    /// <summary>The runs' visible states.</summary>
    public Matrix Visible { get; }

    /// <summary>The runs' hidden states (scratch for draws).</summary>
    public Matrix Hidden { get; }

    /// <summary><c>u = b + x·W</c> of the current visible states (after <see cref="ComputeInputs"/>).</summary>
    public Matrix Inputs { get; }

    /// <summary>Computes the hidden inputs of the current states: the one product from v to h per temperature.</summary>
    public void ComputeInputs(int threads) => _model.HiddenInputs(Visible, Inputs, Temperature.One, threads);

    /// <summary>The tempered free energies F_β of the current states, from <see cref="Inputs"/>.</summary>
    public void FreeEnergies(double beta, float[] baseBias, Span<double> destination)
    {
        TensorPrimitives.Multiply(Inputs.AsSpan(), (float)beta, _scaled.AsSpan());
        _model.FreeEnergyFromHiddenInputs(Visible, _scaled, new Temperature((float)beta, baseBias), destination);
    }

    /// <summary><c>logw += log f_to(v) − log f_from(v) = F_from(v) − F_to(v)</c> for the current states.</summary>
    public void AddLogRatio(Span<double> logWeights, double to, double from, float[] baseBias)
    {
        FreeEnergies(to, baseBias, _current);
        FreeEnergies(from, baseBias, _previous);
        for (int m = 0; m < logWeights.Length; m++) logWeights[m] += _previous[m] - _current[m];
    }

    /// <summary>One Gibbs sweep at β from the current states, using <see cref="Inputs"/> for the hidden draw.</summary>
    public void Sweep(double beta, float[] baseBias, ref RandomStream random, int threads)
    {
        TensorPrimitives.Multiply(Inputs.AsSpan(), (float)beta, Hidden.AsSpan());
        _model.HiddenMeansFromInputs(Hidden);
        _model.SampleHiddensFromMeans(Hidden, ref random, threads);
        _model.SampleVisibles(Hidden, Visible, ref random, new Temperature((float)beta, baseBias), threads);
    }
}
