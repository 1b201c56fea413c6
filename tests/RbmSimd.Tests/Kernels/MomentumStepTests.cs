using RbmSimd.Kernels;
using Xunit;

namespace RbmSimd.Tests.Kernels;

/// <summary>
/// The fused momentum step on every tier against its documented formula,
/// <c>velocity ← μ·velocity + η·(gradient − λ·parameter); parameter ← parameter + velocity</c>, evaluated one
/// element at a time in float in the documented order (no fused multiply-add), which the remarks promise every
/// tier reproduces bit for bit; and against the same formula in double, within the few roundings it makes.
/// </summary>
public class MomentumStepTests
{
    private static float[] Values(int n, int seed, float scale)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)((2 * random.NextDouble() - 1) * scale)).ToArray();
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void EveryTier_EveryLength_IsTheFormulaBitForBit(KernelIsa isa)
    {
        const float mu = 0.9f, eta = 0.05f, lambda = 0.01f;
        foreach (int n in KernelIsas.Lengths)
        {
            float[] v = Values(n, n, 0.1f), g = Values(n, n + 1, 2f), p = Values(n, n + 2, 1f);
            float[] v0 = v.ToArray(), p0 = p.ToArray();
            MomentumStep.Apply(v, g, p, mu, eta, lambda, isa);
            for (int i = 0; i < n; i++)
            {
                float decayed = lambda * p0[i];
                float inner = g[i] - decayed;
                float step = mu * v0[i] + eta * inner;
                Assert.True(BitConverter.SingleToInt32Bits(step) == BitConverter.SingleToInt32Bits(v[i]), $"{isa}, n = {n}, velocity {i}: {step} vs {v[i]}");
                float next = p0[i] + step;
                Assert.True(BitConverter.SingleToInt32Bits(next) == BitConverter.SingleToInt32Bits(p[i]), $"{isa}, n = {n}, parameter {i}: {next} vs {p[i]}");

                // The same step in double: four float roundings on values of the size of the terms.
                double exact = (double)mu * v0[i] + (double)eta * (g[i] - (double)lambda * p0[i]);
                double size = Math.Abs(mu * v0[i]) + Math.Abs(eta * g[i]) + Math.Abs(eta * lambda * p0[i]);
                Assert.True(Math.Abs(exact - v[i]) <= 4 * 6e-8 * size + 1e-45, $"{isa}, n = {n}, element {i}: {exact} vs {v[i]}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelIsas.Supported), MemberType = typeof(KernelIsas))]
    public void EachArgument_HasItsOwnRole(KernelIsa isa)
    {
        // Distinct powers of two keep every product exact, so each role shows in the result: 17 elements reach
        // every vector width and the scalar tail.
        const int n = 17;
        float[] v = Enumerable.Repeat(2f, n).ToArray(), g = Enumerable.Repeat(8f, n).ToArray(), p = Enumerable.Repeat(4f, n).ToArray();
        MomentumStep.Apply(v, g, p, momentum: 0.5f, rate: 0.25f, decay: 0.125f, isa);
        // step = 0.5·2 + 0.25·(8 − 0.125·4) = 1 + 1.875 = 2.875; parameter = 4 + 2.875.
        Assert.All(v, x => Assert.Equal(2.875f, x));
        Assert.All(p, x => Assert.Equal(6.875f, x));
    }

    [Fact]
    public void PublicOverload_RunsTheStep()
    {
        float[] v = [1f, -1f, 0f], g = [4f, 2f, -2f], p = [2f, 0f, 8f];
        MomentumStep.Apply(v, g, p, momentum: 0.5f, rate: 0.5f, decay: 0.25f);
        Assert.Equal([2.25f, 0.5f, -2f], v);
        Assert.Equal([4.25f, 0.5f, 6f], p);
    }

    [Theory]
    [InlineData(4, 3, 4)]
    [InlineData(4, 4, 3)]
    [InlineData(4, 5, 4)]
    [InlineData(4, 4, 5)]
    public void Lengths_MustAgree(int velocity, int gradient, int parameter)
    {
        var ex = Assert.Throws<ArgumentException>(() => MomentumStep.Apply(new float[velocity], new float[gradient], new float[parameter], 0.5f, 0.1f, 0f));
        Assert.Equal("gradient", ex.ParamName);
        Assert.StartsWith($"The velocity ({velocity}), gradient ({gradient}) and parameters ({parameter}) must have one length.", ex.Message);
    }
}
