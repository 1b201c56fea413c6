using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using RbmSimd.Cli.Json;
using RbmSimd.Data;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Training;

namespace RbmSimd.Cli.Commands;

/// <summary>
/// <c>rbm bench</c>: the reference training workloads, timed per epoch, for side-by-side comparison with the peer
/// scripts in shared/bench (<c>perf/scripts/compare-peers.sh</c> runs both).
/// <list type="bullet">
/// <item>Bernoulli (default, the W1 epoch): Fashion-MNIST binarised at pixel &gt; 127, 500 hidden, batch 100, CD-1 or
/// PCD-1, η 0.1, momentum 0.5; against <c>torch_cd1.py</c> and scikit-learn's <c>BernoulliRBM</c>.</item>
/// <item>Gaussian (<c>--visible gaussian</c>): the pixels as real values (pixel/255, each pixel standardised on the
/// training images with ε = 0.01), Gaussian visible units with learned variances, 500 hidden, batch 100, CD-1, η 0.01,
/// log-variances 0.001, momentum 0.5; against <c>torch_gbrbm.py --data fmnist --hidden 500</c>, which prepares the
/// data and sets these rates the same way.</item>
/// </list>
/// It names the CPU and warns on stderr when the 1-minute load average exceeds the cores the run uses: figures from a
/// busy machine are slower and noisier, and only ratios measured in the same sitting mean much.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Products per minibatch (V·W, H·Wᵀ, V·W, and the gradient as one product of twice the depth) × 2·B·nv·nh FLOP.</summary>
    private const double ProductsPerStep = 5;

    /// <summary>The ε added to each pixel's standard deviation in the Gaussian workload (as torch_gbrbm.py does).</summary>
    public const double GaussianEpsilon = 0.01;

    /// <summary>Reads the 1-, 5- and 15-minute load averages (null where unknown); tests replace it to exercise the busy warning.</summary>
    internal static Func<IReadOnlyList<double>?> LoadAverageReader { get; set; } = BenchMachineInfo.ReadLoadAverage;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Fashion-MNIST folder (IDX .gz files).", DefaultValueFactory = _ => DataSource.FashionMnistFolder };
        var epochs = CliOption.Int("--epochs", "Epochs to time.", 1, 1, int.MaxValue);
        var hidden = CliOption.Int("--hidden", "Hidden units.", 500, 1, 100_000);
        var batch = CliOption.Int("--batch-size", "Rows per minibatch.", 100, 1, 100_000);
        var pcd = new Option<bool>("--pcd") { Description = "PCD-1 instead of CD-1." };
        var threads = CliOption.Int("--threads", "Threads per step (−1: all cores).", 1, -1, int.MaxValue,
            "-1 (all cores) or a whole number of at least 1", valid: t => t == -1 || t >= 1);
        var seed = CliOption.Seed("Seed of the initial weights, the shuffles and the samples.");
        var visible = CliOption.Choice("--visible",
            "The visible units: bernoulli (pixels binarised at > 127, η 0.1) or gaussian (pixels/255 standardised per pixel on the " +
            "training images with ε 0.01, learned variances, η 0.01, log-variance rate 0.001). Default: bernoulli.",
            ["bernoulli", "gaussian"]);
        var json = CommonOptions.Json();
        var command = new Command("bench", "Time the reference workload: Fashion-MNIST (60,000×784, pixel > 127), 500 hidden, batch 100, CD-1, η 0.1, momentum 0.5.\n" +
            "Prints the CPU, then seconds per epoch, effective GFLOP/s (5 products of 2·B·784·500 FLOP per minibatch) and the reconstruction MSE on the test images.\n" +
            "With --visible gaussian: the pixels as real values (pixel/255, standardised per pixel), Gaussian visible units with learned variances, CD-1, η 0.01.\n" +
            "Warns on stderr when the load average exceeds the cores the run uses (the times are then slower and noisier).\n\n" +
            "Examples:\n  rbm bench --threads 1\n  rbm bench --threads 2 --epochs 5 --json\n  rbm bench --visible gaussian --threads 1")
            { data, epochs, hidden, batch, pcd, threads, seed, visible, json };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            bool gaussian = parse.GetValue(visible) == "gaussian";
            int nh = parse.GetValue(hidden);
            int threadCount = parse.GetValue(threads);
            int coresUsed = threadCount == -1 ? Environment.ProcessorCount : Math.Min(threadCount, Environment.ProcessorCount);
            string folder = parse.GetValue(data)!;
            var workload = gaussian ? LoadGaussian(folder) : LoadBernoulli(folder);
            // After the data loaded (a user error stays one line on stderr), before the clock starts.
            IReadOnlyList<double>? loadBefore = LoadAverageReader();
            bool busy = IsBusy(loadBefore, coresUsed);
            if (busy)
                Console.Error.WriteLine(BusyWarning(loadBefore![0], coresUsed));
            BenchCpu cpu = BenchMachineInfo.ReadCpu();
            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), LearningRate = gaussian ? 0.01f : 0.1f, LogVarianceLearningRate = 0.001f,
                CdSteps = 1, Persistent = parse.GetValue(pcd), InitialMomentum = 0.5f, FinalMomentum = 0.5f, WeightDecay = 0f,
                Seed = parse.GetValue(seed), MonitorRows = 1, ExactLogLikelihoodMaxUnits = 0, MaxDegreeOfParallelism = threadCount,
            };
            // As rbm train does: W ~ N(0, 0.01²), visible biases from the training data (Bernoulli: log(p/(1−p)), Hinton's guide;
            // Gaussian: the column means, with σ = 1 as torch_gbrbm.py starts).
            IRbm rbm = gaussian
                ? GaussianBernoulliRbm.CreateRandom(workload.Train.ColumnCount, nh, options.Seed, workload.Train)
                : BernoulliRbm.CreateRandom(workload.Train.ColumnCount, nh, options.Seed, workload.Train);
            bool textOutput = !parse.GetValue(json);
            if (textOutput)
            {
                Console.WriteLine(CpuLine(cpu, coresUsed, loadBefore));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"workload: {workload.Description}, {nh} hidden, batch {options.BatchSize}, {(options.Persistent ? "PCD-1" : "CD-1")}, " +
                    $"{(threadCount == -1 ? "all cores" : threadCount == 1 ? "1 thread" : $"{threadCount} threads")}"));
            }
            var trainer = new RbmTrainer(rbm, options);
            var seconds = new List<double>();
            var clock = Stopwatch.StartNew();
            // Metrics after each epoch are limited to one row, so the epoch time is the training alone.
            trainer.Train(workload.Train, null, m => seconds.Add(m.Seconds));
            double total = clock.Elapsed.TotalSeconds;
            double testMse = workload.Test is { } test ? ModelMetrics.Evaluate(rbm, test, maxDegreeOfParallelism: options.MaxDegreeOfParallelism).ReconstructionError : double.NaN;
            double median = Median(seconds);
            double flops = ProductsPerStep * 2.0 * workload.Train.RowCount * workload.Train.ColumnCount * nh;
            if (!textOutput)
            {
                var machine = new BenchMachine(cpu, Environment.ProcessorCount, coresUsed, KernelSelection.Active.ToString(),
                    RuntimeInformation.FrameworkDescription, loadBefore, LoadAverageReader(), busy);
                CliJson.Print(new BenchResult("rbmsimd", options.Persistent ? "pcd1" : "cd1", gaussian ? "gaussian" : "bernoulli", threadCount,
                    seconds.Count, seconds, CliJson.Finite(median), CliJson.Finite(flops / median / 1e9), CliJson.Finite(testMse), total,
                    workload.Train.RowCount, workload.Train.ColumnCount, nh, options.BatchSize, options.Seed, Path.GetFullPath(folder), machine),
                    BenchJsonContext.Default.BenchResult);
            }
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

    /// <summary>Whether the machine counts as busy: the 1-minute load average exceeds the cores the run uses.</summary>
    internal static bool IsBusy(IReadOnlyList<double>? loadAverage, int coresUsed) =>
        loadAverage is { Count: > 0 } && loadAverage[0] > coresUsed;

    /// <summary>The stderr line printed when <see cref="IsBusy"/>.</summary>
    internal static string BusyWarning(double load, int coresUsed) => string.Create(CultureInfo.InvariantCulture,
        $"warning: the machine is busy: load average {load:F2} (1 minute) exceeds the {coresUsed} core{(coresUsed == 1 ? "" : "s")} this run uses, " +
        $"so the times will be slower and noisier than on a quiet machine; compare only with figures measured in the same sitting.");

    /// <summary><c>cpu: AMD EPYC (family 26, model 2), 2 logical cores, kernels Vector512, .NET 10.0.12; load average 0.31</c>.</summary>
    internal static string CpuLine(BenchCpu cpu, int coresUsed, IReadOnlyList<double>? load)
    {
        string ids = cpu.Family is { } f ? string.Create(CultureInfo.InvariantCulture, $" (family {f}{(cpu.Model is { } m ? $", model {m}" : "")})") : "";
        string loadText = load is { Count: > 0 } ? string.Create(CultureInfo.InvariantCulture, $"; load average {load[0]:F2}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"cpu: {cpu.Name ?? "unknown"}{ids}, {Environment.ProcessorCount} logical cores ({coresUsed} used), kernels {KernelSelection.Active}, " +
            $"{RuntimeInformation.FrameworkDescription}{loadText}");
    }

    /// <summary>Training and test rows as the model sees them, and a line saying what they are.</summary>
    internal sealed record Workload(IRowSource Train, IRowSource? Test, string Description);

    internal static Workload LoadBernoulli(string folder)
    {
        LoadedData loaded = DataSource.LoadFashionMnist(folder, 0.5f, "--data DIR");
        return new Workload(loaded.Train, loaded.HeldOut,
            string.Create(CultureInfo.InvariantCulture, $"Fashion-MNIST {loaded.Train.RowCount}x{loaded.Columns} binarised (pixel > 127)"));
    }

    /// <summary>
    /// The images as pixel/255, standardised per pixel with the training images' mean and standard deviation + ε (fitted on the
    /// training images only), held as floats like the peer's tensor so the epochs time the training alone.
    /// </summary>
    internal static Workload LoadGaussian(string folder)
    {
        LoadedData loaded = DataSource.LoadFashionMnist(folder, null, "--data DIR");
        Standardization standardization = Standardization.Fit(loaded.Train, GaussianEpsilon);
        Dataset train = Standardized(loaded.Train, standardization);
        Dataset? test = loaded.HeldOut is { } heldOut ? Standardized(heldOut, standardization) : null;
        return new Workload(train, test, string.Create(CultureInfo.InvariantCulture,
            $"Fashion-MNIST {train.Count}x{train.FeatureCount} as pixel/255 standardised per pixel (ε {GaussianEpsilon}), Gaussian visible units, learned variances, η 0.01"));
    }

    private static Dataset Standardized(IRowSource rows, Standardization standardization)
    {
        var values = new Matrix(rows.RowCount, rows.ColumnCount);
        for (int r = 0; r < rows.RowCount; r++) rows.CopyRow(r, values.Row(r));
        standardization.Forward(values, values);
        return new Dataset(values);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>What <c>rbm bench</c> records about the machine: the CPU (as lscpu names it) and the load averages.</summary>
internal static class BenchMachineInfo
{
    /// <summary>The processor from /proc/cpuinfo; where that file is missing (not Linux), the name is null.</summary>
    public static BenchCpu ReadCpu(string path = "/proc/cpuinfo")
    {
        try
        {
            return File.Exists(path) ? ParseCpuInfo(File.ReadAllText(path)) : new BenchCpu(null, null, null);
        }
        catch (IOException)
        {
            return new BenchCpu(null, null, null);
        }
        catch (UnauthorizedAccessException)
        {
            return new BenchCpu(null, null, null);
        }
    }

    /// <summary>The first processor's <c>model name</c>, <c>cpu family</c> and <c>model</c> in /proc/cpuinfo's text.</summary>
    internal static BenchCpu ParseCpuInfo(string text)
    {
        string? name = null;
        int? family = null, model = null;
        foreach (string line in text.Split('\n'))
        {
            if (line.Trim().Length == 0 && name is not null) break;   // the end of the first processor's block
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "model name": name = value; break;
                case "cpu family": family = ParseInt(value); break;
                case "model": model = ParseInt(value); break;
            }
        }
        return new BenchCpu(name, family, model);
    }

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg, or null where it cannot be read.</summary>
    public static IReadOnlyList<double>? ReadLoadAverage() => ReadLoadAverage("/proc/loadavg");

    internal static IReadOnlyList<double>? ReadLoadAverage(string path)
    {
        try
        {
            return File.Exists(path) ? ParseLoadAverage(File.ReadAllText(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The first three numbers of /proc/loadavg's text (<c>0.52 0.58 0.59 1/467 12345</c>), or null.</summary>
    internal static IReadOnlyList<double>? ParseLoadAverage(string text)
    {
        string[] fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3) return null;
        var values = new double[3];
        for (int i = 0; i < 3; i++)
            if (!double.TryParse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]) || values[i] < 0)
                return null;
        return values;
    }

    private static int? ParseInt(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : null;
}
