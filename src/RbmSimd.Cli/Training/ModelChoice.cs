using RbmSimd.Data;
using RbmSimd.Model;

namespace RbmSimd.Cli.Training;

/// <summary>The model <c>rbm train</c> starts from: its visible units and how its parameters are initialised.</summary>
/// <param name="Visible">The visible units.</param>
/// <param name="WeightInit">The initial weights' standard deviation; null for the kind's default.</param>
/// <param name="ComponentWeight">Gaussian units: the weight each single unit's component starts with (see <see cref="GaussianBernoulliInitialization"/>).</param>
internal sealed record ModelChoice(VisibleUnitKind Visible, float? WeightInit, float ComponentWeight)
{
    /// <summary>A new model for <paramref name="train"/> (rows as the model sees them, after any transform).</summary>
    public IRbm Create(IRowSource train, int hidden, ulong seed) => Visible == VisibleUnitKind.Gaussian
        ? GaussianBernoulliRbm.CreateRandom(train.ColumnCount, hidden, seed, train,
            new GaussianBernoulliInitialization { WeightStdDev = WeightInit, ComponentWeight = ComponentWeight })
        : BernoulliRbm.CreateRandom(train.ColumnCount, hidden, seed, train, WeightInit ?? 0.01f);
}
