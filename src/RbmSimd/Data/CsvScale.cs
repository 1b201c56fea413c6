using System.Globalization;

namespace RbmSimd.Data;

/// <summary>
/// How <see cref="CsvData"/> maps the numbers in a file into [0, 1]: not at all (values must
/// already be there), by dividing by the largest value in the file, or by dividing by a fixed number
/// (e.g. 255 for 8-bit pixels).
/// </summary>
public sealed class CsvScale
{
    private CsvScale(bool byMax, float divisor)
    {
        ByMax = byMax;
        Divisor = divisor;
    }

    /// <summary>No scaling: every value must already lie in [0, 1].</summary>
    public static CsvScale None { get; } = new(byMax: false, divisor: 1f);

    /// <summary>Divide every value by the largest value in the file; values must be non-negative.</summary>
    public static CsvScale Max { get; } = new(byMax: true, divisor: 1f);

    /// <summary>Whether values are divided by the file's largest value.</summary>
    public bool ByMax { get; }

    /// <summary>The fixed divisor (1 for <see cref="None"/> and <see cref="Max"/>).</summary>
    public float Divisor { get; }

    /// <summary>Divide every value by <paramref name="divisor"/>; the results must lie in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="divisor"/> is not positive and finite.</exception>
    public static CsvScale DivideBy(float divisor)
    {
        if (!(divisor > 0f) || !float.IsFinite(divisor))
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be positive and finite.");
        return new CsvScale(byMax: false, divisor);
    }

    /// <summary>
    /// Parses a command-line value: <c>none</c>, <c>max</c>, or a positive number to divide by
    /// (e.g. <c>255</c>). Case-insensitive.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="text"/> is none of these.</exception>
    public static CsvScale Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Equals("none", StringComparison.OrdinalIgnoreCase)) return None;
        if (t.Equals("max", StringComparison.OrdinalIgnoreCase)) return Max;
        if (float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float d) && d > 0f && float.IsFinite(d))
            return DivideBy(d);
        throw new ArgumentException($"'{text}' is not a scale: use 'none', 'max' or a positive number to divide by.", nameof(text));
    }

    /// <summary><c>none</c>, <c>max</c> or the divisor, as <see cref="Parse"/> accepts it.</summary>
    public override string ToString() =>
        ByMax ? "max" : ReferenceEquals(this, None) ? "none" : Divisor.ToString(CultureInfo.InvariantCulture);
}
