using System.Text.Json;
using System.Text.Json.Serialization;

namespace RbmSimd.Cli.Json;

/// <summary>
/// The <c>--json</c> output of <c>rbm logz</c>, <c>score</c>, <c>info</c>, <c>sample</c> and <c>transform</c>: one object per command, written by
/// System.Text.Json's source generator (no reflection, trim-safe). Keys are snake_case and mean the same in every command:
/// <c>model</c> (the model file as given), <c>visible</c>, <c>hidden</c>, <c>log_z</c>, <c>rows</c>, <c>seconds</c>.
/// Figures that could not be computed (or are not finite) are null.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LogZResult))]
[JsonSerializable(typeof(ScoreResult))]
[JsonSerializable(typeof(InfoResult))]
[JsonSerializable(typeof(SampleResult))]
[JsonSerializable(typeof(TransformResult))]
[JsonSerializable(typeof(DbnInfoResult))]
[JsonSerializable(typeof(GenerateResult))]
[JsonSerializable(typeof(ConditionalScoreResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>Writes a result as one line of JSON on stdout.</summary>
internal static class CliJson
{
    public static void Print<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        Console.WriteLine(JsonSerializer.Serialize(value, type));

    /// <summary>null for NaN and ±∞ (JSON has no literal for them).</summary>
    public static double? Finite(double x) => double.IsFinite(x) ? x : null;

    public static double? Finite(double? x) => x is { } v && double.IsFinite(v) ? v : null;
}

/// <summary><c>rbm logz --json</c>: <c>logz</c> with its interval <c>lower</c>/<c>upper</c> (log(Ẑ ∓ 3σ̂); equal to logz when exact),
/// the <c>method</c> (<c>exact</c> or <c>ais</c>), AIS's <c>runs</c> and <c>betas</c> (0 when exact) and the enumerated <c>states</c> (0 for AIS).</summary>
internal sealed record LogZResult(string Model, string Kind, int Visible, int Hidden, double? Logz, double? Lower, double? Upper, string Method,
    int Runs, int Betas, long States, double Seconds);

/// <summary>
/// <c>rbm score --json</c>. Log-likelihoods are per row in nats, in the space of the data given (a model trained behind a
/// transform adds its <c>log_jacobian</c>); <c>log_likelihood</c> is exact (null when infeasible), <c>log_likelihood_ais</c>
/// uses the AIS log Z (optimistic; <c>ais_lower</c>/<c>ais_upper</c> from its interval) and <c>log_likelihood_raise</c> is the
/// reverse-AIS estimate (conservative) over the first <c>raise_rows</c> rows, with its standard error.
/// </summary>
/// <remarks><c>raise_rows_log_likelihood</c> (exact, when feasible) and <c>raise_rows_log_likelihood_ais</c> score the rows reverse AIS scored, so the three compare row for row.</remarks>
internal sealed record ScoreResult(string Model, string Kind, string Data, int Visible, int Hidden, int Rows, float? Binarize,
    double? LogLikelihood, double? Logz, double? LogJacobian, double? LogLikelihoodAis, double? AisLower, double? AisUpper, double? LogzAis,
    double? LogLikelihoodRaise, double? RaiseStandardError, int RaiseRows, double? RaiseRowsLogLikelihood, double? RaiseRowsLogLikelihoodAis,
    double? FreeEnergy, double? ReconstructionError, IReadOnlyList<string> Notes);

/// <summary>Statistics of one parameter array in <c>rbm info --json</c>.</summary>
internal sealed record ParameterStatisticsJson(int Count, double? Min, double? Max, double? Mean, double? Std, int NonFinite);

/// <summary>
/// The parameter arrays of <c>rbm info --json</c>, by their names in the model file (<c>W</c> for dense models, <c>filters</c> for
/// convolutional ones, <c>log_variance</c> only for dense Gaussian visible units).
/// </summary>
internal sealed record ParameterSetStatistics(
    [property: JsonPropertyName("W"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ParameterStatisticsJson? W,
    ParameterStatisticsJson VisibleBias,
    ParameterStatisticsJson HiddenBias,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ParameterStatisticsJson? LogVariance)
{
    /// <summary>A conditional model's A (visible × context); absent for other kinds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ParameterStatisticsJson? ContextVisible { get; init; }

    /// <summary>A conditional model's Bᵀ (context × hidden); absent for other kinds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ParameterStatisticsJson? ContextHidden { get; init; }

    /// <summary>A convolutional model's filters (K × C × F × F).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ParameterStatisticsJson? Filters { get; init; }
}

/// <summary>
/// <c>rbm info --json</c>: also the <c>kind</c> and the stored data <c>transform</c> (null when there is none); for a convolutional
/// model its <c>input_shape</c> (C, H, W), <c>filter_shape</c> (K, C, F, F), <c>pool_size</c> and <c>pooled</c> units.
/// </summary>
internal sealed record InfoResult(string Model, string Kind, long Bytes, double? FormatVersion, int Visible, int Hidden, long Parameters,
    ParameterSetStatistics Statistics, string? Transform, bool Valid)
{
    /// <summary>A conditional model's context values (<c>visible</c> is then its generated units); absent for other kinds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Context { get; init; }

    /// <summary>A conditional model's history length (0: a context other than previous frames); absent for other kinds.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? History { get; init; }

    /// <summary>A conditional model's visible unit type, <c>bernoulli</c> or <c>gaussian</c>; absent for other kinds (their kind says it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VisibleUnits { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? InputShape { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? FilterShape { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PoolSize { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Pooled { get; init; }
}

/// <summary><c>rbm sample --json</c>.</summary>
internal sealed record SampleResult(string Model, string Output, string? Npz, int Count, int Steps, string Start, ulong Seed,
    double? MeanProbability, double? MeanSample, double Seconds);

/// <summary>
/// <c>rbm transform --json</c>: <c>kind</c> is the model's kind (<c>dbn</c> for a network), <c>visible</c> the first layer's visible
/// units, <c>hidden</c> the features per row (the top layer's hidden units), <c>transform</c> the stored data transform applied first, or null.
/// </summary>
internal sealed record TransformResult(string Model, string Kind, string Data, string Output, int Rows, int Visible, int Hidden,
    int Layers, string? Transform, double Seconds, IReadOnlyList<string> Notes);

/// <summary>One layer of <c>rbm info --json</c> on a DBN file.</summary>
internal sealed record DbnLayerInfo(int Layer, string Kind, int Visible, int Hidden, long Parameters, ParameterSetStatistics Statistics);

/// <summary>
/// <c>rbm info --json</c> on a DBN file: <c>kind</c> <c>dbn</c>, <c>visible</c> the data layer's units, <c>hidden</c> the top layer's,
/// <c>parameters</c> the total, each layer as <c>layers[i]</c>, and the stored data <c>transform</c> (null when there is none).
/// </summary>
internal sealed record DbnInfoResult(string Model, string Kind, long Bytes, double? FormatVersion, int Visible, int Hidden, long Parameters,
    IReadOnlyList<DbnLayerInfo> Layers, string? Transform, bool Valid);

/// <summary>
/// <c>rbm generate --json</c>: <c>sequences</c> continued by <c>frames</c> frames each from <c>history</c> frames, with <c>steps</c>
/// Gibbs steps a frame in <c>mode</c> (<c>sampled</c> or <c>mean-field</c>); <c>error</c> is the mean squared error per frame of the
/// generated frames against the true continuation over <c>compared</c> frames (null when the source has none).
/// </summary>
internal sealed record GenerateResult(string Model, string Kind, string HistoryFrom, int Sequences, int Frames, int History, int Steps, string Mode, ulong Seed,
    string Output, string? Npy, double? Error, int Compared, double Seconds);

/// <summary>
/// <c>rbm score --json</c> of a conditional model: <c>prediction_error</c>, the mean squared error per frame of its one-step
/// predictions (<c>steps</c> mean-field Gibbs steps from the last frame), beside <c>copy_last_error</c> (each frame predicted by the
/// previous one; null without a history); <c>log_likelihood</c> is the exact mean conditional log-likelihood log p(v | u) over
/// <c>log_likelihood_rows</c> rows (null when infeasible); <c>contexts</c> is the number of distinct contexts enumerated; with --baselines,
/// <c>ridge_ar_error</c> and <c>ridge_ar_lambda</c>.
/// </summary>
internal sealed record ConditionalScoreResult(string Model, string Kind, string Data, int Visible, int Context, int Hidden, int History, int Rows,
    double? PredictionError, double? CopyLastError, int Steps, double? LogLikelihood, int LogLikelihoodRows, int Contexts, double? FreeEnergy,
    double? ReconstructionError, IReadOnlyList<string> Notes)
{
    /// <summary>With --baselines: the ridge AR(n) model's prediction error (fitted on the training sequences of --data), else null.</summary>
    public double? RidgeArError { get; init; }

    /// <summary>With --baselines: the λ the ridge AR(n) model chose on its validation rows, else null.</summary>
    public double? RidgeArLambda { get; init; }
}
