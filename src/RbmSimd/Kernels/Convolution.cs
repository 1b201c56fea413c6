using System.Buffers;
using RbmSimd.Numerics;

namespace RbmSimd.Kernels;

/// <summary>
/// The three products of a convolutional layer, for one image or a batch (one image per row), on the packed GEMM:
/// the valid correlation of images with filters (<see cref="CorrelateValid(ConvolutionShape, ReadOnlyMatrixView, ReadOnlySpan{float}, ReadOnlySpan{float}, MatrixView, float, int)"/>),
/// the full convolution of maps with the same filters flipped (<see cref="ConvolveFull(ConvolutionShape, ReadOnlyMatrixView, ReadOnlySpan{float}, MatrixView, float, int)"/>,
/// the correlation's adjoint), and the correlation of images with maps, which is the correlation's derivative with respect to
/// the filters (<see cref="FilterGradient(ConvolutionShape, ReadOnlyMatrixView, ReadOnlyMatrixView, Span{float}, int)"/>).
/// </summary>
/// <remarks>
/// <para>Shapes (see <see cref="ConvolutionShape"/>): an image x is C × H × W, the filters w are K × C × F × F, the maps y
/// are K × OH × OW, all row-major:</para>
/// <code>
/// correlation       y[k, i, j] = α·Σ_{c,r,s} w[k, c, r, s]·x[c, i + r, j + s] + bias[k]
/// full convolution  x[c, u, v] = α·Σ_{k,r,s} w[k, c, r, s]·y[k, u − r, v − s]      (terms inside the map only)
/// filter gradient   g[k, c, r, s] = Σ_images Σ_{i,j} y[k, i, j]·x[c, i + r, j + s]
/// </code>
/// <para>Implementation notes. Each image's patches are unfolded into a per-thread buffer (<see cref="PatchUnfolding"/>,
/// im2col: C·F·F rows × OH·OW columns), so the correlation is one GEMM <c>W · Xᵀ</c> (K × C·F·F times C·F·F × OH·OW,
/// written straight into the image's maps), the full convolution the GEMM <c>Wᵀ · Y</c> followed by col2im, and the filter
/// gradient <c>Y · X</c> accumulated image by image. Batches run their images in parallel on <see cref="ChunkedParallel"/>:
/// the correlation and the convolution one image per chunk (each image's result is the same whoever computes it), the
/// gradient in fixed chunks of <see cref="GradientChunkRows"/> images whose partial sums are added in chunk order, so every
/// result is the same bits for any thread count. Nothing is allocated once the per-thread buffers have grown.</para>
/// <para>The kernels know nothing of what the images, maps and filters mean.</para>
/// </remarks>
public static class Convolution
{
    /// <summary>Images per chunk of a batched filter gradient: the partition (and so the order of the sum) never depends on the thread count.</summary>
    public const int GradientChunkRows = 8;

    // ---- One image ------------------------------------------------------------------------------------

    /// <summary>Valid correlation of one image: <c>maps[k, i, j] = α·Σ_{c,r,s} filters[k, c, r, s]·image[c, i + r, j + s] + bias[k]</c>.</summary>
    /// <param name="shape">The geometry.</param>
    /// <param name="image">C·H·W floats.</param>
    /// <param name="filters">K·C·F·F floats.</param>
    /// <param name="bias">K floats added to each map, or empty for none.</param>
    /// <param name="maps">K·OH·OW floats, written.</param>
    /// <param name="alpha">Scale of the sum (not of the bias).</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or the output overlaps an input.</exception>
    public static unsafe void CorrelateValid(ConvolutionShape shape, ReadOnlySpan<float> image, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias,
        Span<float> maps, float alpha = 1f)
    {
        RequireLength(image, shape.ImageLength, nameof(image));
        RequireFilters(shape, filters, bias, biasLength: shape.Filters);
        RequireLength(maps, shape.MapsLength, nameof(maps));
        RequireNoOverlap(maps, image, filters, bias, nameof(maps));
        fixed (float* x = image, w = filters, b = bias, y = maps)
            CorrelateOne(shape, x, w, bias.IsEmpty ? null : b, y, alpha, KernelSelection.Active);
    }

    /// <summary>Full convolution of one image's maps with the flipped filters: <c>image[c, u, v] = α·Σ_{k,r,s} filters[k, c, r, s]·maps[k, u − r, v − s]</c>.</summary>
    /// <param name="shape">The geometry.</param>
    /// <param name="maps">K·OH·OW floats.</param>
    /// <param name="filters">K·C·F·F floats.</param>
    /// <param name="image">C·H·W floats, written.</param>
    /// <param name="alpha">Scale of the sum.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or the output overlaps an input.</exception>
    public static unsafe void ConvolveFull(ConvolutionShape shape, ReadOnlySpan<float> maps, ReadOnlySpan<float> filters, Span<float> image, float alpha = 1f)
    {
        RequireLength(maps, shape.MapsLength, nameof(maps));
        RequireFilters(shape, filters, default, 0);
        RequireLength(image, shape.ImageLength, nameof(image));
        RequireNoOverlap(image, maps, filters, default, nameof(image));
        fixed (float* y = maps, w = filters, x = image)
            ConvolveOne(shape, y, w, x, alpha, KernelSelection.Active);
    }

    /// <summary>
    /// Adds one image's filter gradient: <c>gradient[k, c, r, s] += α·Σ_{i,j} maps[k, i, j]·image[c, i + r, j + s]</c>.
    /// </summary>
    /// <param name="shape">The geometry.</param>
    /// <param name="image">C·H·W floats.</param>
    /// <param name="maps">K·OH·OW floats.</param>
    /// <param name="gradient">K·C·F·F floats, accumulated into.</param>
    /// <param name="alpha">Scale of the sum.</param>
    /// <exception cref="ArgumentException">A span has the wrong length, or the output overlaps an input.</exception>
    public static unsafe void AccumulateFilterGradient(ConvolutionShape shape, ReadOnlySpan<float> image, ReadOnlySpan<float> maps, Span<float> gradient, float alpha = 1f)
    {
        RequireLength(image, shape.ImageLength, nameof(image));
        RequireLength(maps, shape.MapsLength, nameof(maps));
        RequireLength(gradient, shape.FiltersLength, nameof(gradient));
        RequireNoOverlap(gradient, image, maps, default, nameof(gradient));
        fixed (float* x = image, y = maps, g = gradient)
            GradientOne(shape, x, y, g, alpha, beta: 1f, KernelSelection.Active);
    }

    // ---- Batches ---------------------------------------------------------------------------------------

    /// <summary>The valid correlation of every row (an image) of <paramref name="images"/> into the same row of <paramref name="maps"/>.</summary>
    /// <param name="shape">The geometry.</param>
    /// <param name="images">Rows × C·H·W.</param>
    /// <param name="filters">K·C·F·F floats.</param>
    /// <param name="bias">K floats added to each map, or empty.</param>
    /// <param name="maps">Rows × K·OH·OW, written.</param>
    /// <param name="alpha">Scale of the sum (not of the bias).</param>
    /// <param name="maxDegreeOfParallelism">Threads (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or the output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public static unsafe void CorrelateValid(ConvolutionShape shape, ReadOnlyMatrixView images, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias,
        MatrixView maps, float alpha = 1f, int maxDegreeOfParallelism = 1)
    {
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        RequireBatch(images, shape.ImageLength, maps, shape.MapsLength, nameof(images), nameof(maps));
        RequireFilters(shape, filters, bias, shape.Filters);
        RequireNoOverlap(maps.Span, images.Span, filters, bias, nameof(maps));
        if (images.Rows == 0) return;
        fixed (float* x = images.Span, w = filters, b = bias, y = maps.Span)
        {
            var body = new CorrelateRows(shape, x, images.Stride, w, bias.IsEmpty ? null : b, y, maps.Stride, alpha, KernelSelection.Active);
            ChunkedParallel.For(images.Rows, threads, body);
        }
    }

    /// <summary>The full convolution of every row (an image's maps) of <paramref name="maps"/> into the same row of <paramref name="images"/>.</summary>
    /// <param name="shape">The geometry.</param>
    /// <param name="maps">Rows × K·OH·OW.</param>
    /// <param name="filters">K·C·F·F floats.</param>
    /// <param name="images">Rows × C·H·W, written.</param>
    /// <param name="alpha">Scale of the sum.</param>
    /// <param name="maxDegreeOfParallelism">Threads (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or the output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public static unsafe void ConvolveFull(ConvolutionShape shape, ReadOnlyMatrixView maps, ReadOnlySpan<float> filters, MatrixView images,
        float alpha = 1f, int maxDegreeOfParallelism = 1)
    {
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        RequireBatch(maps, shape.MapsLength, images, shape.ImageLength, nameof(maps), nameof(images));
        RequireFilters(shape, filters, default, 0);
        RequireNoOverlap(images.Span, maps.Span, filters, default, nameof(images));
        if (maps.Rows == 0) return;
        fixed (float* y = maps.Span, w = filters, x = images.Span)
        {
            var body = new ConvolveRows(shape, y, maps.Stride, w, x, images.Stride, alpha, KernelSelection.Active);
            ChunkedParallel.For(maps.Rows, threads, body);
        }
    }

    /// <summary>
    /// The filter gradient summed over a batch: <c>gradient[k, c, r, s] = Σ_rows Σ_{i,j} maps[row][k, i, j]·images[row][c, i + r, j + s]</c>
    /// (overwritten). Rows are summed in fixed chunks of <see cref="GradientChunkRows"/>, the chunks in order.
    /// </summary>
    /// <param name="shape">The geometry.</param>
    /// <param name="images">Rows × C·H·W.</param>
    /// <param name="maps">Rows × K·OH·OW (weights of each image's patches, e.g. scaled maps).</param>
    /// <param name="gradient">K·C·F·F floats, written.</param>
    /// <param name="maxDegreeOfParallelism">Threads (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or the output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public static void FilterGradient(ConvolutionShape shape, ReadOnlyMatrixView images, ReadOnlyMatrixView maps, Span<float> gradient,
        int maxDegreeOfParallelism = 1) => FilterGradient(shape, images, maps, default, gradient, maxDegreeOfParallelism);

    /// <summary>
    /// The weighted filter gradient of a batch: <c>gradient[k, c, r, s] = Σ_rows weight[row]·Σ_{i,j} maps[row][k, i, j]·images[row][c, i + r, j + s]</c>
    /// (overwritten), each row's weight applied as the scale of its product. Rows are summed in fixed chunks of
    /// <see cref="GradientChunkRows"/>, the chunks in order.
    /// </summary>
    /// <param name="shape">The geometry.</param>
    /// <param name="images">Rows × C·H·W.</param>
    /// <param name="maps">Rows × K·OH·OW.</param>
    /// <param name="rowWeights">One weight per row, or empty for weights of 1.</param>
    /// <param name="gradient">K·C·F·F floats, written.</param>
    /// <param name="maxDegreeOfParallelism">Threads (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not agree, or the output overlaps an input.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    public static unsafe void FilterGradient(ConvolutionShape shape, ReadOnlyMatrixView images, ReadOnlyMatrixView maps, ReadOnlySpan<float> rowWeights,
        Span<float> gradient, int maxDegreeOfParallelism = 1)
    {
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        RequireBatch(images, shape.ImageLength, maps, shape.MapsLength, nameof(images), nameof(maps));
        RequireLength(gradient, shape.FiltersLength, nameof(gradient));
        RequireNoOverlap(gradient, images.Span, maps.Span, rowWeights, nameof(gradient));
        if (!rowWeights.IsEmpty && rowWeights.Length != images.Rows)
            throw new ArgumentException($"Expected {images.Rows} row weights (or none) but got {rowWeights.Length}.", nameof(rowWeights));
        int rows = images.Rows;
        if (rows == 0)
        {
            gradient.Clear();
            return;
        }
        int chunks = (rows + GradientChunkRows - 1) / GradientChunkRows;
        int length = shape.FiltersLength;
        // Chunk 0 sums into the gradient itself; the others into rented partials added afterwards in chunk order.
        float[]? partials = chunks > 1 ? ArrayPool<float>.Shared.Rent((chunks - 1) * length) : null;
        try
        {
            fixed (float* x = images.Span, y = maps.Span, g = gradient, p = partials, wt = rowWeights)
            {
                var body = new GradientChunks(shape, x, images.Stride, y, maps.Stride, rows, rowWeights.IsEmpty ? null : wt, g, p, KernelSelection.Active);
                ChunkedParallel.For(chunks, threads, body);
                for (int chunk = 1; chunk < chunks; chunk++)
                    AddTo(new ReadOnlySpan<float>(p + (nint)(chunk - 1) * length, length), gradient);
            }
        }
        finally
        {
            if (partials is not null) ArrayPool<float>.Shared.Return(partials);
        }
    }

    // ---- The per-image work ----------------------------------------------------------------------------

    internal static unsafe void CorrelateOne(in ConvolutionShape shape, float* image, float* filters, float* bias, float* maps, float alpha, KernelIsa isa)
    {
        int patch = shape.PatchLength, positions = shape.OutputPositions;
        float* patches = ConvolutionWorkspace.Current.Patches(patch * positions);
        PatchUnfolding.Unfold(shape, image, patches);
        var w = new ReadOnlyMatrixView(new ReadOnlySpan<float>(filters, shape.FiltersLength), shape.Filters, patch);
        var x = new ReadOnlyMatrixView(new ReadOnlySpan<float>(patches, patch * positions), patch, positions);
        var y = new MatrixView(new Span<float>(maps, shape.MapsLength), shape.Filters, positions);
        Gemm.Multiply(w, MatrixOp.None, x, MatrixOp.None, y, GemmEpilogue.None, default, alpha, 0f, isa, parallel: false);
        if (bias == null) return;
        for (int k = 0; k < shape.Filters; k++)
        {
            Span<float> map = y.Row(k);
            System.Numerics.Tensors.TensorPrimitives.Add(map, bias[k], map);
        }
    }

    internal static unsafe void ConvolveOne(in ConvolutionShape shape, float* maps, float* filters, float* image, float alpha, KernelIsa isa)
    {
        int patch = shape.PatchLength, positions = shape.OutputPositions;
        float* columns = ConvolutionWorkspace.Current.Patches(patch * positions);
        var w = new ReadOnlyMatrixView(new ReadOnlySpan<float>(filters, shape.FiltersLength), shape.Filters, patch);
        var y = new ReadOnlyMatrixView(new ReadOnlySpan<float>(maps, shape.MapsLength), shape.Filters, positions);
        var cols = new MatrixView(new Span<float>(columns, patch * positions), patch, positions);
        Gemm.Multiply(w, MatrixOp.Transpose, y, MatrixOp.None, cols, GemmEpilogue.None, default, alpha, 0f, isa, parallel: false);
        new Span<float>(image, shape.ImageLength).Clear();
        PatchUnfolding.FoldAdd(shape, columns, image);
    }

    /// <summary><c>gradient ← β·gradient + α·Y·X</c> for one image (β = 0 ignores the old contents).</summary>
    internal static unsafe void GradientOne(in ConvolutionShape shape, float* image, float* maps, float* gradient, float alpha, float beta, KernelIsa isa)
    {
        int patch = shape.PatchLength, positions = shape.OutputPositions;
        float* patches = ConvolutionWorkspace.Current.Patches(patch * positions);
        PatchUnfolding.Unfold(shape, image, patches);
        var y = new ReadOnlyMatrixView(new ReadOnlySpan<float>(maps, shape.MapsLength), shape.Filters, positions);
        var x = new ReadOnlyMatrixView(new ReadOnlySpan<float>(patches, patch * positions), patch, positions);
        var g = new MatrixView(new Span<float>(gradient, shape.FiltersLength), shape.Filters, patch);
        Gemm.Multiply(y, MatrixOp.None, x, MatrixOp.Transpose, g, GemmEpilogue.None, default, alpha, beta, isa, parallel: false);
    }

    private readonly unsafe struct CorrelateRows(in ConvolutionShape shape, float* images, int imageStride, float* filters, float* bias,
        float* maps, int mapStride, float alpha, KernelIsa isa) : IChunkAction
    {
        private readonly ConvolutionShape _shape = shape;

        public void Invoke(int row) =>
            CorrelateOne(_shape, images + (nint)row * imageStride, filters, bias, maps + (nint)row * mapStride, alpha, isa);
    }

    private readonly unsafe struct ConvolveRows(in ConvolutionShape shape, float* maps, int mapStride, float* filters,
        float* images, int imageStride, float alpha, KernelIsa isa) : IChunkAction
    {
        private readonly ConvolutionShape _shape = shape;

        public void Invoke(int row) =>
            ConvolveOne(_shape, maps + (nint)row * mapStride, filters, images + (nint)row * imageStride, alpha, isa);
    }

    private readonly unsafe struct GradientChunks(in ConvolutionShape shape, float* images, int imageStride, float* maps, int mapStride,
        int rows, float* weights, float* gradient, float* partials, KernelIsa isa) : IChunkAction
    {
        private readonly ConvolutionShape _shape = shape;

        public void Invoke(int chunk)
        {
            float* destination = chunk == 0 ? gradient : partials + (nint)(chunk - 1) * _shape.FiltersLength;
            int r0 = chunk * GradientChunkRows, r1 = Math.Min(rows, r0 + GradientChunkRows);
            for (int r = r0; r < r1; r++)
                GradientOne(_shape, images + (nint)r * imageStride, maps + (nint)r * mapStride, destination, weights == null ? 1f : weights[r], r == r0 ? 0f : 1f, isa);
        }
    }

    // ---- Checks ------------------------------------------------------------------------------------------

    private static void AddTo(ReadOnlySpan<float> source, Span<float> destination) =>
        System.Numerics.Tensors.TensorPrimitives.Add(destination, source, destination);

    private static void RequireLength(ReadOnlySpan<float> span, int length, string name)
    {
        if (span.Length != length) throw new ArgumentException($"Expected {length} floats but got {span.Length}.", name);
    }

    private static void RequireFilters(in ConvolutionShape shape, ReadOnlySpan<float> filters, ReadOnlySpan<float> bias, int biasLength)
    {
        RequireLength(filters, shape.FiltersLength, nameof(filters));
        if (!bias.IsEmpty && bias.Length != biasLength)
            throw new ArgumentException($"Expected {biasLength} bias values (or none) but got {bias.Length}.", nameof(bias));
    }

    private static void RequireBatch(ReadOnlyMatrixView input, int inputCols, ReadOnlyMatrixView output, int outputCols, string inputName, string outputName)
    {
        if (input.Cols != inputCols) throw new ArgumentException($"Expected {inputCols} columns but got {input.Cols}.", inputName);
        if (output.Cols != outputCols) throw new ArgumentException($"Expected {outputCols} columns but got {output.Cols}.", outputName);
        if (output.Rows != input.Rows) throw new ArgumentException($"Expected {input.Rows} rows (one per row of {inputName}) but got {output.Rows}.", outputName);
    }

    private static void RequireNoOverlap(ReadOnlySpan<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, string name)
    {
        if (output.Overlaps(a) || output.Overlaps(b) || output.Overlaps(c))
            throw new ArgumentException("The output must not overlap an input.", name);
    }
}
