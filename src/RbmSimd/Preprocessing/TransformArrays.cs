using System.Globalization;

namespace RbmSimd.Preprocessing;

/// <summary>Rebuilds transforms from their named arrays (<c>{step}.{kind}.{field}</c>; see <see cref="Transform.ToArrays"/>).</summary>
internal static class TransformArrays
{
    public static Transform Parse(IEnumerable<TransformArray> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var steps = new SortedDictionary<int, (string Kind, Dictionary<string, TransformArray> Fields)>();
        foreach (TransformArray array in arrays)
        {
            ArgumentNullException.ThrowIfNull(array, nameof(arrays));
            ArgumentNullException.ThrowIfNull(array.Name, nameof(arrays));
            ArgumentNullException.ThrowIfNull(array.Shape, nameof(arrays));
            ArgumentNullException.ThrowIfNull(array.Values, nameof(arrays));
            string[] parts = array.Name.Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int step) || parts[1].Length == 0 || parts[2].Length == 0)
                throw new ArgumentException($"Array '{array.Name}' is not named {{step}}.{{kind}}.{{field}}.", nameof(arrays));
            long count = 1;
            foreach (int dim in array.Shape)
            {
                if (dim < 0) throw new ArgumentException($"Array '{array.Name}' has a negative dimension.", nameof(arrays));
                count *= dim;
            }
            if (count != array.Values.Length)
                throw new ArgumentException($"Array '{array.Name}' has shape [{string.Join(", ", array.Shape)}] but {array.Values.Length} values.", nameof(arrays));
            if (!steps.TryGetValue(step, out var entry))
                steps[step] = entry = (parts[1], new Dictionary<string, TransformArray>(StringComparer.Ordinal));
            else if (entry.Kind != parts[1])
                throw new ArgumentException($"Step {step} has arrays of two kinds, '{entry.Kind}' and '{parts[1]}'.", nameof(arrays));
            if (!entry.Fields.TryAdd(parts[2], array))
                throw new ArgumentException($"Array '{array.Name}' appears twice.", nameof(arrays));
        }
        if (steps.Count == 0) throw new ArgumentException("No transform arrays were given.", nameof(arrays));
        var transforms = new List<Transform>();
        int expected = 0;
        foreach ((int step, var (kind, fields)) in steps)
        {
            if (step != expected) throw new ArgumentException($"Steps must be numbered 0, 1, 2, … without gaps, but step {expected} is missing.", nameof(arrays));
            expected++;
            transforms.Add(Build(step, kind, fields));
        }
        return transforms.Count == 1 ? transforms[0] : new TransformChain([.. transforms]);
    }

    private static Transform Build(int step, string kind, Dictionary<string, TransformArray> fields)
    {
        string prefix = $"{step}.{kind}.";
        Transform result;
        try
        {
            result = Create(step, kind, prefix, fields);
        }
        catch (ArgumentException e) when (e.ParamName != "arrays")
        {
            // A constructor refused the values: say which step's arrays hold them.
            throw new ArgumentException($"Step {step} ('{kind}'): {e.Message}", "arrays", e);
        }
        foreach (string field in fields.Keys)
            if (!IsKnownField(kind, field)) throw new ArgumentException($"Array '{prefix}{field}' is not a field of '{kind}'.", "arrays");
        if (kind is PcaWhitening.KindName or ZcaWhitening.KindName)
        {
            int[] shape = fields["components"].Shape;
            if (shape[0] != result.OutputCount || shape[1] != result.InputCount)
                throw new ArgumentException($"Array '{prefix}components' has shape [{shape[0]}, {shape[1]}] but the mean and scale need [{result.OutputCount}, {result.InputCount}].", "arrays");
        }
        return result;
    }

    private static Transform Create(int step, string kind, string prefix, Dictionary<string, TransformArray> fields) => kind switch
    {
        Scaling.KindName => new Scaling(Count(fields, prefix, "columns"), Vector(fields, prefix, "divisor", 1)[0]),
        RowCentering.KindName => new RowCentering(Count(fields, prefix, "columns")),
        Standardization.KindName => new Standardization(Vector(fields, prefix, "mean"), Vector(fields, prefix, "scale")),
        PcaWhitening.KindName => new PcaWhitening(Vector(fields, prefix, "mean"), Matrix(fields, prefix, "components"), Vector(fields, prefix, "scale")),
        ZcaWhitening.KindName => new ZcaWhitening(Vector(fields, prefix, "mean"), Matrix(fields, prefix, "components"), Vector(fields, prefix, "scale")),
        _ => throw new ArgumentException($"Step {step} has the unknown kind '{kind}'.", "arrays"),
    };

    private static bool IsKnownField(string kind, string field) => kind switch
    {
        Scaling.KindName => field is "columns" or "divisor",
        RowCentering.KindName => field is "columns",
        Standardization.KindName => field is "mean" or "scale",
        _ => field is "mean" or "scale" or "components",
    };

    private static TransformArray Field(Dictionary<string, TransformArray> fields, string prefix, string name) =>
        fields.TryGetValue(name, out TransformArray? array) ? array : throw new ArgumentException($"Array '{prefix}{name}' is missing.", "arrays");

    private static float[] Vector(Dictionary<string, TransformArray> fields, string prefix, string name, int length = -1)
    {
        TransformArray array = Field(fields, prefix, name);
        if (array.Shape.Length != 1 || (length >= 0 && array.Shape[0] != length))
            throw new ArgumentException($"Array '{prefix}{name}' must be one-dimensional{(length >= 0 ? $" with {length} value(s)" : "")}, but has shape [{string.Join(", ", array.Shape)}].", "arrays");
        return array.Values;
    }

    private static float[] Matrix(Dictionary<string, TransformArray> fields, string prefix, string name)
    {
        TransformArray array = Field(fields, prefix, name);
        if (array.Shape.Length != 2)
            throw new ArgumentException($"Array '{prefix}{name}' must be two-dimensional, but has shape [{string.Join(", ", array.Shape)}].", "arrays");
        return array.Values;
    }

    private static int Count(Dictionary<string, TransformArray> fields, string prefix, string name)
    {
        float value = Vector(fields, prefix, name, 1)[0];
        if (!(value >= 1 && value <= 1 << 24 && value == MathF.Round(value)))
            throw new ArgumentException($"Array '{prefix}{name}' must hold a positive whole number, but holds {value}.", "arrays");
        return (int)value;
    }
}
