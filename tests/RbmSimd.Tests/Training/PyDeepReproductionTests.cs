using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Sampling;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// A published result reproduced (Melchior, Wang and Wiskott 2017, PyDeep's two-dimensional example): 100,000 points
/// mixing two independent unit-variance Laplacian sources with a random matrix, whitened, half for training; a
/// Gaussian–Bernoulli RBM with 4 hidden units trained by CD-1. PyDeep reports −2.7362 nats per point on the test
/// half, the true density about −2.693 and a single Gaussian −2.838. The test's generator knows the mixing, so the
/// true density's log-likelihood of the test points is exact; the model must come within 0.05 nats of it.
/// </summary>
public class PyDeepReproductionTests
{
    private sealed record Mixture(Matrix Train, Matrix Test, double TrueLogLikelihood, double GaussianLogLikelihood);

    /// <summary>The data: sources s ~ Laplace(0, 1/√2) (unit variance), x = A·s, ZCA-whitened with the training half's statistics.</summary>
    private static Mixture Generate(ulong seed)
    {
        var random = new RandomStream(seed);
        double Laplace()
        {
            double u = random.NextDouble() - 0.5; // inverse CDF of the Laplace distribution with scale b = 1/√2
            return -Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u)) / Math.Sqrt(2);
        }
        double[,] a = { { 2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1 }, { 2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1 } };
        const int N = 100_000, Half = N / 2;
        var x = new Matrix(N, 2);
        var sources = new double[N, 2];
        for (int i = 0; i < N; i++)
        {
            sources[i, 0] = Laplace();
            sources[i, 1] = Laplace();
            x[i, 0] = (float)(a[0, 0] * sources[i, 0] + a[0, 1] * sources[i, 1]);
            x[i, 1] = (float)(a[1, 0] * sources[i, 0] + a[1, 1] * sources[i, 1]);
        }
        var trainX = new Matrix(Half, 2);
        var testX = new Matrix(Half, 2);
        for (int i = 0; i < Half; i++)
        {
            x.Row(i).CopyTo(trainX.Row(i));
            x.Row(Half + i).CopyTo(testX.Row(i));
        }
        ZcaWhitening zca = ZcaWhitening.Fit(new Dataset(trainX), 0);
        var train = new Matrix(Half, 2);
        var test = new Matrix(Half, 2);
        zca.Forward(trainX, train);
        zca.Forward(testX, test);

        // log p_y(y) = log p_s(s) − log|det A| − log|det M| for y = M(x − μ), x = A·s; log p_s = Σ (−log(2b) − |sᵢ|/b), b = 1/√2.
        double logDetA = Math.Log(Math.Abs(a[0, 0] * a[1, 1] - a[0, 1] * a[1, 0]));
        double truth = 0, gaussian = 0;
        for (int i = Half; i < N; i++)
            truth += -2 * Math.Log(Math.Sqrt(2)) - Math.Sqrt(2) * (Math.Abs(sources[i, 0]) + Math.Abs(sources[i, 1]));
        truth = truth / Half - logDetA - zca.LogJacobian;
        // The whitened training rows have identity covariance and zero mean: the fitted Gaussian is N(0, I).
        for (int i = 0; i < Half; i++) gaussian += -Math.Log(2 * Math.PI) - 0.5 * (test[i, 0] * test[i, 0] + test[i, 1] * test[i, 1]);
        return new Mixture(train, test, truth, gaussian / Half);
    }

    private static double TrainAndScore(Mixture data, TrainingOptions options, ulong seed)
    {
        var rbm = GaussianBernoulliRbm.CreateRandom(2, 4, seed, new Dataset(data.Train));
        new RbmTrainer(rbm, options with { Seed = seed, ExactLogLikelihoodMaxUnits = 0, MonitorRows = 1 }).Train(new Dataset(data.Train));
        double logZ = ExactPartitionFunction.LogPartitionFunction(rbm);
        return ExactPartitionFunction.AverageLogLikelihood(rbm, data.Test, logZ);
    }

    [Fact]
    public void PyDeepProtocol_ComesWithinFiveHundredthsOfANatOfTheTrueDensity()
    {
        // PyDeep's protocol: CD-1, minibatches of 1,000, 50 epochs; with this library's initialisation (Glorot
        // weights in ± pairs, hidden biases giving each component weight 0.1), learning rate 1 falling linearly to 0.
        Mixture data = Generate(seed: 2017);
        Assert.InRange(data.TrueLogLikelihood, -2.75, -2.64); // the generator is right: about −2.693 nats
        Assert.InRange(data.GaussianLogLikelihood, -2.86, -2.82); // a single Gaussian: about −2.838
        double ll = TrainAndScore(data, new TrainingOptions
        {
            Epochs = 50, BatchSize = 1000, LearningRate = 1f, LogVarianceLearningRate = 0.1f,
            InitialMomentum = 0.5f, FinalMomentum = 0.5f, LearningRateDecayEpochs = 50, FinalLearningRateFactor = 0f,
        }, seed: 1);
        Assert.True(ll >= data.TrueLogLikelihood - 0.05, $"test log-likelihood {ll}, true density {data.TrueLogLikelihood}, Gaussian {data.GaussianLogLikelihood}");
    }

    [Fact]
    public void CliDefaults_ComeWithinFiveHundredthsOfANatToo()
    {
        // rbm train --visible gaussian's defaults (KindDefaults.Gaussian) on the same data.
        var d = RbmSimd.Cli.Commands.KindDefaults.Gaussian;
        Mixture data = Generate(seed: 2017);
        double ll = TrainAndScore(data, new TrainingOptions
        {
            Epochs = d.Epochs, BatchSize = d.BatchSize, LearningRate = d.LearningRate, LogVarianceLearningRate = d.LearningRate / 10,
            InitialMomentum = d.Momentum, FinalMomentum = d.FinalMomentum, WeightDecay = d.WeightDecay, LearningRateDecayEpochs = d.LearningRateDecayEpochs, FinalLearningRateFactor = 0.1f,
        }, seed: 3);
        Assert.True(ll >= data.TrueLogLikelihood - 0.05, $"test log-likelihood {ll}, true density {data.TrueLogLikelihood}");
    }

    [Fact]
    public void TinyInitialWeights_StayAtTheGaussian()
    {
        // The failure the defaults avoid: from weights of 0.01 and zero hidden biases CD-1 stays on the plateau of
        // the single Gaussian.
        Mixture data = Generate(seed: 2017);
        var rbm = GaussianBernoulliRbm.CreateRandom(2, 4, 1, new Dataset(data.Train),
            new GaussianBernoulliInitialization { WeightStdDev = 0.01f, PairedWeights = false, ComponentWeight = null });
        new RbmTrainer(rbm, new TrainingOptions { Epochs = 20, BatchSize = 1000, LearningRate = 0.1f, LogVarianceLearningRate = 0.01f, Seed = 1,
            ExactLogLikelihoodMaxUnits = 0, MonitorRows = 1 }).Train(new Dataset(data.Train));
        double ll = ExactPartitionFunction.AverageLogLikelihood(rbm, data.Test, ExactPartitionFunction.LogPartitionFunction(rbm));
        Assert.True(Math.Abs(ll - data.GaussianLogLikelihood) < 0.02, $"test log-likelihood {ll}, Gaussian {data.GaussianLogLikelihood}");
    }
}
