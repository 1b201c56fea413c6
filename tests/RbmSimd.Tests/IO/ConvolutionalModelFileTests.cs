using RbmSimd.IO;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Persistence;
using RbmSimd.Tests.Model;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// Convolutional model files: the layout numpy sees (filters K × C × F × F, per-channel and per-map biases, the image shape,
/// the pool size and the visible units), round trips of both unit kinds, and strict loading: every hostile or inconsistent
/// file is one <see cref="InvalidDataException"/> whose one-line message names the file and the array.
/// </summary>
public class ConvolutionalModelFileTests
{
    private static ConvolutionalRbm Model(VisibleUnitKind units = VisibleUnitKind.Bernoulli) =>
        ConvolutionalRbmTests.Random(new ConvolutionShape(2, 7, 9, 3, 4), 2, units, 5, 1.5);

    [Theory]
    [InlineData(VisibleUnitKind.Bernoulli)]
    [InlineData(VisibleUnitKind.Gaussian)]
    public void SaveLoad_RoundTrip_WithTheLayoutNumpySees(VisibleUnitKind units)
    {
        using var dir = new TempFolder();
        string path = dir.File("conv.npz");
        ConvolutionalRbm model = Model(units);
        ModelFile.Save(model, path);
        var loaded = ModelFile.Load<ConvolutionalRbm>(path);
        Assert.Equal(model.Shape, loaded.Shape);
        Assert.Equal(model.PoolSize, loaded.PoolSize);
        Assert.Equal(units, loaded.VisibleUnits);
        Assert.Equal(model.Filters.ToArray(), loaded.Filters.ToArray());
        Assert.Equal(model.VisibleBias.ToArray(), loaded.VisibleBias.ToArray());
        Assert.Equal(model.HiddenBias.ToArray(), loaded.HiddenBias.ToArray());
        IReadOnlyDictionary<string, NpyArray> arrays = Npz.Read(path);
        Assert.Equal(["filters", "visible_bias", "hidden_bias", "input_shape", "pool_size", "visible_units", "model_kind", "format_version"], arrays.Keys);
        Assert.Equal([3, 2, 4, 4], arrays["filters"].Shape.ToArray());
        Assert.Equal([2L, 7, 9], arrays["input_shape"].Integers.ToArray());
        Assert.Equal(2L, arrays["pool_size"].Integers[0]);
        Assert.Equal(["convolutional"], arrays["model_kind"].Texts.ToArray());
        Assert.Equal([units == VisibleUnitKind.Gaussian ? "gaussian" : "bernoulli"], arrays["visible_units"].Texts.ToArray());
    }

    /// <summary>A valid model's arrays with one replaced (or removed, when null).</summary>
    private static Dictionary<string, NpyArray> With(string name, NpyArray? array)
    {
        var arrays = ModelFile.ToArrays(Model()).ToDictionary(p => p.Key, p => p.Value);
        if (array is null) arrays.Remove(name);
        else arrays[name] = array;
        return arrays;
    }

    public static TheoryData<string, string?, string> Hostile => new()
    {
        // array, replacement (see Replacement), words the message must contain
        { "filters", "rank3", "must be four-dimensional" },
        { "filters", "not-square", "filters are square" },
        { "filters", "zero-filters", "every dimension is at least 1" },
        { "filters", "nan", "parameters must be finite" },
        { "filters", null, "'filters' is missing" },
        { "input_shape", "two-values", "three integers" },
        { "input_shape", "floats", "does not hold integers" },
        { "input_shape", "negative", "each must be at least 1" },
        { "input_shape", "huge", "at most" },
        { "input_shape", "wrong-channels", "has 3 channels" },
        { "input_shape", "too-small", "do not fit" },
        { "input_shape", null, "'input_shape' is missing" },
        { "pool_size", "zero", "must be at least 1 and divide" },
        { "pool_size", "three", "must be at least 1 and divide" },
        { "pool_size", "vector", "one integer" },
        { "visible_units", "unknown", "'bernoulli' or 'gaussian'" },
        { "visible_units", "number", "'bernoulli' or 'gaussian'" },
        { "visible_bias", "wrong-length", "must have shape (2,)" },
        { "hidden_bias", "wrong-length", "must have shape (3,)" },
    };

    private static NpyArray Replacement(string name, string kind) => (name, kind) switch
    {
        ("filters", "rank3") => new NpyArray([3, 2, 16], new float[96]),
        ("filters", "not-square") => new NpyArray([3, 2, 4, 3], new float[72]),
        ("filters", "zero-filters") => new NpyArray([0, 2, 4, 4], []),
        ("filters", "nan") => new NpyArray([3, 2, 4, 4], Enumerable.Range(0, 96).Select(i => i == 50 ? float.NaN : 0f).ToArray()),
        ("input_shape", "two-values") => NpyArray.FromIntegers([2], [7, 9]),
        ("input_shape", "floats") => new NpyArray([3], [2, 7, 9]),
        ("input_shape", "negative") => NpyArray.FromIntegers([3], [2, -7, 9]),
        ("input_shape", "huge") => NpyArray.FromIntegers([3], [2, 1L << 40, 1L << 40]),
        ("input_shape", "wrong-channels") => NpyArray.FromIntegers([3], [3, 7, 9]),
        ("input_shape", "too-small") => NpyArray.FromIntegers([3], [2, 3, 9]),
        ("pool_size", "zero") => NpyArray.FromInteger(0),
        ("pool_size", "three") => NpyArray.FromInteger(3),
        ("pool_size", "vector") => NpyArray.FromIntegers([2], [2, 2]),
        ("visible_units", "unknown") => NpyArray.FromString("poisson\nsecond line"),
        ("visible_units", "number") => NpyArray.FromScalar(1),
        ("visible_bias", "wrong-length") => NpyArray.FromVector([1, 2, 3]),
        ("hidden_bias", "wrong-length") => NpyArray.FromVector([1, 2]),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Load_RefusesHostileFiles_WithOneLine(string name, string? replacement, string words)
    {
        using var dir = new TempFolder();
        string path = dir.File("hostile.npz");
        Npz.Write(path, With(name, replacement is null ? null : Replacement(name, replacement)));
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));
        Assert.Contains(words, e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Checkpoint_RoundTrip_KeepsTheStructure()
    {
        using var dir = new TempFolder();
        string path = dir.File("checkpoint.npz");
        ConvolutionalRbm model = Model();
        var trainer = new RbmSimd.Training.RbmTrainer(model, new RbmSimd.Training.TrainingOptions { BatchSize = 3, Persistent = true, Epochs = 1 });
        var data = new RbmSimd.Numerics.Matrix(6, model.VisibleCount);
        new RbmSimd.Sampling.RandomStream(1).NextSingles(data.AsSpan());
        trainer.Train(new RbmSimd.Data.Dataset(data));
        CheckpointFile.Save(trainer.CreateCheckpoint(), path);
        var (checkpoint, _) = CheckpointFile.Load(path);
        var loaded = Assert.IsType<ConvolutionalRbm>(checkpoint.Model);
        Assert.Equal(model.Filters.ToArray(), loaded.Filters.ToArray());
        Assert.Equal(model.Shape, loaded.Shape);
        Assert.NotNull(checkpoint.Chains);
    }
}
