using System.Diagnostics;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Sampling;

namespace RbmSimd.Estimation;

/// <summary>
/// Reverse annealed importance sampling (RAISE; Burda, Grosse and Salakhutdinov 2015): a conservative
/// estimate of the log-likelihood of data, which with AIS (optimistic) sandwiches the truth.
/// </summary>
/// <remarks>
/// <para>The annealed model <c>p_ann(x_K) = Σ p₀(x₀) Π_{k=1}^{K} T_k(x_k | x_{k−1})</c>, whose marginal approaches
/// the model's as K grows, is estimated at each data row v by importance sampling with the reversed chain:
/// <c>x_K = v</c>, then <c>x_{k−1} ~ T_k(· | x_k)</c> for k = K … 1, where T_k is a Gibbs sweep at β_k (reversible
/// with respect to f_k, so it is its own reversal). The weight is</para>
/// <code>w = p₀(x₀) · Π_{k=1}^{K} f_k(x_k) / f_k(x_{k−1}),   E[w] = p_ann(v)</code>
/// <para>(the corrected form of Upadhya and Sastry 2015, Eq. 10; Burda et al.'s printed weight has a typo). No
/// partition function appears: the unknown Z of f_K cancels. <c>log mean(w)</c> over runs is biased low as an
/// estimate of log p_ann(v), and p_ann is conservative for the model on average over the model's own samples; on data
/// it usually is too, but where the annealing misses a mode of the model, p_ann puts that mode's mass elsewhere and can
/// score data above the model (docs/likelihood.md shows such a model). A wide gap to the AIS estimate is the warning.
/// Rows are the data rows, each repeated for its runs; temperature k draws from the stream <c>Derive(k)</c>, so the
/// result is the same bits for any thread count.</para>
/// </remarks>
public static class ReverseAnnealedImportanceSampling
{
    /// <summary>The mean RAISE log-likelihood of <paramref name="data"/>'s rows (each with <see cref="AisOptions.Runs"/> runs).</summary>
    /// <param name="model">The model.</param>
    /// <param name="data">The rows to score (valid visible values).</param>
    /// <param name="options">Runs per row, schedule, base model, seed, threads.</param>
    /// <param name="perRow">When given, receives each row's estimate (its length must be the row count).</param>
    /// <param name="progress">Called after each temperature with the fraction done.</param>
    /// <param name="cancellationToken">Checked between temperatures.</param>
    /// <exception cref="ArgumentException">The data or options do not fit the model.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static LogLikelihoodEstimate LogLikelihood(IRbm model, IRowSource data, AisOptions options, Span<double> perRow = default,
        Action<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(model);
        if (data.RowCount == 0) throw new ArgumentException("The data has no rows.", nameof(data));
        if (data.ColumnCount != model.VisibleCount)
            throw new ArgumentException($"The data has {data.ColumnCount} columns but the model has {model.VisibleCount} visible units.", nameof(data));
        if (!perRow.IsEmpty && perRow.Length != data.RowCount)
            throw new ArgumentException($"perRow holds {perRow.Length} values but the data has {data.RowCount} rows.", nameof(perRow));
        var clock = Stopwatch.StartNew();
        float[] baseBias = options.BaseVisibleBias ?? new float[model.VisibleCount];
        IReadOnlyList<double> betas = options.Schedule.Betas;
        int runs = options.Runs, rows = data.RowCount, threads = options.MaxDegreeOfParallelism, K = betas.Count - 1;
        var state = new AnnealingState(model, checked(rows * runs));
        for (int r = 0; r < rows; r++)
        {
            data.CopyRow(r, state.Visible.Row(r * runs));
            for (int m = 1; m < runs; m++) state.Visible.Row(r * runs).CopyTo(state.Visible.Row(r * runs + m));
        }
        var logWeights = new double[rows * runs];
        var energies = new double[rows * runs];
        var root = new RandomStream(options.Seed);

        // log f_K(x_K) with x_K = v.
        state.ComputeInputs(threads);
        state.FreeEnergies(1.0, baseBias, energies);
        for (int i = 0; i < logWeights.Length; i++) logWeights[i] = -energies[i];
        for (int k = K; k >= 1; k--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var random = root.Derive((ulong)k);
            state.Sweep(betas[k], baseBias, ref random, threads); // x_{k−1} ~ T_k(· | x_k)
            state.ComputeInputs(threads);
            // − log f_k(x_{k−1}) + log f_{k−1}(x_{k−1}); at k = 1, f₀ = Z₀·p₀, so log p₀ = log f₀ − log Z₀ (subtracted below).
            state.AddLogRatio(logWeights, betas[k - 1], betas[k], baseBias);
            progress?.Invoke((double)(K - k + 1) / K);
        }
        double baseLogZ = model.BaseLogPartitionFunction(baseBias);
        var estimates = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            var acc = LogSumExp.Empty;
            for (int m = 0; m < runs; m++) acc = acc.Add(logWeights[r * runs + m]);
            estimates[r] = acc.Value - Math.Log(runs) - baseLogZ;
        }
        if (!perRow.IsEmpty) estimates.CopyTo(perRow);
        (double mean, double error) = LogLikelihoodEstimate.MeanAndError(estimates);
        return new LogLikelihoodEstimate(mean, error, rows, "raise", runs, K, clock.Elapsed.TotalSeconds);
    }
}
