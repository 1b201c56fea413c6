using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Numerics;
using RbmSimd.Sampling;
using Xunit;

namespace RbmSimd.Tests.Monitoring;

/// <summary>
/// The prediction baselines and the prediction error: ridge regression against the normal equations solved naively (Gauss–
/// Jordan in double), the validation choice of λ, copying the last frame, and the error of a conditional model's predictions.
/// </summary>
public class PredictionBaselineTests
{
    private static Matrix Rows(int n, int nv, int nc, int seed, double noise = 0.1)
    {
        var random = new Random(seed);
        var truth = new double[nc, nv];
        for (int k = 0; k < nc; k++)
            for (int i = 0; i < nv; i++) truth[k, i] = random.NextDouble() * 2 - 1;
        var m = new Matrix(n, nv + nc);
        for (int r = 0; r < n; r++)
        {
            for (int k = 0; k < nc; k++) m[r, nv + k] = random.NextDouble() < 0.3 ? 0f : (float)(random.NextDouble() * 2 - 1);
            for (int i = 0; i < nv; i++)
            {
                double y = 0.3 + noise * (random.NextDouble() - 0.5);
                for (int k = 0; k < nc; k++) y += truth[k, i] * m[r, nv + k];
                m[r, i] = (float)y;
            }
        }
        return m;
    }

    /// <summary>W from (XᵀX/N + λI′)W = XᵀY/N by Gauss–Jordan elimination, X with a last column of ones not penalised.</summary>
    private static double[,] NaiveRidge(Matrix rows, int nv, double lambda)
    {
        int nc = rows.Cols - nv, p = nc + 1, n = rows.Rows;
        var a = new double[p, p + nv];
        for (int r = 0; r < n; r++)
        {
            double[] x = [.. rows.Row(r)[nv..].ToArray().Select(v => (double)v), 1];
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < p; j++) a[i, j] += x[i] * x[j] / n;
                for (int k = 0; k < nv; k++) a[i, p + k] += x[i] * rows[r, k] / n;
            }
        }
        for (int i = 0; i < nc; i++) a[i, i] += lambda;
        for (int col = 0; col < p; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < p; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (int j = 0; j < p + nv; j++) (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
            for (int r = 0; r < p; r++)
            {
                if (r == col) continue;
                double f = a[r, col] / a[col, col];
                for (int j = 0; j < p + nv; j++) a[r, j] -= f * a[col, j];
            }
        }
        var w = new double[p, nv];
        for (int i = 0; i < p; i++)
            for (int k = 0; k < nv; k++) w[i, k] = a[i, p + k] / a[i, i];
        return w;
    }

    // Kills: the intercept penalised, λ not scaled per row, the Cholesky solve transposed, the zero-skipping
    // accumulation dropping terms, the lower triangle read from the wrong half.
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    public void Ridge_MatchesTheNormalEquationsSolvedNaively(double lambda)
    {
        const int nv = 3, nc = 7;
        Matrix rows = Rows(300, nv, nc, 1);
        var ridge = RidgeAutoregression.Fit(new Dataset(rows), nv, [lambda], maxDegreeOfParallelism: 2);
        double[,] w = NaiveRidge(rows, nv, lambda);
        // Predictions are clamped to the range of the training frames, as documented.
        double min = double.MaxValue, max = double.MinValue;
        for (int r = 0; r < rows.Rows; r++)
            for (int i = 0; i < nv; i++) (min, max) = (Math.Min(min, rows[r, i]), Math.Max(max, rows[r, i]));
        var prediction = new double[nv];
        for (int r = 0; r < 20; r++)
        {
            ridge.Predict(rows.Row(r)[nv..], prediction);
            for (int i = 0; i < nv; i++)
            {
                double expected = w[nc, i];
                for (int k = 0; k < nc; k++) expected += w[k, i] * rows[r, nv + k];
                expected = Math.Clamp(expected, min, max);
                Assert.True(Math.Abs(expected - prediction[i]) < 1e-9 * (1 + Math.Abs(expected)), $"row {r} unit {i}: {expected} vs {prediction[i]}");
            }
        }
    }

    [Fact]
    public void Ridge_ChoosesTheLambdaWithTheLowestValidationError()
    {
        const int nv = 2, nc = 12;
        Matrix rows = Rows(60, nv, nc, 2, noise: 2);
        double[] lambdas = [0, 0.01, 0.1, 1, 10];
        var ridge = RidgeAutoregression.Fit(new Dataset(rows), nv, lambdas, validationFraction: 0.25);
        var fitRows = new Dataset(new Matrix(45, nv + nc, rows.AsSpan()[..(45 * (nv + nc))]));
        var validation = new Dataset(new Matrix(15, nv + nc, rows.AsSpan()[(45 * (nv + nc))..]));
        double[] errors = lambdas.Select(l => RidgeAutoregression.Fit(fitRows, nv, [l]).MeanSquaredError(validation)).ToArray();
        Assert.Equal(lambdas[Array.IndexOf(errors, errors.Min())], ridge.Lambda);
        Assert.Equal(errors.Min(), ridge.ValidationError, 12);
    }

    [Fact]
    public void Ridge_ClampsToTheRangeOfTheTrainingFrames()
    {
        var rows = new Matrix(4, 2, [0, 0, 1, 1, 0, 0, 1, 1]);
        var ridge = RidgeAutoregression.Fit(new Dataset(rows), 1, [0]);
        var p = new double[1];
        ridge.Predict([5f], p);
        Assert.Equal(1, p[0]);
        ridge.Predict([-5f], p);
        Assert.Equal(0, p[0]);
    }

    [Fact]
    public void CopyLastFrame_IsTheSquaredDistanceToTheContextsFirstFrame()
    {
        var rows = new Matrix(2, 6, [1, 2, 0, 0, 9, 9, 3, 3, 3, 1, 0, 0]);
        Assert.Equal(((1 + 4) + (0 + 4)) / 2.0, PredictionError.CopyLastFrame(new Dataset(rows), 2), 12);
        Assert.Throws<ArgumentException>(() => PredictionError.CopyLastFrame(new Dataset(rows), 4));
    }

    // Kills: the error averaged over units instead of summed per frame, the prediction compared with the context.
    [Fact]
    public void ModelPredictionError_IsTheMeanSquaredDistanceOfItsPredictions()
    {
        ConditionalRbm model = ConditionalRbm.CreateRandom(VisibleUnitKind.Bernoulli, 4, 8, 5, seed: 3, weightStdDev: 0.5f, historyLength: 2);
        var rows = new Matrix(300, 12);
        var random = new Random(4);
        for (int i = 0; i < rows.AsSpan().Length; i++) rows.AsSpan()[i] = random.NextDouble() < 0.4 ? 1f : 0f;
        var options = new PredictionOptions { GibbsSteps = 2 };
        double error = PredictionError.Mean(model, new Dataset(rows), options, seed: 1);
        Matrix predicted = rows.Clone();
        var stream = new RandomStream(1);
        ConditionalPrediction.Predict(model, predicted.AsView().SliceRows(0, 256), options, ref stream);
        ConditionalPrediction.Predict(model, predicted.AsView().SliceRows(256, 44), options, ref stream);
        double expected = 0;
        for (int r = 0; r < 300; r++)
            for (int i = 0; i < 4; i++) expected += Math.Pow(rows[r, i] - (double)predicted[r, i], 2);
        Assert.Equal(expected / 300, error, 10);
    }
}
