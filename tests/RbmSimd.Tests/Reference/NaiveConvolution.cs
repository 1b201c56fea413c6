namespace RbmSimd.Tests.Reference;

/// <summary>
/// The three convolution products in double with explicit loops over every index, from their definitions (no im2col, no
/// flipped-filter index algebra): the oracle for <see cref="RbmSimd.Kernels.Convolution"/>.
/// </summary>
internal static class NaiveConvolution
{
    /// <summary>y[k, i, j] = α·Σ_{c,r,s} w[k, c, r, s]·x[c, i + r, j + s] + bias[k].</summary>
    public static double[] Correlate(int c, int h, int w, int k, int f, double[] x, double[] filters, double[]? bias, double alpha)
    {
        int oh = h - f + 1, ow = w - f + 1;
        var y = new double[k * oh * ow];
        for (int kk = 0; kk < k; kk++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double sum = 0;
                    for (int cc = 0; cc < c; cc++)
                        for (int r = 0; r < f; r++)
                            for (int s = 0; s < f; s++)
                                sum += filters[((kk * c + cc) * f + r) * f + s] * x[(cc * h + i + r) * w + j + s];
                    y[(kk * oh + i) * ow + j] = alpha * sum + (bias?[kk] ?? 0);
                }
        return y;
    }

    /// <summary>
    /// The adjoint of the correlation: every map unit y[k, i, j] spreads w[k, c, r, s]·y[k, i, j] onto x[c, i + r, j + s]
    /// (the full convolution with the flipped filters, written as a scatter).
    /// </summary>
    public static double[] Convolve(int c, int h, int w, int k, int f, double[] y, double[] filters, double alpha)
    {
        int oh = h - f + 1, ow = w - f + 1;
        var x = new double[c * h * w];
        for (int kk = 0; kk < k; kk++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int cc = 0; cc < c; cc++)
                        for (int r = 0; r < f; r++)
                            for (int s = 0; s < f; s++)
                                x[(cc * h + i + r) * w + j + s] += alpha * filters[((kk * c + cc) * f + r) * f + s] * y[(kk * oh + i) * ow + j];
        return x;
    }

    /// <summary>g[k, c, r, s] = Σ_images Σ_{i,j} y[k, i, j]·x[c, i + r, j + s].</summary>
    public static double[] FilterGradient(int c, int h, int w, int k, int f, double[][] images, double[][] maps)
    {
        int oh = h - f + 1, ow = w - f + 1;
        var g = new double[k * c * f * f];
        for (int n = 0; n < images.Length; n++)
            for (int kk = 0; kk < k; kk++)
                for (int cc = 0; cc < c; cc++)
                    for (int r = 0; r < f; r++)
                        for (int s = 0; s < f; s++)
                        {
                            double sum = 0;
                            for (int i = 0; i < oh; i++)
                                for (int j = 0; j < ow; j++)
                                    sum += maps[n][(kk * oh + i) * ow + j] * images[n][(cc * h + i + r) * w + j + s];
                            g[((kk * c + cc) * f + r) * f + s] += sum;
                        }
        return g;
    }
}
