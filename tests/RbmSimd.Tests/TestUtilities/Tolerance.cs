namespace RbmSimd.Tests.TestUtilities;

/// <summary>Named tolerances, each with where it comes from, and a relative-plus-absolute check.</summary>
internal static class Tolerance
{
    /// <summary>float32 unit roundoff, 2⁻²⁴.</summary>
    public const double FloatEpsilon = 5.9604644775390625e-8;

    /// <summary>
    /// Sigmoid outputs: the library's float sigmoid promises max absolute error 5·10⁻⁷ (issue 3); its
    /// input, a float dot product of up to n terms, carries a relative error of about n·ε, which the
    /// sigmoid damps by its slope ≤ 1/4. Used as <c>5e-7 + n·ε·Σ|terms|/4</c> by the callers.
    /// </summary>
    public const double SigmoidAbsolute = 5e-7;

    /// <summary>
    /// A sum of n float terms accumulated by any order (including pairwise or vector lanes) differs
    /// from the exact sum by at most about n·ε·Σ|terms| (Higham, Accuracy and Stability, §4.2).
    /// The factor 2 covers the products rounding before they are summed.
    /// </summary>
    public static double DotBound(int n, double sumOfAbsoluteTerms) => 2 * (n + 1) * FloatEpsilon * sumOfAbsoluteTerms;

    public static bool Close(double expected, double actual, double absolute, double relative = 0) =>
        Math.Abs(expected - actual) <= absolute + relative * Math.Max(Math.Abs(expected), Math.Abs(actual));
}
