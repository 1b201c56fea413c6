using RbmSimd.Preprocessing;

namespace RbmSimd.Tests.Reference;

/// <summary>
/// A transform rebuilt from its stored arrays as an explicit affine map <c>y = M x + b</c> in double, with plain
/// matrix arithmetic: the reference the preprocessing tests compare against. It reads only
/// <see cref="Transform.ToArrays"/>, so it shares no code with the implementation.
/// </summary>
public sealed class NaiveAffine
{
    private NaiveAffine(double[,] m, double[] b, double[,] absM, double[] absB, double[,] pinvM, double[] c, double[,] absPinvM, double[] absC)
    {
        M = m;
        B = b;
        AbsM = absM;
        AbsB = absB;
        PinvM = pinvM;
        C = c;
        AbsPinvM = absPinvM;
        AbsC = absC;
    }

    /// <summary>The linear part, outputs × inputs.</summary>
    public double[,] M { get; }

    /// <summary>The offset.</summary>
    public double[] B { get; }

    /// <summary>
    /// The map evaluated with every parameter replaced by its magnitude (|M| as a product of the steps' |factors|,
    /// |b| likewise): <c>AbsM·|x| + AbsB</c> bounds the sum of the magnitudes of all terms any evaluation order
    /// adds, which is what rounding errors are proportional to.
    /// </summary>
    public double[,] AbsM { get; }

    /// <inheritdoc cref="AbsM"/>
    public double[] AbsB { get; }

    /// <summary>The documented inverse <c>x = C + PinvM·y</c>: each step's pseudo-inverse by its formula, composed in reverse; inputs × outputs.</summary>
    public double[,] PinvM { get; }

    /// <inheritdoc cref="PinvM"/>
    public double[] C { get; }

    /// <summary>The inverse with every parameter replaced by its magnitude, as <see cref="AbsM"/> is for the forward map.</summary>
    public double[,] AbsPinvM { get; }

    /// <inheritdoc cref="AbsPinvM"/>
    public double[] AbsC { get; }

    public int Outputs => M.GetLength(0);

    public int Inputs => M.GetLength(1);

    /// <summary>Builds the map from arrays named <c>{step}.{kind}.{field}</c>.</summary>
    public static NaiveAffine FromArrays(IEnumerable<TransformArray> arrays)
    {
        var byStep = arrays.GroupBy(a => int.Parse(a.Name.Split('.')[0])).OrderBy(g => g.Key);
        NaiveAffine? result = null;
        foreach (var group in byStep)
        {
            string kind = group.First().Name.Split('.')[1];
            var f = group.ToDictionary(a => a.Name.Split('.')[2], a => a);
            NaiveAffine step = kind switch
            {
                "scaling" => Scaling((int)f["columns"].Values[0], f["divisor"].Values[0]),
                "row-centering" => RowCentering((int)f["columns"].Values[0]),
                "standardization" => Standardization(f["mean"].Values, f["scale"].Values),
                "pca-whitening" => Pca(f["mean"].Values, f["components"].Values, f["scale"].Values),
                "zca-whitening" => Zca(f["mean"].Values, f["components"].Values, f["scale"].Values),
                _ => throw new InvalidOperationException(kind),
            };
            result = result is null ? step : Compose(step, result);
        }
        return result!;
    }

    /// <summary><c>M x + b</c>.</summary>
    public double[] Forward(ReadOnlySpan<float> x) => Affine(M, B, x);

    /// <summary><c>AbsM |x| + AbsB</c>: the magnitude of the terms behind each output.</summary>
    public double[] ForwardTerms(ReadOnlySpan<float> x)
    {
        var ax = new float[x.Length];
        for (int i = 0; i < x.Length; i++) ax[i] = Math.Abs(x[i]);
        return Affine(AbsM, AbsB, ax);
    }

    /// <summary>The documented inverse: <c>C + PinvM·y</c>.</summary>
    public double[] Inverse(ReadOnlySpan<float> y) => Affine(PinvM, C, y);

    /// <summary><c>AbsC + AbsPinvM·|y|</c>: the magnitude of the terms behind each inverse output.</summary>
    public double[] InverseTerms(ReadOnlySpan<float> y)
    {
        var ay = new float[y.Length];
        for (int i = 0; i < y.Length; i++) ay[i] = Math.Abs(y[i]);
        return Affine(AbsPinvM, AbsC, ay);
    }

    /// <summary>Inverse(Forward(x)) in exact arithmetic with the stored parameters: x's point in the kept subspace.</summary>
    public double[] Kept(ReadOnlySpan<float> x)
    {
        double[] y = Forward(x);
        var x2 = (double[])C.Clone();
        for (int i = 0; i < Inputs; i++) for (int j = 0; j < Outputs; j++) x2[i] += PinvM[i, j] * y[j];
        return x2;
    }

    private static double[] Affine(double[,] m, double[] b, ReadOnlySpan<float> x)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double s = b[r];
            for (int c = 0; c < cols; c++) s += m[r, c] * x[c];
            y[r] = s;
        }
        return y;
    }

    private static NaiveAffine Scaling(int d, float divisor)
    {
        double[,] m = Diagonal(Enumerable.Repeat(1.0 / divisor, d).ToArray());
        double[,] pinv = Diagonal(Enumerable.Repeat((double)divisor, d).ToArray());
        return new NaiveAffine(m, new double[d], Abs(m), new double[d], pinv, new double[d], Abs(pinv), new double[d]);
    }

    private static NaiveAffine RowCentering(int d)
    {
        var p = new double[d, d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) p[i, j] = (i == j ? 1 : 0) - 1.0 / d;
        return new NaiveAffine(p, new double[d], Abs(p), new double[d], p, new double[d], Abs(p), new double[d]);
    }

    private static NaiveAffine Standardization(float[] mean, float[] scale)
    {
        int d = mean.Length;
        double[,] m = Diagonal(scale.Select(s => 1.0 / s).ToArray());
        double[] b = Enumerable.Range(0, d).Select(i => -mean[i] / (double)scale[i]).ToArray();
        double[,] pinv = Diagonal(scale.Select(s => (double)s).ToArray());
        double[] c = mean.Select(v => (double)v).ToArray();
        return new NaiveAffine(m, b, Abs(m), b.Select(Math.Abs).ToArray(), pinv, c, Abs(pinv), c.Select(Math.Abs).ToArray());
    }

    private static double[,] Rows(float[] values, int rows, int cols)
    {
        var u = new double[rows, cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) u[r, c] = values[r * cols + c];
        return u;
    }

    private static NaiveAffine Pca(float[] mean, float[] components, float[] scale)
    {
        int d = mean.Length, k = scale.Length;
        double[,] u = Rows(components, k, d);
        double[,] m = Multiply(Diagonal(scale.Select(s => 1.0 / s).ToArray()), u);
        double[,] absM = Abs(m);
        double[] mu = mean.Select(v => (double)v).ToArray();
        double[] b = Apply(m, mu).Select(v => -v).ToArray();
        double[] absB = Apply(absM, mu.Select(Math.Abs).ToArray());
        double[,] pinv = Multiply(Transpose(u), Diagonal(scale.Select(s => (double)s).ToArray()));
        return new NaiveAffine(m, b, absM, absB, pinv, mu, Abs(pinv), mu.Select(Math.Abs).ToArray());
    }

    private static NaiveAffine Zca(float[] mean, float[] components, float[] scale)
    {
        int d = mean.Length;
        double[,] u = Rows(components, d, d);
        double[,] m = Multiply(Transpose(u), Multiply(Diagonal(scale.Select(s => 1.0 / s).ToArray()), u));
        double[,] absM = Multiply(Abs(Transpose(u)), Multiply(Diagonal(scale.Select(s => 1.0 / s).ToArray()), Abs(u)));
        double[] mu = mean.Select(v => (double)v).ToArray();
        double[] b = Apply(m, mu).Select(v => -v).ToArray();
        double[] absB = Apply(absM, mu.Select(Math.Abs).ToArray());
        double[,] pinv = Multiply(Transpose(u), Multiply(Diagonal(scale.Select(s => (double)s).ToArray()), u));
        double[,] absPinv = Multiply(Abs(Transpose(u)), Multiply(Diagonal(scale.Select(s => (double)s).ToArray()), Abs(u)));
        return new NaiveAffine(m, b, absM, absB, pinv, mu, absPinv, mu.Select(Math.Abs).ToArray());
    }

    /// <summary><c>outer ∘ inner</c>: <c>M = M₂M₁</c>, <c>b = M₂b₁ + b₂</c>; inverse <c>C = C₁ + P₁C₂</c>, <c>P = P₁P₂</c>.</summary>
    private static NaiveAffine Compose(NaiveAffine outer, NaiveAffine inner)
    {
        static double[] Add(double[] x, double[] y) => x.Zip(y, (a, b) => a + b).ToArray();
        return new NaiveAffine(
            Multiply(outer.M, inner.M), Add(Apply(outer.M, inner.B), outer.B),
            Multiply(outer.AbsM, inner.AbsM), Add(Apply(outer.AbsM, inner.AbsB), outer.AbsB),
            Multiply(inner.PinvM, outer.PinvM), Add(inner.C, Apply(inner.PinvM, outer.C)),
            Multiply(inner.AbsPinvM, outer.AbsPinvM), Add(inner.AbsC, Apply(inner.AbsPinvM, outer.AbsC)));
    }

    public static double[,] Diagonal(double[] d)
    {
        var m = new double[d.Length, d.Length];
        for (int i = 0; i < d.Length; i++) m[i, i] = d[i];
        return m;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int t = 0; t < k; t++) s += a[i, t] * b[t, j];
                c[i, j] = s;
            }
        return c;
    }

    public static double[,] Transpose(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }

    private static double[,] Abs(double[,] a)
    {
        var r = (double[,])a.Clone();
        for (int i = 0; i < a.GetLength(0); i++) for (int j = 0; j < a.GetLength(1); j++) r[i, j] = Math.Abs(a[i, j]);
        return r;
    }

    private static double[] Apply(double[,] m, double[] x)
    {
        var y = new double[m.GetLength(0)];
        for (int i = 0; i < y.Length; i++) for (int j = 0; j < x.Length; j++) y[i] += m[i, j] * x[j];
        return y;
    }
}

/// <summary>Determinants and statistics in double, by the textbook methods.</summary>
public static class NaiveLinearAlgebra
{
    /// <summary>log |det A| by Gaussian elimination with partial pivoting; −∞ for a singular matrix.</summary>
    public static double LogAbsDeterminant(double[,] a)
    {
        int n = a.GetLength(0);
        var m = (double[,])a.Clone();
        double sum = 0;
        for (int k = 0; k < n; k++)
        {
            int p = k;
            for (int i = k + 1; i < n; i++) if (Math.Abs(m[i, k]) > Math.Abs(m[p, k])) p = i;
            if (m[p, k] == 0) return double.NegativeInfinity;
            if (p != k) for (int j = 0; j < n; j++) (m[k, j], m[p, j]) = (m[p, j], m[k, j]);
            sum += Math.Log(Math.Abs(m[k, k]));
            for (int i = k + 1; i < n; i++)
            {
                double f = m[i, k] / m[k, k];
                for (int j = k; j < n; j++) m[i, j] -= f * m[k, j];
            }
        }
        return sum;
    }

    /// <summary>½ log det(M Mᵀ): the log volume factor of a map with full row rank.</summary>
    public static double HalfLogDetGram(double[,] m) =>
        0.5 * LogAbsDeterminant(NaiveAffine.Multiply(m, NaiveAffine.Transpose(m)));

    /// <summary>Column means of rows given as floats.</summary>
    public static double[] Means(float[][] rows)
    {
        var mean = new double[rows[0].Length];
        foreach (float[] r in rows) for (int j = 0; j < mean.Length; j++) mean[j] += r[j];
        return mean.Select(s => s / rows.Length).ToArray();
    }

    /// <summary>The covariance with divisor N − 1 of rows given as doubles.</summary>
    public static double[,] Covariance(double[][] rows)
    {
        int n = rows.Length, d = rows[0].Length;
        var mean = new double[d];
        foreach (double[] r in rows) for (int j = 0; j < d; j++) mean[j] += r[j] / n;
        var c = new double[d, d];
        foreach (double[] r in rows)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) c[i, j] += (r[i] - mean[i]) * (r[j] - mean[j]);
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i, j] /= n - 1;
        return c;
    }
}
