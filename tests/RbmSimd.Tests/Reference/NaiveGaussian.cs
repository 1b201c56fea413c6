namespace RbmSimd.Tests.Reference;

/// <summary>
/// The Box–Muller deviate for 64 random bits, in double with no tricks: <c>u₁ = 1 − hi·2⁻³²</c> and
/// <c>u₂ = lo·2⁻³²</c> are exact doubles, <c>z = √(−2 ln u₁)·cos(2π u₂)</c>.
/// </summary>
public static class NaiveGaussian
{
    private const double TwoTo32 = 4294967296.0;

    /// <summary><c>√(−2 ln u₁)</c>, the radius: 0 at hi = 0, √(64 ln 2) at hi = 2³² − 1.</summary>
    public static double Radius(ulong bits)
    {
        uint hi = (uint)(bits >> 32);
        double u1 = (TwoTo32 - hi) / TwoTo32;
        return Math.Sqrt(-2.0 * Math.Log(u1));
    }

    /// <summary>The standard normal deviate the bits stand for.</summary>
    public static double StandardNormal(ulong bits) => Radius(bits) * Math.Cos(2.0 * Math.PI * ((uint)bits / TwoTo32));

    /// <summary>The bits with the given halves.</summary>
    public static ulong Bits(uint hi, uint lo) => ((ulong)hi << 32) | lo;
}
