namespace RbmSimd.Kernels;

/// <summary>
/// The geometry of a multi-channel 2-D convolution: images of <see cref="Channels"/> × <see cref="Height"/> ×
/// <see cref="Width"/> floats, <see cref="Filters"/> square filters of <see cref="Channels"/> ×
/// <see cref="FilterSize"/> × <see cref="FilterSize"/>, and the valid output maps of
/// <see cref="Filters"/> × <see cref="OutputHeight"/> × <see cref="OutputWidth"/>.
/// </summary>
/// <remarks>
/// Every tensor is row-major (C-order): an image is indexed <c>[c, y, x]</c>, the filters <c>[k, c, r, s]</c> and
/// the maps <c>[k, i, j]</c>, with <c>OutputHeight = Height − FilterSize + 1</c> and
/// <c>OutputWidth = Width − FilterSize + 1</c>.
/// </remarks>
public readonly record struct ConvolutionShape
{
    /// <summary>Creates and checks a geometry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1, the filter is larger than the image, or a tensor exceeds the largest array.</exception>
    public ConvolutionShape(int channels, int height, int width, int filters, int filterSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(filters, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(filterSize, 1);
        if (filterSize > height || filterSize > width)
            throw new ArgumentOutOfRangeException(nameof(filterSize), filterSize, $"A {filterSize}x{filterSize} filter does not fit a {height}x{width} image.");
        long image = (long)channels * height * width;
        long maps = (long)filters * (height - filterSize + 1) * (width - filterSize + 1);
        long weights = (long)filters * channels * filterSize * filterSize;
        long patches = (long)channels * filterSize * filterSize * (height - filterSize + 1) * (width - filterSize + 1);
        if (image > Array.MaxLength || maps > Array.MaxLength || weights > Array.MaxLength || patches > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(filters), "The image, the maps, the filters or the patches of one image exceed the largest array .NET can hold.");
        Channels = channels;
        Height = height;
        Width = width;
        Filters = filters;
        FilterSize = filterSize;
    }

    /// <summary>C, the input channels.</summary>
    public int Channels { get; }

    /// <summary>H, the image height.</summary>
    public int Height { get; }

    /// <summary>W, the image width.</summary>
    public int Width { get; }

    /// <summary>K, the filters (output maps).</summary>
    public int Filters { get; }

    /// <summary>F, the side of each square filter.</summary>
    public int FilterSize { get; }

    /// <summary>H − F + 1.</summary>
    public int OutputHeight => Height - FilterSize + 1;

    /// <summary>W − F + 1.</summary>
    public int OutputWidth => Width - FilterSize + 1;

    /// <summary>Floats in one image, C·H·W.</summary>
    public int ImageLength => Channels * Height * Width;

    /// <summary>Floats in one image's maps, K·(H − F + 1)·(W − F + 1).</summary>
    public int MapsLength => Filters * OutputPositions;

    /// <summary>Positions of one output map, (H − F + 1)·(W − F + 1).</summary>
    public int OutputPositions => OutputHeight * OutputWidth;

    /// <summary>Floats in one filter (one patch), C·F·F.</summary>
    public int PatchLength => Channels * FilterSize * FilterSize;

    /// <summary>Floats in all filters, K·C·F·F.</summary>
    public int FiltersLength => Filters * PatchLength;

    /// <summary>Multiply-adds of one product (any of the three) for one image: K·C·F·F·(H − F + 1)·(W − F + 1).</summary>
    public long MultiplyAddsPerImage => (long)FiltersLength * OutputPositions;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Channels}x{Height}x{Width} * {Filters}x{Channels}x{FilterSize}x{FilterSize} -> {Filters}x{OutputHeight}x{OutputWidth}";
}
