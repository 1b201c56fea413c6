using RbmSimd.IO;
using RbmSimd.Numerics;

namespace RbmSimd.Data;

/// <summary>
/// Loads image data sets in the IDX format (MNIST, Fashion-MNIST), plain or gzipped, with
/// optional labels.
/// </summary>
/// <remarks>
/// On Debian, <c>apt-get install dataset-fashion-mnist</c> puts Fashion-MNIST in
/// <c>/usr/share/datasets/fashion-mnist/</c>: e.g. <c>train-images-idx3-ubyte.gz</c> with
/// <c>train-labels-idx1-ubyte.gz</c>. Pixels (0–255) are divided by 255; binarise with
/// <see cref="Dataset.Binarize"/> (threshold 0.5 is pixel &gt; 127).
/// </remarks>
public static class IdxData
{
    /// <summary>The largest pixel value of an unsigned-byte image.</summary>
    public const float MaxPixel = 255f;

    /// <summary>
    /// Loads images as bytes, decoded a row at a time (see <see cref="ByteDataset"/>): the compact
    /// form for large sets. <paramref name="binarizeAbove"/> 127 gives the usual pixel &gt; 127.
    /// Memory is limited by <see cref="ReadLimits.Default"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="imagesPath"/> is empty.</exception>
    /// <exception cref="InvalidDataException">A file is not valid IDX, has the wrong rank, or the label count differs from the image count, or the files exceed the memory limit.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file is not readable.</exception>
    public static ByteDataset LoadBytes(string imagesPath, string? labelsPath = null, byte? binarizeAbove = null) =>
        LoadBytes(imagesPath, labelsPath, binarizeAbove, ReadLimits.Default);

    /// <summary>
    /// Loads images as bytes (see <see cref="LoadBytes(string, string?, byte?)"/>) within the given
    /// memory limit: one byte per pixel and four per label, images and labels together.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="imagesPath"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    /// <exception cref="InvalidDataException">A file is not valid IDX, has the wrong rank, or the label count differs from the image count, or the files exceed <see cref="ReadLimits.MaxBytes"/>.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file is not readable.</exception>
    public static ByteDataset LoadBytes(string imagesPath, string? labelsPath, byte? binarizeAbove, ReadLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentNullException.ThrowIfNull(limits);
        var budget = MemoryBudget.For(limits);
        (int[] shape, byte[] pixels) = ReadImages(imagesPath, budget, bytesPerElement: 1);
        int rows = shape[0];
        int features = rows == 0 ? 0 : pixels.Length / rows;
        int[]? labels = labelsPath is null ? null : ReadLabels(labelsPath, imagesPath, rows, budget);
        return shape.Length == 3
            ? new ByteDataset(pixels, rows, features, binarizeAbove, labels, imageWidth: shape[2], imageHeight: shape[1])
            : new ByteDataset(pixels, rows, features, binarizeAbove, labels);
    }

    /// <summary>Loads images, and labels when <paramref name="labelsPath"/> is given, within <see cref="ReadLimits.Default"/>.</summary>
    /// <param name="imagesPath">An IDX file of unsigned bytes: shape (count, height, width), or (count, features) for non-image data.</param>
    /// <param name="labelsPath">An IDX file of unsigned bytes with shape (count), or null.</param>
    /// <exception cref="ArgumentException"><paramref name="imagesPath"/> is empty.</exception>
    /// <exception cref="InvalidDataException">A file is not valid IDX, has the wrong rank, or the label count differs from the image count, or the files exceed the memory limit.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file is not readable.</exception>
    public static Dataset Load(string imagesPath, string? labelsPath = null) => Load(imagesPath, labelsPath, ReadLimits.Default);

    /// <summary>
    /// Loads images, and labels when <paramref name="labelsPath"/> is given, within the given memory
    /// limit: five bytes per pixel (the bytes read and the float made from each) and five per label,
    /// images and labels together, checked before anything is allocated for them.
    /// </summary>
    /// <param name="imagesPath">An IDX file of unsigned bytes: shape (count, height, width), or (count, features) for non-image data.</param>
    /// <param name="labelsPath">An IDX file of unsigned bytes with shape (count), or null.</param>
    /// <param name="limits">The memory limit.</param>
    /// <exception cref="ArgumentException"><paramref name="imagesPath"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="limits"/> is null.</exception>
    /// <exception cref="InvalidDataException">A file is not valid IDX, has the wrong rank, or the label count differs from the image count, or the files exceed <see cref="ReadLimits.MaxBytes"/>.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file is not readable.</exception>
    public static Dataset Load(string imagesPath, string? labelsPath, ReadLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentNullException.ThrowIfNull(limits);
        var budget = MemoryBudget.For(limits);
        (int[] shape, byte[] pixels) = ReadImages(imagesPath, budget, bytesPerElement: 1 + sizeof(float));
        int rows = shape[0];
        int features = pixels.Length / rows;
        var matrix = new Matrix(rows, features);
        Span<float> values = matrix.AsSpan();
        for (int i = 0; i < pixels.Length; i++) values[i] = pixels[i] / MaxPixel;

        int[]? labels = labelsPath is null ? null : ReadLabels(labelsPath, imagesPath, rows, budget);
        return shape.Length == 3
            ? Dataset.FromOwned(matrix, labels, imageWidth: shape[2], imageHeight: shape[1])
            : Dataset.FromOwned(matrix, labels, 0, 0);
    }

    private static (int[] Shape, byte[] Pixels) ReadImages(string imagesPath, MemoryBudget budget, int bytesPerElement)
    {
        (int[] shape, byte[] pixels) = IdxFile.ReadBytes(imagesPath, budget, bytesPerElement);
        if (shape.Length is not (2 or 3))
            throw new InvalidDataException($"{imagesPath}: has {shape.Length} dimensions; images need (count, height, width) or (count, features).");
        return (shape, pixels);
    }

    private static int[] ReadLabels(string labelsPath, string imagesPath, int rows, MemoryBudget budget)
    {
        // The label bytes and the ints made from them.
        (int[] labelShape, byte[] labelBytes) = IdxFile.ReadBytes(labelsPath, budget, bytesPerElement: 1 + sizeof(int));
        if (labelShape.Length != 1)
            throw new InvalidDataException($"{labelsPath}: has {labelShape.Length} dimensions; labels need one.");
        if (labelBytes.Length != rows)
            throw new InvalidDataException($"{labelsPath}: has {labelBytes.Length} labels but {imagesPath} has {rows} images.");
        return Array.ConvertAll(labelBytes, b => (int)b);
    }
}
