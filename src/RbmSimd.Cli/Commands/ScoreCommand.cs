using System.CommandLine;
using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Cli.Terminal;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.IO;
using RbmSimd.Persistence;
using RbmSimd.Model;
using RbmSimd.Monitoring;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm score MODEL --data …</c>: how well a model fits a data set.</summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data("digits");
        data.Description += " " + Training.ConditionalDataSource.Help.Replace("With --model conditional", "For a conditional model", StringComparison.Ordinal);
        var binarize = CommonOptions.Binarize();
        var part = CommonOptions.Part();
        var csv = new CommonOptions.Csv();
        var limit = LogZCommand.MaxStates();
        var annealing = new AnnealingOptions();
        var raiseRows = CliOption.Int("--raise-rows", "With --ais: rows scored by reverse AIS (the first ones; each costs --raise-runs annealing runs).", 100, 1, int.MaxValue);
        var raiseRuns = CliOption.Int("--raise-runs", "With --ais: reverse-AIS runs per row.", 5, 1, 100_000);
        var seed = CliOption.Seed("With --ais: seed of every draw.");
        var json = CommonOptions.Json();
        var baselines = new Option<bool>("--baselines")
        {
            Description = "Conditional models: also fit a ridge AR(n) model (n the model's history) on the training sequences of --data and score it on the same frames.",
        };
        var steps = CliOption.Int("--steps", "Conditional models: mean-field Gibbs steps of each one-step prediction.", new PredictionOptions().GibbsSteps, 1, 10_000);
        var llRows = CliOption.Int("--ll-rows", "Conditional models: rows whose exact conditional log-likelihood is computed (one enumeration of Z(u) per distinct context).",
            1000, 1, int.MaxValue);
        var command = new Command("score", "Print the mean log-likelihood, mean free energy and reconstruction error of a data set under a model.\n\n" +
            "The exact log-likelihood needs the exact log Z (a binary layer of at most 26 units by default, see --max-states); --ais adds, for " +
            "any model, the log-likelihood with an AIS estimate of log Z (optimistic) beside a reverse-AIS estimate (conservative), which " +
            "usually bracket the truth (a wide gap between them says neither can be trusted: both can miss a mode the annealing never reaches; see docs/likelihood.md). A model trained behind a data transform (whitening, standardisation) scores the data as given: the " +
            "transform's log-Jacobian is included, so scores with and without a transform compare. A Bernoulli RBM's likelihood is defined for " +
            "binary data: other values are refused unless --binarize says how to binarise them.\n\n" +
            "A conditional model (rbm train --model conditional) is scored on the held-out sequences of a built-in set (every frame of a file) " +
            "with its history: the one-step prediction error (squared error per frame) beside copying the last frame, with --baselines a ridge AR(n) " +
            "fitted on the training sequences, and the exact conditional log-likelihood log p(v | u) when Z(u) can be enumerated.\n\n" +
            "Examples:\n  rbm score runs/bars/model.npz --data bars:4\n  rbm score runs/bars/model.npz --data bars:4 --json\n" +
            "  rbm score runs/latest/model.npz --data digits --binarize 0.5\n" +
            "  rbm score runs/latest/model.npz --data digits --binarize 0.5 --ais --betas 1000 --raise-rows 50\n" +
            "  rbm score runs/balls/model.npz --data bouncing-balls:30\n" +
            "  rbm score runs/motion/model.npz --data motion:20 --baselines\n" +
            "  rbm score runs/digits-by-class/model.npz --data digits --json")
        { model, data, part, binarize, limit, raiseRows, raiseRuns, seed, json, baselines, steps, llRows };
        csv.AddTo(command);
        annealing.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string path = InputFile.RequireModel(parse.GetValue(model)!);
            (IRbm rbm, RbmSimd.Preprocessing.Transform? transform) = ModelFile.LoadWithTransform(path);
            if (rbm is ConditionalRbm conditional)
            {
                if (parse.GetValue(binarize) is not null || parse.GetValue(annealing.Ais))
                    throw new UsageException("--binarize and --ais do not apply to a conditional model: it is scored by its predictions and the exact log p(v | u) per context.");
                if (parse.GetValue(part) is not null)
                    throw new UsageException("--part does not apply to a conditional model: it is scored on the held-out sequences of a built-in set, or on every frame of a file.");
                return ConditionalScore.Run(new ConditionalScoreRequest(path, conditional, transform, parse.GetValue(data)!, csv.Read(parse), parse.GetValue(limit),
                    parse.GetValue(llRows), parse.GetValue(steps), parse.GetValue(baselines), parse.GetValue(json)));
            }
            foreach (Option option in new Option[] { baselines, steps, llRows })
                if (parse.GetResult(option) is { Implicit: false }) throw new UsageException($"{option.Name} applies to conditional models only.");
            bool gaussian = rbm.VisibleUnits == VisibleUnitKind.Gaussian;
            float? threshold = parse.GetValue(binarize);
            if (gaussian && threshold is not null) throw new UsageException("--binarize applies to Bernoulli models; this model has Gaussian visible units.");
            string spec = parse.GetValue(data)!;
            LoadedData loaded = DataSource.LoadAll(new DataRequest(spec, threshold, csv.Read(parse)) { RealValued = gaussian });
            int columns = transform?.InputCount ?? rbm.VisibleCount;
            if (loaded.Columns != columns)
                throw new UsageException(transform is null
                    ? $"The data has {loaded.Columns} columns but the model has {rbm.VisibleCount} visible units."
                    : $"The data has {loaded.Columns} columns but the model's data transform takes {columns}.");
            IRowSource rows = CommonOptions.SelectPart(loaded, parse.GetValue(part), spec);
            if (!gaussian && threshold is null) RequireBinary(rows, spec);
            IRowSource set = transform is null ? rows : Training.DataPreparation.Map(transform, rows);
            double jacobian = transform?.LogJacobian ?? 0;

            DataFit fit = ModelMetrics.Evaluate(rbm, set, maxDegreeOfParallelism: -1);
            double freeEnergy = fit.MeanFreeEnergy, recon = fit.ReconstructionError;
            long maxStates = parse.GetValue(limit);
            double? logZ = ExactPartitionFunction.TryLogPartitionFunction(rbm, out double z, maxStates) ? z : null;
            double? ll = logZ is { } lz ? -freeEnergy - lz + jacobian : null;

            LogZEstimate? ais = null;
            LogLikelihoodEstimate? raise = null;
            int raised = 0;
            double? raisedFreeEnergy = null;
            if (parse.GetValue(annealing.Ais))
            {
                // The base model is fitted to the training rows (Salakhutdinov and Murray), whichever part is scored.
                IRowSource baseRows = transform is null ? loaded.Train : Training.DataPreparation.Map(transform, loaded.Train);
                float[] baseBias = BaseModel.VisibleBias(rbm, baseRows);
                var options = new AisOptions { Runs = parse.GetValue(annealing.Runs), Schedule = annealing.Schedule(parse), BaseVisibleBias = baseBias, Seed = parse.GetValue(seed) };
                ais = AnnealingOptions.WithProgress("annealed importance sampling", p => AnnealedImportanceSampling.Estimate(rbm, options, p));
                raised = Math.Min(parse.GetValue(raiseRows), set.RowCount);
                var first = new RbmSimd.Numerics.Matrix(raised, set.ColumnCount);
                for (int r = 0; r < raised; r++) set.CopyRow(r, first.Row(r));
                var raiseOptions = options with { Runs = parse.GetValue(raiseRuns) };
                raise = AnnealingOptions.WithProgress("reverse AIS", p => ReverseAnnealedImportanceSampling.LogLikelihood(rbm, new Dataset(first), raiseOptions, progress: p));
                raisedFreeEnergy = ModelMetrics.Evaluate(rbm, new Dataset(first), maxDegreeOfParallelism: -1).MeanFreeEnergy;
            }
            double? aisLl = ais is null ? null : -freeEnergy - ais.LogZ + jacobian;
            double? aisLower = ais is null ? null : -freeEnergy - ais.Upper + jacobian, aisUpper = ais is null ? null : -freeEnergy - ais.Lower + jacobian;
            double? raiseLl = raise is null ? null : raise.Mean + jacobian;
            // The same rows as reverse AIS, so that the bracket compares like with like when it scored only the first rows.
            double? raisedExact = raisedFreeEnergy is { } rf && logZ is { } lz2 ? -rf - lz2 + jacobian : null;
            double? raisedAis = raisedFreeEnergy is { } rf2 && ais is not null ? -rf2 - ais.LogZ + jacobian : null;

            if (parse.GetValue(json))
            {
                CliJson.Print(new ScoreResult(path, rbm.Kind, spec, rbm.VisibleCount, rbm.HiddenCount, set.RowCount, threshold,
                    CliJson.Finite(ll), CliJson.Finite(logZ), transform is null ? null : jacobian, CliJson.Finite(aisLl), CliJson.Finite(aisLower), CliJson.Finite(aisUpper),
                    CliJson.Finite(ais?.LogZ), CliJson.Finite(raiseLl), CliJson.Finite(raise?.StandardError), raised, CliJson.Finite(raisedExact), CliJson.Finite(raisedAis),
                    CliJson.Finite(freeEnergy), CliJson.Finite(recon), loaded.Notes), CliJsonContext.Default.ScoreResult);
                return 0;
            }
            foreach (string note in loaded.Notes) Console.WriteLine($"note: {note}");
            string I(double x) => x.ToString("F6", CultureInfo.InvariantCulture);
            string what = gaussian ? "mean log-density" : "mean log-likelihood";
            Console.WriteLine($"rows                  {set.RowCount}{(threshold is { } t ? $" (binarised: value > {t.ToString(CultureInfo.InvariantCulture)} → 1)" : "")}");
            if (transform is not null)
                Console.WriteLine($"data transform        {transform} (log-Jacobian {I(jacobian)}, included below: scores are in the data's space)");
            Console.WriteLine($"{what,-22}{(ll is { } l ? I(l) : $"n/a (2^{rbm.EnumeratedUnitCount} states is more than --max-states {maxStates} for the exact log Z; see --ais)")}");
            if (ais is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  with AIS log Z       {I(aisLl!.Value)}  in [{I(aisLower!.Value)}, {I(aisUpper!.Value)}] (optimistic; {ais.Runs} runs, {ais.Temperatures} temperatures)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  reverse AIS          {I(raiseLl!.Value)}  ± {I(raise!.StandardError)} over the first {raised} rows (conservative; {raise.Runs} runs a row)"));
                if (raised < set.RowCount)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{$"  on those {raised} rows",-22}{(raisedExact is { } re ? $"exact {I(re)}, " : "")}with AIS log Z {I(raisedAis!.Value)}"));
            }
            Console.WriteLine($"mean free energy      {I(freeEnergy)}");
            Console.WriteLine($"reconstruction error  {I(recon)}");
            return 0;
        }));
        return command;
    }

    /// <summary>Refuses data with a value other than 0 or 1, naming the first one.</summary>
    private static void RequireBinary(IRowSource set, string spec)
    {
        var row = new float[set.ColumnCount];
        for (int r = 0; r < set.RowCount; r++)
        {
            set.CopyRow(r, row);
            int c = Array.FindIndex(row, v => v != 0f && v != 1f);
            if (c >= 0)
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--data {Display.Quote(spec)} is not binary (row {r + 1}, column {c + 1} is {row[c]}); a Bernoulli RBM's likelihood is defined for 0/1 data: pass --binarize T (e.g. 0.5) to score value > T as 1."));
        }
    }
}
