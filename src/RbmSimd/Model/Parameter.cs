namespace RbmSimd.Model;

/// <summary>One named tensor of a model's parameters (float32, row-major), with the group that sets its training policy.</summary>
/// <remarks>
/// The name is the one a model file stores it under (<c>W</c>, <c>visible_bias</c>, <c>hidden_bias</c>,
/// <c>log_variance</c>, …). The values are owned by the tensor and mutable through <see cref="Span"/>:
/// training updates them in place.
/// </remarks>
public sealed class Parameter
{
    private readonly float[] _values;
    private readonly int[] _shape;

    /// <summary>Creates a zero tensor.</summary>
    /// <param name="name">The name stored in files: letters, digits and underscores.</param>
    /// <param name="group">What kind of parameter it is.</param>
    /// <param name="shape">Its dimensions (1 or 2 of them, each at least 1).</param>
    /// <exception cref="ArgumentException">The name is empty or has other characters, or the shape is empty, has a dimension below 1, or is too large for one array.</exception>
    public Parameter(string name, ParameterGroup group, params ReadOnlySpan<int> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                throw new ArgumentException($"Parameter names use letters, digits and '_' only, but got '{name}'.", nameof(name));
        if (!Enum.IsDefined(group)) throw new ArgumentOutOfRangeException(nameof(group), group, "Unknown parameter group.");
        if (shape.IsEmpty) throw new ArgumentException("A parameter needs at least one dimension.", nameof(shape));
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 1) throw new ArgumentException($"Parameter '{name}' has a dimension of {d}; each must be at least 1.", nameof(shape));
            length *= d;
            if (length > System.Array.MaxLength) throw new ArgumentException($"Parameter '{name}' is too large for one array.", nameof(shape));
        }
        Name = name;
        Group = group;
        _shape = shape.ToArray();
        _values = new float[length];
    }

    /// <summary>The name stored in files.</summary>
    public string Name { get; }

    /// <summary>The group that sets its training policy.</summary>
    public ParameterGroup Group { get; }

    /// <summary>The dimensions.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of values.</summary>
    public int Length => _values.Length;

    /// <summary>The values, row-major, mutable.</summary>
    public Span<float> Span => _values;

    /// <summary>The backing array (for pinning in kernels).</summary>
    internal float[] Array => _values;

    /// <summary>A zero tensor with the same name, group and shape.</summary>
    public Parameter CreateZeros() => new(Name, Group, _shape);

    /// <summary>Whether every value is finite.</summary>
    public bool IsFinite() => IndexOfNonFinite() < 0;

    /// <summary>The index of the first NaN or infinity, or −1.</summary>
    public int IndexOfNonFinite()
    {
        ReadOnlySpan<float> v = _values;
        for (int i = 0; i < v.Length; i++) if (!float.IsFinite(v[i])) return i;
        return -1;
    }

    /// <summary>Whether <paramref name="other"/> has the same name, group and shape.</summary>
    public bool IsLike(Parameter other) =>
        other is not null && other.Name == Name && other.Group == Group && other.Shape.SequenceEqual(Shape);

    /// <summary>The shape as numpy prints it, e.g. <c>(784, 500)</c>.</summary>
    public string ShapeText => _shape.Length == 1 ? $"({_shape[0]},)" : "(" + string.Join(", ", _shape) + ")";

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ShapeText}";
}
