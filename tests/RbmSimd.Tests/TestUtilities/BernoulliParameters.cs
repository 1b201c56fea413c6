using RbmSimd.Model;

namespace RbmSimd.Tests.TestUtilities;

/// <summary>Parameter-shaped buffers of a Bernoulli model (gradients, velocities) for tests.</summary>
internal static class BernoulliParameters
{
    /// <summary>Zero tensors laid out as an nv×nh Bernoulli model's parameters (W, visible_bias, hidden_bias).</summary>
    public static ParameterSet Zeros(int visibleCount, int hiddenCount) => BernoulliRbm.CreateRandom(visibleCount, hiddenCount, seed: 1).Parameters.CreateZeros();
}
