using System.CommandLine;
using RbmSimd.Cli.Commands;

namespace RbmSimd.Cli;

/// <summary>The <c>rbm</c> command line: builds the command tree and runs it.</summary>
public static class CliApp
{
    /// <summary>Runs the CLI with <paramref name="args"/>; returns the exit code (0 success, 1 bad usage, 2 bad input).</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("rbm: train and evaluate Restricted Boltzmann Machines (RbmSimd).")
        {
            TrainCommand.Create(),
            LogZCommand.Create(),
            ScoreCommand.Create(),
            SampleCommand.Create(),
            ShowCommand.Create(),
            InfoCommand.Create(),
            BenchCommand.Create(),
        };
        return CliErrors.Run(() => root.Parse(args).Invoke());
    }
}
