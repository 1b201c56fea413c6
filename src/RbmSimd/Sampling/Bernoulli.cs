using System.Runtime.Intrinsics;
using RbmSimd.Kernels;
using RbmSimd.Numerics;

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
            if (KernelSelection.Active >= KernelIsa.Vector256)
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

    /// <summary>
    /// Replaces each probability of a matrix by a Bernoulli draw, in place: row r draws from stream positions
    /// <c>r·cols …</c> from the current one, which then advances by <c>rows·cols</c>. Rows are sampled in fixed
    /// blocks on up to <paramref name="maxDegreeOfParallelism"/> threads; the result is the same bits for any value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public static unsafe void SampleRows(MatrixView probabilities, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        fixed (float* p = probabilities.Span)
        {
            var body = new SampleRowsBlock(p, probabilities.Rows, probabilities.Cols, probabilities.Stride, random);
            ChunkedParallel.For(SampleRowsBlock.BlockCount(probabilities.Rows), threads, body);
        }
        random.Position += (ulong)probabilities.Rows * (ulong)probabilities.Cols;
    }
}
