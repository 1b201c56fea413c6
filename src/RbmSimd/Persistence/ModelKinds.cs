using RbmSimd.IO;
using RbmSimd.Model;

namespace RbmSimd.Persistence;

/// <summary>
/// The registry of model kinds a model file can hold: the <c>model_kind</c> string maps to a function that
/// builds an empty model of the right shape from the file's arrays, which <see cref="ModelFile"/> then fills
/// parameter by parameter.
/// </summary>
public static class ModelKinds
{
    private static readonly Dictionary<string, Func<IReadOnlyDictionary<string, NpyArray>, string, IRbm>> s_kinds = new(StringComparer.Ordinal)
    {
        [BernoulliRbm.KindName] = (arrays, source) =>
        {
            (int nv, int nh) = DenseShape(arrays, source);
            return BernoulliRbm.CreateZero(nv, nh);
        },
        [GaussianBernoulliRbm.KindName] = (arrays, source) =>
        {
            (int nv, int nh) = DenseShape(arrays, source);
            return GaussianBernoulliRbm.CreateZero(nv, nh);
        },
        [ConditionalRbm.KindName] = CreateConditional,
        [ConvolutionalRbm.KindName] = ConvolutionalFromArrays,
    };

    /// <summary>Name of a conditional or convolutional model's visible unit type (a string: <c>bernoulli</c> or <c>gaussian</c>).</summary>
    public const string VisibleUnitsName = "visible_units";

    /// <summary>Name of a conditional model's history length n (a scalar: the context is the previous n frames; 0 for any other context).</summary>
    public const string HistoryLengthName = "history_length";

    /// <summary>The largest history length a file may declare (a context of 10,000 frames is already far beyond any use).</summary>
    public const int MaxHistoryLength = 10_000;

    /// <summary>Name of a convolutional model's image shape: int64 (C, H, W).</summary>
    public const string InputShapeName = "input_shape";

    /// <summary>Name of a convolutional model's pooling block side p: an int64 scalar (1: no pooling).</summary>
    public const string PoolSizeName = "pool_size";

    /// <summary>The most floats a convolutional model's images or maps may hold (a bound on what a hostile shape can make a reader allocate).</summary>
    public const long MaxConvolutionalUnits = 1L << 28;

    /// <summary>The kinds this build reads and writes.</summary>
    public static IReadOnlyCollection<string> Names => s_kinds.Keys;

    /// <summary>Builds an all-zero model of <paramref name="kind"/> shaped by the file's arrays (its parameters name the arrays the file must hold).</summary>
    /// <exception cref="InvalidDataException">The kind is unknown or the arrays do not give a valid shape.</exception>
    public static IRbm CreateEmpty(string kind, IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        if (!s_kinds.TryGetValue(kind, out var create))
            throw ModelFile.Error(source, $"model_kind is {UntrustedText.Quote(kind)}, which this version of RbmSimd does not know (it reads {string.Join(", ", Names)})");
        return create(arrays, source);
    }

    /// <summary>
    /// The arrays a kind stores besides its parameters, <c>model_kind</c> and <c>format_version</c>: a conditional model's
    /// visible unit type and history length, a convolutional model's input shape, pooling size and visible unit type;
    /// nothing for the dense kinds.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, NpyArray>> KindArrays(IRbm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model switch
        {
            ConditionalRbm c =>
            [
                new(VisibleUnitsName, NpyArray.FromString(c.VisibleUnits == VisibleUnitKind.Gaussian ? "gaussian" : "bernoulli")),
                new(HistoryLengthName, NpyArray.FromScalar(c.HistoryLength)),
            ],
            ConvolutionalRbm conv =>
            [
                new(InputShapeName, NpyArray.FromIntegers([3], [conv.Shape.Channels, conv.Shape.Height, conv.Shape.Width])),
                new(PoolSizeName, NpyArray.FromInteger(conv.PoolSize)),
                new(VisibleUnitsName, NpyArray.FromString(conv.VisibleUnits == VisibleUnitKind.Gaussian ? "gaussian" : "bernoulli")),
            ],
            _ => [],
        };
    }

    /// <summary>The names <see cref="KindArrays"/> writes for models of <paramref name="kind"/>.</summary>
    public static IReadOnlyList<string> KindArrayNames(string kind) => kind switch
    {
        ConditionalRbm.KindName => [VisibleUnitsName, HistoryLengthName],
        ConvolutionalRbm.KindName => [InputShapeName, PoolSizeName, VisibleUnitsName],
        _ => [],
    };

    /// <summary>
    /// A conditional model's shape: (nv, nh) from W, nc from <c>context_visible</c> (nv × nc), the unit type from
    /// <c>visible_units</c> and n from <c>history_length</c>, each checked (<c>context_hidden</c>'s shape, nc × nh, is checked
    /// with the other parameters).
    /// </summary>
    private static IRbm CreateConditional(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        (int nv, int nh) = DenseShape(arrays, source);
        NpyArray a = ModelFile.Require(arrays, ConditionalRbm.ContextVisibleName, source);
        if (a.IsText || a.Rank != 2 || a.Shape[0] != nv || a.Shape[1] < 1)
            throw ModelFile.Error(source, $"array '{ConditionalRbm.ContextVisibleName}' has shape {a.ShapeText}{(a.IsText ? " and holds strings" : "")} but must be " +
                $"visible × context numbers, ({nv}, nc) with nc at least 1, as '{DenseRbm.WeightsName}' has {nv} visible units");
        int nc = a.Shape[1];
        NpyArray units = ModelFile.Require(arrays, VisibleUnitsName, source);
        if (!units.IsText || units.Length != 1 || units.Texts[0] is not ("bernoulli" or "gaussian"))
            throw ModelFile.Error(source, $"array '{VisibleUnitsName}' must be the single string 'bernoulli' or 'gaussian'" +
                (units.IsText && units.Length == 1 ? $", not {UntrustedText.Quote(units.Texts[0])}" : $" but has shape {units.ShapeText}"));
        NpyArray history = ModelFile.Require(arrays, HistoryLengthName, source);
        if (history.IsText || history.Length != 1)
            throw ModelFile.Error(source, $"array '{HistoryLengthName}' must hold a single number but has shape {history.ShapeText}{(history.IsText ? " and holds strings" : "")}");
        float n = history.Values[0];
        if (!(n >= 0 && n <= MaxHistoryLength && n == MathF.Floor(n)))
            throw ModelFile.Error(source, $"{HistoryLengthName} is {n.ToString(System.Globalization.CultureInfo.InvariantCulture)} but must be a whole number from 0 to {MaxHistoryLength}");
        if (n > 0 && (long)n * nv != nc)
            throw ModelFile.Error(source, $"{HistoryLengthName} is {n} frames of {nv} visible units, {(long)n * nv} context values, but '{ConditionalRbm.ContextVisibleName}' has {nc}");
        return ConditionalRbm.CreateZero(units.Texts[0] == "gaussian" ? VisibleUnitKind.Gaussian : VisibleUnitKind.Bernoulli, nv, nc, nh, (int)n);
    }

    /// <summary>An empty convolutional model shaped by <c>filters</c> (K, C, F, F), <c>input_shape</c>, <c>pool_size</c> and <c>visible_units</c>.</summary>
    private static IRbm ConvolutionalFromArrays(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        NpyArray filters = ModelFile.Require(arrays, ConvolutionalRbm.FiltersName, source);
        if (filters.IsText || filters.Rank != 4)
            throw ModelFile.Error(source, $"array '{ConvolutionalRbm.FiltersName}' has shape {filters.ShapeText} but must be four-dimensional (filters × channels × size × size)");
        ReadOnlySpan<int> fs = filters.Shape;
        if (fs[0] < 1 || fs[1] < 1 || fs[2] < 1 || fs[2] != fs[3])
            throw ModelFile.Error(source, $"array '{ConvolutionalRbm.FiltersName}' has shape {filters.ShapeText}; filters are square and every dimension is at least 1");
        NpyArray shape = ModelFile.Require(arrays, InputShapeName, source);
        if (!shape.IsInteger || shape.Rank != 1 || shape.Length != 3)
            throw ModelFile.Error(source, $"array '{InputShapeName}' has shape {shape.ShapeText}{(shape.IsInteger ? "" : " and does not hold integers")} but must hold three integers (channels, height, width)");
        long c = shape.Integers[0], h = shape.Integers[1], w = shape.Integers[2];
        if (c < 1 || h < 1 || w < 1 || c * h > MaxConvolutionalUnits || c * h * w > MaxConvolutionalUnits)
            throw ModelFile.Error(source, $"{InputShapeName} is ({c}, {h}, {w}); each must be at least 1 and the image at most {MaxConvolutionalUnits} values");
        if (c != fs[1])
            throw ModelFile.Error(source, $"{InputShapeName} has {c} channels but '{ConvolutionalRbm.FiltersName}' has shape {filters.ShapeText} ({fs[1]} channels)");
        int f = fs[2];
        if (f > h || f > w)
            throw ModelFile.Error(source, $"the {f}x{f} filters do not fit the {h}x{w} images of {InputShapeName}");
        long maps = (long)fs[0] * (h - f + 1) * (w - f + 1);
        if (maps > MaxConvolutionalUnits)
            throw ModelFile.Error(source, $"the detection maps would hold {maps} units; at most {MaxConvolutionalUnits}");
        NpyArray pool = ModelFile.Require(arrays, PoolSizeName, source);
        if (!pool.IsInteger || pool.Length != 1)
            throw ModelFile.Error(source, $"array '{PoolSizeName}' has shape {pool.ShapeText}{(pool.IsInteger ? "" : " and does not hold an integer")} but must hold one integer");
        long p = pool.Integers[0];
        if (p < 1 || (h - f + 1) % p != 0 || (w - f + 1) % p != 0)
            throw ModelFile.Error(source, $"{PoolSizeName} is {p}, but it must be at least 1 and divide the detection maps' sides ({h - f + 1} and {w - f + 1})");
        NpyArray units = ModelFile.Require(arrays, VisibleUnitsName, source);
        if (!units.IsText || units.Length != 1 || units.Texts[0] is not ("bernoulli" or "gaussian"))
            throw ModelFile.Error(source, $"array '{VisibleUnitsName}' must be the string 'bernoulli' or 'gaussian'" +
                (units.IsText && units.Length == 1 ? $" but is {UntrustedText.Quote(units.Texts[0])}" : $" but has shape {units.ShapeText}"));
        VisibleUnitKind kind = units.Texts[0] == "gaussian" ? VisibleUnitKind.Gaussian : VisibleUnitKind.Bernoulli;
        return ConvolutionalRbm.CreateZero((int)c, (int)h, (int)w, fs[0], f, (int)p, kind);
    }

    /// <summary>(nv, nh) from the weight matrix of a dense model.</summary>
    private static (int Visible, int Hidden) DenseShape(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        NpyArray w = ModelFile.Require(arrays, DenseRbm.WeightsName, source);
        if (w.Rank != 2)
            throw ModelFile.Error(source, $"array '{DenseRbm.WeightsName}' has shape {w.ShapeText} but must be two-dimensional (visible × hidden)");
        if (w.Shape[0] < 1 || w.Shape[1] < 1)
            throw ModelFile.Error(source, $"array '{DenseRbm.WeightsName}' has shape {w.ShapeText}; a model needs at least one visible and one hidden unit");
        return (w.Shape[0], w.Shape[1]);
    }
}
