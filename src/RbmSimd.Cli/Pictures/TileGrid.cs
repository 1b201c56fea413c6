namespace RbmSimd.Cli.Pictures;

/// <summary>
/// The layout of equal tiles in a near-square grid: every tile is an <see cref="ImageShape"/> raster
/// scaled up by <see cref="Scale"/>, with <see cref="Gap"/> pixels of background around and between tiles.
/// </summary>
/// <remarks>
/// Small rasters are scaled so a tile is at least <see cref="MinTileSide"/> pixels (an 8×8 digit becomes 32×32),
/// but the scale drops again (never below 1) when the whole grid would be wider or taller than <see cref="MaxSide"/>.
/// </remarks>
public sealed class TileGrid
{
    /// <summary>The side, in pixels, a scaled tile reaches at least when the grid stays under <see cref="MaxSide"/>.</summary>
    public const int MinTileSide = 32;

    /// <summary>The largest width or height an automatically scaled grid grows to by default.</summary>
    public const int MaxSide = 4096;

    /// <summary>Lays out <paramref name="tileCount"/> tiles of <paramref name="shape"/>.</summary>
    /// <param name="tileCount">Tiles to place (at least 1).</param>
    /// <param name="shape">The raster of one tile.</param>
    /// <param name="columns">Tiles per row; 0 picks ⌈√count⌉.</param>
    /// <param name="gap">Pixels between tiles and around the grid.</param>
    /// <param name="scale">Pixels per raster pixel; 0 picks it (see remarks).</param>
    /// <param name="maxSide">The largest width or height an automatically picked scale lets the grid grow to.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public TileGrid(int tileCount, ImageShape shape, int columns = 0, int gap = 2, int scale = 0, int maxSide = MaxSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tileCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shape.Width, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shape.Height, nameof(shape));
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(gap);
        ArgumentOutOfRangeException.ThrowIfNegative(scale);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSide);
        Count = tileCount;
        Shape = shape;
        Gap = gap;
        Columns = columns > 0 ? Math.Min(columns, tileCount) : (int)Math.Ceiling(Math.Sqrt(tileCount));
        Rows = (tileCount + Columns - 1) / Columns;
        if (scale == 0)
        {
            scale = Math.Max(1, (MinTileSide + Math.Max(shape.Width, shape.Height) - 1) / Math.Max(shape.Width, shape.Height));
            while (scale > 1 && Math.Max(SideFor(Columns, shape.Width, scale), SideFor(Rows, shape.Height, scale)) > maxSide) scale--;
        }
        Scale = scale;
    }

    /// <summary>Number of tiles.</summary>
    public int Count { get; }

    /// <summary>The raster of one tile, before scaling.</summary>
    public ImageShape Shape { get; }

    /// <summary>Tiles per row.</summary>
    public int Columns { get; }

    /// <summary>Rows of tiles.</summary>
    public int Rows { get; }

    /// <summary>Pixels between tiles and around the grid.</summary>
    public int Gap { get; }

    /// <summary>Output pixels per raster pixel.</summary>
    public int Scale { get; }

    /// <summary>Width of one tile in output pixels.</summary>
    public int TileWidth => Shape.Width * Scale;

    /// <summary>Height of one tile in output pixels.</summary>
    public int TileHeight => Shape.Height * Scale;

    /// <summary>Width of the whole grid, gaps included.</summary>
    public int Width => SideFor(Columns, Shape.Width, Scale);

    /// <summary>Height of the whole grid, gaps included.</summary>
    public int Height => SideFor(Rows, Shape.Height, Scale);

    /// <summary>The top-left output pixel of tile <paramref name="index"/> (row-major order).</summary>
    public (int X, int Y) TileOrigin(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return (Gap + index % Columns * (TileWidth + Gap), Gap + index / Columns * (TileHeight + Gap));
    }

    /// <summary>
    /// Draws tile <paramref name="index"/> from grey <paramref name="levels"/> (row-major raster; entries past its
    /// end, as in a padded shape, stay <paramref name="padding"/>) into <paramref name="image"/>, <paramref name="top"/> pixels down
    /// and <paramref name="left"/> pixels right.
    /// </summary>
    public void Draw(GrayImage image, int index, ReadOnlySpan<byte> levels, int top = 0, byte padding = 0, int left = 0)
    {
        ArgumentNullException.ThrowIfNull(image);
        (int x0, int y0) = TileOrigin(index);
        y0 += top;
        x0 += left;
        for (int p = 0; p < Shape.PixelCount; p++)
        {
            byte level = p < levels.Length ? levels[p] : padding;
            image.FillRectangle(x0 + p % Shape.Width * Scale, y0 + p / Shape.Width * Scale, Scale, Scale, level);
        }
    }

    private int SideFor(int tiles, int rasterSide, int scale) => Gap + tiles * (rasterSide * scale + Gap);
}
