using System.Numerics.Tensors;

namespace RbmSimd.Kernels;

/// <summary>Element-wise activation functions on spans. Source and destination may be the same span.</summary>
public static class Activations
{
    /// <summary>Computes <c>σ(x) = 1 / (1 + e^{-x})</c> for each element.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination)
    {
        RequireDestination(x, destination);
        if (x.IsEmpty) return;
        TensorPrimitives.Sigmoid(x, destination);
    }

    /// <summary>
    /// Computes <c>softplus(x) = log(1 + e^x)</c> for each element, in the overflow-free form
    /// <c>max(x, 0) + log(1 + e^{-|x|})</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="x"/>.</exception>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> destination)
    {
        RequireDestination(x, destination);
        for (int i = 0; i < x.Length; i++) destination[i] = Softplus(x[i]);
    }

    /// <summary>Returns <c>Σ softplus(x_i)</c>, accumulated in double.</summary>
    public static double SumSoftplus(ReadOnlySpan<float> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += Softplus(x[i]);
        return sum;
    }

    /// <summary>Scalar softplus in the overflow-free form, evaluated in double.</summary>
    public static float Softplus(float x)
    {
        double t = Math.Exp(-Math.Abs((double)x));
        double log1p = t < 1e-5 ? t * (1 - 0.5 * t) : Math.Log(1 + t);
        return (float)(Math.Max(x, 0.0) + log1p);
    }

    private static void RequireDestination(ReadOnlySpan<float> x, Span<float> destination)
    {
        if (destination.Length < x.Length)
            throw new ArgumentException($"Destination holds {destination.Length} floats but {x.Length} are needed.", nameof(destination));
    }
}
