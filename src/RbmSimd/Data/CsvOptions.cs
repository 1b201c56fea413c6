using RbmSimd.IO;

namespace RbmSimd.Data;

/// <summary>Options for <see cref="CsvData"/>.</summary>
public sealed record CsvOptions
{
    /// <summary>
    /// Whether the first non-blank line is a header: <see langword="true"/>, <see langword="false"/>,
    /// or <see langword="null"/> (the default) to detect it: the line is a header when none of its
    /// cells is a number. Set it explicitly for headers made of numbers (pandas writes <c>0,1,2,…</c>).
    /// </summary>
    public bool? HasHeader { get; init; }

    /// <summary>Whether the last column holds a non-negative integer label rather than a feature.</summary>
    public bool LastColumnIsLabel { get; init; }

    /// <summary>How values are mapped into [0, 1]; by default they must already be there.</summary>
    public CsvScale Scale { get; init; } = CsvScale.None;

    /// <summary>
    /// Accept any finite value (real-valued data, for Gaussian visible units) instead of requiring values in [0, 1]
    /// after <see cref="Scale"/>.
    /// </summary>
    public bool AnyFiniteValue { get; init; }

    /// <summary>The cell separator; a comma by default. Cells are not quoted.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// Image width and height of each row, or 0 and 0 (the default) to assume a square image when
    /// the feature count is a perfect square, and no image otherwise.
    /// </summary>
    public int ImageWidth { get; init; }

    /// <summary>See <see cref="ImageWidth"/>.</summary>
    public int ImageHeight { get; init; }

    /// <summary>
    /// The longest line (<see cref="ReadLimits.MaxLineLength"/>) and the most memory for the values
    /// (<see cref="ReadLimits.MaxBytes"/>, 8 bytes per value); <see cref="ReadLimits.Default"/> unless set.
    /// </summary>
    public ReadLimits Limits { get; init; } = ReadLimits.Default;
}
