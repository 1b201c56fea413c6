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
    };

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
