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

/// <summary><c>rbm logz --json</c>.</summary>
internal sealed record LogZResult(string Model, int Visible, int Hidden, double? LogZ, string Method, long States, double Seconds);

/// <summary><c>rbm score --json</c>.</summary>
internal sealed record ScoreResult(string Model, string Data, int Visible, int Hidden, int Rows, float? Binarize,
    double? LogLikelihood, double? LogZ, double? FreeEnergy, double? ReconstructionError, IReadOnlyList<string> Notes);

/// <summary>Statistics of one parameter array in <c>rbm info --json</c>.</summary>
internal sealed record ParameterStatisticsJson(int Count, double? Min, double? Max, double? Mean, double? Std, int NonFinite);

/// <summary>The three parameter arrays of <c>rbm info --json</c>, by their names in the model file.</summary>
internal sealed record ParameterSetStatistics(
    [property: JsonPropertyName("W")] ParameterStatisticsJson W,
    ParameterStatisticsJson VisibleBias,
    ParameterStatisticsJson HiddenBias);

/// <summary><c>rbm info --json</c>.</summary>
internal sealed record InfoResult(string Model, long Bytes, double? FormatVersion, int Visible, int Hidden, long Parameters,
    ParameterSetStatistics Statistics, bool Valid);

/// <summary><c>rbm sample --json</c>.</summary>
internal sealed record SampleResult(string Model, string Output, string? Npz, int Count, int Steps, string Start, ulong Seed,
    double? MeanProbability, double? MeanSample, double Seconds);

/// <summary>
/// <c>rbm transform --json</c>: <c>visible</c> is the first layer's visible units, <c>hidden</c> the features per row (the top
/// layer's hidden units), <c>data_transform</c> the kind of the stored data transform applied first, or null.
/// </summary>
internal sealed record TransformResult(string Model, string ModelKind, string Data, string Output, int Rows, int Visible, int Hidden,
    int Layers, string? DataTransform, double Seconds, IReadOnlyList<string> Notes);

/// <summary>One layer of <c>rbm info --json</c> on a DBN file.</summary>
internal sealed record DbnLayerInfo(int Layer, string ModelKind, int Visible, int Hidden, long Parameters, ParameterSetStatistics Statistics);

/// <summary>
/// <c>rbm info --json</c> on a DBN file: <c>visible</c> is the data layer's units, <c>hidden</c> the top layer's, <c>parameters</c>
/// the total; each layer as <c>layers[i]</c>.
/// </summary>
internal sealed record DbnInfoResult(string Model, string ModelKind, long Bytes, double? FormatVersion, int Visible, int Hidden, long Parameters,
    IReadOnlyList<DbnLayerInfo> Layers, string? DataTransform, bool Valid);
