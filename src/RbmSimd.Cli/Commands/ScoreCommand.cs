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
        var binarize = CommonOptions.Binarize();
        var csv = new CommonOptions.Csv();
        var limit = LogZCommand.MaxStates();
        var json = CommonOptions.Json();
        var command = new Command("score", "Print the mean exact log-likelihood, mean free energy and reconstruction error of a data set under a model.\n\n" +
            "The log-likelihood needs the exact log Z (a smaller layer of at most 26 units by default, see --max-states). A Bernoulli " +
            "RBM's likelihood is defined for binary data: data with other values is refused unless --binarize says how to binarise it.\n\n" +
            "Examples:\n  rbm score runs/bars/model.npz --data bars:4\n  rbm score runs/bars/model.npz --data bars:4 --json\n" +
            "  rbm score runs/latest/model.npz --data digits --binarize 0.5") { model, data, binarize, limit, json };
        csv.AddTo(command);
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string path = InputFile.RequireModel(parse.GetValue(model)!);
            IRbm rbm = ModelFile.Load(path);
            float? threshold = parse.GetValue(binarize);
            LoadedData loaded = DataSource.LoadAll(new DataRequest(parse.GetValue(data)!, threshold, csv.Read(parse)));
            IRowSource set = loaded.Train;
            if (set.ColumnCount != rbm.VisibleCount)
                throw new UsageException($"The data has {set.ColumnCount} columns but the model has {rbm.VisibleCount} visible units.");
            if (threshold is null) RequireBinary(set, parse.GetValue(data)!);
            DataFit fit = ModelMetrics.Evaluate(rbm, set, maxDegreeOfParallelism: -1);
            double freeEnergy = fit.MeanFreeEnergy, recon = fit.ReconstructionError;
            long maxStates = parse.GetValue(limit);
            double? logZ = ExactPartitionFunction.TryLogPartitionFunction(rbm, out double z, maxStates) ? z : null;
            double? ll = logZ is { } lz ? -freeEnergy - lz : null;
            int n = Math.Min(rbm.VisibleCount, rbm.HiddenCount);
            if (parse.GetValue(json))
            {
                CliJson.Print(new ScoreResult(path, parse.GetValue(data)!, rbm.VisibleCount, rbm.HiddenCount, set.RowCount, threshold,
                    CliJson.Finite(ll), CliJson.Finite(logZ), CliJson.Finite(freeEnergy), CliJson.Finite(recon), loaded.Notes), CliJsonContext.Default.ScoreResult);
                return 0;
            }
            foreach (string note in loaded.Notes) Console.WriteLine($"note: {note}");
            string I(double x) => x.ToString("F6", CultureInfo.InvariantCulture);
            Console.WriteLine($"rows                  {set.RowCount}{(threshold is { } t ? $" (binarised: value > {t.ToString(CultureInfo.InvariantCulture)} → 1)" : "")}");
            Console.WriteLine($"mean log-likelihood   {(ll is { } l ? I(l) : $"n/a (2^{n} states is more than --max-states {maxStates} for the exact log Z)")}");
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
