using RbmSimd.Kernels;
using Xunit;

namespace RbmSimd.Tests.Kernels;

public class KernelSelectionTests
{
    [Theory]
    [InlineData("Scalar", KernelIsa.Scalar)]
    [InlineData("scalar", KernelIsa.Scalar)]
    [InlineData(" Vector128 ", KernelIsa.Vector128)]
    [InlineData("VECTOR256", KernelIsa.Vector256)]
    public void Choose_KnownName_CapsAtBest(string requested, KernelIsa isa)
    {
        KernelIsa expected = isa < KernelSelection.Best ? isa : KernelSelection.Best;
        Assert.Equal(expected, KernelSelection.Choose(requested));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("avx512")]
    [InlineData("7")]
    public void Choose_MissingOrUnknown_GivesBest(string? requested) =>
        Assert.Equal(KernelSelection.Best, KernelSelection.Choose(requested));

    [Fact]
    public void Active_HonoursEnvironmentVariable()
    {
        // CI runs the kernel tests once with RBMSIMD_ISA=Scalar: then every public entry point must be scalar.
        string? requested = Environment.GetEnvironmentVariable(KernelSelection.EnvironmentVariable);
        Assert.Equal(KernelSelection.Choose(requested), KernelSelection.Active);
        if (string.Equals(requested, "Scalar", StringComparison.OrdinalIgnoreCase)) Assert.Equal(KernelIsa.Scalar, KernelSelection.Active);
    }
}
