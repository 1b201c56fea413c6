using System.CommandLine;
using System.CommandLine.Parsing;

namespace RbmSimd.Cli;

/// <summary>Describes what went wrong in parsing a command line in one line: the first problem, with "did you mean" for typos.</summary>
internal static class ParseErrors
{
    public static string Describe(ParseResult parse)
    {
        CommandResult commandResult = parse.CommandResult;
        Command command = commandResult.Command;
        string path = CommandPath(commandResult);
        string help = $"see '{path} --help'";

        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                string name = token.Split('=', ':')[0];
                string[] options = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Distinct().ToArray();
                return $"{path} has no option '{token}'{DidYouMean(name, options)} ({help}).";
            }
            if (command.Subcommands.Count > 0)
            {
                string[] names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToArray();
                return $"'{token}' is not an rbm command{DidYouMean(token, names)} (the commands are {string.Join(", ", names)}).";
            }
            return $"{path} does not take the argument '{token}'; options start with -- ({help}).";
        }

        ParseError error = parse.Errors[0];
        switch (error.SymbolResult)
        {
            case OptionResult { Tokens.Count: 0 } option when option.Option.Arity.MinimumNumberOfValues > 0:
                return $"{option.Option.Name} needs a value ({help}).";
            case ArgumentResult { Parent: OptionResult option, Tokens.Count: 0 }:
                return $"{option.Option.Name} needs a value ({help}).";
            case OptionResult { Tokens.Count: > 1 } option when option.Option.Arity.MaximumNumberOfValues == 1:
                return Twice(option);
            case ArgumentResult { Parent: OptionResult { Tokens.Count: > 1 } option } when option.Option.Arity.MaximumNumberOfValues == 1:
                return Twice(option);
        }
        if (command.Arguments.Count > 0 && command.Arguments.All(a => commandResult.GetResult(a) is not { Tokens.Count: > 0 }))
        {
            string arguments = string.Join(' ', command.Arguments.Select(a => a.Name.ToUpperInvariant()));
            return $"{path} needs {arguments}: {path} {arguments} [options] ({help}).";
        }
        // The CLI's own parsers (CliOption) already name the option and its range.
        return error.Message;
    }

    private static string Twice(OptionResult option) =>
        $"{option.Option.Name} is given {option.Tokens.Count} times ({string.Join(", ", option.Tokens.Select(t => $"'{t.Value}'"))}); give it once.";

    /// <summary>"rbm train": the command and its parents.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c) names.Insert(0, c.Command is RootCommand ? "rbm" : c.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>"; did you mean '--hidden'?" for the closest candidates by edit distance (or prefix), or "".</summary>
    internal static string DidYouMean(string typed, IReadOnlyCollection<string> candidates)
    {
        string t = typed.TrimStart('-').ToLowerInvariant();
        var scored = candidates
            .Select(c => (Name: c, Distance: Distance(t, c.TrimStart('-').ToLowerInvariant())))
            .Where(x => x.Distance <= Math.Max(1, x.Name.TrimStart('-').Length / 3) || (t.Length >= 3 && x.Name.TrimStart('-').StartsWith(t, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Select(x => $"'{x.Name}'").Distinct().Take(3).ToArray();
        return scored.Length switch
        {
            0 => "",
            1 => $"; did you mean {scored[0]}?",
            _ => $"; did you mean {string.Join(" or ", scored)}?",
        };
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps each cost 1.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
