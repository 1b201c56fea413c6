using System.Runtime.CompilerServices;

namespace RbmSimd.Kernels;

/// <summary>Per-thread packing buffers for <see cref="Gemm"/>, grown on demand and then reused.</summary>
/// <remarks>
/// One instance per thread (<see cref="ThreadStaticAttribute"/>), so concurrent products and the workers of
/// <see cref="Gemm.MultiplyParallel"/> never share a buffer, and a thread that repeats a product shape
/// allocates nothing after its first call. The arrays live on the pinned object heap so the kernels can hold
/// raw pointers without <c>fixed</c>, and each pointer is rounded up to 64 bytes (a cache line, and the
/// 32-byte alignment the micro-kernels' aligned B loads need).
/// </remarks>
internal sealed unsafe class GemmWorkspace
{
    [ThreadStatic] private static GemmWorkspace? t_current;

    private float[] _a = [];
    private float[] _b = [];

    public static GemmWorkspace Current => t_current ??= new GemmWorkspace();

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="floats"/> floats for a packed A block.</summary>
    public float* A(int floats) => Aligned(ref _a, floats);

    /// <summary>A 64-byte-aligned buffer of at least <paramref name="floats"/> floats for a packed B panel.</summary>
    public float* B(int floats) => Aligned(ref _b, floats);

    private static float* Aligned(ref float[] buffer, int floats)
    {
        const int AlignFloats = 16;
        if (buffer.Length < floats + AlignFloats)
            buffer = GC.AllocateUninitializedArray<float>(floats + AlignFloats, pinned: true);
        nuint address = (nuint)Unsafe.AsPointer(ref buffer[0]);
        return (float*)((address + 63) & ~(nuint)63);
    }
}
