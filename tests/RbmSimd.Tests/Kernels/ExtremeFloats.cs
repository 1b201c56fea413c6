using FsCheck;
using FsCheck.Fluent;

namespace RbmSimd.Tests.Kernels;

/// <summary>A float array for activation properties: ordinary values mixed with the ones kernels get wrong.</summary>
public sealed record ActivationInput(float[] Values)
{
    public override string ToString() => $"[{Values.Length}] {string.Join(", ", Values.Take(12))}{(Values.Length > 12 ? ", …" : "")}";
}

/// <summary>FsCheck generators for <see cref="ActivationInput"/>.</summary>
public static class ExtremeFloats
{
    /// <summary>Values that sit on special paths: saturation, subnormal results, NaN, infinities, signed zero.</summary>
    public static readonly float[] Specials =
    [
        0f, -0f, 1000f, -1000f, float.PositiveInfinity, float.NegativeInfinity, float.NaN,
        float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f, float.MaxValue, float.MinValue,
        17.3286f, 17.33f, -87.3f, -87.4f, -103f, -104f, 88.7f, -88.7f, 1e-8f, -1e-8f,
    ];

    private static Gen<float> Uniform(float lo, float hi) =>
        Gen.Choose(0, 1 << 24).Select(i => lo + (hi - lo) * (i / (float)(1 << 24)));

    private static readonly Gen<float> Value = Gen.Frequency(
        (6, Uniform(-20f, 20f)),
        (2, Uniform(-120f, 120f)),
        (2, Gen.Elements(Specials)));

    private static readonly Gen<int> Length = Gen.Frequency(
        (3, Gen.Elements(KernelIsas.Lengths)),
        (2, Gen.Choose(0, 70)));

    /// <summary>Arrays of mixed values at lengths covering every vector remainder; shrinks by halving the array.</summary>
    public static Arbitrary<ActivationInput> Inputs() =>
        Arb.From(Length.SelectMany(n => Gen.ArrayOf(Value, n)).Select(v => new ActivationInput(v)), Shrink);

    private static IEnumerable<ActivationInput> Shrink(ActivationInput input)
    {
        float[] v = input.Values;
        if (v.Length == 0) yield break;
        yield return new ActivationInput(v[..(v.Length / 2)]);
        yield return new ActivationInput(v[(v.Length / 2)..]);
        if (v.Length > 1) yield return new ActivationInput(v[..^1]);
    }
}
