using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>Chooses, once per process, which <see cref="KernelIsa"/> the public kernel entry points use.</summary>
/// <remarks>
/// The choice is the widest tier the hardware accelerates. Setting the environment variable
/// <c>RBMSIMD_ISA</c> to <c>Scalar</c>, <c>Vector128</c>, <c>Vector256</c> or <c>Vector512</c> (case-insensitive) before the
/// first kernel call caps it, so a whole process (a CI pass, a benchmark) can exercise a fallback path on
/// a machine that has AVX2 or AVX-512. An unknown value or a tier the hardware lacks falls back to the best supported
/// tier no wider than the request. The variable is read once because the kernels must not pay for it per call.
/// </remarks>
public static class KernelSelection
{
    /// <summary>Name of the environment variable that caps the tier.</summary>
    public const string EnvironmentVariable = "RBMSIMD_ISA";

    /// <summary>The widest tier this process may use; every public kernel entry point dispatches on it.</summary>
    public static KernelIsa Active { get; } = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The widest tier the hardware accelerates, ignoring the environment.</summary>
    public static KernelIsa Best =>
        Vector512.IsHardwareAccelerated ? KernelIsa.Vector512
        : Vector256.IsHardwareAccelerated ? KernelIsa.Vector256
        : Vector128.IsHardwareAccelerated ? KernelIsa.Vector128
        : KernelIsa.Scalar;

    /// <summary>Whether <paramref name="isa"/> can run here (tests skip tiers the CPU lacks).</summary>
    public static bool IsSupported(KernelIsa isa) => isa <= Best;

    /// <summary>Parses a requested tier and caps it at <see cref="Best"/>.</summary>
    internal static KernelIsa Choose(string? requested)
    {
        KernelIsa best = Best;
        if (string.IsNullOrWhiteSpace(requested) || !Enum.TryParse(requested.Trim(), ignoreCase: true, out KernelIsa isa)
            || !Enum.IsDefined(isa))
            return best;
        return isa < best ? isa : best;
    }
}
