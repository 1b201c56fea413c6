namespace RbmSimd.Model;

/// <summary>The argument checks every model kind's constructor applies to its parameter arrays.</summary>
internal static class ParameterChecks
{
    /// <summary>Throws when a span of parameters has the wrong length or holds NaN or ∞.</summary>
    public static void RequireLengthAndFinite(ReadOnlySpan<float> x, long length, string name)
    {
        if (x.Length != length) throw new ArgumentException($"Expected {length} values but got {x.Length}.", name);
        for (int i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i])) throw new ArgumentException($"Value at index {i} is {x[i]}; parameters must be finite.", name);
    }
}
