using RbmSimd.Data;
using Xunit;

namespace RbmSimd.Tests.Data;

public class NaturalPatchesTests
{
    [Fact]
    public void Load_GivesTheDocumentedShapesAndGreyLevels()
    {
        (Dataset train, Dataset test) = NaturalPatches.Load();
        Assert.Equal((NaturalPatches.TrainCount, 64), (train.Count, train.FeatureCount));
        Assert.Equal((NaturalPatches.TestCount, 64), (test.Count, test.FeatureCount));
        foreach (Dataset d in new[] { train, test })
        {
            Assert.Equal((8, 8), (d.ImageWidth, d.ImageHeight));
            Assert.False(d.HasLabels);
            foreach (float v in d.Features.AsSpan()) Assert.True(v >= 0 && v <= NaturalPatches.MaxPixel && v == MathF.Round(v));
        }
    }

    [Fact]
    public void Load_MatchesTheCopyInTheRepository()
    {
        // The embedded resource is data/natural-patches-8x8.npz, read through the public loader.
        string path = Path.Combine(RepositoryRoot(), "data", "natural-patches-8x8.npz");
        (Dataset fileTrain, Dataset? fileTest) = NumpyData.Load(path);
        (Dataset train, Dataset test) = NaturalPatches.Load();
        Assert.True(fileTrain.Features.AsSpan().SequenceEqual(train.Features.AsSpan()));
        Assert.True(fileTest!.Features.AsSpan().SequenceEqual(test.Features.AsSpan()));
    }

    [Fact]
    public void Patches_AreNotConstantAndSpanTheGreyRange()
    {
        // Natural images: bright and dark pixels both occur, and most patches have some contrast.
        (Dataset train, _) = NaturalPatches.Load();
        ReadOnlySpan<float> v = train.Features.AsSpan();
        float min = float.MaxValue, max = float.MinValue;
        foreach (float x in v) { min = Math.Min(min, x); max = Math.Max(max, x); }
        Assert.True(min <= 5 && max >= 250, $"grey levels span [{min}, {max}]");
        int flat = 0;
        for (int r = 0; r < train.Count; r++)
        {
            ReadOnlySpan<float> row = v.Slice(r * 64, 64);
            float lo = float.MaxValue, hi = float.MinValue;
            foreach (float x in row) { lo = Math.Min(lo, x); hi = Math.Max(hi, x); }
            if (hi == lo) flat++;
        }
        Assert.True(flat < train.Count / 10, $"{flat} constant patches");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RbmSimd.sln"))) return dir.FullName;
        throw new InvalidOperationException("RbmSimd.sln not found above the test binaries.");
    }
}
