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
    };

    /// <summary>Name of a conditional model's visible unit type (a string: <c>bernoulli</c> or <c>gaussian</c>).</summary>
    public const string VisibleUnitsName = "visible_units";

    /// <summary>Name of a conditional model's history length n (a scalar: the context is the previous n frames; 0 for any other context).</summary>
    public const string HistoryLengthName = "history_length";

    /// <summary>The largest history length a file may declare (a context of 10,000 frames is already far beyond any use).</summary>
    public const int MaxHistoryLength = 10_000;

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
    /// The arrays a kind stores besides its parameters, <c>model_kind</c> and <c>format_version</c>: for a conditional model
    /// its visible unit type and history length; nothing for the other kinds.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, NpyArray>> KindArrays(IRbm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not ConditionalRbm c) return [];
        return
        [
            new(VisibleUnitsName, NpyArray.FromString(c.VisibleUnits == VisibleUnitKind.Gaussian ? "gaussian" : "bernoulli")),
            new(HistoryLengthName, NpyArray.FromScalar(c.HistoryLength)),
        ];
    }

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
