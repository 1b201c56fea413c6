using RbmSimd.Data;

namespace RbmSimd.Tests.TestUtilities;

/// <summary>
/// The Fashion-MNIST sample the repository ships (<c>data/fashion-mnist-sample.npz</c>): the first 2,000 training and 500
/// test images, binarised at pixel &gt; 127, so that tests of trained 784-unit models run on real data in CI.
/// </summary>
internal static class FashionMnistSample
{
    private static readonly Lazy<(Dataset Train, Dataset Test)> s_data = new(() =>
    {
        var (train, test) = NumpyData.Load(Path.Combine(AppContext.BaseDirectory, "data", "fashion-mnist-sample.npz"), 28, 28);
        return (train, test ?? throw new InvalidDataException("fashion-mnist-sample.npz has no test array"));
    });

    /// <summary>2,000 binary training images, 784 columns.</summary>
    public static Dataset Train => s_data.Value.Train;

    /// <summary>500 binary test images, 784 columns.</summary>
    public static Dataset Test => s_data.Value.Test;
}
