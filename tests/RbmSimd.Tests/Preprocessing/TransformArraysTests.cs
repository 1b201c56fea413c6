using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using Xunit;

namespace RbmSimd.Tests.Preprocessing;

public class TransformArraysTests
{
    [Property(Arbitrary = [typeof(TransformCases)], MaxTest = 60)]
    public Property RoundTrip_RebuildsTheSameTransformExactly(TransformCase c)
    {
        Transform t = c.Fit();
        IReadOnlyList<TransformArray> arrays = t.ToArrays();
        Transform back = Transform.FromArrays(arrays);
        IReadOnlyList<TransformArray> again = back.ToArrays();
        bool same = arrays.Count == again.Count && arrays.Zip(again).All(p =>
            p.First.Name == p.Second.Name && p.First.Shape.SequenceEqual(p.Second.Shape) && p.First.Values.SequenceEqual(p.Second.Values));
        Matrix x = c.Fresh(4);
        Matrix y1 = new(x.Rows, t.OutputCount), y2 = new(x.Rows, t.OutputCount);
        t.Forward(x, y1);
        back.Forward(x, y2);
        same &= y1.AsSpan().SequenceEqual(y2.AsSpan());
        same &= t.LogJacobian.Equals(back.LogJacobian) && t.ToString() == back.ToString();
        return same.Label(string.Join(", ", arrays.Select(a => a.Name)));
    }

    [Fact]
    public void Names_FollowStepKindField()
    {
        var c = new TransformCase(40, 8, 8, 0, TransformKind.ScaleCenterPca, 1);
        Transform t = c.Fit();
        Assert.Equal(
            ["0.scaling.divisor", "0.scaling.columns", "1.row-centering.columns", "2.pca-whitening.mean", "2.pca-whitening.components", "2.pca-whitening.scale"],
            t.ToArrays().Select(a => a.Name));
        TransformArray components = t.ToArrays()[4];
        Assert.Equal([7, 8], components.Shape); // the null direction of the centred data is dropped
        Assert.Equal("scaling → row-centering → pca-whitening (8 → 7)", t.ToString());
        var single = new Standardization([1f, 2f], [3f, 4f]);
        Assert.Equal(["0.standardization.mean", "0.standardization.scale"], single.ToArrays().Select(a => a.Name));
        Assert.IsType<Standardization>(Transform.FromArrays(single.ToArrays()));
    }

    private static List<TransformArray> Valid() =>
    [
        new("0.scaling.divisor", [1], [255f]),
        new("0.scaling.columns", [1], [2f]),
        new("1.pca-whitening.mean", [2], [0.5f, -0.5f]),
        new("1.pca-whitening.components", [1, 2], [0.6f, 0.8f]),
        new("1.pca-whitening.scale", [1], [2f]),
    ];

    [Fact]
    public void Valid_Parses()
    {
        Transform t = Transform.FromArrays(Valid());
        Assert.Equal((2, 1), (t.InputCount, t.OutputCount));
    }

    public static TheoryData<string, Func<List<TransformArray>, List<TransformArray>>> Malformed => new()
    {
        { "No transform arrays", _ => [] },
        { "{step}.{kind}.{field}", a => [.. a, new("junk", [1], [1f])] },
        { "appears twice", a => [.. a, new("0.scaling.divisor", [1], [3f])] },
        { "two kinds", a => [.. a, new("0.row-centering.columns", [1], [2f])] },
        { "unknown kind", a => [new("0.rotation.angle", [1], [1f])] },
        { "step 1 is missing", a => [.. a.Select(x => x with { Name = x.Name.Replace("1.", "2.") })] },
        { "'1.pca-whitening.scale' is missing", a => [.. a.Where(x => !x.Name.EndsWith("scale"))] },
        { "not a field", a => [.. a, new("1.pca-whitening.variance", [1], [1f])] },
        { "shape", a => [.. a.Select(x => x.Name.EndsWith("components") ? x with { Shape = [2, 1] } : x)] },
        { "values", a => [.. a.Select(x => x.Name.EndsWith("components") ? x with { Shape = [1, 3] } : x)] },
        { "orthonormal", a => [.. a.Select(x => x.Name.EndsWith("components") ? x with { Values = [0.6f, 0.6f] } : x)] },
        { "positive", a => [.. a.Select(x => x.Name.EndsWith("1.pca-whitening.scale") ? x with { Values = [-2f] } : x)] },
        { "whole number", a => [.. a.Select(x => x.Name == "0.scaling.columns" ? x with { Values = [2.5f] } : x)] },
        { "non-zero", a => [.. a.Select(x => x.Name == "0.scaling.divisor" ? x with { Values = [0f] } : x)] },
        { "gives 3", a => [.. a.Select(x => x.Name == "0.scaling.columns" ? x with { Values = [3f] } : x)] },
        { "finite", a => [.. a.Select(x => x.Name.EndsWith("mean") ? x with { Values = [float.NaN, 0f] } : x)] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_IsAnArgumentErrorSayingWhat(string fragment, Func<List<TransformArray>, List<TransformArray>> damage)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Transform.FromArrays(damage(Valid())));
        Assert.Contains(fragment, e.Message);
    }
}
