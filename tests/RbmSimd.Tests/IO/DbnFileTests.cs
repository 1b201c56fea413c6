using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;
using RbmSimd.Stacking;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>DBN files: the documented layout, exact round trips, and a one-line error for every kind of broken file.</summary>
public class DbnFileTests
{
    /// <summary>Three Bernoulli layers 7-5-4-3 with distinct, non-trivial parameters.</summary>
    private static DeepBeliefNetwork Bernoulli3() => new(
    [
        BernoulliRbm.CreateRandom(7, 5, seed: 1, weightStdDev: 1f),
        BernoulliRbm.CreateRandom(5, 4, seed: 2, weightStdDev: 1f),
        BernoulliRbm.CreateRandom(4, 3, seed: 3, weightStdDev: 1f),
    ]);

    /// <summary>A Gaussian-Bernoulli first layer behind a standardisation of 6 columns, and a Bernoulli layer above it.</summary>
    private static (DeepBeliefNetwork Network, Transform Transform) GaussianWithTransform()
    {
        var random = new Random(5);
        var rows = new Matrix(50, 6);
        for (int r = 0; r < 50; r++)
            for (int c = 0; c < 6; c++) rows[r, c] = (float)(random.NextDouble() * (c + 1) * 10);
        Transform transform = Standardization.Fit(new Dataset(rows), epsilon: 0.01);
        var first = GaussianBernoulliRbm.CreateRandom(6, 4, seed: 7, initialization: new GaussianBernoulliInitialization { WeightStdDev = 0.5f, PairedWeights = false, ComponentWeight = null });
        first.Parameters["log_variance"].Span.Fill(-0.5f);
        first.Parameters["visible_bias"].Span[2] = 1.5f;
        return (new DeepBeliefNetwork([first, BernoulliRbm.CreateRandom(4, 2, seed: 8, weightStdDev: 1f)]), transform);
    }

    private static void AssertSameNetwork(DeepBeliefNetwork expected, DeepBeliefNetwork actual)
    {
        Assert.Equal(expected.Layers.Count, actual.Layers.Count);
        for (int l = 0; l < expected.Layers.Count; l++)
        {
            IRbm e = expected.Layers[l], a = actual.Layers[l];
            Assert.Equal(e.Kind, a.Kind);
            Assert.Equal((e.VisibleCount, e.HiddenCount), (a.VisibleCount, a.HiddenCount));
            Assert.Equal(e.Parameters.Select(p => p.Name), a.Parameters.Select(p => p.Name));
            foreach (Parameter p in e.Parameters) Assert.Equal(p.Span.ToArray(), a.Parameters[p.Name].Span.ToArray());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveLoad_RoundTrip(bool compress)
    {
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        DeepBeliefNetwork network = Bernoulli3();
        DbnFile.Save(network, path, compress);
        AssertSameNetwork(network, DbnFile.Load(path));
        Assert.Null(DbnFile.LoadWithTransform(path).DataTransform);
    }

    [Fact]
    public void SaveLoad_GaussianFirstLayerAndDataTransform_RoundTrip()
    {
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        var (network, transform) = GaussianWithTransform();
        DbnFile.Save(network, transform, path);
        var (back, backTransform) = DbnFile.LoadWithTransform(path);
        AssertSameNetwork(network, back);
        Assert.IsType<GaussianBernoulliRbm>(back.Layers[0]);
        Assert.NotNull(backTransform);
        Assert.Equal(transform.ToArrays().Select(a => (a.Name, a.Values.ToArray())), backTransform.ToArrays().Select(a => (a.Name, a.Values.ToArray())));
    }

    [Fact]
    public void Layout_IsTheDocumentedOne_AndEachLayerIsAModelFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        DeepBeliefNetwork network = Bernoulli3();
        DbnFile.Save(network, path);
        IReadOnlyDictionary<string, NpyArray> arrays = Npz.Read(path);
        string[] expected = ["model_kind", "format_version", "layer_count",
            .. Enumerable.Range(0, 3).SelectMany(l => new[] { "W", "visible_bias", "hidden_bias", "model_kind", "format_version" }.Select(n => $"layer{l}.{n}"))];
        Assert.Equal(expected.Order(StringComparer.Ordinal), arrays.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, arrays["model_kind"].Rank);
        Assert.Equal(["dbn"], arrays["model_kind"].Texts.ToArray());
        Assert.True(arrays["format_version"].IsInteger);
        Assert.Equal([1L], arrays["format_version"].Integers.ToArray());
        Assert.Equal(0, arrays["layer_count"].Rank);
        Assert.Equal([3L], arrays["layer_count"].Integers.ToArray());
        Assert.Equal([5, 4], arrays["layer1.W"].Shape.ToArray());
        for (int l = 0; l < 3; l++)
        {
            // Strip the prefix: what is left is a model file's arrays.
            var layer = arrays.Where(kv => kv.Key.StartsWith($"layer{l}.", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[$"layer{l}.".Length..], kv => kv.Value);
            string single = folder.File($"layer{l}.npz");
            Npz.Write(single, layer);
            BernoulliRbm model = ModelFile.Load<BernoulliRbm>(single);
            Assert.Equal(((BernoulliRbm)network.Layers[l]).Weights.ToArray(), model.Weights.ToArray());
        }
    }

    [Fact]
    public void ModelFile_RefusesADbnFile_SayingWhatItIs()
    {
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        DbnFile.Save(Bernoulli3(), path);
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Equal($"{path}: holds a Deep Belief Network (model_kind 'dbn'), not a single model.", e.Message);
    }

    [Fact]
    public void DbnFile_RefusesASingleModelFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.npz");
        ModelFile.Save(BernoulliRbm.CreateRandom(3, 2, seed: 1), path);
        var e = Assert.Throws<InvalidDataException>(() => DbnFile.Load(path));
        Assert.True(e.Message.Contains("model_kind is 'bernoulli', not 'dbn': the file holds a single model", StringComparison.Ordinal), e.Message);
        Npz.Write(path, Npz.Read(path).Where(kv => kv.Key != "model_kind"));
        e = Assert.Throws<InvalidDataException>(() => DbnFile.Load(path));
        Assert.Contains("array 'model_kind' is missing", e.Message);
    }

    /// <summary>A valid file's arrays changed one way each: the message that must name the problem.</summary>
    public static TheoryData<string, string> Breakages() => new()
    {
        { "missing layer", "layer 2 is missing: there are no arrays named 'layer2.*' (layer_count is 3)" },
        { "extra layer", "array 'layer3.W' belongs to layer 3, but layer_count is 3 (layers 0 to 2)" },
        { "mismatched sizes", "array 'layer1.W' has shape (6, 4): 6 visible units, but layer 0 has 5 hidden units, which are layer 1's visible units" },
        { "bias length", "layer 1 (arrays 'layer1.*'): array 'W' has shape (5, 4) (4 hidden units) but 'hidden_bias' has 3 entries" },
        { "unknown layer kind", "layer 1 (arrays 'layer1.*'): model_kind is 'hopfield', which this version of RbmSimd does not know" },
        { "nested dbn", "layer 1 (arrays 'layer1.*'): holds a Deep Belief Network (model_kind 'dbn'), not a single model" },
        { "gaussian above the first", "layer 1 is a gaussian-bernoulli model, but the layers above the first see the binary hidden units below them and must have Bernoulli visible units" },
        { "layer kind missing", "array 'layer1.model_kind' is missing; every layer names its kind" },
        { "layer kind numeric", "layer 1 (arrays 'layer1.*'): array 'model_kind' has shape () and holds numbers but must be a single string" },
        { "weights missing", "layer 0 (arrays 'layer0.*'): array 'W' is missing" },
        { "non-finite", "layer 2 (arrays 'layer2.*'): array 'visible_bias' holds NaN at [1]; parameters must be finite" },
        { "stray layer array", "array 'layer0.momentum' is not a parameter of layer 0, a bernoulli model" },
        { "layer transform", "array 'layer0.transform.0.scaling.factor' is not a parameter of layer 0" },
        { "unknown array", "array 'labels' is not part of a DBN file" },
        { "leading zero", "array 'layer01.W' is not part of a DBN file" },
        { "kind not dbn", "model_kind is 'bernoulli', not 'dbn': the file holds a single model, not a Deep Belief Network" },
        { "version 2", "format_version is 2, but this version of RbmSimd reads only DBN format version 1" },
        { "version missing", "array 'format_version' is missing" },
        { "version text", "array 'format_version' has shape () and holds text but must hold a single whole number" },
        { "count missing", "array 'layer_count' is missing" },
        { "count zero", "layer_count is 0; a network has from 1 to 1000 layers" },
        { "count huge", "layer_count is 4294967296; a network has from 1 to 1000 layers" },
        { "count fraction", "array 'layer_count' holds 2.5 but must hold a whole number" },
        { "count vector", "array 'layer_count' has shape (2,) but must hold a single whole number" },
        { "transform misfit", "the stored data transform gives 3 values but the model has 7 visible units" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Load_BrokenFile_OneLineNamingTheProblem(string breakage, string message)
    {
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        var arrays = new Dictionary<string, NpyArray>(DbnFile.ToArrays(Bernoulli3()));
        Break(arrays, breakage);
        Npz.Write(path, arrays);
        var e = Assert.Throws<InvalidDataException>(() => DbnFile.LoadWithTransform(path));
        Assert.StartsWith(path, e.Message);
        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static void Break(Dictionary<string, NpyArray> a, string breakage)
    {
        switch (breakage)
        {
            case "missing layer":
                foreach (string k in a.Keys.Where(k => k.StartsWith("layer2.", StringComparison.Ordinal)).ToList()) a.Remove(k);
                break;
            case "extra layer":
                a["layer3.W"] = NpyArray.FromMatrix(new Matrix(3, 2));
                break;
            case "mismatched sizes":
                a["layer1.W"] = NpyArray.FromMatrix(new Matrix(6, 4));
                a["layer1.visible_bias"] = NpyArray.FromVector(new float[6]);
                break;
            case "bias length":
                a["layer1.hidden_bias"] = NpyArray.FromVector(new float[3]);
                break;
            case "unknown layer kind":
                a["layer1.model_kind"] = NpyArray.FromString("hopfield");
                a["layer1.format_version"] = NpyArray.FromScalar(2);
                break;
            case "nested dbn":
                a["layer1.model_kind"] = NpyArray.FromString("dbn");
                break;
            case "gaussian above the first":
                a["layer1.model_kind"] = NpyArray.FromString("gaussian-bernoulli");
                a["layer1.format_version"] = NpyArray.FromScalar(2);
                a["layer1.log_variance"] = NpyArray.FromVector(new float[5]);
                break;
            case "layer kind missing":
                a.Remove("layer1.model_kind");
                break;
            case "layer kind numeric":
                a["layer1.model_kind"] = NpyArray.FromScalar(1);
                break;
            case "weights missing":
                a.Remove("layer0.W");
                break;
            case "non-finite":
                a["layer2.visible_bias"] = NpyArray.FromVector([0f, float.NaN, 0f, 0f]);
                break;
            case "stray layer array":
                a["layer0.momentum"] = NpyArray.FromScalar(0.5f);
                break;
            case "layer transform":
                a["layer0.transform.0.scaling.factor"] = NpyArray.FromVector(new float[7]);
                break;
            case "unknown array":
                a["labels"] = NpyArray.FromVector(new float[3]);
                break;
            case "leading zero":
                a["layer01.W"] = a["layer1.W"];
                break;
            case "kind not dbn":
                a["model_kind"] = NpyArray.FromString("bernoulli");
                break;
            case "version 2":
                a["format_version"] = NpyArray.FromInteger(2);
                break;
            case "version missing":
                a.Remove("format_version");
                break;
            case "version text":
                a["format_version"] = NpyArray.FromString("1");
                break;
            case "count missing":
                a.Remove("layer_count");
                break;
            case "count zero":
                a["layer_count"] = NpyArray.FromInteger(0);
                break;
            case "count huge":
                a["layer_count"] = NpyArray.FromInteger(1L << 32);
                break;
            case "count fraction":
                a["layer_count"] = NpyArray.FromScalar(2.5f);
                break;
            case "count vector":
                a["layer_count"] = NpyArray.FromVector([3f, 3f]);
                break;
            case "transform misfit":
                foreach (TransformArray t in new Scaling(3, 2f).ToArrays())
                    a[ModelFile.TransformPrefix + t.Name] = new NpyArray(t.Shape, t.Values);
                break;
            default:
                throw new ArgumentException(breakage);
        }
    }

    [Fact]
    public void Load_LayerCountAsAWholeFloat_IsRead()
    {
        // numpy.savez(..., layer_count=3.0) by hand: a whole float means the same count.
        using var folder = new TempFolder();
        string path = folder.File("dbn.npz");
        var arrays = new Dictionary<string, NpyArray>(DbnFile.ToArrays(Bernoulli3())) { ["layer_count"] = NpyArray.FromScalar(3f) };
        Npz.Write(path, arrays);
        Assert.Equal(3, DbnFile.Load(path).Layers.Count);
    }
}
