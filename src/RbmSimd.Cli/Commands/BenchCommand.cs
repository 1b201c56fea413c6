using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary>
/// <c>rbm bench</c>: the reference training workload (Fashion-MNIST binarised at pixel &gt; 127, 500
/// hidden, batch 100, CD-1 or PCD-1, η 0.1, momentum 0.5), timed per epoch, for side-by-side
/// comparison with the peer scripts in shared/bench.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Products per minibatch (V·W, H·Wᵀ, V·W, and the gradient as one product of twice the depth) × 2·B·nv·nh FLOP.</summary>
    private const double ProductsPerStep = 5;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Fashion-MNIST folder (IDX .gz files).", DefaultValueFactory = _ => DataSource.FashionMnistFolder };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to time.", DefaultValueFactory = _ => 1 };
        var hidden = new Option<int>("--hidden") { Description = "Hidden units.", DefaultValueFactory = _ => 500 };
        var batch = new Option<int>("--batch-size") { Description = "Rows per minibatch.", DefaultValueFactory = _ => 100 };
        var pcd = new Option<bool>("--pcd") { Description = "PCD-1 instead of CD-1." };
        var threads = new Option<int>("--threads") { Description = "Threads per step (−1: all cores).", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial weights, the shuffles and the samples.", DefaultValueFactory = _ => 1UL };
        var json = CommonOptions.Json();
        var command = new Command("bench", "Time the reference workload: Fashion-MNIST (60,000×784, pixel > 127), 500 hidden, batch 100, CD-1, η 0.1, momentum 0.5.\n" +
            "Prints seconds per epoch, effective GFLOP/s (5 products of 2·B·784·500 FLOP per minibatch) and the reconstruction MSE on the test images.\n\n" +
            "Examples:\n  rbm bench --threads 1\n  rbm bench --threads 2 --epochs 5 --json") { data, epochs, hidden, batch, pcd, threads, seed, json };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            string folder = parse.GetValue(data)!;
            LoadedData loaded = DataSource.LoadFashionMnist(folder, 0.5f, "--data DIR");
            int nh = parse.GetValue(hidden);
            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = 0.1f, CdSteps = 1,
                Persistent = parse.GetValue(pcd), InitialMomentum = 0.5f, FinalMomentum = 0.5f, WeightDecay = 0f,
                Seed = parse.GetValue(seed), MonitorRows = 1, ExactLogLikelihoodMaxUnits = 0, MaxDegreeOfParallelism = parse.GetValue(threads),
            };
            // As rbm train does: W ~ N(0, 0.01²), visible biases log(p/(1−p)) from the training data (Hinton's guide).
            var rbm = BernoulliRbm.CreateRandom(loaded.Columns, nh, options.Seed, loaded.Train);
            var trainer = new RbmTrainer(rbm, options);
            var seconds = new List<double>();
            var clock = Stopwatch.StartNew();
            // Metrics after each epoch are limited to one row, so the epoch time is the training alone.
            trainer.Train(loaded.Train, null, m => seconds.Add(m.Seconds));
            double total = clock.Elapsed.TotalSeconds;
            double testMse = loaded.HeldOut is { } test ? ModelMetrics.Evaluate(rbm, test, maxDegreeOfParallelism: options.MaxDegreeOfParallelism).ReconstructionError : double.NaN;
            double median = Median(seconds);
            double flops = ProductsPerStep * 2.0 * loaded.Train.RowCount * loaded.Columns * nh;
            string I(double x) => x.ToString("R", CultureInfo.InvariantCulture);
            if (parse.GetValue(json))
                Console.WriteLine($"{{\"system\": \"rbmsimd\", \"algorithm\": \"{(options.Persistent ? "pcd1" : "cd1")}\", \"threads\": {options.MaxDegreeOfParallelism}, " +
                    $"\"epochs\": {seconds.Count}, \"seconds_per_epoch\": [{string.Join(", ", seconds.Select(I))}], \"median_seconds_per_epoch\": {I(median)}, " +
                    $"\"gflops\": {I(flops / median / 1e9)}, \"test_reconstruction_mse\": {I(testMse)}, \"total_seconds\": {I(total)}}}");
            else
            {
                foreach (var (s, i) in seconds.Select((s, i) => (s, i + 1)))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"epoch {i}: {s:F3} s  ({flops / s / 1e9:F1} GFLOP/s effective)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {median:F3} s/epoch; test reconstruction MSE {testMse:F5}"));
            }
            return 0;
        }));
        return command;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
