using RbmSimd.Sampling;

namespace RbmSimd.Data;

/// <summary>Settings of <see cref="BouncingBalls.Generate"/>.</summary>
public sealed record BouncingBallsOptions
{
    /// <summary>Balls per sequence. Range: 1 to 10.</summary>
    public int Balls { get; init; } = 3;

    /// <summary>Frame side in pixels (frames are Size × Size). Range: 4 to 256.</summary>
    public int Size { get; init; } = 30;

    /// <summary>Ball radius in box units (the box is <see cref="Box"/> units wide). Range: (0, Box/4].</summary>
    public double Radius { get; init; } = 1.2;

    /// <summary>The box's side in box units. Range: (0, 1000].</summary>
    public double Box { get; init; } = 10;

    /// <summary>The norm of all balls' velocities together, in box units per frame. Range: (0, Box/4].</summary>
    public double Speed { get; init; } = 0.5;

    /// <summary>Binary frames (a pixel is 1 where the rendered intensity reaches ½) rather than grey levels in [0, 1].</summary>
    public bool Binary { get; init; } = true;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range; the message names it and the range.</exception>
    public void Validate()
    {
        if (Balls is < 1 or > 10) throw new ArgumentOutOfRangeException(nameof(Balls), Balls, $"{nameof(Balls)} is {Balls}; it must be 1 to 10.");
        if (Size is < 4 or > 256) throw new ArgumentOutOfRangeException(nameof(Size), Size, $"{nameof(Size)} is {Size}; it must be 4 to 256.");
        if (!(Box > 0 && Box <= 1000)) throw new ArgumentOutOfRangeException(nameof(Box), Box, $"{nameof(Box)} is {Box}; it must be in (0, 1000].");
        if (!(Radius > 0 && Radius <= Box / 4)) throw new ArgumentOutOfRangeException(nameof(Radius), Radius, $"{nameof(Radius)} is {Radius}; it must be in (0, {Box / 4}].");
        if (!(Speed > 0 && Speed <= Box / 4)) throw new ArgumentOutOfRangeException(nameof(Speed), Speed, $"{nameof(Speed)} is {Speed}; it must be in (0, {Box / 4}].");
    }
}

/// <summary>
/// Sequences of balls bouncing in a box, in the manner of Sutskever, Hinton and Taylor (2008, the RTRBM paper's data): equal
/// balls of radius about 1.2 in a 10 × 10 box, elastic collisions with the walls and each other, rendered as 30 × 30
/// frames. Written here from that description, with a seed.
/// </summary>
/// <remarks>
/// Each sequence draws non-overlapping start positions and a random velocity per ball, scaled so that the velocities together
/// have norm <see cref="BouncingBallsOptions.Speed"/>; each frame advances the balls in 10 sub-steps, reflecting a ball at a
/// wall and exchanging the normal velocity components of two balls that touch while approaching (equal masses). A pixel at
/// (x, y) (its centre, in box units) has intensity <c>min(1, Σ_balls exp(−(d²/r²)⁴))</c>, d its distance from a ball's
/// centre: flat inside the ball, falling steeply at its edge. Sequence s uses the stream (seed, s), so the set is the same for
/// any thread count and a set of N sequences starts with those of a smaller one.
/// </remarks>
public static class BouncingBalls
{
    private const int SubSteps = 10;

    /// <summary>Generates <paramref name="sequences"/> sequences of <paramref name="frames"/> frames each.</summary>
    /// <returns>Frames as bytes (0 to 255, or 0/1 decoded when binary), Size × Size images.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count or option is out of range.</exception>
    public static SequenceSet Generate(int sequences, int frames, ulong seed, BouncingBallsOptions? options = null)
    {
        options ??= new BouncingBallsOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        int pixels = options.Size * options.Size;
        long total = (long)sequences * frames * pixels;
        if (total > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "The frames would exceed the largest array .NET can hold.");
        var values = new byte[total];
        var root = new RandomStream(seed);
        Parallel.For(0, sequences, s => Render(Simulate(frames, root.Derive((ulong)s), options), options, values.AsSpan((int)((long)s * frames * pixels), frames * pixels)));
        var data = new ByteDataset(values, sequences * frames, pixels, options.Binary ? (byte)127 : null, imageWidth: options.Size, imageHeight: options.Size);
        return new SequenceSet(data, Enumerable.Repeat(frames, sequences).ToArray(), options.Size, options.Size);
    }

    /// <summary>Ball centres per frame: frames × balls × 2.</summary>
    private static double[] Simulate(int frames, RandomStream random, BouncingBallsOptions o)
    {
        int n = o.Balls;
        double r = o.Radius, box = o.Box;
        var x = new double[2 * n];
        var v = new double[2 * n];
        for (int b = 0; b < n; b++)
        {
            // Rejection: a start that overlaps an earlier ball is drawn again (a 10-box fits 10 balls of radius ≤ 2.5 easily).
            for (int attempt = 0; ; attempt++)
            {
                x[2 * b] = r + random.NextDouble() * (box - 2 * r);
                x[2 * b + 1] = r + random.NextDouble() * (box - 2 * r);
                bool free = true;
                for (int c = 0; c < b && free; c++)
                    free = Math.Pow(x[2 * b] - x[2 * c], 2) + Math.Pow(x[2 * b + 1] - x[2 * c + 1], 2) > 4 * r * r;
                if (free || attempt > 10_000) break;
            }
        }
        double norm = 0;
        for (int i = 0; i < 2 * n; i++)
        {
            v[i] = random.NextGaussian();
            norm += v[i] * v[i];
        }
        norm = Math.Sqrt(norm);
        for (int i = 0; i < 2 * n; i++) v[i] *= o.Speed / norm;

        var centres = new double[frames * 2 * n];
        for (int t = 0; t < frames; t++)
        {
            Array.Copy(x, 0, centres, t * 2 * n, 2 * n);
            for (int step = 0; step < SubSteps; step++)
            {
                for (int i = 0; i < 2 * n; i++) x[i] += v[i] / SubSteps;
                for (int i = 0; i < 2 * n; i++)
                {
                    if (x[i] < r) v[i] = Math.Abs(v[i]);
                    else if (x[i] > box - r) v[i] = -Math.Abs(v[i]);
                }
                for (int a = 0; a < n; a++)
                    for (int b = a + 1; b < n; b++)
                    {
                        double dx = x[2 * b] - x[2 * a], dy = x[2 * b + 1] - x[2 * a + 1], d2 = dx * dx + dy * dy;
                        if (d2 >= 4 * r * r || d2 == 0) continue;
                        double d = Math.Sqrt(d2), nx = dx / d, ny = dy / d;
                        double approach = (v[2 * a] - v[2 * b]) * nx + (v[2 * a + 1] - v[2 * b + 1]) * ny;
                        if (approach <= 0) continue;
                        v[2 * a] -= approach * nx;
                        v[2 * a + 1] -= approach * ny;
                        v[2 * b] += approach * nx;
                        v[2 * b + 1] += approach * ny;
                    }
            }
        }
        return centres;
    }

    private static void Render(double[] centres, BouncingBallsOptions o, Span<byte> destination)
    {
        int size = o.Size, n = o.Balls, frames = centres.Length / (2 * n);
        double scale = o.Box / size, r2 = o.Radius * o.Radius;
        for (int t = 0; t < frames; t++)
        {
            Span<byte> frame = destination.Slice(t * size * size, size * size);
            for (int row = 0; row < size; row++)
            {
                double y = (row + 0.5) * scale;
                for (int col = 0; col < size; col++)
                {
                    double xPixel = (col + 0.5) * scale, intensity = 0;
                    for (int b = 0; b < n; b++)
                    {
                        double dx = xPixel - centres[(t * n + b) * 2], dy = y - centres[(t * n + b) * 2 + 1];
                        double q = (dx * dx + dy * dy) / r2;
                        q *= q;
                        intensity += Math.Exp(-q * q);
                    }
                    frame[row * size + col] = (byte)Math.Round(255 * Math.Min(1, intensity));
                }
            }
        }
    }
}
