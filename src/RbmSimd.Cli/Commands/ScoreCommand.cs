using System.CommandLine;
using System.Globalization;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.IO;
using RbmSimd.Persistence;
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
        var json = CommonOptions.Json();
        var command = new Command("score", "Print the mean exact log-likelihood (when log Z is feasible), mean free energy and reconstruction error of a data set.\n\n" +
            "Example:\n  rbm score runs/latest/model.npz --data digits --json") { model, data, binarize, json };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var rbm = ModelFile.Load(parse.GetValue(model)!);
            IRowSource set = DataSource.LoadAll(parse.GetValue(data)!, parse.GetValue(binarize));
            if (set.ColumnCount != rbm.VisibleCount)
                throw new ArgumentException($"The data has {set.ColumnCount} columns but the model has {rbm.VisibleCount} visible units.");
            DataFit fit = ModelMetrics.Evaluate(rbm, set, maxDegreeOfParallelism: -1);
            double freeEnergy = fit.MeanFreeEnergy, recon = fit.ReconstructionError;
            double? logZ = ExactPartitionFunction.TryLogPartitionFunction(rbm, out double z) ? z : null;
            double? ll = logZ is { } lz ? -freeEnergy - lz : null;
            string I(double? x) => x is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "null";
            if (parse.GetValue(json))
                Console.WriteLine($"{{\"rows\": {set.RowCount}, \"log_likelihood\": {I(ll)}, \"log_z\": {I(logZ)}, \"free_energy\": {I(freeEnergy)}, \"reconstruction_error\": {I(recon)}}}");
            else
            {
                Console.WriteLine($"rows                  {set.RowCount}");
                Console.WriteLine($"mean log-likelihood   {(ll is { } l ? l.ToString("F6", CultureInfo.InvariantCulture) : $"n/a (2^{Math.Min(rbm.VisibleCount, rbm.HiddenCount)} states is too many for the exact log Z)")}");
                Console.WriteLine($"mean free energy      {freeEnergy.ToString("F6", CultureInfo.InvariantCulture)}");
                Console.WriteLine($"reconstruction error  {recon.ToString("F6", CultureInfo.InvariantCulture)}");
            }
            return 0;
        }));
        return command;
    }
}
