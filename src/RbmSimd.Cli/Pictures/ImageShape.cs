namespace RbmSimd.Cli.Pictures;

/// <summary>How a visible vector of length nv is laid out as a picture: <see cref="Width"/>×<see cref="Height"/> pixels, row-major.</summary>
/// <param name="Width">Pixels per row.</param>
/// <param name="Height">Rows.</param>
public readonly record struct ImageShape(int Width, int Height)
{
    /// <summary>Pixels in the picture (at least nv; more only for a padded layout).</summary>
    public int PixelCount => Width * Height;

    /// <summary>
    /// The shape for <paramref name="visibleCount"/> units: the given <paramref name="width"/>×<paramref name="height"/>
    /// (0 or null: not given; one side alone is enough), otherwise a square when nv is a perfect square (8×8 digits, 28×28 Fashion-MNIST).
    /// </summary>
    /// <exception cref="ArgumentException">The given sides do not multiply to nv, or none is given and nv is not a perfect square (the message names --image-width/--image-height).</exception>
    public static ImageShape Resolve(int visibleCount, int? width = null, int? height = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(visibleCount);
        int w = width ?? 0, h = height ?? 0;
        if (w < 0 || h < 0)
            throw new ArgumentException($"{(w < 0 ? "--image-width" : "--image-height")} must be positive.");
        if (w == 0 && h > 0 && visibleCount % h == 0) w = visibleCount / h;
        if (h == 0 && w > 0 && visibleCount % w == 0) h = visibleCount / w;
        if (w > 0 || h > 0)
        {
            if ((long)w * h != visibleCount)
                throw new ArgumentException($"--image-width {Text(w)} x --image-height {Text(h)} does not cover the model's {visibleCount} visible units exactly.");
            return new ImageShape(w, h);
        }
        int side = SquareSide(visibleCount);
        if (side > 0) return new ImageShape(side, side);
        throw new ArgumentException($"The model has {visibleCount} visible units, which is not a square image: pass --image-width and --image-height (their product must be {visibleCount}).");
    }

    /// <summary>
    /// Like <see cref="Resolve"/>, but when no shape fits it lays the units out row by row in the smallest near-square
    /// (⌈√nv⌉ wide) and leaves the extra pixels as padding, so that pictures of non-image data still show every unit.
    /// </summary>
    public static ImageShape ResolveOrPad(int visibleCount, int? width = null, int? height = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(visibleCount);
        int w = width ?? 0, h = height ?? 0;
        if (w > 0 && h > 0 && (long)w * h == visibleCount) return new ImageShape(w, h);
        int square = SquareSide(visibleCount);
        if (square > 0) return new ImageShape(square, square);
        int side = (int)Math.Ceiling(Math.Sqrt(visibleCount));
        return new ImageShape(side, (visibleCount + side - 1) / side);
    }

    private static int SquareSide(int n)
    {
        int side = (int)Math.Round(Math.Sqrt(n));
        return side * side == n ? side : 0;
    }

    private static string Text(int side) => side > 0 ? side.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(not given)";
}
