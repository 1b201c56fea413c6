using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Estimation;
using RbmSimd.IO;
using RbmSimd.Persistence;
using RbmSimd.Model;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm logz MODEL --exact</c>: the log partition function.</summary>
internal static class LogZCommand
{
    /// <summary>
    /// The largest <c>--max-states</c>: 2³⁴ states. Enumeration keeps one partial sum per 2¹⁰ states (2³⁴ states: 256 MB) and
    /// takes minutes there; past it the bookkeeping alone would not fit in memory.
    /// </summary>
    public const int MaxStateBits = 34;

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var exact = new Option<bool>("--exact") { Description = "Compute log Z exactly by enumerating the smaller layer (the only method so far; required)." };
        var limit = MaxStates();
        var json = CommonOptions.Json();
        var command = new Command("logz", "Print log Z, the log partition function of a model (exactly, for models with a small layer).\n\n" +
            "Enumerates the 2^n states of the smaller layer (n units), so it is feasible up to about n = 26 by default (--max-states).\n\n" +
            "Examples:\n  rbm logz runs/bars/model.npz --exact\n  rbm logz runs/bars/model.npz --exact --json") { model, exact, limit, json };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            if (!parse.GetValue(exact))
                throw new UsageException("rbm logz needs --exact: only the exact method exists so far.");
            string path = InputFile.RequireModel(parse.GetValue(model)!);
            IRbm rbm = ModelFile.Load(path);
            long states = parse.GetValue(limit);
            RequireFeasible(rbm, states);
            var clock = Stopwatch.StartNew();
            double logZ = ExactPartitionFunction.LogPartitionFunction(rbm, states);
            double seconds = clock.Elapsed.TotalSeconds;
            long enumerated = 1L << Math.Min(rbm.VisibleCount, rbm.HiddenCount);
            if (parse.GetValue(json))
                CliJson.Print(new LogZResult(path, rbm.VisibleCount, rbm.HiddenCount, CliJson.Finite(logZ), "exact", enumerated, seconds), CliJsonContext.Default.LogZResult);
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log Z = {logZ:R}  (exact over 2^{Math.Min(rbm.VisibleCount, rbm.HiddenCount)} states, {rbm.VisibleCount}x{rbm.HiddenCount}, {seconds:F3} s)"));
            return 0;
        }));
        return command;
    }

    /// <summary>The <c>--max-states</c> option: 1 to 2³⁴, default 2²⁶.</summary>
    public static Option<long> MaxStates() => CliOption.Long("--max-states",
        "Refuse models whose exact log Z needs more states than this (2^n for a smaller layer of n units).",
        ExactPartitionFunction.DefaultStateLimit, 1, 1L << MaxStateBits, $"a whole number from 1 to 2^{MaxStateBits} = {1L << MaxStateBits}");

    /// <summary>Refuses a model whose smaller layer is too large for <paramref name="maxStates"/>, saying what would help.</summary>
    public static void RequireFeasible(IRbm rbm, long maxStates)
    {
        int n = rbm.EnumeratedUnitCount;
        if (n < 63 && (1L << n) <= maxStates) return;
        string layer = rbm.VisibleUnits == VisibleUnitKind.Bernoulli && rbm.VisibleCount < rbm.HiddenCount ? "visible" : "hidden";
        string advice = n <= MaxStateBits
            ? $"pass --max-states {1L << n} to allow it (the time doubles with each unit), or estimate it with --ais"
            : $"exact enumeration stops at 2^{MaxStateBits} states, so no --max-states reaches it; estimate it with --ais (annealed importance sampling)";
        throw new UsageException(string.Create(CultureInfo.InvariantCulture,
            $"exact log Z of a {rbm.VisibleCount}x{rbm.HiddenCount} model enumerates its {n} {layer} units: 2^{n} states, more than --max-states {maxStates} allows; {advice}."));
    }
}
