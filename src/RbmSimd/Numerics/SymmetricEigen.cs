namespace RbmSimd.Numerics;

/// <summary>
/// The eigendecomposition <c>A = V·Λ·Vᵀ</c> of a real symmetric matrix, in double precision: eigenvalues in
/// ascending order and an orthonormal set of eigenvectors.
/// </summary>
/// <remarks>
/// Implementation notes.
/// <para>
/// Two classical stages (Householder 1958; the implicit QL iteration of Bowdler, Martin, Reinsch and Wilkinson
/// 1968, as presented in Golub and Van Loan, <i>Matrix Computations</i>, §8.3). First <c>A</c> is reduced to a
/// tridiagonal <c>T = QᵀAQ</c> by <c>n − 2</c> reflections <c>H_k = I − β v vᵀ</c>: reflection <c>k</c> maps the
/// part of column <c>k</c> below the diagonal, <c>x</c>, to <c>α e₁</c> with <c>α = −sign(x₀)‖x‖</c> (the sign
/// avoids cancellation in <c>v₀ = x₀ − α</c>), and the trailing block <c>B</c> becomes <c>HBH = B − v qᵀ − q vᵀ</c>
/// with <c>p = βBv</c>, <c>q = p − (β vᵀp / 2) v</c> (one matrix–vector product and one rank-two update, about
/// <c>4m²</c> operations for an <c>m × m</c> block). Then each eigenvalue of <c>T</c> is found by QL steps with
/// Wilkinson's shift (the eigenvalue of the leading 2 × 2 block nearer its first diagonal entry), applied
/// implicitly as a chase of Givens rotations from the bottom of the unreduced block up; an off-diagonal entry
/// counts as zero once it is below <c>2⁻⁵²·(|d_m| + |d_{m+1}|)</c>. The rotations accumulate into <c>Qᵀ</c>.
/// </para>
/// <para>
/// Layout. Everything is row-major and the eigenvectors are kept as the <em>rows</em> of <c>Vᵀ</c>, so both the
/// reflections (accumulated backwards, <c>Qᵀ = (…(H_{n−3})…)H_0</c>, touching only the trailing rows and columns)
/// and the rotations (two rows at a time) run along contiguous memory. The matrix is scaled by its largest
/// absolute entry first, so no intermediate overflows or underflows for any finite input.
/// </para>
/// <para>
/// Accuracy. The method is backward stable: the computed pairs are exact for a matrix within a small multiple of
/// <c>n·2⁻⁵³·‖A‖</c> of <c>A</c>, so <c>‖AV − VΛ‖</c> and <c>‖VᵀV − I‖</c> are of that order, each eigenvalue is
/// within that distance of a true one, and eigenvectors are accurate to that distance divided by the gap to the
/// nearest other eigenvalue (for repeated eigenvalues any orthonormal basis of the eigenspace is returned).
/// </para>
/// <para>
/// Signs. An eigenvector is defined up to sign; each is returned with its entry of largest magnitude positive
/// (the first such entry on a tie), so the result does not depend on incidental choices of the iteration.
/// </para>
/// </remarks>
public sealed class SymmetricEigen
{
    /// <summary>The off-diagonal convergence threshold relative to the neighbouring diagonal entries (2⁻⁵²).</summary>
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>QL steps allowed per eigenvalue; two or three are typical, and cubic convergence makes 60 unreachable.</summary>
    private const int MaxStepsPerEigenvalue = 60;

    private readonly double[] _values;
    private readonly double[] _vectors;

    private SymmetricEigen(int n, double[] values, double[] vectors)
    {
        Size = n;
        _values = values;
        _vectors = vectors;
    }

    /// <summary>The order <c>n</c> of the matrix.</summary>
    public int Size { get; }

    /// <summary>The <c>n</c> eigenvalues, in ascending order.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The eigenvectors as the rows of an <c>n × n</c> row-major matrix (that is, <c>Vᵀ</c>): row <c>j</c> is the unit eigenvector of <c>Values[j]</c>.</summary>
    public ReadOnlySpan<double> Vectors => _vectors;

    /// <summary>The unit eigenvector of <c>Values[index]</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside [0, n).</exception>
    public ReadOnlySpan<double> Vector(int index)
    {
        if ((uint)index >= (uint)Size) throw new ArgumentOutOfRangeException(nameof(index), index, $"The index must be in [0, {Size}).");
        return _vectors.AsSpan(index * Size, Size);
    }

    /// <summary>Decomposes the symmetric <c>n × n</c> matrix held row-major in <paramref name="matrix"/>.</summary>
    /// <param name="matrix">At least <c>n²</c> values, row-major. Only the lower triangle (<c>j ≤ i</c>) is read; the
    /// upper triangle is taken to mirror it.</param>
    /// <param name="n">The order of the matrix; 0 gives an empty decomposition.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative or <c>n²</c> overflows.</exception>
    /// <exception cref="ArgumentException"><paramref name="matrix"/> is shorter than <c>n²</c>, or its lower triangle holds NaN or an infinity.</exception>
    /// <exception cref="ArithmeticException">The QL iteration did not converge (not seen for any finite input).</exception>
    public static SymmetricEigen Decompose(ReadOnlySpan<double> matrix, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        long size = (long)n * n;
        if (size > Array.MaxLength) throw new ArgumentOutOfRangeException(nameof(n), n, "n² exceeds the largest array .NET can hold.");
        if (matrix.Length < size)
            throw new ArgumentException($"A {n}x{n} matrix needs {size} values but the span holds {matrix.Length}.", nameof(matrix));

        // A full symmetric copy from the lower triangle, scaled by its largest magnitude.
        var a = new double[size];
        double largest = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double v = matrix[i * n + j];
                if (!double.IsFinite(v))
                    throw new ArgumentException($"Entry ({i}, {j}) of the matrix is {v}; every entry must be finite.", nameof(matrix));
                largest = Math.Max(largest, Math.Abs(v));
            }
        double scale = largest > 0 ? largest : 1;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                a[i * n + j] = a[j * n + i] = matrix[i * n + j] / scale;

        var d = new double[n];
        var e = new double[n];
        var betas = new double[n];
        Tridiagonalize(a, n, d, e, betas);
        double[] vectors = AccumulateReflections(a, n, betas);
        DiagonalizeTridiagonal(d, e, vectors, n);
        for (int i = 0; i < n; i++) d[i] *= scale;
        SortAscending(d, vectors, n);
        FixSigns(vectors, n);
        return new SymmetricEigen(n, d, vectors);
    }

    /// <summary>
    /// Reduces the symmetric <paramref name="a"/> to tridiagonal form in place: on return <c>d</c> holds the
    /// diagonal, <c>e[k]</c> the entry coupling <c>k</c> and <c>k + 1</c>, and row <c>k</c> of <paramref name="a"/>
    /// (columns <c>k + 1…</c>) the vector <c>v</c> of reflection <c>k</c>, whose <c>β</c> is <c>betas[k]</c> (0 when
    /// the column needed no reflection).
    /// </summary>
    private static void Tridiagonalize(double[] a, int n, double[] d, double[] e, double[] betas)
    {
        var p = new double[n];
        for (int k = 0; k < n - 2; k++)
        {
            int m = n - k - 1;
            Span<double> v = a.AsSpan(k * n + k + 1, m); // x = column k below the diagonal = row k right of it
            double norm = Norm(v);
            d[k] = a[k * n + k];
            if (norm == 0 || IsReduced(v))
            {
                // Already of the form α e₁: no reflection.
                e[k] = v[0];
                betas[k] = 0;
                continue;
            }
            double alpha = v[0] >= 0 ? -norm : norm;
            double beta = 1 / (norm * (norm + Math.Abs(v[0])));
            v[0] -= alpha;
            e[k] = alpha;
            betas[k] = beta;

            // p = β B v over the trailing block B = a[k+1.., k+1..] (symmetric, stored in full).
            int b0 = k + 1;
            for (int i = 0; i < m; i++) p[i] = beta * Dot(a.AsSpan((b0 + i) * n + b0, m), v);
            double half = 0.5 * beta * Dot(p.AsSpan(0, m), v);
            for (int i = 0; i < m; i++) p[i] -= half * v[i]; // q
            // B ← B − v qᵀ − q vᵀ, row by row.
            for (int i = 0; i < m; i++)
            {
                Span<double> row = a.AsSpan((b0 + i) * n + b0, m);
                AddScaled(row, -v[i], p.AsSpan(0, m));
                AddScaled(row, -p[i], v);
            }
        }
        if (n >= 2)
        {
            d[n - 2] = a[(n - 2) * n + n - 2];
            e[n - 2] = a[(n - 2) * n + n - 1];
        }
        if (n >= 1)
        {
            d[n - 1] = a[(n - 1) * n + n - 1];
            e[n - 1] = 0;
        }
    }

    private static bool IsReduced(ReadOnlySpan<double> x)
    {
        for (int i = 1; i < x.Length; i++) if (x[i] != 0) return false;
        return true;
    }

    /// <summary>
    /// Forms <c>Qᵀ = H_{n−3}⋯H_1 H_0</c> from the stored reflections, backwards: <c>R ← R·H_k</c> for
    /// <c>k = n−3 … 0</c> starting from the identity. <c>R</c> is the identity outside rows and columns
    /// <c>k + 1…</c> at step <c>k</c>, so only that block is touched, one contiguous row at a time.
    /// </summary>
    private static double[] AccumulateReflections(double[] a, int n, double[] betas)
    {
        var r = new double[(long)n * n];
        for (int i = 0; i < n; i++) r[i * n + i] = 1;
        for (int k = n - 3; k >= 0; k--)
        {
            double beta = betas[k];
            if (beta == 0) continue;
            int m = n - k - 1, b0 = k + 1;
            ReadOnlySpan<double> v = a.AsSpan(k * n + b0, m);
            for (int i = b0; i < n; i++)
            {
                Span<double> row = r.AsSpan(i * n + b0, m);
                AddScaled(row, -beta * Dot(row, v), v);
            }
        }
        return r;
    }

    /// <summary>
    /// Diagonalises the symmetric tridiagonal matrix (diagonal <paramref name="d"/>, off-diagonal <paramref name="e"/>)
    /// by implicitly shifted QL steps, rotating pairs of rows of <paramref name="vt"/> alongside. On return
    /// <paramref name="d"/> holds the eigenvalues (unsorted) and row <c>j</c> of <paramref name="vt"/> the eigenvector of <c>d[j]</c>.
    /// </summary>
    private static void DiagonalizeTridiagonal(double[] d, double[] e, double[] vt, int n)
    {
        for (int l = 0; l < n; l++)
        {
            int steps = 0;
            while (true)
            {
                // The unreduced block starts at l and ends at the first negligible off-diagonal entry m.
                int m = l;
                while (m < n - 1 && Math.Abs(e[m]) > Epsilon * (Math.Abs(d[m]) + Math.Abs(d[m + 1]))) m++;
                if (m == l) break;
                if (++steps > MaxStepsPerEigenvalue)
                    throw new ArithmeticException($"The QL iteration did not converge for eigenvalue {l} of {n} after {MaxStepsPerEigenvalue} steps.");

                // Wilkinson's shift: the eigenvalue of [[d_l, e_l], [e_l, d_l+1]] nearer d_l, written so that
                // nothing cancels: shift = d_l − e_l / (g + sign(g)·√(g² + 1)), g = (d_l+1 − d_l) / (2 e_l).
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double shift = d[l] - e[l] / (g + Math.CopySign(double.Hypot(g, 1), g));

                // One QL step on T − shift·I, done implicitly: rotations in planes (i, i+1) for i = m−1 … l
                // chase the bulge up the block. c, s are the current rotation; p is the running change of d.
                g = d[m] - shift;
                double s = 1, c = 1, p = 0, r = 0;
                bool deflated = false;
                for (int i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    r = double.Hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0)
                    {
                        // f and g underflowed together: the block splits at i + 1; restart on the smaller block.
                        d[i + 1] -= p;
                        e[m] = 0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    Rotate(vt.AsSpan(i * n, n), vt.AsSpan((i + 1) * n, n), c, s);
                }
                if (deflated) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    /// <summary>Applies the plane rotation to two rows: <c>x ← c·x − s·y</c>, <c>y ← s·x + c·y</c>.</summary>
    private static void Rotate(Span<double> x, Span<double> y, double c, double s)
    {
        y = y[..x.Length];
        for (int k = 0; k < x.Length; k++)
        {
            double xk = x[k], yk = y[k];
            x[k] = c * xk - s * yk;
            y[k] = s * xk + c * yk;
        }
    }

    /// <summary>Selection sort of the eigenvalues, carrying the eigenvector rows (n swaps at most).</summary>
    private static void SortAscending(double[] d, double[] vt, int n)
    {
        for (int i = 0; i < n - 1; i++)
        {
            int min = i;
            for (int j = i + 1; j < n; j++) if (d[j] < d[min]) min = j;
            if (min == i) continue;
            (d[i], d[min]) = (d[min], d[i]);
            Span<double> a = vt.AsSpan(i * n, n), b = vt.AsSpan(min * n, n);
            for (int k = 0; k < n; k++) (a[k], b[k]) = (b[k], a[k]);
        }
    }

    /// <summary>Makes the entry of largest magnitude of each eigenvector positive (the first on a tie).</summary>
    private static void FixSigns(double[] vt, int n)
    {
        for (int j = 0; j < n; j++)
        {
            Span<double> row = vt.AsSpan(j * n, n);
            int at = 0;
            for (int k = 1; k < n; k++) if (Math.Abs(row[k]) > Math.Abs(row[at])) at = k;
            if (row[at] < 0) for (int k = 0; k < n; k++) row[k] = -row[k];
        }
    }

    /// <summary>‖x‖₂ without overflow or underflow: the sum of squares of x scaled by its largest magnitude.</summary>
    private static double Norm(ReadOnlySpan<double> x)
    {
        double largest = 0;
        foreach (double v in x) largest = Math.Max(largest, Math.Abs(v));
        if (largest == 0) return 0;
        double sum = 0, inverse = 1 / largest;
        foreach (double v in x)
        {
            double t = v * inverse;
            sum += t * t;
        }
        return largest * Math.Sqrt(sum);
    }

    /// <summary>Σ x_k y_k with four partial sums (independent dependency chains).</summary>
    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        y = y[..x.Length];
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k <= x.Length - 4; k += 4)
        {
            s0 += x[k] * y[k];
            s1 += x[k + 1] * y[k + 1];
            s2 += x[k + 2] * y[k + 2];
            s3 += x[k + 3] * y[k + 3];
        }
        for (; k < x.Length; k++) s0 += x[k] * y[k];
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary><c>y ← y + alpha·x</c>.</summary>
    private static void AddScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        x = x[..y.Length];
        for (int k = 0; k < y.Length; k++) y[k] += alpha * x[k];
    }
}
