using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RbmSimd.Kernels;

/// <summary>
/// im2col and col2im: the patches of an image as the rows of a matrix, and the sum of such a matrix's rows back into an image.
/// </summary>
/// <remarks>
/// Implementation notes. The patch matrix Xᵀ has one row per filter tap <c>(c, r, s)</c> (row <c>(c·F + r)·F + s</c>) and
/// one column per output position <c>(i, j)</c> (column <c>i·OW + j</c>): <c>Xᵀ[(c, r, s), (i, j)] = x[c, i + r, j + s]</c>.
/// So the valid correlation is the product <c>Wᵀ… = W · Xᵀ</c> with W the K × C·F·F filter matrix, and the columns of
/// one tap row are <c>OH</c> runs of <c>OW</c> contiguous image floats: the copies and adds below move a run at a time,
/// in vectors of 16, 8 and 4 floats and then single floats. Every element is copied or added exactly, so the result
/// does not depend on the vector width.
/// </remarks>
internal static unsafe class PatchUnfolding
{
    /// <summary>im2col: writes Xᵀ (C·F·F × OH·OW, row-major) of <paramref name="image"/> (C × H × W).</summary>
    public static void Unfold(in ConvolutionShape shape, float* image, float* patches)
    {
        int f = shape.FilterSize, h = shape.Height, w = shape.Width, oh = shape.OutputHeight, ow = shape.OutputWidth;
        nint positions = (nint)oh * ow;
        float* dst = patches;
        for (int c = 0; c < shape.Channels; c++)
            for (int r = 0; r < f; r++)
                for (int s = 0; s < f; s++, dst += positions)
                {
                    float* src = image + ((nint)c * h + r) * w + s;
                    float* d = dst;
                    for (int i = 0; i < oh; i++, src += w, d += ow) Copy(src, d, ow);
                }
    }

    /// <summary>col2im: <c>image[c, i + r, j + s] += columns[(c, r, s), (i, j)]</c> over every tap and position (the image is not cleared).</summary>
    public static void FoldAdd(in ConvolutionShape shape, float* columns, float* image)
    {
        int f = shape.FilterSize, h = shape.Height, w = shape.Width, oh = shape.OutputHeight, ow = shape.OutputWidth;
        nint positions = (nint)oh * ow;
        float* src = columns;
        for (int c = 0; c < shape.Channels; c++)
            for (int r = 0; r < f; r++)
                for (int s = 0; s < f; s++, src += positions)
                {
                    float* dst = image + ((nint)c * h + r) * w + s;
                    float* q = src;
                    for (int i = 0; i < oh; i++, dst += w, q += ow) Add(q, dst, ow);
                }
    }

    /// <summary>Copies <paramref name="n"/> floats (the ranges do not overlap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) Vector512.Load(src + i).Store(dst + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Vector256.Load(src + i).Store(dst + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4) Vector128.Load(src + i).Store(dst + i);
        for (; i < n; i++) dst[i] = src[i];
    }

    /// <summary><c>dst[i] += src[i]</c> for <paramref name="n"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* src, float* dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) (Vector512.Load(dst + i) + Vector512.Load(src + i)).Store(dst + i);
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
        if (Vector128.IsHardwareAccelerated)
            for (; i <= n - 4; i += 4) (Vector128.Load(dst + i) + Vector128.Load(src + i)).Store(dst + i);
        for (; i < n; i++) dst[i] += src[i];
    }
}
