using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Tests.Reference;
using RbmSimd.Tests.TestUtilities;

namespace RbmSimd.Tests.Preprocessing;

/// <summary>Forward and inverse maps of every kind against the explicit double reference built from the stored arrays.</summary>
public class TransformAccuracyTests
{
    private static Matrix Forward(Transform t, Matrix x)
    {
        var y = new Matrix(x.Rows, t.OutputCount);
        t.Forward(x, y);
        return y;
    }

    private static Matrix Inverse(Transform t, Matrix y)
    {
        var x = new Matrix(y.Rows, t.InputCount);
        t.Inverse(y, x);
        return x;
    }

    [Property(Arbitrary = [typeof(TransformCases)], MaxTest = 120)]
    public Property Forward_MatchesExplicitAffineMap(TransformCase c)
    {
        Transform t = c.Fit();
        var reference = NaiveAffine.FromArrays(t.ToArrays());
        Matrix x = c.Fresh(7);
        Matrix y = Forward(t, x);
        bool ok = true;
        for (int r = 0; r < x.Rows; r++)
        {
            double[] expected = reference.Forward(x.Row(r)), terms = reference.ForwardTerms(x.Row(r));
            for (int j = 0; j < t.OutputCount; j++)
                ok &= Math.Abs(y[r, j] - expected[j]) <= TransformTolerance.Bound(expected[j], terms[j], TransformTolerance.Width(t), TransformTolerance.Steps(t));
        }
        return ok.Classify(c.Cols % 8 != 0, "ragged").Classify(t.OutputCount < t.InputCount, "drops directions").Classify(c.Exponent != 0, "extreme scale");
    }

    [Property(Arbitrary = [typeof(TransformCases)], MaxTest = 120)]
    public Property Inverse_MatchesExplicitPseudoInverse(TransformCase c)
    {
        Transform t = c.Fit();
        var reference = NaiveAffine.FromArrays(t.ToArrays());
        Matrix y = Forward(t, c.Fresh(7));
        Matrix x = Inverse(t, y);
        bool ok = true;
        for (int r = 0; r < y.Rows; r++)
        {
            double[] expected = reference.Inverse(y.Row(r)), terms = reference.InverseTerms(y.Row(r));
            for (int i = 0; i < t.InputCount; i++)
                ok &= Math.Abs(x[r, i] - expected[i]) <= TransformTolerance.Bound(expected[i], terms[i], TransformTolerance.Width(t), TransformTolerance.Steps(t));
        }
        return ok.Classify(t.OutputCount < t.InputCount, "drops directions");
    }

    [Property(Arbitrary = [typeof(TransformCases)], MaxTest = 120)]
    public Property ForwardThenInverse_GivesThePointOfTheKeptSubspace(TransformCase c)
    {
        // Exact arithmetic with the stored parameters would give reference.Kept(x): x itself for a full-rank
        // transform, its projection for a projecting one. The float result differs by the rounding of y (u·|y|,
        // carried back by |pinv|), the rounding of x, and double arithmetic.
        Transform t = c.Fit();
        var reference = NaiveAffine.FromArrays(t.ToArrays());
        Matrix x = c.Fresh(5);
        Matrix y = Forward(t, x);
        Matrix back = Inverse(t, y);
        bool ok = true;
        for (int r = 0; r < x.Rows; r++)
        {
            double[] kept = reference.Kept(x.Row(r));
            double[] yExact = reference.Forward(x.Row(r)), yTerms = reference.ForwardTerms(x.Row(r));
            var yError = new float[t.OutputCount];
            for (int j = 0; j < yError.Length; j++)
                yError[j] = (float)TransformTolerance.Bound(yExact[j], yTerms[j], TransformTolerance.Width(t), TransformTolerance.Steps(t));
            double[] carried = reference.InverseTerms(yError); // |C| + |pinv|·δy
            double[] terms = reference.InverseTerms(y.Row(r));
            for (int i = 0; i < t.InputCount; i++)
            {
                double bound = carried[i] - reference.AbsC[i] + TransformTolerance.Bound(kept[i], terms[i], TransformTolerance.Width(t), TransformTolerance.Steps(t));
                ok &= Math.Abs(back[r, i] - kept[i]) <= bound;
            }
        }
        return ok.Classify(t.OutputCount < t.InputCount, "drops directions");
    }

    [Property(Arbitrary = [typeof(TransformCases)], MaxTest = 60)]
    public Property StoredParameters_AreANearlyExactInversePair_OnTheKeptSubspace(TransformCase c)
    {
        // The kept point must be x itself where nothing is discarded, and x minus its discarded part otherwise.
        // Rounding the fitted parameters to float perturbs the pair by about 2⁻²⁴ per factor; amplified by the
        // condition of the map (largest over smallest scale) and summed over at most D² terms.
        Transform t = c.Fit();
        var reference = NaiveAffine.FromArrays(t.ToArrays());
        double condition = Condition(reference);
        Matrix x = c.Fresh(5);
        bool ok = true;
        for (int r = 0; r < x.Rows; r++)
        {
            double[] kept = reference.Kept(x.Row(r));
            double[] expected = ExpectedKept(c, t, x.Row(r));
            double size = x.Row(r).ToArray().Max(v => Math.Abs((double)v)) + Math.Pow(10, c.Exponent);
            double bound = 8 * c.Cols * c.Cols * Tolerance.FloatEpsilon * condition * size + 1e-6 * DroppedSpread(c) * size;
            for (int i = 0; i < t.InputCount; i++) ok &= Math.Abs(kept[i] - expected[i]) <= bound;
        }
        return ok.Classify(t.OutputCount < t.InputCount, "drops directions");
    }

    /// <summary>
    /// Where x should land: itself for full-rank kinds; its row-centred version when a row-centering step is
    /// present; for dropping PCA on low-rank data (which lies in the kept subspace up to float rounding of the
    /// data), itself.
    /// </summary>
    private static double[] ExpectedKept(TransformCase c, Transform t, ReadOnlySpan<float> x)
    {
        double[] v = x.ToArray().Select(f => (double)f).ToArray();
        bool centres = c.Kind is TransformKind.RowCentering or TransformKind.ScaleCenterPca or TransformKind.ScaleCenterZca;
        if (centres)
        {
            double mean = v.Average();
            for (int i = 0; i < v.Length; i++) v[i] -= mean;
        }
        return v;
    }

    /// <summary>Data confined to a subspace still has float-rounding noise off it (relative 2⁻²⁴), which PCA discards.</summary>
    private static double DroppedSpread(TransformCase c) => c.Rank < c.Cols || c.Kind is TransformKind.ScaleCenterPca ? 1 : 0;

    private static double Condition(NaiveAffine reference)
    {
        // max over min row norm of M, a cheap stand-in for σ_max/σ_min that is exact for the diagonal-times-orthonormal maps here.
        var norms = Enumerable.Range(0, reference.Outputs)
            .Select(i => Math.Sqrt(Enumerable.Range(0, reference.Inputs).Sum(j => reference.M[i, j] * reference.M[i, j]))).ToArray();
        double min = norms.Where(n => n > 0).DefaultIfEmpty(1).Min();
        return norms.Max() / min;
    }
}
