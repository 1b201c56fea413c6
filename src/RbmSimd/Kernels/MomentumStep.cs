using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>
/// One step of gradient ascent with momentum and L2 decay, fused into one pass over three arrays:
/// <c>velocity ← μ·velocity + η·(gradient − λ·parameter); parameter ← parameter + velocity</c>.
/// </summary>
/// <remarks>
/// Implementation notes. Three separate passes cost about twice as much at 392,000 elements (a 784 × 500
/// weight matrix) as this one. Every tier performs the same operations in the same order without fused
/// multiply-adds, so all tiers give the same bits.
/// </remarks>
public static class MomentumStep
{
    /// <summary>Applies the step in place on the tier <see cref="KernelSelection.Active"/> chooses.</summary>
    /// <param name="velocity">The last change of each parameter; updated.</param>
    /// <param name="gradient">The ascent direction.</param>
    /// <param name="parameter">The parameters; updated.</param>
    /// <param name="momentum">μ.</param>
    /// <param name="rate">η.</param>
    /// <param name="decay">λ.</param>
    /// <exception cref="ArgumentException">The spans' lengths differ.</exception>
    public static void Apply(Span<float> velocity, ReadOnlySpan<float> gradient, Span<float> parameter, float momentum, float rate, float decay) =>
        Apply(velocity, gradient, parameter, momentum, rate, decay, KernelSelection.Active);

    internal static void Apply(Span<float> velocity, ReadOnlySpan<float> gradient, Span<float> parameter, float momentum, float rate, float decay, KernelIsa isa)
    {
        if (gradient.Length != velocity.Length || parameter.Length != velocity.Length)
            throw new ArgumentException($"The velocity ({velocity.Length}), gradient ({gradient.Length}) and parameters ({parameter.Length}) must have one length.", nameof(gradient));
        ref float v = ref MemoryMarshal.GetReference(velocity);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float p = ref MemoryMarshal.GetReference(parameter);
        nuint n = (nuint)velocity.Length, i = 0;
        if (isa == KernelIsa.Vector512)
            i = Vector512Loop(ref v, ref g, ref p, n, momentum, rate, decay);
        else if (isa == KernelIsa.Vector256)
            i = Vector256Loop(ref v, ref g, ref p, n, momentum, rate, decay);
        else if (isa == KernelIsa.Vector128)
            i = Vector128Loop(ref v, ref g, ref p, n, momentum, rate, decay);
        for (; i < n; i++)
        {
            float step = momentum * Unsafe.Add(ref v, i) + rate * (Unsafe.Add(ref g, i) - decay * Unsafe.Add(ref p, i));
            Unsafe.Add(ref v, i) = step;
            Unsafe.Add(ref p, i) += step;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint Vector512Loop(ref float v, ref float g, ref float p, nuint n, float momentum, float rate, float decay)
    {
        Vector512<float> mu = Vector512.Create(momentum), eta = Vector512.Create(rate), lambda = Vector512.Create(decay);
        nuint i = 0;
        for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
        {
            Vector512<float> param = Vector512.LoadUnsafe(ref p, i);
            Vector512<float> step = mu * Vector512.LoadUnsafe(ref v, i) + eta * (Vector512.LoadUnsafe(ref g, i) - lambda * param);
            step.StoreUnsafe(ref v, i);
            (param + step).StoreUnsafe(ref p, i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint Vector256Loop(ref float v, ref float g, ref float p, nuint n, float momentum, float rate, float decay)
    {
        Vector256<float> mu = Vector256.Create(momentum), eta = Vector256.Create(rate), lambda = Vector256.Create(decay);
        nuint i = 0;
        for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
        {
            Vector256<float> param = Vector256.LoadUnsafe(ref p, i);
            Vector256<float> step = mu * Vector256.LoadUnsafe(ref v, i) + eta * (Vector256.LoadUnsafe(ref g, i) - lambda * param);
            step.StoreUnsafe(ref v, i);
            (param + step).StoreUnsafe(ref p, i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static nuint Vector128Loop(ref float v, ref float g, ref float p, nuint n, float momentum, float rate, float decay)
    {
        Vector128<float> mu = Vector128.Create(momentum), eta = Vector128.Create(rate), lambda = Vector128.Create(decay);
        nuint i = 0;
        for (; i + (nuint)Vector128<float>.Count <= n; i += (nuint)Vector128<float>.Count)
        {
            Vector128<float> param = Vector128.LoadUnsafe(ref p, i);
            Vector128<float> step = mu * Vector128.LoadUnsafe(ref v, i) + eta * (Vector128.LoadUnsafe(ref g, i) - lambda * param);
            step.StoreUnsafe(ref v, i);
            (param + step).StoreUnsafe(ref p, i);
        }
        return i;
    }
}
