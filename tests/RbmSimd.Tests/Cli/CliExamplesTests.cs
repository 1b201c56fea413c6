using System.Text.RegularExpressions;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// Every example in every command's --help, and every rbm command in the README, runs on the data it names (in a fresh
/// folder holding the repository's data/) and succeeds. Examples on Fashion-MNIST run where the Debian package is
/// installed and are skipped otherwise.
/// </summary>
[Collection("Console")]
[Trait("Category", "Examples")]
public class CliExamplesTests
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    /// <summary>The examples of each command's help, in the order the commands are listed (train first: the others use its runs).</summary>
    internal static List<string> HelpExamples()
    {
        var examples = new List<string>();
        var (_, overview, _) = CliRunner.Run("--help");
        foreach (Match command in Regex.Matches(overview, @"(?m)^  ([a-z]+)\s{2,}"))
        {
            var (code, help, _) = CliRunner.Run(command.Groups[1].Value, "--help");
            Assert.Equal(0, code);
            int start = help.IndexOf("Example", StringComparison.Ordinal);
            Assert.True(start >= 0, $"rbm {command.Groups[1].Value} --help has no examples");
            examples.AddRange(help[start..].Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("rbm ", StringComparison.Ordinal)));
        }
        return examples;
    }

    /// <summary>The rbm commands in the README's shell blocks, as written ('dotnet run --project src/RbmSimd.Cli -c Release -- X' is 'rbm X').</summary>
    internal static List<string> ReadMeCommands()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var commands = new List<string>();
        foreach (Match block in Regex.Matches(readme, "```bash\n(.*?)```", RegexOptions.Singleline))
            foreach (string line in block.Groups[1].Value.Split('\n'))
            {
                string command = line.Split('#')[0].Trim();
                const string FromSource = "dotnet run --project src/RbmSimd.Cli -c Release -- ";
                if (command.StartsWith(FromSource, StringComparison.Ordinal)) command = "rbm " + command[FromSource.Length..];
                if (command.StartsWith("rbm ", StringComparison.Ordinal)) commands.Add(command);
            }
        return commands;
    }

    [Fact]
    public void HelpExamples_Run()
    {
        List<string> examples = HelpExamples();
        Assert.Contains(examples, e => e.StartsWith("rbm train", StringComparison.Ordinal));
        RunAll(examples);
    }

    [Fact]
    public void ReadMeCommands_Run()
    {
        List<string> commands = ReadMeCommands();
        Assert.True(commands.Count >= 5, "the README shows the rbm commands");
        Assert.Equal("rbm train", commands[0]);
        RunAll(commands);
    }

    private static void RunAll(IEnumerable<string> commands)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "data"));
        foreach (string file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "data")))
            File.Copy(file, Path.Combine(folder.Path, "data", Path.GetFileName(file)));
        string old = Environment.CurrentDirectory;
        Environment.CurrentDirectory = folder.Path;
        try
        {
            foreach (string command in commands)
            {
                if ((command.Contains("fashion-mnist", StringComparison.Ordinal) || command.StartsWith("rbm bench", StringComparison.Ordinal)) && !File.Exists(FashionMnist))
                    continue;
                string[] args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
                var (code, stdout, stderr) = CliRunner.Run(args);
                Assert.True(code == 0, $"'{command}' exited with {code}: {stderr}");
                Assert.True(stdout.Length > 0, $"'{command}' printed nothing");
                for (int i = 0; i < args.Length - 1; i++)
                    if (args[i] is "--output" or "-o" or "--npz")
                        Assert.True(File.Exists(args[i + 1]) || Directory.Exists(args[i + 1]), $"'{command}' did not write {args[i + 1]}");
                if (args[0] == "train") AssertLearned(command, args);
            }
        }
        finally
        {
            Environment.CurrentDirectory = old;
        }
    }

    /// <summary>
    /// An example that trains must learn: its last epoch beats its first by the held-out log-likelihood (else the training
    /// log-likelihood, else the reconstruction error). A resumed run is judged over the whole metrics file.
    /// </summary>
    private static void AssertLearned(string command, string[] args)
    {
        int at = Array.FindIndex(args, a => a is "--output" or "-o" or "--resume");
        string run = at >= 0 ? args[at + 1] : Path.Combine("runs", "latest");
        string[] lines = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        string[] header = lines[0].Split(',');
        string[] first = lines[1].Split(','), last = lines[^1].Split(',');
        Assert.True(lines.Length >= 3, $"'{command}' trained a single epoch: nothing to judge");
        double? Cell(string[] row, string name) =>
            Array.IndexOf(header, name) is int i and >= 0 && row[i].Length > 0 ? double.Parse(row[i], System.Globalization.CultureInfo.InvariantCulture) : null;
        foreach (string name in new[] { "log_likelihood_held_out", "log_likelihood_train" })
            if (Cell(first, name) is { } a && Cell(last, name) is { } b)
            {
                Assert.True(b > a, $"'{command}': {name} went from {a} in epoch 1 to {b} in the last epoch");
                return;
            }
        Assert.True(Cell(last, "reconstruction_error") < Cell(first, "reconstruction_error"), $"'{command}': the reconstruction error did not fall");
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RbmSimd.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("the repository root (RbmSimd.sln) is not above the test assembly.");
    }
}
