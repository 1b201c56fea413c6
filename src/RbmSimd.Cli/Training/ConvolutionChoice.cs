using System.Globalization;
using RbmSimd.Kernels;
using RbmSimd.Persistence;

namespace RbmSimd.Cli.Training;

/// <summary>A convolutional layer as <c>--filters</c>, <c>--filter-size</c>, <c>--pool</c> and <c>--channels</c> give it.</summary>
/// <param name="Filters">K.</param>
/// <param name="FilterSize">F.</param>
/// <param name="Pool">The pooling blocks' side.</param>
/// <param name="Channels">C of the layer's input images.</param>
internal sealed record ConvolutionChoice(int Filters, int FilterSize, int Pool, int Channels)
{
    /// <summary>
    /// The geometry for rows of <paramref name="columns"/> values: C planes of H × W, the data set's image shape when it has one
    /// (<paramref name="imageWidth"/> × <paramref name="imageHeight"/>), else square planes.
    /// </summary>
    /// <exception cref="UsageException">The planes are not images, the filters do not fit them, or the pool does not divide the maps (each names its option and valid range).</exception>
    public ConvolutionShape Resolve(int columns, int imageWidth, int imageHeight)
    {
        if (columns % Channels != 0)
            throw new UsageException(Text($"--channels {Channels}: the data's rows of {columns} values are not {Channels} planes of equal size; valid: a divisor of {columns}."));
        int plane = columns / Channels, h, w;
        if (imageWidth > 0 && (long)imageWidth * imageHeight == plane) (h, w) = (imageHeight, imageWidth);
        else
        {
            int side = (int)Math.Round(Math.Sqrt(plane));
            if (side * side != plane)
                throw new UsageException(Text($"--channels {Channels}: each row holds {Channels} plane(s) of {plane} values, which are not square images and the data names no image shape; give --channels so that columns / channels is a square."));
            (h, w) = (side, side);
        }
        return Resolve(h, w);
    }

    /// <summary>The geometry on C × <paramref name="height"/> × <paramref name="width"/> images.</summary>
    /// <exception cref="UsageException">The filters do not fit, the pool does not divide the maps, or the model would be too large.</exception>
    public ConvolutionShape Resolve(int height, int width)
    {
        int side = Math.Min(height, width);
        if (FilterSize > side)
            throw new UsageException(Text($"--filter-size {FilterSize} does not fit the {height}x{width} images: it must be from 1 to {side}."));
        int oh = height - FilterSize + 1, ow = width - FilterSize + 1;
        if (oh % Pool != 0 || ow % Pool != 0)
        {
            int[] divisors = Enumerable.Range(1, Math.Min(oh, ow)).Where(d => oh % d == 0 && ow % d == 0).ToArray();
            throw new UsageException(Text($"--pool {Pool} must divide the {oh}x{ow} detection maps (--filter-size {FilterSize} on {height}x{width} images); valid here: {string.Join(", ", divisors)}."));
        }
        if ((long)Filters * oh * ow > ModelKinds.MaxConvolutionalUnits)
            throw new UsageException(Text($"--filters {Filters} makes {(long)Filters * oh * ow} detection units; at most {ModelKinds.MaxConvolutionalUnits}."));
        return new ConvolutionShape(Channels, height, width, Filters, FilterSize);
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
