using System.Runtime.Intrinsics;

namespace RbmSimd.Sampling;

/// <summary>Draws binary units from their probabilities.</summary>
public static class Bernoulli
{
    /// <summary>
    /// Sets <c>destination[i] = 1</c> when the stream's next uniform <c>u</c> satisfies
    /// <c>u &lt; p[i]</c>, else 0. One uniform is drawn per element, in order, so the result depends
    /// only on the stream's key and position. <paramref name="probabilities"/> and
    /// <paramref name="destination"/> may be the same span.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="probabilities"/>.</exception>
    public static void Sample(ReadOnlySpan<float> probabilities, Span<float> destination, ref RandomStream random)
    {
        if (destination.Length < probabilities.Length)
            throw new ArgumentException($"Destination holds {destination.Length} floats but {probabilities.Length} are needed.", nameof(destination));
        // Uniforms in stack chunks (vectorised generation), then a vectorised compare; p and the
        // destination may alias, which is safe because each chunk is read before it is written.
        const int Chunk = 256;
        Span<float> u = stackalloc float[Chunk];
        for (int start = 0; start < probabilities.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, probabilities.Length - start);
            Span<float> uniforms = u[..n];
            random.NextSingles(uniforms);
            ReadOnlySpan<float> p = probabilities.Slice(start, n);
            Span<float> d = destination.Slice(start, n);
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> one = Vector256<float>.One;
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    Vector256<float> on = Vector256.LessThan(Vector256.Create(uniforms.Slice(i, 8)), Vector256.Create(p.Slice(i, 8)));
                    (on & one).CopyTo(d.Slice(i, 8));
                }
            }
            for (; i < n; i++) d[i] = uniforms[i] < p[i] ? 1f : 0f;
        }
    }
}
