namespace RbmSimd.Data;

/// <summary>
/// The natural-image patches shipped inside the library: grey 8×8 patches of public-domain and CC0
/// photographs, 60,000 for training and 10,000 for testing, as real values for Gaussian visible units.
/// </summary>
/// <remarks>
/// <para>
/// The patches come from seven photographs that scikit-image distributes and that are in the public domain or
/// under CC0 (<c>camera</c>, <c>grass</c>, <c>gravel</c>, <c>brick</c>, <c>coffee</c>, <c>chelsea</c> and
/// <c>rocket</c>, as Debian's <c>python3-skimage</c> ships them; colour images converted to grey with the usual
/// luma weights). Each image was cut into 32×32 tiles and a fifth of the tiles, drawn at random, supply the test
/// patches; every patch lies inside one tile, so no test patch overlaps a training patch.
/// </para>
/// <para>
/// Values are the grey levels 0…255 as stored (not scaled), each row one patch in row-major order. The usual
/// preparation before a Gaussian-Bernoulli RBM is to scale to [0, 1], remove each patch's mean and whiten,
/// fitting the transform on the training part only (see the <c>Preprocessing</c> namespace). The copy is the embedded
/// resource <see cref="ResourceName"/>, a plain <c>.npz</c> with arrays <c>train</c> and <c>test</c> (uint8).
/// </para>
/// </remarks>
public static class NaturalPatches
{
    /// <summary>The number of training patches.</summary>
    public const int TrainCount = 60_000;

    /// <summary>The number of test patches.</summary>
    public const int TestCount = 10_000;

    /// <summary>Patch width and height in pixels.</summary>
    public const int ImageSize = 8;

    /// <summary>The largest grey level.</summary>
    public const int MaxPixel = 255;

    /// <summary>The manifest name of the embedded archive.</summary>
    public const string ResourceName = "RbmSimd.Data.natural-patches-8x8.npz";

    /// <summary>Loads the patches: grey levels 0…255 as floats, 64 per row, 8×8 images, no labels.</summary>
    /// <exception cref="InvalidOperationException">The library was built without the embedded archive.</exception>
    public static (Dataset Train, Dataset Test) Load()
    {
        using Stream resource = typeof(NaturalPatches).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing; the library was built without it.");
        (Dataset train, Dataset? test) = NumpyData.Read(resource, ResourceName, ImageSize, ImageSize);
        if (test is null || train.Count != TrainCount || test.Count != TestCount)
            throw new InvalidOperationException($"The embedded resource {ResourceName} does not hold {TrainCount} training and {TestCount} test patches.");
        return (train, test);
    }
}
