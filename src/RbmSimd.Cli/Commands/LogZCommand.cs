using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Cli.Terminal;
using RbmSimd.Data;
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
        var exact = new Option<bool>("--exact") { Description = "Compute log Z exactly by enumerating the smaller binary layer (the hidden layer for Gaussian visible units)." };
        var annealing = new AnnealingOptions();
        var data = new Option<string?>("--data")
        {
            Description = "AIS: training data whose per-unit means set the base model's visible biases (Salakhutdinov and Murray's base-rate model; " +
                "means for Gaussian units); without it the base has zero biases. " + DataSource.Help,
        };
        var seed = CliOption.Seed("AIS: seed of every draw (the same bits for any thread count).");
        var limit = MaxStates();
        var json = CommonOptions.Json();
        var command = new Command("logz", "Print log Z, the log partition function of a model: exactly (--exact) for models with a small layer, " +
            "or estimated by annealed importance sampling (--ais) for any size, with the interval log(Ẑ ± 3σ̂).\n\n" +
            "The exact computation enumerates the 2^n states of the smaller layer (n units), so it is feasible up to about n = 26 by default (--max-states); " +
            "a convolutional model with pooling enumerates its blocks' p² + 1 states each (n is then the bits of those states) or its visible units.\n\n" +
            "Examples:\n  rbm logz runs/latest/model.npz --exact\n  rbm logz runs/latest/model.npz --exact --json\n" +
            "  rbm logz runs/latest/model.npz --ais --runs 100 --betas 1000 --data digits --binarize 0.5\n" +
            "  rbm logz runs/conv/model.npz --ais --runs 16 --betas 500")
        { model, exact, data, seed, limit, json };
        annealing.AddTo(command);
        var binarize = CommonOptions.Binarize();
        var csv = new CommonOptions.Csv();
        command.Options.Add(binarize);
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            bool ais = parse.GetValue(annealing.Ais);
            if (ais == parse.GetValue(exact))
                throw new UsageException("rbm logz needs one method: --exact (small models) or --ais (any model, an estimate).");
            string path = InputFile.RequireModel(parse.GetValue(model)!);
            (IRbm rbm, RbmSimd.Preprocessing.Transform? transform) = ModelFile.LoadWithTransform(path);
            if (rbm.ContextCount > 0)
                throw new UsageException($"{Display.Quote(path)} holds a {rbm.Kind} model, whose partition function Z(u) depends on its context: " +
                    "rbm score MODEL --data … reports its exact conditional log-likelihood, one Z(u) per context.");
            LogZEstimate estimate;
            long enumerated = 0;
            if (ais)
            {
                float[]? baseBias = null;
                if (parse.GetValue(data) is { } spec)
                {
                    LoadedData loaded = DataSource.LoadAll(new DataRequest(spec, parse.GetValue(binarize), csv.Read(parse)) { RealValued = rbm.VisibleUnits == VisibleUnitKind.Gaussian });
                    IRowSource rows = transform is null ? loaded.Train : Training.DataPreparation.Map(transform, loaded.Train);
                    if (rows.ColumnCount != rbm.VisibleCount)
                        throw new UsageException($"--data has {rows.ColumnCount} columns (as the model sees them) but the model has {rbm.VisibleCount} visible units.");
                    baseBias = BaseModel.VisibleBias(rbm, rows);
                }
                var options = new AisOptions { Runs = parse.GetValue(annealing.Runs), Schedule = annealing.Schedule(parse), BaseVisibleBias = baseBias, Seed = parse.GetValue(seed) };
                estimate = AnnealingOptions.WithProgress("annealed importance sampling", progress => AnnealedImportanceSampling.Estimate(rbm, options, progress));
            }
            else
            {
                long states = parse.GetValue(limit);
                RequireFeasible(rbm, states);
                estimate = ExactPartitionFunction.Estimate(rbm, states);
                enumerated = 1L << rbm.EnumeratedUnitCount;
            }
            if (parse.GetValue(json))
            {
                CliJson.Print(new LogZResult(path, rbm.Kind, rbm.VisibleCount, rbm.HiddenCount, CliJson.Finite(estimate.LogZ), CliJson.Finite(estimate.Lower),
                    CliJson.Finite(estimate.Upper), estimate.Method, estimate.Runs, estimate.Temperatures, enumerated, estimate.Seconds), CliJsonContext.Default.LogZResult);
                return 0;
            }
            Console.WriteLine(ais
                ? string.Create(CultureInfo.InvariantCulture,
                    $"log Z ≈ {estimate.LogZ:F4}  in [{estimate.Lower:F4}, {estimate.Upper:F4}] (AIS: log(Ẑ ± 3σ̂), {estimate.Runs} runs, {estimate.Temperatures} temperatures, {rbm.VisibleCount}x{rbm.HiddenCount}, {estimate.Seconds:F1} s)")
                : string.Create(CultureInfo.InvariantCulture,
                    $"log Z = {estimate.LogZ:R}  (exact over 2^{rbm.EnumeratedUnitCount} states, {rbm.VisibleCount}x{rbm.HiddenCount}, {estimate.Seconds:F3} s)"));
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
