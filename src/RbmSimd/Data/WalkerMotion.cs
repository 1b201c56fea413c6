using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Data;

/// <summary>Settings of <see cref="WalkerMotion.Generate"/>.</summary>
public sealed record WalkerMotionOptions
{
    /// <summary>The shortest mean stride of a sequence, in frames. Range: 4 to 1000.</summary>
    public double MinPeriod { get; init; } = 10;

    /// <summary>The longest mean stride of a sequence, in frames. Range: MinPeriod to 1000.</summary>
    public double MaxPeriod { get; init; } = 20;

    /// <summary>Standard deviation of the noise added to every angle, as a fraction of the channel's amplitude (<see cref="WalkerMotion.Amplitudes"/>). Range: [0, 10].</summary>
    public double Noise { get; init; } = 0.02;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range; the message names it and the range.</exception>
    public void Validate()
    {
        if (!(MinPeriod >= 4 && MinPeriod <= 1000)) throw new ArgumentOutOfRangeException(nameof(MinPeriod), MinPeriod, $"{nameof(MinPeriod)} is {MinPeriod}; it must be in [4, 1000].");
        if (!(MaxPeriod >= MinPeriod && MaxPeriod <= 1000)) throw new ArgumentOutOfRangeException(nameof(MaxPeriod), MaxPeriod, $"{nameof(MaxPeriod)} is {MaxPeriod}; it must be in [{MinPeriod}, 1000].");
        if (!(Noise >= 0 && Noise <= 10)) throw new ArgumentOutOfRangeException(nameof(Noise), Noise, $"{nameof(Noise)} is {Noise}; it must be in [0, 10].");
    }
}

/// <summary>
/// Multichannel motion standing in for motion capture (which cannot be downloaded here): the joint angles of a simulated
/// walker, smooth, cyclic and coupled through one gait phase, with noise; real values for Gaussian visible units.
/// </summary>
/// <remarks>
/// <para>Each sequence walks with its own mean stride (frames per cycle, uniform in [MinPeriod, MaxPeriod]) and stride size
/// (an amplitude factor α in [0.75, 1.25]); both wander slowly around their means from frame to frame (mean-reverting random
/// walks), and the gait phase φ advances by 2π/stride per frame. The right side lags the left by half a cycle (ψ = φ + π).
/// Angles in degrees, per side with ψ the side's phase: hip <c>25α sin ψ</c>; knee, bent in the swing only,
/// <c>5 + 55α·max(0, sin(ψ + 0.9))^1.5</c>; ankle <c>α(10 sin ψ + 8·max(0, −sin(ψ − 0.5))²)</c>; shoulder, against the hip,
/// <c>−18α sin ψ</c>; elbow <c>20 + 12α·max(0, −sin ψ)</c>; and for the body the pelvis height <c>3α cos 2φ</c> (twice per
/// stride) and the torso roll <c>4α sin φ</c>: 12 channels (<see cref="ChannelNames"/>), each with noise of a fixed fraction of
/// its amplitude. Strides of 10 to 20 frames sample the cycle coarsely, and the rectified joints make the next frame a
/// non-linear function of the channels' history, which a linear autoregression can only approximate. Sequence s uses the
/// stream (seed, s).</para>
/// </remarks>
public static class WalkerMotion
{
    /// <summary>The channels, in column order.</summary>
    public static IReadOnlyList<string> ChannelNames { get; } =
    [
        "left hip", "left knee", "left ankle", "left shoulder", "left elbow",
        "right hip", "right knee", "right ankle", "right shoulder", "right elbow",
        "pelvis height", "torso roll",
    ];

    /// <summary>Each channel's amplitude in degrees (the scale of its swing at α = 1), which the noise is a fraction of.</summary>
    public static IReadOnlyList<double> Amplitudes { get; } = [25, 55, 14, 18, 12, 25, 55, 14, 18, 12, 3, 4];

    /// <summary>Generates <paramref name="sequences"/> sequences of <paramref name="frames"/> frames of 12 joint angles.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count or option is out of range.</exception>
    public static SequenceSet Generate(int sequences, int frames, ulong seed, WalkerMotionOptions? options = null)
    {
        options ??= new WalkerMotionOptions();
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequences);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        int channels = ChannelNames.Count;
        if ((long)sequences * frames * channels > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "The frames would exceed the largest array .NET can hold.");
        var m = new Matrix(sequences * frames, channels);
        var root = new RandomStream(seed);
        for (int s = 0; s < sequences; s++)
        {
            RandomStream random = root.Derive((ulong)s);
            double meanPeriod = options.MinPeriod + random.NextDouble() * (options.MaxPeriod - options.MinPeriod);
            double meanAmplitude = 0.75 + 0.5 * random.NextDouble();
            double period = meanPeriod, amplitude = meanAmplitude, phase = 2 * Math.PI * random.NextDouble();
            for (int t = 0; t < frames; t++)
            {
                Span<float> row = m.Row(s * frames + t);
                Angles(phase, amplitude, row);
                for (int c = 0; c < channels; c++) row[c] += (float)(options.Noise * Amplitudes[c] * random.NextGaussian());
                period += 0.05 * (meanPeriod - period) + 0.02 * meanPeriod * random.NextGaussian();
                period = Math.Clamp(period, 0.5 * options.MinPeriod, 2 * options.MaxPeriod);
                amplitude += 0.05 * (meanAmplitude - amplitude) + 0.01 * random.NextGaussian();
                phase += 2 * Math.PI / period;
            }
        }
        return new SequenceSet(new Dataset(m), Enumerable.Repeat(frames, sequences).ToArray());
    }

    /// <summary>The noiseless angles at gait phase φ and amplitude α.</summary>
    private static void Angles(double phi, double alpha, Span<float> row)
    {
        for (int side = 0; side < 2; side++)
        {
            double psi = phi + side * Math.PI;
            int o = side * 5;
            row[o] = (float)(25 * alpha * Math.Sin(psi));
            row[o + 1] = (float)(5 + 55 * alpha * Math.Pow(Math.Max(0, Math.Sin(psi + 0.9)), 1.5));
            double toe = Math.Max(0, -Math.Sin(psi - 0.5));
            row[o + 2] = (float)(alpha * (10 * Math.Sin(psi) + 8 * toe * toe));
            row[o + 3] = (float)(-18 * alpha * Math.Sin(psi));
            row[o + 4] = (float)(20 + 12 * alpha * Math.Max(0, -Math.Sin(psi)));
        }
        row[10] = (float)(3 * alpha * Math.Cos(2 * phi));
        row[11] = (float)(4 * alpha * Math.Sin(phi));
    }
}
