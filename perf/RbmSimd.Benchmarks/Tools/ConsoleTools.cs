using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Persistence;
using RbmSimd.Training;

namespace RbmSimd.Benchmarks.Tools;

/// <summary>
/// Timings too long for BenchmarkDotNet's repeated invocations, run once per call by perf/scripts (one JSON line each):
/// <list type="bullet">
/// <item><c>ais MODEL [--runs 100] [--transitions 14500] [--schedule uniform|sm] [--threads 1] [--seed 1] [--warmup 100]</c>:
/// annealed importance sampling of log Z (<see cref="AnnealedImportanceSampling.Estimate(IRbm, AisOptions, Action{double}?, CancellationToken)"/>),
/// after an untimed warm-up estimate of <c>--warmup</c> transitions (so the JIT is not timed). Uniform schedules match
/// <c>ais_numpy.py --betas K</c> step for step; the time does not depend on where the temperatures lie.</item>
/// <item><c>make-model OUT.npz [--data DIR] [--hidden 500] [--epochs 1] [--seed 1] [--threads 1]</c>: a 784 × nh Bernoulli
/// model trained by CD-1 on Fashion-MNIST binarised at pixel &gt; 127 (η 0.1, momentum 0.5, batch 100, as <c>rbm bench</c>),
/// saved as a model file that numpy reads (W, visible_bias, hidden_bias).</item>
/// </list>
/// <c>conv-epoch</c> and <c>conv-products</c> time the convolutional RBM (see <see cref="ConvolutionTimings"/>).
/// Until <c>rbm logz MODEL --ais</c> exists this is how the scripts time AIS.
/// </summary>
public static class ConsoleTools
{
    /// <summary>Runs a tool when <paramref name="args"/> names one; false lets BenchmarkDotNet take the arguments.</summary>
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0) return false;
        try
        {
            switch (args[0])
            {
                case "ais": exitCode = Ais(new Arguments(args[1..])); return true;
                case "make-model": exitCode = MakeModel(new Arguments(args[1..])); return true;
                case "conv-epoch": exitCode = ConvEpoch(new Arguments(args[1..])); return true;
                case "conv-products": exitCode = ConvProducts(new Arguments(args[1..])); return true;
                default: return false;
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{args[0]}: {e.Message}");
            exitCode = 2;
            return true;
        }
    }

    private static int Ais(Arguments a)
    {
        string path = a.Positional("MODEL");
        int runs = a.Int("--runs", 100), transitions = a.Int("--transitions", 14_500), threads = a.Int("--threads", 1), warmup = a.Int("--warmup", 100);
        ulong seed = (ulong)a.Int("--seed", 1);
        string schedule = a.String("--schedule", "uniform");
        a.RequireAllUsed();
        AnnealingSchedule Schedule(int k) => schedule switch
        {
            "uniform" => AnnealingSchedule.Uniform(k),
            "sm" => AnnealingSchedule.SalakhutdinovMurray(Math.Max(k, 3)),
            _ => throw new ArgumentException($"--schedule must be uniform or sm (it is '{schedule}')."),
        };
        IRbm model = ModelFile.Load(path);
        if (warmup > 0)
            AnnealedImportanceSampling.Estimate(model, new AisOptions { Runs = runs, Schedule = Schedule(warmup), Seed = seed + 1, MaxDegreeOfParallelism = threads });
        var options = new AisOptions { Runs = runs, Schedule = Schedule(transitions), Seed = seed, MaxDegreeOfParallelism = threads };
        var clock = Stopwatch.StartNew();
        LogZEstimate estimate = AnnealedImportanceSampling.Estimate(model, options);
        double seconds = clock.Elapsed.TotalSeconds;
        Print(new Dictionary<string, object?>
        {
            ["what"] = "rbmsimd_ais", ["model"] = Path.GetFullPath(path), ["visible"] = model.VisibleCount, ["hidden"] = model.HiddenCount,
            ["runs"] = runs, ["transitions"] = options.Schedule.Transitions, ["schedule"] = schedule, ["threads"] = threads, ["seed"] = seed,
            ["log_z"] = Finite(estimate.LogZ), ["log_z_lower"] = Finite(estimate.Lower), ["log_z_upper"] = Finite(estimate.Upper),
            ["seconds"] = seconds, ["library_seconds"] = estimate.Seconds, ["warmup_transitions"] = warmup,
            ["kernels"] = KernelSelection.Active.ToString(),
        });
        return 0;
    }

    private static int MakeModel(Arguments a)
    {
        string output = a.Positional("OUT.npz");
        string folder = a.String("--data", "/usr/share/datasets/fashion-mnist");
        int hidden = a.Int("--hidden", 500), epochs = a.Int("--epochs", 1), threads = a.Int("--threads", 1);
        ulong seed = (ulong)a.Int("--seed", 1);
        a.RequireAllUsed();
        ByteDataset train = IdxData.LoadBytes(Path.Combine(folder, "train-images-idx3-ubyte.gz"), binarizeAbove: 127);
        var rbm = BernoulliRbm.CreateRandom(train.ColumnCount, hidden, seed, train);
        var options = new TrainingOptions
        {
            Epochs = epochs, BatchSize = 100, LearningRate = 0.1f, InitialMomentum = 0.5f, FinalMomentum = 0.5f, Seed = seed,
            MonitorRows = 1, ExactLogLikelihoodMaxUnits = 0, MaxDegreeOfParallelism = threads,
        };
        var clock = Stopwatch.StartNew();
        new RbmTrainer(rbm, options).Train(train);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        ModelFile.Save(rbm, output);
        Print(new Dictionary<string, object?>
        {
            ["what"] = "rbmsimd_make_model", ["model"] = Path.GetFullPath(output), ["visible"] = rbm.VisibleCount, ["hidden"] = hidden,
            ["epochs"] = epochs, ["seed"] = seed, ["seconds"] = clock.Elapsed.TotalSeconds,
        });
        return 0;
    }

    private static int ConvEpoch(Arguments a)
    {
        int layer = a.Int("--layer", 1), images = a.Int("--images", 10_000), threads = a.Int("--threads", 1), epochs = a.Int("--epochs", 2);
        int batch = a.Int("--batch", 64);
        ulong seed = (ulong)a.Int("--seed", 1);
        string folder = a.String("--data", "/usr/share/datasets/fashion-mnist");
        a.RequireAllUsed();
        return ConvolutionTimings.Epoch(layer, images, threads, epochs, batch, seed, folder);
    }

    private static int ConvProducts(Arguments a)
    {
        int layer = a.Int("--layer", 1), threads = a.Int("--threads", 1), batch = a.Int("--batch", 64), repeats = a.Int("--repeats", 30);
        a.RequireAllUsed();
        return ConvolutionTimings.Products(layer, threads, batch, repeats);
    }

    private static double? Finite(double x) => double.IsFinite(x) ? x : null;

    private static void Print(Dictionary<string, object?> record) => Console.WriteLine(JsonSerializer.Serialize(record));

    /// <summary><c>--name value</c> pairs and positional arguments; every option must be consumed.</summary>
    private sealed class Arguments
    {
        private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
        private readonly List<string> _positional = [];
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public Arguments(string[] args)
        {
            for (int i = 0; i < args.Length; i++)
            {
                if (args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value.");
                    _options[args[i]] = args[++i];
                }
                else _positional.Add(args[i]);
            }
        }

        public string Positional(string name) =>
            _positional.Count == 1 ? _positional[0] : throw new ArgumentException($"give exactly one {name} (got {_positional.Count} positional arguments).");

        public string String(string name, string defaultValue)
        {
            _used.Add(name);
            return _options.GetValueOrDefault(name, defaultValue);
        }

        public int Int(string name, int defaultValue)
        {
            _used.Add(name);
            if (!_options.TryGetValue(name, out string? text)) return defaultValue;
            return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
                ? v : throw new ArgumentException($"{name} must be a whole number (it is '{text}').");
        }

        public void RequireAllUsed()
        {
            foreach (string name in _options.Keys)
                if (!_used.Contains(name)) throw new ArgumentException($"unknown option {name}.");
        }
    }
}
