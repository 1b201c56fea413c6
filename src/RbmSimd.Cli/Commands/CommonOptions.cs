using System.CommandLine;

namespace RbmSimd.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print the figures as one JSON object (snake_case keys, the same names in every command)." };

    public static Option<string> Data(string defaultValue) => new("--data")
    {
        Description = DataSource.Help,
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<float?> Binarize() => CliOption.OptionalFloat("--binarize",
        "Binarise the data at this threshold (value > threshold → 1, else 0) instead of using values in [0, 1].",
        t => t >= 0 && t < 1, "a number in [0, 1)");

    public static Argument<string> Model() => new("model") { Description = "Model file (.npz with W, visible_bias, hidden_bias)." };

    /// <summary>The CSV and scaling options: <c>--header</c>, <c>--label-column</c>, <c>--separator</c>, <c>--scale</c>.</summary>
    public sealed class Csv
    {
        public Option<string?> Header { get; } = CliOption.Choice("--header",
            "CSV: whether line 1 is a header. Not given: detected (a line of text without numbers is a header), and rbm says so.", ["yes", "no"]);

        public Option<string?> LabelColumn { get; } = CliOption.Choice("--label-column",
            "CSV: 'last' when the last column is a class label (not a feature), 'none' when every column is a feature. Not given: " +
            "detected from a header cell named label, class, target, y, digit or category, or from whole numbers above 1 beside features in [0, 1], and rbm says so.",
            ["last", "none"]);

        public Option<string?> Separator { get; } = CliOption.Choice("--separator",
            "CSV: the cell separator. Not given: the most frequent of comma, semicolon, tab and pipe in line 1 (rbm says when it is not a comma).",
            ["comma", "semicolon", "tab", "pipe", ",", ";", "|"], range: "comma, semicolon, tab or pipe");

        public Option<string?> Scale { get; } = CliOption.Choice("--scale",
            "CSV, .npy, .npz: how values are brought into [0, 1]: none (they must be there already), max (divide by the largest value) " +
            "or a positive number to divide by (255 for 8-bit pixels). Default: none.",
            ["none", "max"], other: text => double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) && d > 0 && double.IsFinite(d),
            range: "none, max or a positive number");

        public IEnumerable<Option> All => [Header, LabelColumn, Separator, Scale];

        public CsvChoices Read(ParseResult parse) =>
            new(parse.GetValue(Header), parse.GetValue(LabelColumn), parse.GetValue(Scale), parse.GetValue(Separator));

        public void AddTo(Command command)
        {
            foreach (Option option in All) command.Options.Add(option);
        }
    }
}
