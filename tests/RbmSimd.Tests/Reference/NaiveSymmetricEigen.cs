namespace RbmSimd.Tests.Reference;

/// <summary>
/// The cyclic Jacobi method for a symmetric matrix in double: plane rotations, each chosen to zero one
/// off-diagonal entry, applied to the whole matrix, in sweeps over all pairs until the off-diagonal part is
/// negligible. Slow (O(n³) per sweep) and obviously correct: an independent route to the eigenvalues and
/// eigenvectors that <c>SymmetricEigen</c> computes by Householder reduction and QL.
/// </summary>
public static class NaiveSymmetricEigen
{
    /// <summary>Eigenvalues ascending, and the matching unit eigenvectors as <c>vectors[j]</c>.</summary>
    public static (double[] Values, double[][] Vectors) Decompose(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, total = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                {
                    total += a[i, j] * a[i, j];
                    if (i != j) off += a[i, j] * a[i, j];
                }
            if (off <= 1e-32 * total || off == 0) break;
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (a[p, q] == 0) continue;
                    // Choose t = tan θ so that the rotated a_pq is zero: t² + 2τt − 1 = 0 with τ = (a_qq − a_pp)/(2a_pq);
                    // the smaller root keeps |θ| ≤ π/4.
                    double tau = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                    double t = Math.Sign(tau == 0 ? 1 : tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
                    double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
                    for (int k = 0; k < n; k++) // A ← A J (columns p, q)
                    {
                        double akp = a[k, p], akq = a[k, q];
                        a[k, p] = c * akp - s * akq;
                        a[k, q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) // A ← Jᵀ A (rows p, q)
                    {
                        double apk = a[p, k], aqk = a[q, k];
                        a[p, k] = c * apk - s * aqk;
                        a[q, k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) // V ← V J
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq;
                        v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        int[] order = Enumerable.Range(0, n).OrderBy(i => a[i, i]).ToArray();
        double[] values = order.Select(i => a[i, i]).ToArray();
        double[][] vectors = order.Select(j => Enumerable.Range(0, n).Select(k => v[k, j]).ToArray()).ToArray();
        return (values, vectors);
    }
}
