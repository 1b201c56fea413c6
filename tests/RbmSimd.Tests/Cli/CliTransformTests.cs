using System.Text.Json;
using RbmSimd.Cli;
using RbmSimd.Cli.Commands;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;
using RbmSimd.Stacking;
using RbmSimd.Tests.IO;
using RbmSimd.Tests.Reference;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// <c>rbm transform</c>: the .npy it writes, read back, equals the model's P(h = 1 | v) of the rows computed here, for every
/// model kind, behind a stored data transform, for a DBN, for any thread count and chunk size; user errors are one line.
/// </summary>
[Collection("Console")]
public class CliTransformTests
{
    private static Matrix DigitRows() => Digits.Load().Features;

    private static Matrix Expected(IRbm model, ReadOnlyMatrixView rows)
    {
        var hidden = new Matrix(rows.Rows, model.HiddenCount);
        model.MeanHiddens(rows, hidden, Temperature.One);
        return hidden;
    }

    private static NpyArray Run(string model, string output, params string[] more)
    {
        var (code, _, stderr) = CliRunner.Run(["transform", model, "--data", "digits", "--output", output, .. more]);
        Assert.True(code == 0, stderr);
        return Npy.Read(output);
    }

    [Fact]
    public void BernoulliModel_FeaturesAreMeanHiddensOfTheRows()
    {
        using var folder = new TempFolder();
        string model = folder.File("model.npz"), output = folder.File("features.npy");
        var rbm = BernoulliRbm.CreateRandom(64, 12, seed: 1, weightStdDev: 0.5f);
        ModelFile.Save(rbm, model);
        // 100 does not divide the 1,797 rows: the last chunk is partial.
        NpyArray features = Run(model, output, "--chunk-rows", "100");
        Matrix rows = DigitRows();
        Assert.Equal([rows.Rows, 12], features.Shape.ToArray());
        Assert.Equal(Expected(rbm, rows).AsSpan().ToArray(), features.Values.ToArray());

        // And against the plain double-precision reference, to float accuracy.
        var naive = new NaiveRbm(rbm);
        for (int r = 0; r < rows.Rows; r += 7)
        {
            double[] h = naive.MeanHiddens(rows.Row(r).ToArray().Select(x => (double)x).ToArray());
            for (int j = 0; j < 12; j++) Assert.Equal(h[j], features.Values[r * 12 + j], 1e-6);
        }
    }

    [Fact]
    public void GaussianModel_AppliesTheStoredDataTransformFirst()
    {
        using var folder = new TempFolder();
        string model = folder.File("model.npz"), output = folder.File("features.npy");
        Matrix rows = DigitRows();
        Transform standardise = Standardization.Fit(new Dataset(rows.Clone()), epsilon: 0.01);
        var rbm = GaussianBernoulliRbm.CreateRandom(64, 10, seed: 2, initialization: new GaussianBernoulliInitialization { WeightStdDev = 0.3f, PairedWeights = false, ComponentWeight = null });
        rbm.Parameters["log_variance"].Span.Fill(0.4f);
        ModelFile.Save(rbm, standardise, model);

        NpyArray features = Run(model, output, "--chunk-rows", "500");
        var standardised = new Matrix(rows.Rows, 64);
        standardise.Forward(rows, standardised);
        Matrix expected = Expected(rbm, standardised);
        Assert.Equal(expected.AsSpan().ToArray(), features.Values.ToArray());
        // The test can tell: the features of the raw rows differ.
        Assert.NotEqual(Expected(rbm, rows).AsSpan().ToArray(), features.Values.ToArray());
    }

    [Fact]
    public void Features_AreTheSameBits_ForAnyThreadCountAndChunkSize()
    {
        using var folder = new TempFolder();
        string model = folder.File("model.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(64, 300, seed: 3, weightStdDev: 0.3f), model);
        Run(model, folder.File("a.npy"), "--threads", "1", "--chunk-rows", "1");
        Run(model, folder.File("b.npy"), "--threads", "-1", "--chunk-rows", "4096");
        Run(model, folder.File("c.npy"), "--threads", "2", "--chunk-rows", "33");
        byte[] a = File.ReadAllBytes(folder.File("a.npy"));
        Assert.Equal(a, File.ReadAllBytes(folder.File("b.npy")));
        Assert.Equal(a, File.ReadAllBytes(folder.File("c.npy")));
    }

    [Fact]
    public void Dbn_FeaturesComposeTheLayersMeanHiddens()
    {
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz"), output = folder.File("features.npy");
        var layers = new IRbm[]
        {
            BernoulliRbm.CreateRandom(64, 20, seed: 4, weightStdDev: 0.5f),
            BernoulliRbm.CreateRandom(20, 9, seed: 5, weightStdDev: 1f),
            BernoulliRbm.CreateRandom(9, 5, seed: 6, weightStdDev: 1f),
        };
        DbnFile.Save(new DeepBeliefNetwork(layers), path);
        NpyArray features = Run(path, output, "--chunk-rows", "256");
        Matrix h = DigitRows();
        foreach (IRbm layer in layers) h = Expected(layer, h);
        Assert.Equal([1797, 5], features.Shape.ToArray());
        Assert.Equal(h.AsSpan().ToArray(), features.Values.ToArray());
    }

    [Fact]
    public void CsvData_ReadAsTrainReadsIt_GivesTheDigitsFeatures()
    {
        using var folder = new TempFolder();
        string model = folder.File("model.npz");
        var rbm = BernoulliRbm.CreateRandom(64, 8, seed: 7, weightStdDev: 0.5f);
        ModelFile.Save(rbm, model);
        string csv = Path.Combine(CliExamplesTests.RepositoryRoot(), "data", "optdigits-8x8.csv.gz");
        var (code, stdout, stderr) = CliRunner.Run("transform", model, "--data", csv, "--scale", "16", "--label-column", "last",
            "--output", folder.File("f.npy"), "--json");
        Assert.True(code == 0, stderr);
        JsonElement json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1797, json.GetProperty("rows").GetInt32());
        Assert.Equal(64, json.GetProperty("visible").GetInt32());
        Assert.Equal(8, json.GetProperty("hidden").GetInt32());
        Assert.Equal("bernoulli", json.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("transform").ValueKind);
        Assert.Equal(Expected(rbm, DigitRows()).AsSpan().ToArray(), Npy.Read(folder.File("f.npy")).Values.ToArray());
    }

    /// <summary>A data set of many rows that exist only when read: what the features of all of them would take in memory is far more than a chunk's.</summary>
    private sealed class VirtualRows(int rows, int cols) : IRowSource
    {
        public long PeakBytes { get; private set; }

        public int RowCount => rows;

        public int ColumnCount => cols;

        public void CopyRow(int row, Span<float> destination)
        {
            for (int c = 0; c < cols; c++) destination[c] = ((row * 31 + c * 7) % 11) / 10f;
            // Live objects only (a full collection first), so that garbage awaiting collection does not count.
            if (row % 10_000 == 0) PeakBytes = Math.Max(PeakBytes, GC.GetTotalMemory(forceFullCollection: true));
        }
    }

    [Fact]
    public void LargeData_MemoryGrowsWithAChunk_NotWithTheDataSet()
    {
        using var folder = new TempFolder();
        const int Rows = 100_000, Hidden = 256;
        var layers = new IRbm[] { BernoulliRbm.CreateRandom(16, Hidden, seed: 1, weightStdDev: 0.3f), BernoulliRbm.CreateRandom(Hidden, Hidden, seed: 2) };
        var model = new ModelInput("dbn.npz", new DeepBeliefNetwork(layers), null, IsDbn: true);
        var rows = new VirtualRows(Rows, 16);
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        string path = folder.File("features.npy");
        TransformCommand.Write(model, rows, "virtual", path, chunkRows: 1000, threads: -1);
        long features = (long)Rows * Hidden * sizeof(float);   // 102 MB
        Assert.True(rows.PeakBytes - before < features / 4,
            $"the heap grew by {(rows.PeakBytes - before) / 1e6:F1} MB while the features take {features / 1e6:F1} MB");
        using (var header = new MemoryStream())
        {
            _ = new NpyRowWriter(header, Rows, Hidden);
            Assert.Equal(header.Length + features, new FileInfo(path).Length);
        }
        // Spot-check the last row against the layers.
        float[] last = new float[16];
        rows.CopyRow(Rows - 1, last);
        Matrix h = new Matrix(1, 16);
        last.CopyTo(h.Row(0));
        foreach (IRbm layer in layers) h = Expected(layer, h);
        using var file = File.OpenRead(path);
        file.Position = file.Length - Hidden * sizeof(float);
        var tail = new byte[Hidden * sizeof(float)];
        file.ReadExactly(tail);
        Assert.Equal(h.AsSpan().ToArray(), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(tail).ToArray());
    }

    public static TheoryData<string[], string> UserErrors() => new()
    {
        { ["transform", "{model}", "--output", "{dir}/f.npy"], "rbm transform needs --data" },
        { ["transform", "{model}", "--data", "digits"], "rbm transform needs --output FILE.npy" },
        { ["transform", "{model}", "--data", "digits", "--output", "{model}"], "is the model file" },
        { ["transform", "{model}", "--data", "digits", "--output", "{dir}"], "is a folder; give a file name" },
        { ["transform", "{model}", "--data", "bars:3", "--output", "{dir}/f.npy"], "has 9 columns but the model has 64 visible units" },
        { ["transform", "{dir}/none.npz", "--data", "digits", "--output", "{dir}/f.npy"], "not found" },
        { ["transform", "{model}", "--data", "digits", "--output", "{dir}/f.npy", "--chunk-rows", "0"], "--chunk-rows must be a whole number from 1 to 1000000" },
        { ["transform", "{model}", "--data", "digits", "--output", "{dir}/f.npy", "--part", "test"], "--part test: --data 'digits' has no test rows of its own" },
        { ["transform", "{model}", "--data", "digits", "--output", "{dir}/f.npy", "--part", "tset"], "--part must be one of train, test (it is 'tset')" },
        { ["transform", "{model}", "--data", "digits", "--output", "{dir}/f.npy", "--threads", "0"], "--threads must be -1 (all cores) or a whole number of at least 1" },
    };

    [Theory]
    [MemberData(nameof(UserErrors))]
    public void UserError_IsOneLineWithCode2_AndWritesNothing(string[] args, string expected)
    {
        using var folder = new TempFolder();
        string model = folder.File("model.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(64, 4, seed: 1), model);
        byte[] modelBytes = File.ReadAllBytes(model);
        string[] resolved = args.Select(a => a.Replace("{model}", model).Replace("{dir}", folder.Path)).ToArray();
        var (code, stdout, stderr) = CliRunner.Run(resolved);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.StartsWith("rbm: error:", stderr);
        Assert.True(stderr.Contains(expected, StringComparison.Ordinal), stderr);
        Assert.False(File.Exists(folder.File("f.npy")));
        Assert.Equal(modelBytes, File.ReadAllBytes(model));
    }

    [Fact]
    public void Output_ThroughALinkToTheModel_IsRefused()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("run"));
        string model = Path.Combine(folder.File("run"), "model.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(64, 4, seed: 1), model);
        Directory.CreateSymbolicLink(folder.File("latest"), "run");
        var (code, _, stderr) = CliRunner.Run("transform", Path.Combine(folder.File("latest"), "model.npz"), "--data", "digits", "--output", model);
        Assert.Equal(2, code);
        Assert.Contains("is the model file", stderr);
        Assert.NotNull(ModelFile.Load(model));
    }
}
