using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Training;
using Xunit;

namespace RbmSimd.Tests.Training;

/// <summary>
/// Learning that can fail: a conditional RBM trained by CD-1 predicts the next frame of held-out sequences better than
/// copying the last frame and than a ridge autoregression on the same history (fitted in double, its λ chosen on validation
/// rows), and, on the walker's motion, better than the same RBM without its context. Small generated sets keep CI quick;
/// docs/conditional.md has the full-size measurements.
/// </summary>
public class ConditionalLearningTests
{
    /// <summary>
    /// One ball on 20 × 20 frames moving 2 pixels a frame: where a ball goes next depends on where it was in both frames of the
    /// history (an AND of pixels), which hidden units can detect and a linear map of the history cannot.
    /// </summary>
    // Kills: the context weights not learned (the model would do no better than reconstructing the last frame), the
    // prediction starting anywhere but the last frame, the visible context term left out of the means.
    [Fact]
    public void BouncingBalls_PredictionBeatsCopyingTheLastFrameAndRidgeAutoregression()
    {
        var options = new BouncingBallsOptions { Balls = 1, Size = 20, Speed = 1.0 };
        SequenceContextRows train = BouncingBalls.Generate(100, 100, 1, options).ContextRows(2);
        SequenceContextRows test = BouncingBalls.Generate(20, 100, 2, options).ContextRows(2);
        ConditionalRbm model = ConditionalRbm.CreateRandom(VisibleUnitKind.Bernoulli, 400, 800, 200, seed: 1, train, historyLength: 2);
        new RbmTrainer(model, new TrainingOptions
        {
            Epochs = 15, BatchSize = 50, LearningRate = 0.01f, InitialMomentum = 0.5f, FinalMomentum = 0.9f, MomentumSwitchEpoch = 2, WeightDecay = 2e-4f,
            ContextWeightDecay = 2e-4f, LearningRateDecayEpochs = 15, MonitorRows = 100, MonitorRandomRows = 0, Seed = 1,
        }).Train(train);

        double crbm = PredictionError.Mean(model, test, new PredictionOptions(), seed: 1);
        double copyLast = PredictionError.CopyLastFrame(test, 400);
        double ar = RidgeAutoregression.Fit(train, 400).MeanSquaredError(test);
        Assert.True(crbm < 0.8 * ar, $"CRBM {crbm:F3} vs ridge AR(2) {ar:F3}: not 20 % better");
        Assert.True(crbm < 0.5 * copyLast, $"CRBM {crbm:F3} vs copying the last frame {copyLast:F3}: not twice as good");
    }

    /// <summary>
    /// The walker's 12 joint angles (standardised on the training frames): the Gaussian CRBM with learned variances against the
    /// ridge AR(3) and against the same model with its context weights held at 0 (the unconditional RBM of the frames, which
    /// can only reconstruct the last frame).
    /// </summary>
    // Kills: the Gaussian units' dynamic biases or their gradient corrections wrong (the context is then learned badly),
    // the context product missing from the hidden inputs.
    [Fact]
    public void Motion_PredictionBeatsTheUnconditionalRbmAndRidgeAutoregression()
    {
        SequenceSet all = WalkerMotion.Generate(40, 200, 1), held = WalkerMotion.Generate(10, 200, 2);
        Standardization standardize = Standardization.Fit(all.Frames, 0.01);
        SequenceSet Standardized(SequenceSet s)
        {
            Matrix frames = new(s.TotalFrames, 12), mapped = new(s.TotalFrames, 12);
            for (int r = 0; r < s.TotalFrames; r++) s.Frames.CopyRow(r, frames.Row(r));
            standardize.Forward(frames, mapped);
            return s.WithFrames(new Dataset(mapped));
        }
        SequenceContextRows train = Standardized(all).ContextRows(3), test = Standardized(held).ContextRows(3);
        double Trained(bool conditional)
        {
            ConditionalRbm model = ConditionalRbm.CreateRandom(VisibleUnitKind.Gaussian, 12, 36, 100, seed: 1, train, historyLength: 3);
            if (!conditional)
                foreach (Parameter p in model.Parameters)
                    if (p.Group == ParameterGroup.ContextWeights) p.Span.Clear();
            new RbmTrainer(model, new TrainingOptions
            {
                Epochs = 200, BatchSize = 100, LearningRate = 0.002f, LogVarianceLearningRate = 0.001f, MinVisibleStandardDeviation = 0.05f,
                InitialMomentum = 0.5f, FinalMomentum = 0.5f, WeightDecay = 2e-4f, ContextWeightDecay = 2e-4f, LearningRateDecayEpochs = 200,
                ContextLearningRateScale = conditional ? 1 : 0, MonitorRows = 100, MonitorRandomRows = 0, Seed = 1,
            }).Train(train);
            return PredictionError.Mean(model, test, new PredictionOptions(), seed: 1);
        }
        double crbm = Trained(conditional: true), rbm = Trained(conditional: false);
        double ar = RidgeAutoregression.Fit(train, 12).MeanSquaredError(test);
        double copyLast = PredictionError.CopyLastFrame(test, 12);
        Assert.True(crbm < 0.9 * ar, $"CRBM {crbm:F4} vs ridge AR(3) {ar:F4}: not 10 % better");
        Assert.True(crbm < 0.5 * rbm, $"CRBM {crbm:F4} vs the unconditional RBM {rbm:F4}: not twice as good");
        Assert.True(crbm < 0.1 * copyLast, $"CRBM {crbm:F4} vs copying the last frame {copyLast:F4}");
    }

    /// <summary>
    /// The shipped digits with their one-hot class as the context: chains run given class c (from random coin flips) draw
    /// digits whose mean is nearer the data's mean digit of class c than any other class's, for at least 9 of the 10 classes.
    /// </summary>
    // Kills: the class context ignored by the visible or hidden layer (every class would draw the same digits), the chains
    // given a context other than their own.
    [Fact]
    public void Digits_GivenTheirClass_DrawThatClass()
    {
        Dataset digits = Digits.Load();
        var rows = new LabelContextRows(digits, digits.Labels, 10);
        ConditionalRbm model = ConditionalRbm.CreateRandom(VisibleUnitKind.Bernoulli, 64, 10, 50, seed: 1, rows);
        new RbmTrainer(model, new TrainingOptions
        {
            Epochs = 20, BatchSize = 10, LearningRate = 0.05f, WeightDecay = 1e-4f, ContextWeightDecay = 1e-4f, LearningRateDecayEpochs = 20,
            MonitorRows = 100, MonitorRandomRows = 0, Seed = 1,
        }).Train(rows);

        var dataMeans = new double[10, 64];
        var counts = new int[10];
        for (int r = 0; r < digits.Count; r++)
        {
            counts[digits.Labels[r]]++;
            for (int i = 0; i < 64; i++) dataMeans[digits.Labels[r], i] += digits.Features[r, i];
        }
        int right = 0;
        const int Chains = 50;
        var random = new RbmSimd.Sampling.RandomStream(2);
        for (int c = 0; c < 10; c++)
        {
            var chains = new Matrix(Chains, 74);
            for (int k = 0; k < Chains; k++)
            {
                for (int i = 0; i < 64; i++) chains[k, i] = random.NextSingle() < 0.5f ? 1f : 0f;
                LabelContextRows.OneHot(c, chains.Row(k)[64..]);
            }
            var hidden = new Matrix(Chains, 50);
            var means = new Matrix(Chains, 74);
            GibbsChain.FromVisible(model, chains, hidden, means, 200, ref random, Temperature.One);
            var sampleMean = new double[64];
            for (int k = 0; k < Chains; k++)
                for (int i = 0; i < 64; i++) sampleMean[i] += means[k, i] / Chains;
            int nearest = Enumerable.Range(0, 10).MinBy(d => Enumerable.Range(0, 64).Sum(i => Math.Pow(sampleMean[i] - dataMeans[d, i] / counts[d], 2)));
            if (nearest == c) right++;
        }
        Assert.True(right >= 9, $"only {right} of 10 classes draw digits nearest their own class's mean");
    }
}
