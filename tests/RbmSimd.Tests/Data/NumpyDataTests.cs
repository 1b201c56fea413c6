using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Data;

public class NumpyDataTests
{
    // Bytes numpy 1.24.2 wrote:
    //   np.save(b, np.array([[0, 1, 255], [17, 128, 3]], dtype=np.uint8))
    private const string Uint8Npy =
        "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAf8RgAM=";

    //   np.save(b, np.array([[True, False], [False, True], [True, True]]))
    private const string BoolNpy =
        "k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAABAQE=";

    //   np.savez_compressed(b, test=np.array([[-1.5, 0.25, 4], [6, 5, 4]], dtype=np.float16),
    //       train=np.asfortranarray(np.array([[0.5, -1.25, 3], [1e-3, 2, -0.0], [7, 8.5, -9], [1, 2, 3]])))
    private const string TrainTestNpz =
        "UEsDBBQAAAAIAAAAIQAhE0xuUgAAAIwAAAAIABQAdGVzdC5ucHkBABAAjAAAAAAAAABSAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6l" +
        "oG6TZqSuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CsaaOgq1CmQDLoZ9DCYMLgxuDK4MLgBQSwMEFAAAAAgAAAAhAOiA" +
        "qjZvAAAA4AAAAAkAFAB0cmFpbi5ucHkBABAA4AAAAAAAAABvAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqGuo6Cell9UUpSY" +
        "F59flJIKEg8pKk0FChdnJBakArkaJjoKxpo6CrUK5AMuBjB4YP9n5cdLvkkB9hC+jAOE/gDlf9kPoRmg4ooOqHwOGL8BQikdgIkDAFBL" +
        "AQIUAxQAAAAIAAAAIQAhE0xuUgAAAIwAAAAIAAAAAAAAAAAAAACAAQAAAAB0ZXN0Lm5weVBLAQIUAxQAAAAIAAAAIQDogKo2bwAAAOAA" +
        "AAAJAAAAAAAAAAAAAACAAYwAAAB0cmFpbi5ucHlQSwUGAAAAAAIAAgBtAAAANgEAAAAA";

    //   np.savez(b, patches=np.array([[-3, 4], [5, -6]], dtype=np.int16))
    private const string SingleNpz =
        "UEsDBBQAAAAAAAAAIQBKHiEDiAAAAIgAAAALABQAcGF0Y2hlcy5ucHkBABAAiAAAAAAAAACIAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2Ny" +
        "JzogJzxpMicsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAyKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAK/f8EAAUA+v9QSwECFAMUAAAAAAAAACEASh4hA4gAAACIAAAACwAAAAAAAAAA" +
        "AAAAgAEAAAAAcGF0Y2hlcy5ucHlQSwUGAAAAAAEAAQA5AAAAxQAAAAAA";

    private static (Dataset Train, Dataset? Test) ReadBase64(string base64, string name = "fixture", int width = 0, int height = 0) =>
        NumpyData.Read(new MemoryStream(Convert.FromBase64String(base64)), name, width, height);

    [Fact]
    public void Npy_Uint8_ValuesKeptAsRead()
    {
        (Dataset train, Dataset? test) = ReadBase64(Uint8Npy);
        Assert.Null(test);
        Assert.Equal((2, 3), (train.Count, train.FeatureCount));
        Assert.Equal([0f, 1f, 255f, 17f, 128f, 3f], train.Features.AsSpan().ToArray());
        Assert.False(train.HasLabels);
        Assert.False(train.IsImage);
    }

    [Fact]
    public void Npy_Bool_IsZeroAndOne()
    {
        (Dataset train, _) = ReadBase64(BoolNpy);
        Assert.Equal((3, 2), (train.Count, train.FeatureCount));
        Assert.Equal([1f, 0f, 0f, 1f, 1f, 1f], train.Features.AsSpan().ToArray());
    }

    [Fact]
    public void Npz_TrainAndTest_FortranOrderAndFloat16()
    {
        (Dataset train, Dataset? test) = ReadBase64(TrainTestNpz);
        Assert.Equal((4, 3), (train.Count, train.FeatureCount));
        Assert.Equal([0.5f, -1.25f, 3f, 1e-3f, 2f, -0f, 7f, 8.5f, -9f, 1f, 2f, 3f], train.Features.AsSpan().ToArray());
        Assert.NotNull(test);
        Assert.Equal([-1.5f, 0.25f, 4f, 6f, 5f, 4f], test.Features.AsSpan().ToArray());
    }

    [Fact]
    public void Npz_SingleArrayOfAnyName_IsTheTrainingSet()
    {
        (Dataset train, Dataset? test) = ReadBase64(SingleNpz, width: 2, height: 1);
        Assert.Null(test);
        Assert.Equal([-3f, 4f, 5f, -6f], train.Features.AsSpan().ToArray());
        Assert.Equal((2, 1), (train.ImageWidth, train.ImageHeight));
    }

    [Fact]
    public void Load_FromFiles_TellsNpyFromNpzByContent()
    {
        using var folder = new TempFolder();
        string npy = folder.File("data.npz"); // misleading name on purpose: the content decides
        File.WriteAllBytes(npy, Convert.FromBase64String(Uint8Npy));
        Assert.Equal(6, NumpyData.Load(npy).Train.Features.AsSpan().Length);
        string npz = folder.File("data.npy");
        File.WriteAllBytes(npz, Convert.FromBase64String(TrainTestNpz));
        Assert.NotNull(NumpyData.Load(npz).Test);
    }

    private static string WriteNpz(TempFolder folder, params (string Name, NpyArray Array)[] arrays)
    {
        string path = folder.File("bad.npz");
        Npz.Write(path, arrays.Select(a => KeyValuePair.Create(a.Name, a.Array)));
        return path;
    }

    private static string WriteNpy(TempFolder folder, NpyArray array)
    {
        string path = folder.File("bad.npy");
        Npy.Write(path, array);
        return path;
    }

    private static void AssertFails(string path, params string[] fragments)
    {
        var e = Assert.Throws<InvalidDataException>(() => NumpyData.Load(path));
        Assert.StartsWith(path, e.Message);
        foreach (string fragment in fragments) Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void WrongRank_Empty_NonFinite_AndHugeIntegers_AreNamedErrors()
    {
        using var folder = new TempFolder();
        AssertFails(WriteNpy(folder, NpyArray.FromVector([1f, 2f, 3f])), "(3,)", "2-D");
        AssertFails(WriteNpy(folder, new NpyArray([2, 2, 2], new float[8])), "(2, 2, 2)", "2-D");
        AssertFails(WriteNpy(folder, NpyArray.FromScalar(1f)), "()", "2-D");
        AssertFails(WriteNpy(folder, new NpyArray([0, 5], [])), "empty", "(0, 5)");
        AssertFails(WriteNpy(folder, new NpyArray([3, 0], [])), "empty", "(3, 0)");
        AssertFails(WriteNpy(folder, new NpyArray([2, 3], [1, 2, 3, 4, float.NaN, 6])), "NaN", "row 1, column 1");
        AssertFails(WriteNpy(folder, new NpyArray([2, 2], [1, float.NegativeInfinity, 3, 4])), "row 0, column 1");
        AssertFails(WriteNpy(folder, NpyArray.FromIntegers([1, 2], [16_777_216, 16_777_217])), "16777217", "row 0, column 1");
        // 2²⁴ itself is exact and accepted.
        using var ok = new TempFolder();
        Assert.Equal(-16_777_216f, NumpyData.Load(WriteNpy(ok, NpyArray.FromIntegers([1, 1], [-16_777_216]))).Train.Features[0, 0]);
    }

    [Fact]
    public void Npz_MissingOrMismatchedArrays_AreNamedErrors()
    {
        using var folder = new TempFolder();
        var good = new NpyArray([2, 2], [1, 2, 3, 4]);
        AssertFails(WriteNpz(folder), "no arrays");
        AssertFails(WriteNpz(folder, ("a", good), ("b", good)), "'a', 'b'", "none named 'train'");
        AssertFails(WriteNpz(folder, ("test", good)), "no 'train'");
        AssertFails(WriteNpz(folder, ("train", good), ("test", new NpyArray([1, 3], [1, 2, 3]))), "'test'", "3 columns", "2");
        AssertFails(WriteNpz(folder, ("train", good), ("test", new NpyArray([1, 2], [1, float.NaN]))), "array 'test'", "NaN");
        AssertFails(WriteNpz(folder, ("train", NpyArray.FromVector([1f]))), "array 'train'", "2-D");
    }

    [Fact]
    public void ImageDimensions_MustMatchTheColumns()
    {
        Assert.Throws<ArgumentException>(() => ReadBase64(Uint8Npy, width: 2, height: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadBase64(Uint8Npy, width: 3, height: 0));
    }

    [Fact]
    public void NotAnArrayFile_IsAnInvalidDataError()
    {
        using var folder = new TempFolder();
        string path = folder.File("notes.npy");
        File.WriteAllText(path, "not numpy");
        Assert.StartsWith(path, Assert.Throws<InvalidDataException>(() => NumpyData.Load(path)).Message);
    }
}
