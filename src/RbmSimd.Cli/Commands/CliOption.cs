using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace RbmSimd.Cli.Commands;

/// <summary>
/// Options whose values are parsed and range-checked by the CLI itself, so that a bad value is one line naming the
/// option and its valid range (<c>--epochs must be a whole number from 1 to 1000000 (it is 'abc')</c>) before any
/// work starts, and the range is shown in <c>--help</c>.
/// </summary>
internal static class CliOption
{
    /// <summary>An integer option with a default; <paramref name="range"/> describes the valid values for messages and help.</summary>
    public static Option<int> Int(string name, string description, int defaultValue, long min, long max, string? range = null,
        Func<int, bool>? valid = null, params string[] aliases)
    {
        range ??= IntRange(min, max);
        var option = new Option<int>(name, aliases) { Description = WithRange(description, range), DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => ParseInteger(result, name, range, min, max, valid is null ? null : v => valid((int)v)) is { } v ? (int)v : defaultValue;
        return option;
    }

    /// <summary>An optional integer option (null when not given).</summary>
    public static Option<int?> OptionalInt(string name, string description, long min, long max, string? range = null, params string[] aliases)
    {
        range ??= IntRange(min, max);
        var option = new Option<int?>(name, aliases) { Description = WithRange(description, range) };
        option.CustomParser = result => ParseInteger(result, name, range, min, max, null) is { } v ? (int)v : null;
        return option;
    }

    /// <summary>A 64-bit integer option with a default.</summary>
    public static Option<long> Long(string name, string description, long defaultValue, long min, long max, string? range = null)
    {
        range ??= IntRange(min, max);
        var option = new Option<long>(name) { Description = WithRange(description, range), DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => ParseInteger(result, name, range, min, max, null) ?? defaultValue;
        return option;
    }

    /// <summary>
    /// A list of whole numbers separated by commas (<c>500,250</c>), each from <paramref name="min"/> to <paramref name="max"/>,
    /// from 1 to <paramref name="maxCount"/> of them; null or empty when not given (the help shows <paramref name="defaultText"/> as the default,
    /// written as the user would type it rather than as the parser's array).
    /// </summary>
    public static Option<int[]?> IntList(string name, string description, string defaultText, int min, int max, int maxCount)
    {
        string range = string.Create(CultureInfo.InvariantCulture, $"1 to {maxCount} whole numbers from {min} to {max}, separated by commas");
        var option = new Option<int[]?>(name) { Description = $"{WithRange(description, range)} [default: {defaultText}]" };
        option.CustomParser = result =>
        {
            if (Token(result) is not { } text) return null;
            string[] parts = text.Split(',');
            var values = new int[parts.Length];
            bool valid = parts.Length <= maxCount;
            for (int i = 0; i < parts.Length && valid; i++)
                valid = int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) && values[i] >= min && values[i] <= max;
            if (valid) return values;
            result.AddError(Message(name, range, text));
            return null;
        };
        return option;
    }

    /// <summary>A seed: any whole number from 0 to 2⁶⁴ − 1.</summary>
    public static Option<ulong> Seed(string description, ulong defaultValue = 1)
    {
        const string range = "a whole number from 0 to 18446744073709551615";
        var option = new Option<ulong>("--seed") { Description = WithRange(description, range), DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            if (Token(result) is not { } text) return defaultValue;
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)) return v;
            result.AddError(Message("--seed", range, text));
            return defaultValue;
        };
        return option;
    }

    /// <summary>A real-valued option with a default; <paramref name="inRange"/> decides validity and <paramref name="range"/> describes it.</summary>
    public static Option<float> Float(string name, string description, float defaultValue, Func<float, bool> inRange, string range)
    {
        var option = new Option<float>(name) { Description = WithRange(description, range), DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => ParseReal(result, name, range, x => inRange((float)x)) is { } v ? (float)v : defaultValue;
        return option;
    }

    /// <summary>An optional real-valued option (null when not given).</summary>
    public static Option<float?> OptionalFloat(string name, string description, Func<float, bool> inRange, string range)
    {
        var option = new Option<float?>(name) { Description = WithRange(description, range) };
        option.CustomParser = result => ParseReal(result, name, range, x => inRange((float)x)) is { } v ? (float)v : null;
        return option;
    }

    /// <summary>A double option with a default.</summary>
    public static Option<double> Double(string name, string description, double defaultValue, Func<double, bool> inRange, string range)
    {
        var option = new Option<double>(name) { Description = WithRange(description, range), DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => ParseReal(result, name, range, inRange) ?? defaultValue;
        return option;
    }

    /// <summary>An optional word option limited to <paramref name="choices"/> (case-insensitive), or anything <paramref name="other"/> accepts; null when not given.</summary>
    public static Option<string?> Choice(string name, string description, string[] choices, Func<string, bool>? other = null, string? range = null)
    {
        range ??= "one of " + string.Join(", ", choices);
        var option = new Option<string?>(name) { Description = WithRange(description, range) };
        option.CustomParser = result =>
        {
            if (Token(result) is not { } text) return null;
            string? match = choices.FirstOrDefault(c => c.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is not null) return match;
            if (other is not null && other(text)) return text;
            result.AddError($"{name} must be {range} (it is '{text}').");
            return null;
        };
        return option;
    }

    /// <summary>"a whole number from 1 to 100000", "a whole number of at least 1": how integer ranges read in messages and help.</summary>
    public static string IntRange(long min, long max) =>
        max is int.MaxValue or long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"a whole number of at least {min}")
            : string.Create(CultureInfo.InvariantCulture, $"a whole number from {min} to {max}");

    private static string WithRange(string description, string range) => $"{description} Valid: {range}.";

    private static string? Token(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;

    private static string Message(string name, string range, string text) => $"{name} must be {range} (it is '{text}').";

    private static long? ParseInteger(ArgumentResult result, string name, string range, long min, long max, Func<long, bool>? valid)
    {
        if (Token(result) is not { } text) return null;
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            && (valid is not null ? valid(v) : v >= min && v <= max))
            return v;
        result.AddError(Message(name, range, text));
        return null;
    }

    private static double? ParseReal(ArgumentResult result, string name, string range, Func<double, bool> inRange)
    {
        if (Token(result) is not { } text) return null;
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && inRange(v))
            return v;
        result.AddError(Message(name, range, text));
        return null;
    }
}
