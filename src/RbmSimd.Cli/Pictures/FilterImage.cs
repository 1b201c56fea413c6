using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;

namespace RbmSimd.Cli.Pictures;

/// <summary>
/// <c>filters.png</c>: each hidden unit's weights <c>W[:, j]</c> as a picture of the visible layer (for Gaussian units
/// the shift <c>σ⊙W[:, j]</c> it makes, in the data's space when the model was trained behind a transform), one tile per
/// hidden unit in a near-square grid (row-major by j); for a convolutional model one tile per filter (F × F, channels one
/// above the other); each normalised on its own (its smallest weight black, its
/// largest white, a constant filter mid grey) so that every filter's pattern shows whatever its scale.
/// </summary>
public static class FilterImage
{
    /// <summary>The grey of the gaps between tiles (and of padding in a padded shape).</summary>
    public const byte GapLevel = 0;

    /// <summary>The grey of a filter whose weights are all equal (no pattern to stretch).</summary>
    public const byte ConstantLevel = 128;

    /// <summary>The background of the caption strip (black text on white).</summary>
    public const byte CaptionLevel = 255;

    /// <summary>What the picture shows, for its caption: "16 filters W[:, j]: each from its lowest weight (black) to its highest (white)".</summary>
    public static string DefaultCaption(int hiddenCount) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{hiddenCount} filters W[:, j]; each: lowest weight black, highest white");

    /// <summary>The caption for <paramref name="model"/>: the weights of Bernoulli units, the mean shifts σ⊙W[:, j] of Gaussian ones, a convolutional model's filters.</summary>
    public static string DefaultCaption(IRbm model) => model switch
    {
        ConvolutionalRbm c => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{c.Shape.Filters} filters {c.Shape.FilterSize}x{c.Shape.FilterSize}{(c.Shape.Channels > 1 ? $", {c.Shape.Channels} channels top to bottom" : "")}; each: lowest black, highest white"),
        _ when model.VisibleUnits == VisibleUnitKind.Gaussian =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{model.HiddenCount} filters σ⊙W[:, j] in data space; each: lowest black, highest white"),
        _ => DefaultCaption(model.HiddenCount),
    };

    /// <summary>
    /// The tiles <see cref="Render"/> draws: one per hidden unit in the shape of the data (<paramref name="dataShape"/>), or for a
    /// convolutional model one per filter, F wide and C·F tall (its channels one above the other).
    /// </summary>
    public static (int Count, ImageShape Shape) Tiles(IRbm model, ImageShape dataShape) => model is ConvolutionalRbm c
        ? (c.Shape.Filters, new ImageShape(c.Shape.FilterSize, c.Shape.Channels * c.Shape.FilterSize))
        : (model.HiddenCount, dataShape);

    /// <summary>Draws the filters of <paramref name="model"/>; <paramref name="shape"/> must have at least nv pixels.</summary>
    /// <param name="model">The model.</param>
    /// <param name="shape">The raster one filter is drawn as (see <see cref="ImageShape.Resolve"/>).</param>
    /// <param name="gap">Pixels between tiles.</param>
    /// <param name="scale">Pixels per raster pixel; 0 picks it (see <see cref="TileGrid"/>).</param>
    /// <param name="maxSide">The largest side an automatically picked scale grows the grid to.</param>
    /// <param name="caption">A line of text above the tiles (<see cref="Caption.Height"/> pixels); null for none.</param>
    /// <param name="transform">The data transform the model was trained behind (filters are drawn in the data's space), or null.</param>
    /// <exception cref="ArgumentException">The shape has fewer pixels than the model has visible units.</exception>
    public static GrayImage Render(IRbm model, ImageShape shape, int gap = 2, int scale = 0, int maxSide = TileGrid.MaxSide, string? caption = null,
        Transform? transform = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var view = new DataSpaceView(model, transform);
        Matrix filters = view.Filters();
        (int nh, shape) = Tiles(model, shape);
        int nv = filters.Cols;
        if (shape.PixelCount < nv)
            throw new ArgumentException($"A {shape.Width}x{shape.Height} image has fewer pixels than the model's {nv} visible units.", nameof(shape));
        var grid = new TileGrid(nh, shape, gap: gap, scale: scale, maxSide: maxSide);
        int top = caption is null ? 0 : Caption.Height;
        // A grid narrower than its caption is centred on a canvas wide enough for the caption.
        int width = Math.Max(grid.Width, caption is null ? 0 : Caption.Width(caption));
        int left = (width - grid.Width) / 2;
        var image = new GrayImage(width, grid.Height + top, GapLevel);
        if (caption is not null) Caption.Draw(image, 0, caption, CaptionLevel);
        var levels = new byte[nv];
        for (int j = 0; j < nh; j++)
        {
            Normalise(filters.Row(j), levels);
            grid.Draw(image, j, levels, top, GapLevel, left);
        }
        return image;
    }

    /// <summary>Writes <see cref="Render"/>'s picture, with <see cref="DefaultCaption(IRbm)"/>, to <paramref name="path"/> as a grayscale PNG, atomically.</summary>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    public static void Write(IRbm model, string path, ImageShape shape, Transform? transform = null) =>
        Render(model, shape, caption: DefaultCaption(model), transform: transform).SavePng(path);

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
