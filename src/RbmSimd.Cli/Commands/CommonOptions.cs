using System.CommandLine;

namespace RbmSimd.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print the figures as one JSON object." };

    public static Option<string> Data(string defaultValue) => new("--data")
    {
        Description = DataSource.Help,
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<float?> Binarize() => new("--binarize")
    {
        Description = "Binarise the data at this threshold (value > threshold → 1) instead of using values in [0, 1].",
    };

    public static Argument<string> Model() => new("model") { Description = "Model file (.npz with W, visible_bias, hidden_bias)." };
}
