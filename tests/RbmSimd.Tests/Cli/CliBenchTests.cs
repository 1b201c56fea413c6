using System.IO.Compression;
using System.Text.Json;
using RbmSimd.Cli.Commands;
using RbmSimd.Cli.Json;
using RbmSimd.Data;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// <c>rbm bench</c> on a small Fashion-MNIST-shaped folder (random 8×8 images): the CPU line, the busy warning driven by an
/// injected load average, the JSON written by System.Text.Json, and the Gaussian workload's data preparation.
/// No test here depends on a clock.
/// </summary>
[Collection("Console")]
public sealed class CliBenchTests : IDisposable
{
    private const int TrainRows = 300, TestRows = 60, Side = 8;
    private readonly TempFolder _folder = new();
    private readonly Func<IReadOnlyList<double>?> _originalReader = BenchCommand.LoadAverageReader;

    public CliBenchTests()
    {
        var random = new Random(5);
        WriteIdxImages(_folder.File("train-images-idx3-ubyte.gz"), TrainRows, random);
        WriteIdxImages(_folder.File("t10k-images-idx3-ubyte.gz"), TestRows, random);
    }

    public void Dispose()
    {
        BenchCommand.LoadAverageReader = _originalReader;
        _folder.Dispose();
    }

    /// <summary>Gzipped IDX images (magic 0x803, count, height, width, then the bytes), like Fashion-MNIST's files.</summary>
    private static void WriteIdxImages(string path, int count, Random random)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        foreach (int word in new[] { 0x803, count, Side, Side })
            gzip.Write([(byte)(word >> 24), (byte)(word >> 16), (byte)(word >> 8), (byte)word]);
        var pixels = new byte[count * Side * Side];
        random.NextBytes(pixels);
        gzip.Write(pixels);
    }

    private (int Code, string Out, string Err) Bench(double load, params string[] args)
    {
        BenchCommand.LoadAverageReader = () => [load, load, load];
        return CliRunner.Run(["bench", "--data", _folder.Path, "--hidden", "6", "--batch-size", "50", .. args]);
    }

    [Fact]
    public void Busy_LoadAboveTheCoresUsed_WarnsOnStderr()
    {
        var (code, stdout, stderr) = Bench(3.5, "--threads", "1");
        Assert.Equal(0, code);
        Assert.Contains("warning: the machine is busy: load average 3.50 (1 minute) exceeds the 1 core this run uses", stderr);
        Assert.DoesNotContain("warning", stdout);
    }

    [Fact]
    public void Quiet_LoadAtOrBelowTheCoresUsed_NoWarning()
    {
        var (code, _, stderr) = Bench(0.9, "--threads", "1");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.False(BenchCommand.IsBusy([1.0], 1));
        Assert.True(BenchCommand.IsBusy([1.01], 1));
        Assert.False(BenchCommand.IsBusy(null, 1));
        Assert.False(BenchCommand.IsBusy([], 1));
    }

    [Fact]
    public void Busy_AllCores_ComparesWithTheProcessorCount()
    {
        int cores = Environment.ProcessorCount;
        var (_, _, quiet) = Bench(cores - 0.5, "--threads", "-1");
        Assert.Equal("", quiet);
        var (_, _, busy) = Bench(cores + 0.5, "--threads", "-1");
        Assert.Contains($"exceeds the {cores} core{(cores == 1 ? "" : "s")} this run uses", busy);
    }

    [Fact]
    public void Text_NamesTheCpuThenTheWorkload_KeepsTheEpochLines()
    {
        var (code, stdout, _) = Bench(0, "--epochs", "2");
        Assert.Equal(0, code);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.StartsWith("cpu: ", lines[0]);
        Assert.Contains("kernels ", lines[0]);
        if (File.Exists("/proc/cpuinfo") && BenchMachineInfo.ReadCpu().Name is { } name)
            Assert.Contains(name, lines[0]);
        Assert.StartsWith($"workload: Fashion-MNIST {TrainRows}x{Side * Side} binarised (pixel > 127), 6 hidden, batch 50, CD-1, 1 thread", lines[1]);
        Assert.StartsWith("epoch 1: ", lines[2]);
        Assert.StartsWith("epoch 2: ", lines[3]);
        Assert.StartsWith("median ", lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public void Json_OneObject_SnakeCaseKeys_MachineAndLoadRecorded()
    {
        var (code, stdout, stderr) = Bench(7.25, "--epochs", "3", "--pcd", "--json");
        Assert.Equal(0, code);
        Assert.Contains("warning: the machine is busy", stderr);
        string line = Assert.Single(stdout.TrimEnd('\n').Split('\n'));
        JsonElement json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("rbmsimd", json.GetProperty("system").GetString());
        Assert.Equal("pcd1", json.GetProperty("algorithm").GetString());
        Assert.Equal("bernoulli", json.GetProperty("visible_units").GetString());
        Assert.Equal(1, json.GetProperty("threads").GetInt32());
        Assert.Equal(3, json.GetProperty("epochs").GetInt32());
        Assert.Equal(3, json.GetProperty("seconds_per_epoch").GetArrayLength());
        Assert.True(json.GetProperty("median_seconds_per_epoch").GetDouble() > 0);
        Assert.True(json.GetProperty("test_reconstruction_mse").GetDouble() is > 0 and < 1);
        Assert.Equal(TrainRows, json.GetProperty("rows").GetInt32());
        Assert.Equal(Side * Side, json.GetProperty("visible").GetInt32());
        Assert.Equal(6, json.GetProperty("hidden").GetInt32());
        Assert.Equal(50, json.GetProperty("batch_size").GetInt32());
        JsonElement machine = json.GetProperty("machine");
        Assert.True(machine.GetProperty("busy").GetBoolean());
        Assert.Equal(1, machine.GetProperty("cores_used").GetInt32());
        Assert.Equal(7.25, machine.GetProperty("load_average_before")[0].GetDouble());
        Assert.Equal(Environment.ProcessorCount, machine.GetProperty("logical_cores").GetInt32());
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("kernels").GetString()));
        Assert.True(machine.GetProperty("cpu").TryGetProperty("family", out _));
        foreach (JsonProperty property in json.EnumerateObject().Concat(machine.EnumerateObject()))
            Assert.Matches("^[a-z][a-z0-9_]*$", property.Name);
    }

    [Fact]
    public void Json_Quiet_BusyIsFalse()
    {
        var (_, stdout, _) = Bench(0.25, "--json");
        JsonElement machine = JsonDocument.Parse(stdout).RootElement.GetProperty("machine");
        Assert.False(machine.GetProperty("busy").GetBoolean());
    }

    [Fact]
    public void Gaussian_RunsTheGaussianWorkload()
    {
        var (code, stdout, stderr) = Bench(0, "--visible", "gaussian", "--epochs", "2", "--json");
        Assert.True(code == 0, stderr);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("gaussian", json.GetProperty("visible_units").GetString());
        Assert.Equal("cd1", json.GetProperty("algorithm").GetString());
        Assert.Equal(2, json.GetProperty("seconds_per_epoch").GetArrayLength());
        Assert.True(double.IsFinite(json.GetProperty("test_reconstruction_mse").GetDouble()));

        var (_, text, _) = Bench(0, "--visible", "GAUSSIAN");
        Assert.Contains("as pixel/255 standardised per pixel (ε 0.01), Gaussian visible units, learned variances", text.Split('\n')[1]);
    }

    [Fact]
    public void Gaussian_Data_IsEachPixelStandardisedOnTheTrainingImages()
    {
        BenchCommand.Workload workload = BenchCommand.LoadGaussian(_folder.Path);
        ByteDataset raw = IdxData.LoadBytes(_folder.File("train-images-idx3-ubyte.gz"));
        ByteDataset rawTest = IdxData.LoadBytes(_folder.File("t10k-images-idx3-ubyte.gz"));
        int d = Side * Side;
        var (mean, sd) = (new double[d], new double[d]);
        var row = new float[d];
        for (int r = 0; r < TrainRows; r++)
        {
            raw.CopyRow(r, row);
            for (int j = 0; j < d; j++) mean[j] += row[j] / (double)TrainRows;
        }
        for (int r = 0; r < TrainRows; r++)
        {
            raw.CopyRow(r, row);
            for (int j = 0; j < d; j++) sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / TrainRows;   // population variance, as numpy's std
        }
        for (int j = 0; j < d; j++) sd[j] = Math.Sqrt(sd[j]);
        var got = new float[d];
        foreach (var (source, rows, expectedRows) in new[] { (workload.Train, raw, TrainRows), (workload.Test!, rawTest, TestRows) })
        {
            Assert.Equal(expectedRows, source.RowCount);
            for (int r = 0; r < expectedRows; r += 7)
            {
                rows.CopyRow(r, row);
                source.CopyRow(r, got);
                for (int j = 0; j < d; j++)
                    Assert.Equal((row[j] - mean[j]) / (sd[j] + BenchCommand.GaussianEpsilon), got[j], 1e-4);
            }
        }
    }

    [Fact]
    public void UnknownVisibleKind_IsAUserError()
    {
        CliUsageErrorTests.AssertUserError(CliRunner.Run("bench", "--visible", "binary"), "--visible must be one of bernoulli, gaussian (it is 'binary')");
    }

    [Fact]
    public void CpuInfo_TakesTheFirstProcessor()
    {
        const string text = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 26\nmodel\t\t: 2\nmodel name\t: AMD EPYC 9B45\nflags\t\t: fpu avx512f\n\n" +
                            "processor\t: 1\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nmodel name\t: Other\n";
        Assert.Equal(new BenchCpu("AMD EPYC 9B45", 26, 2), BenchMachineInfo.ParseCpuInfo(text));
        Assert.Equal(new BenchCpu(null, null, null), BenchMachineInfo.ParseCpuInfo(""));
    }

    [Fact]
    public void LoadAverage_ParsesProcLoadavg()
    {
        Assert.Equal([0.52, 1.5, 15.42], BenchMachineInfo.ParseLoadAverage("0.52 1.50 15.42 3/467 12345\n"));
        Assert.Null(BenchMachineInfo.ParseLoadAverage("0.52 x 1"));
        Assert.Null(BenchMachineInfo.ParseLoadAverage(""));
    }
}
