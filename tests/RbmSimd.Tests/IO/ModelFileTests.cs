using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Persistence;
using RbmSimd.IO;
using RbmSimd.Model;
using Xunit;

namespace RbmSimd.Tests.IO;

public class ModelFileTests
{
    private static BernoulliRbm SmallModel() =>
        new(3, 2, [1, -2, 3.5f, float.MaxValue, float.Epsilon, -0f], [0.25f, -1, 2], [float.MinValue, 7]);

    private static void AssertSameParameters(BernoulliRbm expected, BernoulliRbm actual)
    {
        Assert.Equal(expected.VisibleCount, actual.VisibleCount);
        Assert.Equal(expected.HiddenCount, actual.HiddenCount);
        Assert.Equal(expected.Weights.ToArray(), actual.Weights.ToArray());
        Assert.Equal(expected.VisibleBias.ToArray(), actual.VisibleBias.ToArray());
        Assert.Equal(expected.HiddenBias.ToArray(), actual.HiddenBias.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveLoad_RoundTrip(bool compress)
    {
        using var dir = new TempFolder();
        string path = dir.File("model.npz");
        BernoulliRbm model = SmallModel();
        ModelFile.Save(model, path, compress);
        AssertSameParameters(model, ModelFile.Load<BernoulliRbm>(path));
        var arrays = Npz.Read(path);
        Assert.Equal(["W", "visible_bias", "hidden_bias", "model_kind", "format_version"], arrays.Keys);
        Assert.Equal(["bernoulli"], arrays["model_kind"].Texts.ToArray());
        Assert.Equal([3, 2], arrays["W"].Shape.ToArray());
        Assert.Equal(0, arrays["format_version"].Rank);
    }

    [Property(MaxTest = 30)]
    public Property SaveLoad_RandomModels_RoundTrip() =>
        Prop.ForAll(Gen.Choose(1, 40).Two().ToArbitrary(), Gen.Choose(0, int.MaxValue).ToArbitrary(), (shape, seed) =>
        {
            using var dir = new TempFolder();
            string path = dir.File("m.npz");
            BernoulliRbm model = BernoulliRbm.CreateRandom(shape.Item1, shape.Item2, (ulong)seed, weightStdDev: 3f);
            ModelFile.Save(model, path);
            AssertSameParameters(model, ModelFile.Load<BernoulliRbm>(path));
        });

    private static string WriteArrays(TempFolder dir, params (string Name, NpyArray Array)[] arrays)
    {
        string path = dir.File("model.npz");
        Npz.Write(path, arrays.Select(a => KeyValuePair.Create(a.Name, a.Array)));
        return path;
    }

    [Fact]
    public void Load_NoFormatVersion_AcceptedAsVersion1()
    {
        using var dir = new TempFolder();
        string path = WriteArrays(dir,
            ("W", new NpyArray([1, 2], [1, 2])), ("visible_bias", NpyArray.FromVector([3])), ("hidden_bias", NpyArray.FromVector([4, 5])), ("extra", NpyArray.FromScalar(9)));
        BernoulliRbm m = ModelFile.Load<BernoulliRbm>(path);
        Assert.Equal([1f, 2], m.Weights.ToArray());
        Assert.Equal([4f, 5], m.HiddenBias.ToArray());
    }

    [Fact]
    public void Load_Float64File_Accepted()
    {
        // A hand-built float64 archive, as numpy.savez writes by default.
        using var dir = new TempFolder();
        string path = dir.File("f8.npz");
        static byte[] F8(string shape, params double[] v)
        {
            var data = new byte[8 * v.Length];
            for (int i = 0; i < v.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), v[i]);
            return NpyTests.HandBuilt($"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}", data);
        }
        using (var fs = File.Create(path))
        using (var zip = new System.IO.Compression.ZipArchive(fs, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in new[] { ("W", F8("(2, 1)", 0.5, -0.5)), ("visible_bias", F8("(2,)", 1, 2)), ("hidden_bias", F8("(1,)", 3)), ("format_version", NpyTests.HandBuilt("{'descr': '<i8', 'fortran_order': False, 'shape': (), }", [1, 0, 0, 0, 0, 0, 0, 0])) })
                using (var s = zip.CreateEntry(name + ".npy").Open()) s.Write(bytes);
        }
        BernoulliRbm m = ModelFile.Load<BernoulliRbm>(path);
        Assert.Equal(2, m.VisibleCount);
        Assert.Equal([0.5f, -0.5f], m.Weights.ToArray());
        Assert.Equal([3f], m.HiddenBias.ToArray());
    }

    public static TheoryData<string, NpyArray, NpyArray, NpyArray, NpyArray?> BadModels => new()
    {
        { "array 'W' has shape (2, 2) (2 visible units) but 'visible_bias' has 3 entries",
          new NpyArray([2, 2], [1, 2, 3, 4]), NpyArray.FromVector([1, 2, 3]), NpyArray.FromVector([1, 2]), null },
        { "array 'W' has shape (2, 2) (2 hidden units) but 'hidden_bias' has 1 entries",
          new NpyArray([2, 2], [1, 2, 3, 4]), NpyArray.FromVector([1, 2]), NpyArray.FromVector([1]), null },
        { "array 'W' has shape (4,) but must be two-dimensional (visible × hidden)",
          NpyArray.FromVector([1, 2, 3, 4]), NpyArray.FromVector([1, 2]), NpyArray.FromVector([1, 2]), null },
        { "array 'W' has shape (0, 2); a model needs at least one visible and one hidden unit",
          new NpyArray([0, 2], []), NpyArray.FromVector([]), NpyArray.FromVector([1, 2]), null },
        { "array 'visible_bias' has shape (1, 2) but must be one-dimensional",
          new NpyArray([2, 2], [1, 2, 3, 4]), new NpyArray([1, 2], [1, 2]), NpyArray.FromVector([1, 2]), null },
        { "array 'W' holds NaN at [1, 0]; parameters must be finite",
          new NpyArray([2, 2], [1, 2, float.NaN, 4]), NpyArray.FromVector([1, 2]), NpyArray.FromVector([1, 2]), null },
        { "array 'hidden_bias' holds -Infinity at [1]; parameters must be finite",
          new NpyArray([2, 2], [1, 2, 3, 4]), NpyArray.FromVector([1, 2]), NpyArray.FromVector([1, float.NegativeInfinity]), null },
        { "format_version is 3, but this version of RbmSimd reads only format versions 1 and 2",
          new NpyArray([2, 2], [1, 2, 3, 4]), NpyArray.FromVector([1, 2]), NpyArray.FromVector([1, 2]), NpyArray.FromScalar(3) },
        { "array 'format_version' has shape (2,) but must hold a single number",
          new NpyArray([2, 2], [1, 2, 3, 4]), NpyArray.FromVector([1, 2]), NpyArray.FromVector([1, 2]), NpyArray.FromVector([1, 1]) },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public void Load_InvalidModel_ThrowsNamingFileAndProblem(string expected, NpyArray w, NpyArray a, NpyArray b, NpyArray? version)
    {
        using var dir = new TempFolder();
        var arrays = new List<(string, NpyArray)> { ("W", w), ("visible_bias", a), ("hidden_bias", b) };
        if (version is not null) arrays.Add(("format_version", version));
        string path = WriteArrays(dir, [.. arrays]);
        var ex = Assert.Throws<InvalidDataException>(() => ModelFile.Load<BernoulliRbm>(path));
        Assert.Equal($"{path}: {expected}.", ex.Message);
        Assert.False(ModelFile.TryLoad(path, out BernoulliRbm? model, out string? error));
        Assert.Null(model);
        Assert.Equal(ex.Message, error);
    }

    [Fact]
    public void Load_MissingArray_ListsWhatIsThere()
    {
        using var dir = new TempFolder();
        string path = WriteArrays(dir, ("W", new NpyArray([1, 1], [1])), ("visible_bias", NpyArray.FromVector([1])));
        var ex = Assert.Throws<InvalidDataException>(() => ModelFile.Load<BernoulliRbm>(path));
        Assert.Equal($"{path}: array 'hidden_bias' is missing (the file has arrays 'W', 'visible_bias').", ex.Message);
    }

    [Fact]
    public void TryLoad_MissingFileOrNotAZip_ReturnsMessage()
    {
        using var dir = new TempFolder();
        string missing = dir.File("none.npz");
        Assert.False(ModelFile.TryLoad(missing, out BernoulliRbm? _, out string? error));
        Assert.StartsWith($"{missing}: cannot read the file", error);
        string text = dir.File("text.npz");
        File.WriteAllText(text, "W,1,2\n");
        Assert.False(ModelFile.TryLoad(text, out BernoulliRbm? _, out error));
        Assert.StartsWith($"{text}: not a valid .npz (zip) archive", error);
    }

    [Fact]
    public void TryLoad_Valid_ReturnsModel()
    {
        using var dir = new TempFolder();
        string path = dir.File("ok.npz");
        ModelFile.Save(SmallModel(), path);
        Assert.True(ModelFile.TryLoad(path, out BernoulliRbm? model, out string? error));
        Assert.Null(error);
        AssertSameParameters(SmallModel(), model);
    }

    [Property(MaxTest = 300)]
    public Property Load_BitFlippedModelFile_LoadsValidModelOrThrowsInvalidData() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ArrayOf().Where(f => f.Length is > 0 and <= 4).ToArbitrary(), flips =>
        {
            var ms = new MemoryStream();
            Npz.Write(ms, ModelFile.ToArrays(SmallModel()));
            byte[] bytes = ms.ToArray();
            foreach (int f in flips)
            {
                int bit = f % (bytes.Length * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            }
            try
            {
                var m = (BernoulliRbm)ModelFile.FromArrays(Npz.Read(new MemoryStream(bytes), "flipped.npz"), "flipped.npz");
                return m.HasFiniteParameters().Label("loaded a model with non-finite parameters");
            }
            catch (InvalidDataException e)
            {
                return e.Message.StartsWith("flipped.npz: ", StringComparison.Ordinal).Label(e.Message);
            }
        });
}
