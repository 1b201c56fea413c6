using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;
using RbmSimd.Tests.Model;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>A data transform stored beside a model: round trip, and the errors a bad or mismatched one gives.</summary>
public class ModelFileTransformTests
{
    private static (GaussianBernoulliRbm Model, Transform Transform) Whitened()
    {
        var random = new Random(3);
        var rows = new Matrix(200, 5);
        for (int r = 0; r < 200; r++)
            for (int c = 0; c < 5; c++) rows[r, c] = (float)(random.NextDouble() * 255);
        var data = new Dataset(rows);
        var scale = new Scaling(5, 255f);
        var centre = new RowCentering(5);
        var chain = new TransformChain(scale, centre);
        Transform pca = PcaWhitening.Fit(data, 1e-4, input: chain);
        var all = new TransformChain(scale, centre, pca);
        return (GaussianBernoulliRbmTests.Random(all.OutputCount, 3, 1), all);
    }

    [Fact]
    public void SaveWithTransform_LoadsTheSameTransform()
    {
        (GaussianBernoulliRbm model, Transform transform) = Whitened();
        using var folder = new TempFolder();
        string path = folder.File("model.npz");
        ModelFile.Save(model, transform, path);
        (IRbm loaded, Transform? back) = ModelFile.LoadWithTransform(path);
        Assert.NotNull(back);
        Assert.Equal(transform.OutputCount, loaded.VisibleCount);
        Assert.Equal(transform.LogJacobian, back.LogJacobian, 12);
        var x = new float[5] { 10, 20, 30, 40, 250 };
        float[] a = new float[transform.OutputCount], b = new float[transform.OutputCount];
        transform.Forward(x, a);
        back.Forward(x, b);
        Assert.Equal(a, b);
        Assert.Contains(Npz.Read(path).Keys, k => k.StartsWith(ModelFile.TransformPrefix + "2.pca-whitening.", StringComparison.Ordinal));
        Assert.Null(ModelFile.LoadWithTransform(Save(folder, model, null)).DataTransform);
    }

    [Fact]
    public void TransformThatDoesNotFitTheModel_IsRefusedOnSaveAndOnLoad()
    {
        (GaussianBernoulliRbm _, Transform transform) = Whitened();
        GaussianBernoulliRbm other = GaussianBernoulliRbmTests.Random(transform.OutputCount + 1, 3, 2);
        Assert.Throws<ArgumentException>(() => ModelFile.Save(other, transform, "unused.npz"));

        using var folder = new TempFolder();
        string path = folder.File("bad.npz");
        var arrays = new List<KeyValuePair<string, NpyArray>>(ModelFile.ToArrays(other));
        arrays.AddRange(transform.ToArrays().Select(a => new KeyValuePair<string, NpyArray>(ModelFile.TransformPrefix + a.Name, new NpyArray(a.Shape, a.Values))));
        Npz.Write(path, arrays);
        var ex = Assert.Throws<InvalidDataException>(() => ModelFile.LoadWithTransform(path));
        Assert.Contains($"gives {transform.OutputCount} values but the model has {transform.OutputCount + 1} visible units", ex.Message);

        string broken = folder.File("broken.npz");
        arrays = [.. ModelFile.ToArrays(other), new(ModelFile.TransformPrefix + "0.scaling.nonsense", NpyArray.FromVector([1f]))];
        Npz.Write(broken, arrays);
        ex = Assert.Throws<InvalidDataException>(() => ModelFile.LoadWithTransform(broken));
        Assert.StartsWith($"{broken}: the stored data transform is invalid", ex.Message);
    }

    private static string Save(TempFolder folder, IRbm model, Transform? transform)
    {
        string path = folder.File(Guid.NewGuid().ToString("N") + ".npz");
        ModelFile.Save(model, transform, path);
        return path;
    }
}
