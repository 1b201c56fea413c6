using RbmSimd.Persistence;
using RbmSimd.IO;
using RbmSimd.Model;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// Reads bytes that numpy itself wrote, so CI checks compatibility with real numpy output without
/// needing Python. The fixture came from numpy 1.24.2:
/// <code>
/// W = np.array([[0.5, -0.25, 1.0], [2.0, 0.0, -3.5]])          # float64
/// np.savez_compressed(buf, W=np.asfortranarray(W),             # Fortran order
///     visible_bias=np.array([0.1, -0.1], dtype=np.float32),
///     hidden_bias=np.array([1, 2, 3], dtype=np.int32),
///     format_version=np.int64(1))
/// </code>
/// savez_compressed writes deflated entries with zip64 extra fields, another thing worth covering.
/// </summary>
public class NumpyFixtureTests
{
    private const string SavezCompressed =
        "UEsDBBQAAAAIAAAAIQCLdRJaWQAAALAAAAAFABQAVy5ucHkBABAAsAAAAAAAAABZAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6l" +
        "oG6TZqGuo6Cell9UUpSYF59flJIKEg8pKk0FChdnJBakArkaRjoKxpo6CrUK5AMuBjB4YA+hGRwg1IX9DCjgA1Se5wAAUEsDBBQA" +
        "AAAIAAAAIQDouz63SwAAAIgAAAAQABQAdmlzaWJsZV9iaWFzLm5weQEAEACIAAAAAAAAAEsAAAAAAAAAm+wX6hsQychQxlCtnpJa" +
        "nFykbqWgbpNmoq6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkaRjqaOgq1ChQArrNnztgC8V4AUEsDBBQAAAAIAAAAIQDr" +
        "wCsETQAAAIwAAAAPABQAaGlkZGVuX2JpYXMubnB5AQAQAIwAAAAAAAAATQAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBuk2mi" +
        "rqOgnpZfVFKUmBefX5SSChJ3S8wpTgWKF2ckFqQC+RrGOpo6CrUKFAAuRgYGBiYgZgZiAFBLAwQUAAAACAAAACEApLGfqkYAAACI" +
        "AAAAEgAUAGZvcm1hdF92ZXJzaW9uLm5weQEAEACIAAAAAAAAAEYAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNpoa6joJ6W" +
        "X1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkamjoKtQoUAS5GBggAAFBLAQIUAxQAAAAIAAAAIQCLdRJaWQAAALAAAAAFAAAAAAAA" +
        "AAAAAACAAQAAAABXLm5weVBLAQIUAxQAAAAIAAAAIQDouz63SwAAAIgAAAAQAAAAAAAAAAAAAACAAZAAAAB2aXNpYmxlX2JpYXMu" +
        "bnB5UEsBAhQDFAAAAAgAAAAhAOvAKwRNAAAAjAAAAA8AAAAAAAAAAAAAAIABHQEAAGhpZGRlbl9iaWFzLm5weVBLAQIUAxQAAAAI" +
        "AAAAIQCksZ+qRgAAAIgAAAASAAAAAAAAAAAAAACAAasBAABmb3JtYXRfdmVyc2lvbi5ucHlQSwUGAAAAAAQABADuAAAANQIAAAAA";

    [Fact]
    public void Read_NumpySavezCompressed_ArraysAndTypes()
    {
        var arrays = Npz.Read(new MemoryStream(Convert.FromBase64String(SavezCompressed)), "numpy.npz");
        Assert.Equal(["W", "visible_bias", "hidden_bias", "format_version"], arrays.Keys);
        Assert.Equal([2, 3], arrays["W"].Shape.ToArray());
        Assert.Equal([0.5f, -0.25f, 1f, 2f, 0f, -3.5f], arrays["W"].Values.ToArray());
        Assert.False(arrays["W"].IsInteger);
        Assert.Equal([0.1f, -0.1f], arrays["visible_bias"].Values.ToArray());
        Assert.Equal([1L, 2, 3], arrays["hidden_bias"].Integers.ToArray());
        Assert.Equal(0, arrays["format_version"].Rank);
        Assert.Equal([1L], arrays["format_version"].Integers.ToArray());
    }

    [Fact]
    public void FromArrays_NumpySavezCompressed_BuildsModel()
    {
        var arrays = Npz.Read(new MemoryStream(Convert.FromBase64String(SavezCompressed)), "numpy.npz");
        var m = (BernoulliRbm)ModelFile.FromArrays(arrays, "numpy.npz");
        Assert.Equal((2, 3), (m.VisibleCount, m.HiddenCount));
        Assert.Equal([0.5f, -0.25f, 1f, 2f, 0f, -3.5f], m.Weights.ToArray());
        Assert.Equal([1f, 2f, 3f], m.HiddenBias.ToArray());
    }
}
