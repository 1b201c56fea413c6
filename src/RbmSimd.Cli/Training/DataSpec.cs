using System.Globalization;

namespace RbmSimd.Cli.Training;

/// <summary>How a run's data was chosen, kept in its checkpoint so <c>--resume</c> reloads the same rows.</summary>
internal sealed record DataSpec(string Data, float? Binarize, double HeldOutFraction)
{
    public LoadedData Load(ulong seed) => DataSource.Load(Data, Binarize, HeldOutFraction, seed);

    public Dictionary<string, string> ToMetadata(int hidden) => new()
    {
        ["data"] = Data,
        ["binarize"] = Binarize?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        ["held_out"] = HeldOutFraction.ToString("R", CultureInfo.InvariantCulture),
        ["hidden"] = hidden.ToString(CultureInfo.InvariantCulture),
    };

    public static DataSpec FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        string Get(string key) => metadata.TryGetValue(key, out string? v) ? v
            : throw new InvalidDataException($"{source}: the checkpoint does not say how its data was loaded ('{key}' is missing); it was not written by rbm train.");
        string binarize = Get("binarize");
        return new DataSpec(Get("data"),
            binarize.Length == 0 ? null : float.Parse(binarize, CultureInfo.InvariantCulture),
            double.Parse(Get("held_out"), CultureInfo.InvariantCulture));
    }
}
