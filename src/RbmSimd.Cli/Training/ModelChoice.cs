using RbmSimd.Data;
using RbmSimd.Model;

namespace RbmSimd.Cli.Training;

/// <summary>The model <c>rbm train</c> starts from: its visible units and how its parameters are initialised.</summary>
/// <param name="Visible">The visible units.</param>
/// <param name="WeightInit">The initial weights' standard deviation; null for the kind's default.</param>
/// <param name="ComponentWeight">Gaussian units: the weight each single unit's component starts with (see <see cref="GaussianBernoulliInitialization"/>).</param>
internal sealed record ModelChoice(VisibleUnitKind Visible, float? WeightInit, float ComponentWeight)
{
    /// <summary>The initial hidden bias of a convolutional model's maps (as Lee et al.'s and DLL's start, a little below zero).</summary>
    public const float ConvolutionalHiddenBias = -0.1f;

    /// <summary>A convolutional model's layer (<c>--model convolutional</c>), or null for a dense model.</summary>
    public ConvolutionChoice? Convolution { get; init; }

    /// <summary>A new model for <paramref name="train"/> (rows as the model sees them, after any transform); a convolutional one on the data's images.</summary>
    /// <exception cref="UsageException">The convolutional options do not fit the data.</exception>
    public IRbm Create(IRowSource train, int hidden, ulong seed, int imageWidth = 0, int imageHeight = 0)
    {
        if (Convolution is { } conv)
            return ConvolutionalRbm.CreateRandom(conv.Resolve(train.ColumnCount, imageWidth, imageHeight), conv.Pool, Visible, seed,
                WeightInit ?? 0.01f, ConvolutionalHiddenBias, train);
        return Visible == VisibleUnitKind.Gaussian
            ? GaussianBernoulliRbm.CreateRandom(train.ColumnCount, hidden, seed, train,
                new GaussianBernoulliInitialization { WeightStdDev = WeightInit, ComponentWeight = ComponentWeight })
            : BernoulliRbm.CreateRandom(train.ColumnCount, hidden, seed, train, WeightInit ?? 0.01f);
    }
}
