using System.Globalization;
using RbmSimd.Model;

namespace RbmSimd.Cli;

/// <summary>A model's shape in words, for banners and messages.</summary>
internal static class ModelDescription
{
    /// <summary>"784x500 RBM", "conditional RBM of 900 visible units given 1800 context values, 50 hidden units", or "convolutional RBM (1x28x28 images, 40 filters 9x9 → 40x20x20 maps, 2x2 pooling)".</summary>
    public static string Of(IRbm model) => model switch
    {
        ConvolutionalRbm c => string.Create(CultureInfo.InvariantCulture,
            $"convolutional RBM ({c.Shape.Channels}x{c.Shape.Height}x{c.Shape.Width} images, {c.Shape.Filters} filters {c.Shape.FilterSize}x{c.Shape.FilterSize} " +
            $"→ {c.Shape.Filters}x{c.Shape.OutputHeight}x{c.Shape.OutputWidth} maps, {(c.PoolSize == 1 ? "no pooling" : $"{c.PoolSize}x{c.PoolSize} pooling")})"),
        { ContextCount: > 0 } => string.Create(CultureInfo.InvariantCulture,
            $"conditional RBM of {model.VisibleCount - model.ContextCount} visible units given {model.ContextCount} context values, {model.HiddenCount} hidden units"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{model.VisibleCount}x{model.HiddenCount} RBM"),
    };
}
