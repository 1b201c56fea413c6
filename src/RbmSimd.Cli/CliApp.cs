using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using RbmSimd.Cli.Commands;

namespace RbmSimd.Cli;

/// <summary>The <c>rbm</c> command line: builds the command tree and runs it.</summary>
/// <remarks>
/// Exit codes: 0 success (and <c>rbm</c> alone, which prints the help), 2 any user error (unknown command or option,
/// bad value, missing or unusable file), 130 a run stopped by Ctrl+C, 143 a run stopped by SIGTERM.
/// Every user error is one line on stderr starting with <c>rbm: error:</c>.
/// </remarks>
public static class CliApp
{
    /// <summary>Runs the CLI with <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        RootCommand root = CreateRoot();
        // `rbm` alone is a request to learn what the tool does: the help, exit code 0.
        if (args.Length == 0) args = ["--help"];
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not (HelpAction or OverviewHelpAction)) return CliErrors.Report(ParseErrors.Describe(parse));
        return CliErrors.Run(() => parse.Invoke());
    }

    /// <summary>The command tree, with a help layout that lists each command by the first line of its description.</summary>
    internal static RootCommand CreateRoot()
    {
        var root = new RootCommand("rbm: train and evaluate Restricted Boltzmann Machines (RbmSimd).\n\n" +
            "Run 'rbm COMMAND --help' for a command's options and examples. Exit codes: 0 success, 2 a user error " +
            "(one line on stderr), 130 a training run stopped by Ctrl+C, 143 by SIGTERM.")
        {
            TrainCommand.Create(),
            LogZCommand.Create(),
            ScoreCommand.Create(),
            StackCommand.Create(),
            SampleCommand.Create(),
            GenerateCommand.Create(),
            TransformCommand.Create(),
            ShowCommand.Create(),
            InfoCommand.Create(),
            BenchCommand.Create(),
        };
        foreach (Option option in root.Options)
            if (option is HelpOption help && help.Action is HelpAction standard) help.Action = new OverviewHelpAction(root, standard);
        return root;
    }

    /// <summary>The terminal's width, or 100 columns when output is not a terminal (help written to a file or pipe).</summary>
    internal static int HelpWidth()
    {
        try
        {
            return !Console.IsOutputRedirected && Console.WindowWidth > 0 ? Console.WindowWidth : 100;
        }
        catch (IOException)
        {
            return 100;
        }
    }
}

/// <summary>
/// <c>rbm --help</c>: the description and each command with the first line of its description (the full description,
/// with examples, is in the command's own help).
/// </summary>
internal sealed class OverviewHelpAction(RootCommand root, HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        if (parseResult.CommandResult.Command != root) return standard.Invoke(parseResult);
        TextWriter output = parseResult.InvocationConfiguration.Output;
        int width = Math.Max(40, CliApp.HelpWidth());
        foreach (string paragraph in (root.Description ?? "").Split('\n')) WriteWrapped(output, paragraph, 0, width);
        output.WriteLine();
        output.WriteLine("Usage: rbm COMMAND [options]");
        output.WriteLine();
        output.WriteLine("Commands:");
        int nameWidth = root.Subcommands.Max(c => c.Name.Length) + 4;
        foreach (Command command in root.Subcommands.Where(c => !c.Hidden))
        {
            output.Write("  " + command.Name.PadRight(nameWidth - 2));
            WriteWrapped(output, command.Description?.Split('\n')[0] ?? "", nameWidth, width, firstIndented: false);
        }
        output.WriteLine();
        output.WriteLine("Options:");
        output.WriteLine("  -h, --help  Show help (also: rbm COMMAND --help)");
        output.WriteLine("  --version   Show the version");
        return 0;
    }

    private static void WriteWrapped(TextWriter output, string text, int indent, int width, bool firstIndented = true)
    {
        int column = firstIndented ? 0 : indent;
        if (firstIndented) output.Write(new string(' ', indent));
        column = indent;
        bool lineEmpty = true;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!lineEmpty && column + 1 + word.Length > width)
            {
                output.WriteLine();
                output.Write(new string(' ', indent));
                column = indent;
                lineEmpty = true;
            }
            if (!lineEmpty)
            {
                output.Write(' ');
                column++;
            }
            output.Write(word);
            column += word.Length;
            lineEmpty = false;
        }
        output.WriteLine();
    }
}
