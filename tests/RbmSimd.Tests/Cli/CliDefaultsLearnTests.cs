using System.Text.Json;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Persistence;
using RbmSimd.Preprocessing;
using RbmSimd.Tests.IO;
using Xunit;

namespace RbmSimd.Tests.Cli;

/// <summary>
/// The defaults of <c>rbm train</c> learn on the data they are documented for, judged against baselines computed here
/// from the same data: the digits beat a model of independent pixels, and Gaussian units on the natural patches beat
/// a full-covariance Gaussian by more than a nat.
/// </summary>
[Collection("Console")]
public class CliDefaultsLearnTests
{
    [Fact]
    public void Train_WithNoOptions_BeatsIndependentPixels_AndLogzAndScoreWork()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        var (code, stdout, stderr) = CliRunner.Run("train", "--output", run);
        Assert.True(code == 0, stderr);
        string model = Path.Combine(run, "model.npz");
        // The documented next commands work on what the first one produced.
        (code, string logz, stderr) = CliRunner.Run("logz", model, "--exact", "--json");
        Assert.True(code == 0, stderr);
        double logZ = JsonDocument.Parse(logz).RootElement.GetProperty("logz").GetDouble();

        // The run trains on the digits' grey levels as probabilities and holds out 10% (seed 1). The curves' log-likelihood
        // of such rows is −F(v) − log Z, which for the model without weights is Σᵢ vᵢ log pᵢ + (1 − vᵢ) log(1 − pᵢ): the
        // baseline of independent pixels with the training rows' means.
        (Dataset train, Dataset held) = Digits.Load().Split(0.1, seed: 1);
        var rbm = ModelFile.Load<BernoulliRbm>(model);
        Assert.Equal(ExactPartitionFunction.LogPartitionFunction(rbm), logZ, 9);
        double ll = ExactPartitionFunction.AverageLogLikelihood(rbm, held.Features, logZ);
        double[] p = ColumnStatistics.Means(train);
        double independent = 0;
        for (int r = 0; r < held.Count; r++)
            for (int i = 0; i < 64; i++)
            {
                double q = Math.Clamp(p[i], 1e-3, 1 - 1e-3);
                independent += held.Features[r, i] * Math.Log(q) + (1 - held.Features[r, i]) * Math.Log(1 - q);
            }
        independent /= held.Count;
        // Measured: 3.2 nats above the baseline; a model that had not learned would sit at it (its weights start at 0.01).
        Assert.True(ll > independent + 2, $"held-out log-likelihood {ll}, independent pixels {independent}");
        Assert.Contains("logL(held)", stdout);
    }

    [Fact]
    public void TrainGaussian_OnPatches_WithDefaults_IsMoreThanANatAboveAFullCovarianceGaussian()
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        var (code, _, stderr) = CliRunner.Run("train", "--data", "patches", "--visible", "gaussian", "--output", run);
        Assert.True(code == 0, stderr);
        (IRbm model, Transform? transform) = ModelFile.LoadWithTransform(Path.Combine(run, "model.npz"));
        Assert.NotNull(transform);
        Assert.Equal(16, model.HiddenCount);
        (Dataset train, Dataset test) = NaturalPatches.Load();
        Matrix Map(Dataset d)
        {
            var m = new Matrix(d.Count, transform.OutputCount);
            transform.Forward(d.Features, m);
            return m;
        }
        Matrix tr = Map(train), te = Map(test);
        double ll = ExactPartitionFunction.AverageLogLikelihood(model, te, ExactPartitionFunction.LogPartitionFunction(model));
        double gaussian = GaussianLogLikelihood(tr, te);
        Assert.True(ll >= gaussian + 1, $"test log-likelihood {ll}, full-covariance Gaussian {gaussian}");
    }

    /// <summary>The mean log-density of <paramref name="test"/> under the full-covariance Gaussian fitted to <paramref name="train"/> (covariance divisor N − 1), in double.</summary>
    internal static double GaussianLogLikelihood(Matrix train, Matrix test)
    {
        int d = train.Cols, n = train.Rows;
        var mean = new double[d];
        for (int r = 0; r < n; r++) for (int i = 0; i < d; i++) mean[i] += train[r, i];
        for (int i = 0; i < d; i++) mean[i] /= n;
        var c = new double[d * d];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++)
            {
                double di = train[r, i] - mean[i];
                for (int j = 0; j <= i; j++) c[i * d + j] += di * (train[r, j] - mean[j]);
            }
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++) c[j * d + i] = c[i * d + j] /= n - 1;
        SymmetricEigen eigen = SymmetricEigen.Decompose(c, d);
        double logDet = 0;
        for (int k = 0; k < d; k++) logDet += Math.Log(eigen.Values[k]);
        double total = 0;
        for (int r = 0; r < test.Rows; r++)
        {
            double mahalanobis = 0;
            for (int k = 0; k < d; k++)
            {
                ReadOnlySpan<double> u = eigen.Vector(k);
                double proj = 0;
                for (int i = 0; i < d; i++) proj += u[i] * (test[r, i] - mean[i]);
                mahalanobis += proj * proj / eigen.Values[k];
            }
            total += -0.5 * (mahalanobis + logDet + d * Math.Log(2 * Math.PI));
        }
        return total / test.Rows;
    }
}
