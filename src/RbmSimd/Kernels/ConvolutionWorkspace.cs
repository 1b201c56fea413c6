using System.Runtime.CompilerServices;

namespace RbmSimd.Kernels;

/// <summary>Per-thread scratch of the convolution kernels (the unfolded patches of one image), grown on demand and then reused.</summary>
/// <remarks>
/// One instance per thread (<see cref="ThreadStaticAttribute"/>), as <see cref="GemmWorkspace"/>: the workers of a parallel
/// batch never share a buffer, and a thread that repeats a shape allocates nothing after its first call. The arrays live on
/// the pinned object heap so the kernels can hold raw pointers; each pointer is rounded up to 64 bytes.
/// </remarks>
internal sealed unsafe class ConvolutionWorkspace
{
    [ThreadStatic] private static ConvolutionWorkspace? t_current;

    private float[] _patches = [];

    public static ConvolutionWorkspace Current => t_current ??= new ConvolutionWorkspace();

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="floats"/> floats for one image's patches (or columns).</summary>
    public float* Patches(int floats)
    {
        const int AlignFloats = 16;
        if (_patches.Length < floats + AlignFloats)
            _patches = GC.AllocateUninitializedArray<float>(floats + AlignFloats, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref _patches[0]);
        return (float*)((address + 63) & ~(nuint)63);
    }
}
