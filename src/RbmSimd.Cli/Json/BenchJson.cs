using System.Text.Json.Serialization;

namespace RbmSimd.Cli.Json;

/// <summary>
/// The <c>--json</c> output of <c>rbm bench</c>, written by System.Text.Json's source generator with the conventions of
/// <see cref="CliJsonContext"/>: snake_case keys, <c>visible</c> and <c>hidden</c> are unit counts, <c>rows</c> the training
/// rows, figures that could not be computed are null.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BenchResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;

/// <summary><c>rbm bench --json</c>: one object per run.</summary>
/// <param name="System">Always <c>rbmsimd</c> (peer harnesses print their own names), so result files can mix systems.</param>
/// <param name="Algorithm"><c>cd1</c> or <c>pcd1</c>.</param>
/// <param name="VisibleUnits"><c>bernoulli</c> (pixels binarised at &gt; 127) or <c>gaussian</c> (pixels/255, standardised per pixel).</param>
/// <param name="Threads">The <c>--threads</c> value as given (−1: all cores).</param>
/// <param name="Epochs">Epochs timed.</param>
/// <param name="SecondsPerEpoch">Each epoch's training time (not its metrics).</param>
/// <param name="MedianSecondsPerEpoch">The median of <paramref name="SecondsPerEpoch"/>.</param>
/// <param name="Gflops">Effective GFLOP/s of the median epoch, counting five products of 2·B·nv·nh per minibatch.</param>
/// <param name="TestReconstructionMse">Mean-field reconstruction MSE on the test images after the last epoch (in the standardised units for gaussian).</param>
/// <param name="TotalSeconds">Wall time of the training loop, metrics included.</param>
/// <param name="Rows">Training rows.</param>
/// <param name="Visible">Visible units.</param>
/// <param name="Hidden">Hidden units.</param>
/// <param name="BatchSize">Rows per minibatch.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Data">The data folder, as an absolute path.</param>
/// <param name="Machine">Where it ran.</param>
internal sealed record BenchResult(string System, string Algorithm, string VisibleUnits, int Threads, int Epochs,
    IReadOnlyList<double> SecondsPerEpoch, double? MedianSecondsPerEpoch, double? Gflops, double? TestReconstructionMse,
    double TotalSeconds, int Rows, int Visible, int Hidden, int BatchSize, ulong Seed, string Data, BenchMachine Machine);

/// <summary>The machine a bench ran on.</summary>
/// <param name="Cpu">The processor as the operating system names it.</param>
/// <param name="LogicalCores">Logical cores this process may use.</param>
/// <param name="CoresUsed">Cores the run uses: its threads, at most <paramref name="LogicalCores"/>.</param>
/// <param name="Kernels">The kernel tier the library selected (<c>Vector512</c>, <c>Vector256</c>, …).</param>
/// <param name="Runtime">The .NET runtime.</param>
/// <param name="LoadAverageBefore">1-, 5- and 15-minute load averages before the run, or null where the system does not report them.</param>
/// <param name="LoadAverageAfter">The same after the run.</param>
/// <param name="Busy">Whether the 1-minute load average before the run exceeded <paramref name="CoresUsed"/> (rbm then warned on stderr).</param>
internal sealed record BenchMachine(BenchCpu Cpu, int LogicalCores, int CoresUsed, string Kernels, string Runtime,
    IReadOnlyList<double>? LoadAverageBefore, IReadOnlyList<double>? LoadAverageAfter, bool Busy);

/// <summary>The processor: <c>model name</c>, <c>cpu family</c> and <c>model</c> of /proc/cpuinfo (lscpu's fields); null where unknown.</summary>
internal sealed record BenchCpu(string? Name, int? Family, int? Model);
