namespace RbmSimd.Tests.Reference;

/// <summary>The textbook triple loop in double: the reference for every GEMM test.</summary>
public static class NaiveGemm
{
    /// <summary>
    /// Returns, for each element of the m×n result, the exact-as-double value <c>α·Σ_p op(A)_ip·op(B)_pj + β·c0_ij</c>
    /// and its magnitude sum <c>|α|·Σ_p |op(A)_ip·op(B)_pj| + |β|·|c0_ij|</c>, which scales the rounding-error bound.
    /// When β = 0 the old C is ignored (it may hold NaN). Operands are row-major with the given strides.
    /// </summary>
    public static (double[] Value, double[] Magnitude) Multiply(
        float[] a, int lda, bool transA, float[] b, int ldb, bool transB, float[] c0, int ldc,
        int m, int n, int k, float alpha, float beta)
    {
        var value = new double[m * n];
        var magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = transA ? a[p * lda + i] : a[i * lda + p];
                    double y = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += x * y;
                    abs += Math.Abs(x * y);
                }
                double v = alpha * sum, mag = Math.Abs(alpha) * abs;
                if (beta != 0)
                {
                    v += beta * (double)c0[i * ldc + j];
                    mag += Math.Abs(beta * (double)c0[i * ldc + j]);
                }
                value[i * n + j] = v;
                magnitude[i * n + j] = mag;
            }
        return (value, magnitude);
    }
}
