namespace RbmSimd.Kernels;

/// <summary>The instruction-set tier a kernel runs on, narrowest first.</summary>
/// <remarks>
/// Every kernel has one code path per tier. <see cref="KernelSelection.Active"/> picks the widest tier the
/// hardware accelerates, unless the environment variable <c>RBMSIMD_ISA</c> forces a narrower one.
/// </remarks>
public enum KernelIsa
{
    /// <summary>Plain scalar loops: the portable fallback.</summary>
    Scalar = 0,

    /// <summary><c>Vector128&lt;float&gt;</c> (SSE on x64, AdvSIMD on Arm), with FMA where the CPU has it.</summary>
    Vector128 = 1,

    /// <summary><c>Vector256&lt;float&gt;</c> (AVX2 on x64), with FMA where the CPU has it.</summary>
    Vector256 = 2,

    /// <summary>
    /// <c>Vector512&lt;float&gt;</c> (AVX-512F on x64), chosen only where the runtime reports 512-bit vectors as
    /// hardware accelerated (it does not on CPUs that would down-clock for them).
    /// </summary>
    Vector512 = 3,
}
