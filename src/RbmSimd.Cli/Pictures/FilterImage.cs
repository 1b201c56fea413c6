using RbmSimd.Model;

namespace RbmSimd.Cli.Pictures;

/// <summary>
/// <c>filters.png</c>: each hidden unit's weights <c>W[:, j]</c> as a picture of the visible layer, one tile per
/// hidden unit in a near-square grid (row-major by j), each normalised on its own (its smallest weight black, its
/// largest white, a constant filter mid grey) so that every filter's pattern shows whatever its scale.
/// </summary>
public static class FilterImage
{
    /// <summary>The grey of the gaps between tiles (and of padding in a padded shape).</summary>
    public const byte GapLevel = 0;

    /// <summary>The grey of a filter whose weights are all equal (no pattern to stretch).</summary>
    public const byte ConstantLevel = 128;

    /// <summary>Draws the filters of <paramref name="model"/>; <paramref name="shape"/> must have at least nv pixels.</summary>
    /// <param name="model">The model.</param>
    /// <param name="shape">The raster one filter is drawn as (see <see cref="ImageShape.Resolve"/>).</param>
    /// <param name="gap">Pixels between tiles.</param>
    /// <exception cref="ArgumentException">The shape has fewer pixels than the model has visible units.</exception>
    public static GrayImage Render(IRbm model, ImageShape shape, int gap = 2)
    {
        ArgumentNullException.ThrowIfNull(model);
        int nv = model.VisibleCount, nh = model.HiddenCount;
        if (shape.PixelCount < nv)
            throw new ArgumentException($"A {shape.Width}x{shape.Height} image has fewer pixels than the model's {nv} visible units.", nameof(shape));
        var grid = new TileGrid(nh, shape, gap: gap);
        var image = new GrayImage(grid.Width, grid.Height, GapLevel);
        ReadOnlySpan<float> w = model.Parameters["W"].Span;
        var filter = new float[nv];
        var levels = new byte[nv];
        for (int j = 0; j < nh; j++)
        {
            // W is nv×nh row-major, so filter j is the strided column j.
            for (int i = 0; i < nv; i++) filter[i] = w[i * nh + j];
            Normalise(filter, levels);
            grid.Draw(image, j, levels, padding: GapLevel);
        }
        return image;
    }

    /// <summary>Writes <see cref="Render"/>'s picture to <paramref name="path"/> as a grayscale PNG, atomically.</summary>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    public static void Write(IRbm model, string path, ImageShape shape) => Render(model, shape).SavePng(path);

    /// <summary>Maps <paramref name="values"/> linearly onto 0…255 (min → 0, max → 255); a constant or non-finite range gives <see cref="ConstantLevel"/>.</summary>
    public static void Normalise(ReadOnlySpan<float> values, Span<byte> levels)
    {
        if (levels.Length < values.Length) throw new ArgumentException("The destination is shorter than the values.", nameof(levels));
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        double range = (double)max - min;
        if (!(range > 0) || double.IsInfinity(range))
        {
            levels[..values.Length].Fill(ConstantLevel);
            return;
        }
        for (int i = 0; i < values.Length; i++)
            levels[i] = (byte)Math.Clamp(Math.Round((values[i] - min) / range * 255), 0, 255);
    }
}
