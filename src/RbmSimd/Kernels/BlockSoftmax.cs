using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>
/// The softmax of probabilistic max-pooling (Lee, Grosse, Ranganath and Ng, 2009) as a vector operator on maps cut into
/// p × p blocks (<see cref="PoolingShape"/>): the p² units of each block and one "off" state form one (p² + 1)-way choice
/// with <c>P(unit) = e^{xᵤ}/(1 + Σ_block e^{x})</c> and <c>P(off) = 1/(1 + Σ_block e^{x})</c>. With p = 1 this is the
/// logistic function.
/// </summary>
/// <remarks>
/// <para>Implementation notes. Each block is computed stably: with <c>m = max(0, max_block x)</c>,
/// <c>P(unit) = e^{xᵤ − m}/(e^{−m} + Σ_block e^{x − m})</c>, so every exponent is ≤ 0 (<see cref="ExpNonPositive"/>) and
/// the denominator lies in [1, p² + 1]: nothing overflows for any finite input. The canonical order of the sums, which every
/// path follows so that the paths agree bit for bit: the column sums <c>col_u = Σ_t e[t, u]</c> (t ascending), then
/// <c>Σ_u col_u</c> (u ascending), then <c>e^{−m} + that</c>; each probability is <c>e·(1/denominator)</c>.</para>
/// <para>p = 2, the usual size, runs in registers: a vector holds 16 (or 8) columns of a pair of map rows, that is 8 (or 4)
/// blocks side by side; the block maximum and the column sums meet their neighbours by swapping adjacent lanes, so each
/// lane ends with its block's values and no data is rearranged in memory. Rows whose width is not a multiple of the vector
/// recompute an overlapping last vector whose inputs are loaded before anything is stored, so the operators work in place.
/// p = 1 is the sigmoid (<see cref="Activations"/>); other sizes, and maps narrower than a vector, take the scalar path.</para>
/// <para>Sampling takes one uniform u per block and switches on the unit whose interval
/// <c>[Σ_{earlier} P, Σ_{earlier} P + P(unit))</c> (units in row-major order within the block) holds u, or none when u is past
/// them all: at most one unit per block, whatever the probabilities.</para>
/// </remarks>
public static class BlockSoftmax
{
    /// <summary>Writes each unit's probability <c>e^{x}/(1 + Σ_block e^{x})</c>. <paramref name="probabilities"/> may be <paramref name="inputs"/> (in place).</summary>
    /// <exception cref="ArgumentException">A span's length is not <see cref="PoolingShape.Length"/>, or the spans overlap other than in place.</exception>
    public static void Probabilities(PoolingShape shape, ReadOnlySpan<float> inputs, Span<float> probabilities) =>
        Probabilities(shape, inputs, probabilities, KernelSelection.Active);

    internal static unsafe void Probabilities(in PoolingShape shape, ReadOnlySpan<float> inputs, Span<float> probabilities, KernelIsa isa)
    {
        RequireLength(inputs, shape.Length, nameof(inputs));
        RequireLength(probabilities, shape.Length, nameof(probabilities));
        RequireInPlaceOrDisjoint(inputs, probabilities, nameof(probabilities));
        if (shape.Pool == 1)
        {
            Activations.Sigmoid(inputs, probabilities, isa);
            return;
        }
        int w = shape.Width, p = shape.Pool;
        fixed (float* x = inputs, y = probabilities)
        {
            for (int k = 0; k < shape.Maps; k++)
                for (int bi = 0; bi < shape.PooledHeight; bi++)
                {
                    nint offset = ((nint)k * shape.Height + (nint)bi * p) * w;
                    if (p == 2 && isa >= KernelIsa.Vector512 && w >= 16) PairRows512(x + offset, y + offset, w);
                    else if (p == 2 && isa >= KernelIsa.Vector256 && w >= 8) PairRows256(x + offset, y + offset, w);
                    else
                        for (int bj = 0; bj < shape.PooledWidth; bj++) ScalarBlock(x + offset + bj * p, y + offset + bj * p, w, p);
                }
        }
    }

    /// <summary><c>Σ_blocks log(1 + Σ_block e^{x})</c> in double: the log of the states of every block summed out (softplus summed when p = 1).</summary>
    /// <exception cref="ArgumentException">The span's length is not <see cref="PoolingShape.Length"/>.</exception>
    public static unsafe double SumLogPartition(PoolingShape shape, ReadOnlySpan<float> inputs)
    {
        RequireLength(inputs, shape.Length, nameof(inputs));
        if (shape.Pool == 1) return Activations.SumSoftplus(inputs);
        int w = shape.Width, p = shape.Pool;
        double sum = 0;
        fixed (float* x = inputs)
        {
            for (int k = 0; k < shape.Maps; k++)
                for (int bi = 0; bi < shape.PooledHeight; bi++)
                    for (int bj = 0; bj < shape.PooledWidth; bj++)
                    {
                        float* b = x + ((nint)k * shape.Height + (nint)bi * p) * w + bj * p;
                        double m = 0;
                        for (int t = 0; t < p; t++)
                            for (int u = 0; u < p; u++) m = Math.Max(m, b[t * w + u]);
                        double total = Math.Exp(-m);
                        for (int t = 0; t < p; t++)
                            for (int u = 0; u < p; u++) total += Math.Exp(b[t * w + u] - m);
                        sum += m + Math.Log(total);
                    }
        }
        return sum;
    }

    /// <summary>
    /// Draws every block's state: with u = <paramref name="uniforms"/>[block], the unit whose interval of the cumulative
    /// probabilities (row-major within the block) holds u is set to 1 and the others to 0; all are 0 when u is past them.
    /// <paramref name="destination"/> may be <paramref name="probabilities"/> (in place).
    /// </summary>
    /// <param name="shape">The layout.</param>
    /// <param name="probabilities">Each unit's probability (as <see cref="Probabilities(PoolingShape, ReadOnlySpan{float}, Span{float})"/> writes).</param>
    /// <param name="uniforms">One uniform in [0, 1) per block, in block order (<see cref="PoolingShape.Blocks"/> of them).</param>
    /// <param name="destination">The 0/1 states, written.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or the spans overlap other than in place.</exception>
    public static void Sample(PoolingShape shape, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> uniforms, Span<float> destination) =>
        Sample(shape, probabilities, uniforms, destination, KernelSelection.Active);

    internal static unsafe void Sample(in PoolingShape shape, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> uniforms, Span<float> destination, KernelIsa isa)
    {
        RequireLength(probabilities, shape.Length, nameof(probabilities));
        RequireLength(uniforms, shape.Blocks, nameof(uniforms));
        RequireLength(destination, shape.Length, nameof(destination));
        RequireInPlaceOrDisjoint(probabilities, destination, nameof(destination));
        if (destination.Overlaps(uniforms)) throw new ArgumentException("The destination must not overlap the uniforms.", nameof(destination));
        int w = shape.Width, p = shape.Pool, pw = shape.PooledWidth;
        fixed (float* x = probabilities, r = uniforms, y = destination)
        {
            for (int k = 0; k < shape.Maps; k++)
                for (int bi = 0; bi < shape.PooledHeight; bi++)
                {
                    nint offset = ((nint)k * shape.Height + (nint)bi * p) * w;
                    float* u = r + ((nint)k * shape.PooledHeight + bi) * pw;
                    if (p == 2 && isa >= KernelIsa.Vector512 && w >= 16) SamplePairRows512(x + offset, u, y + offset, w);
                    else
                        for (int bj = 0; bj < pw; bj++) SampleBlock(x + offset + bj * p, u[bj], y + offset + bj * p, w, p);
                }
        }
    }

    /// <summary>Each block's probability of being on, <c>Σ_block P(unit)</c> (the pooling unit's mean), into <paramref name="pooled"/> in block order.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length, or they overlap.</exception>
    public static unsafe void PooledSums(PoolingShape shape, ReadOnlySpan<float> probabilities, Span<float> pooled)
    {
        RequireLength(probabilities, shape.Length, nameof(probabilities));
        RequireLength(pooled, shape.Blocks, nameof(pooled));
        if (pooled.Overlaps(probabilities)) throw new ArgumentException("The output must not overlap the input.", nameof(pooled));
        int w = shape.Width, p = shape.Pool;
        int index = 0;
        fixed (float* x = probabilities)
        {
            for (int k = 0; k < shape.Maps; k++)
                for (int bi = 0; bi < shape.PooledHeight; bi++)
                    for (int bj = 0; bj < shape.PooledWidth; bj++)
                    {
                        float* b = x + ((nint)k * shape.Height + (nint)bi * p) * w + bj * p;
                        float sum = 0;
                        for (int t = 0; t < p; t++)
                            for (int u = 0; u < p; u++) sum += b[t * w + u];
                        pooled[index++] = sum;
                    }
        }
    }

    // ---- Scalar path: the canonical order --------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ScalarBlock(float* x, float* y, int stride, int p)
    {
        float m = 0f;
        for (int t = 0; t < p; t++)
            for (int u = 0; u < p; u++) m = MathF.Max(m, x[t * stride + u]);
        // The exponentials go to the output first (in place is fine: each input is read once, before its output is written).
        for (int t = 0; t < p; t++)
            for (int u = 0; u < p; u++) y[t * stride + u] = ExpNonPositive.Wide(x[t * stride + u] - m);
        float total = 0f;
        for (int u = 0; u < p; u++)
        {
            float column = y[u];
            for (int t = 1; t < p; t++) column += y[t * stride + u];
            total = u == 0 ? column : total + column;
        }
        float inverse = 1f / (ExpNonPositive.Wide(-m) + total);
        for (int t = 0; t < p; t++)
            for (int u = 0; u < p; u++) y[t * stride + u] *= inverse;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void SampleBlock(float* x, float uniform, float* y, int stride, int p)
    {
        float before = 0f;
        for (int t = 0; t < p; t++)
            for (int u = 0; u < p; u++)
            {
                float after = before + x[t * stride + u];
                y[t * stride + u] = before <= uniform && uniform < after ? 1f : 0f;
                before = after;
            }
    }

    // ---- p = 2 in registers ----------------------------------------------------------------------------

    /// <summary>Swaps adjacent lanes (0↔1, 2↔3, …): each lane meets the other column of its block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Swap(Vector512<float> v) =>
        Vector512.Shuffle(v, Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Swap(Vector256<float> v) => Vector256.Shuffle(v, Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6));

    private static unsafe void PairRows512(float* x, float* y, int w)
    {
        // Whole 16-lane vectors, then what is left (a multiple of 2) as 8-lane vectors, the last one overlapping: its inputs
        // are read before anything is stored (in place). Every lane computes the same arithmetic at either width.
        int full = w & ~15, rest = w - full;
        if (rest == 0)
        {
            for (int j = 0; j < w; j += 16)
            {
                Pair512(Vector512.Load(x + j), Vector512.Load(x + w + j), out Vector512<float> p0, out Vector512<float> p1);
                p0.Store(y + j);
                p1.Store(y + w + j);
            }
            return;
        }
        int last = w - 8;
        Vector256<float> tail0 = Vector256.Load(x + last), tail1 = Vector256.Load(x + w + last);
        Vector256<float> mid0 = default, mid1 = default;
        if (rest > 8)
        {
            mid0 = Vector256.Load(x + full);
            mid1 = Vector256.Load(x + w + full);
        }
        for (int j = 0; j < full; j += 16)
        {
            Pair512(Vector512.Load(x + j), Vector512.Load(x + w + j), out Vector512<float> p0, out Vector512<float> p1);
            p0.Store(y + j);
            p1.Store(y + w + j);
        }
        if (rest > 8)
        {
            Pair256(mid0, mid1, out Vector256<float> m0, out Vector256<float> m1);
            m0.Store(y + full);
            m1.Store(y + w + full);
        }
        Pair256(tail0, tail1, out Vector256<float> q0, out Vector256<float> q1);
        q0.Store(y + last);
        q1.Store(y + w + last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair512(Vector512<float> x0, Vector512<float> x1, out Vector512<float> p0, out Vector512<float> p1)
    {
        // Inputs are finite, so the native max (no NaN or signed-zero rules) gives the same block maximum.
        Vector512<float> m = Vector512.MaxNative(x0, x1);
        m = Vector512.MaxNative(Vector512.MaxNative(m, Swap(m)), Vector512<float>.Zero);
        Vector512<float> y0 = x0 - m, y1 = x1 - m, ym = -m;
        Vector512<float> e0, e1, em;
        // The fast exponential is exact where 2ⁿ is a normal float (the usual case); Wide gives the same bits there.
        Vector512<float> limit = Vector512.Create(ExpNonPositive.NormalLimit);
        if (Vector512.GreaterThanOrEqualAll(Vector512.Min(Vector512.Min(y0, y1), ym), limit))
        {
            e0 = ExpNonPositive.Normal(y0);
            e1 = ExpNonPositive.Normal(y1);
            em = ExpNonPositive.Normal(ym);
        }
        else
        {
            e0 = ExpNonPositive.Wide(y0);
            e1 = ExpNonPositive.Wide(y1);
            em = ExpNonPositive.Wide(ym);
        }
        Vector512<float> column = e0 + e1;
        Vector512<float> total = column + Swap(column);
        Vector512<float> inverse = Vector512<float>.One / (em + total);
        p0 = e0 * inverse;
        p1 = e1 * inverse;
    }

    private static unsafe void PairRows256(float* x, float* y, int w)
    {
        int last = w - 8;
        Vector256<float> tail0 = Vector256.Load(x + last), tail1 = Vector256.Load(x + w + last);
        for (int j = 0; j < last; j += 8)
        {
            Pair256(Vector256.Load(x + j), Vector256.Load(x + w + j), out Vector256<float> p0, out Vector256<float> p1);
            p0.Store(y + j);
            p1.Store(y + w + j);
        }
        Pair256(tail0, tail1, out Vector256<float> q0, out Vector256<float> q1);
        q0.Store(y + last);
        q1.Store(y + w + last);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair256(Vector256<float> x0, Vector256<float> x1, out Vector256<float> p0, out Vector256<float> p1)
    {
        Vector256<float> m = Vector256.MaxNative(x0, x1);
        m = Vector256.MaxNative(Vector256.MaxNative(m, Swap(m)), Vector256<float>.Zero);
        Vector256<float> y0 = x0 - m, y1 = x1 - m, ym = -m;
        Vector256<float> e0, e1, em;
        Vector256<float> limit = Vector256.Create(ExpNonPositive.NormalLimit);
        if (Vector256.GreaterThanOrEqualAll(Vector256.Min(Vector256.Min(y0, y1), ym), limit))
        {
            e0 = ExpNonPositive.Normal(y0);
            e1 = ExpNonPositive.Normal(y1);
            em = ExpNonPositive.Normal(ym);
        }
        else
        {
            e0 = ExpNonPositive.Wide(y0);
            e1 = ExpNonPositive.Wide(y1);
            em = ExpNonPositive.Wide(ym);
        }
        Vector256<float> column = e0 + e1;
        Vector256<float> total = column + Swap(column);
        Vector256<float> inverse = Vector256<float>.One / (em + total);
        p0 = e0 * inverse;
        p1 = e1 * inverse;
    }

    private static unsafe void SamplePairRows512(float* x, float* uniforms, float* y, int w)
    {
        int last = w - 16;
        Vector512<float> tail0 = Vector512.Load(x + last), tail1 = Vector512.Load(x + w + last);
        for (int j = 0; j < last; j += 16)
        {
            SamplePair512(Vector512.Load(x + j), Vector512.Load(x + w + j), Uniforms512(uniforms + j / 2), out Vector512<float> s0, out Vector512<float> s1);
            s0.Store(y + j);
            s1.Store(y + w + j);
        }
        SamplePair512(tail0, tail1, Uniforms512(uniforms + last / 2), out Vector512<float> q0, out Vector512<float> q1);
        q0.Store(y + last);
        q1.Store(y + w + last);
    }

    /// <summary>8 blocks' uniforms, each repeated in both lanes of its block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector512<float> Uniforms512(float* u) =>
        Vector512.Shuffle(Vector256.Load(u).ToVector512Unsafe(), Vector512.Create(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7));

    /// <summary>The scalar path's cumulative intervals, lane by lane: row 0 of the block first, then row 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SamplePair512(Vector512<float> p0, Vector512<float> p1, Vector512<float> u, out Vector512<float> s0, out Vector512<float> s1)
    {
        Vector512<float> odd = Vector512.Create(0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1, 0, -1).AsSingle();
        Vector512<float> before0 = Vector512.ConditionalSelect(odd, Swap(p0), Vector512<float>.Zero);
        Vector512<float> after0 = before0 + p0;
        Vector512<float> rowTotal = Vector512.ConditionalSelect(odd, after0, Swap(after0));
        Vector512<float> before1 = rowTotal + Vector512.ConditionalSelect(odd, Swap(p1), Vector512<float>.Zero);
        Vector512<float> after1 = before1 + p1;
        Vector512<float> one = Vector512<float>.One;
        s0 = Vector512.LessThanOrEqual(before0, u) & Vector512.LessThan(u, after0) & one;
        s1 = Vector512.LessThanOrEqual(before1, u) & Vector512.LessThan(u, after1) & one;
    }

    // ---- Checks --------------------------------------------------------------------------------------------

    private static void RequireLength(ReadOnlySpan<float> span, int length, string name)
    {
        if (span.Length != length) throw new ArgumentException($"Expected {length} floats but got {span.Length}.", name);
    }

    private static void RequireInPlaceOrDisjoint(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string name)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
            throw new ArgumentException("The output overlaps the input at a different offset; use the same span for in-place work.", name);
    }
}
