using System.CommandLine;
using System.Globalization;
using RbmSimd.Training;

namespace RbmSimd.Cli.Training;

/// <summary>One option that <c>--resume</c> compares with the checkpoint: what the user typed and what the checkpoint has.</summary>
internal sealed record ResumeCheck(string Option, string Given, Func<TrainingOptions, DataSpec, string> Recorded)
{
    /// <summary>A check for <paramref name="option"/> when the user gave it; a check that always passes otherwise.</summary>
    public static ResumeCheck Of<T>(ParseResult parse, Option<T> option, Func<TrainingOptions, DataSpec, object?> recorded)
    {
        if (parse.GetResult(option) is not { Implicit: false }) return new ResumeCheck(option.Name, "", (_, _) => "");
        string given = Format(parse.GetValue(option));
        return new ResumeCheck(option.Name, given, (o, m) => Format(recorded(o, m)));
    }

    /// <summary>"--hidden 10 (the checkpoint has 100)", or null when they agree.</summary>
    public string? Contradiction(TrainingOptions options, DataSpec spec)
    {
        if (Given.Length == 0) return null;
        string recorded = Recorded(options, spec);
        if (string.Equals(recorded, Given, StringComparison.OrdinalIgnoreCase)) return null;
        return Given is "True" or "False"
            ? $"{Option}{(Given == "True" ? "" : " false")} (the checkpoint has {(recorded == "True" ? Option : "no " + Option)})"
            : $"{Option} {Given} (the checkpoint has {recorded})";
    }

    private static string Format(object? value) => value switch
    {
        null => "(none)",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
