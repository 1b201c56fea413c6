using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RbmSimd.Estimation;
using RbmSimd.IO;
using RbmSimd.Persistence;

namespace RbmSimd.Cli.Commands;

/// <summary><c>rbm logz MODEL --exact</c>: the log partition function.</summary>
internal static class LogZCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var exact = new Option<bool>("--exact") { Description = "Compute log Z exactly by enumerating the smaller layer (required for now)." };
        var limit = new Option<long>("--max-states") { Description = "Refuse models needing more states than this.", DefaultValueFactory = _ => ExactPartitionFunction.DefaultStateLimit };
        var json = CommonOptions.Json();
        var command = new Command("logz", "Print log Z of a model.\n\nExample:\n  rbm logz runs/latest/model.npz --exact --json") { model, exact, limit, json };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            if (!parse.GetValue(exact))
                throw new ArgumentException("Only the exact method exists so far: pass --exact.");
            var rbm = ModelFile.Load(parse.GetValue(model)!);
            var clock = Stopwatch.StartNew();
            double logZ = ExactPartitionFunction.LogPartitionFunction(rbm, parse.GetValue(limit));
            double seconds = clock.Elapsed.TotalSeconds;
            if (parse.GetValue(json))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{{\"log_z\": {logZ:R}, \"method\": \"exact\", \"visible\": {rbm.VisibleCount}, \"hidden\": {rbm.HiddenCount}, \"seconds\": {seconds:R}}}"));
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"log Z = {logZ:R}  (exact, {rbm.VisibleCount}x{rbm.HiddenCount}, {seconds:F3} s)"));
            return 0;
        }));
        return command;
    }
}
