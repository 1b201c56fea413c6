namespace RbmSimd.Cli.Commands;

/// <summary>The defaults of the training options whose default depends on the visible units (<c>--visible</c>) or the model kind (<c>--model</c>).</summary>
internal sealed record KindDefaults(int Hidden, int Epochs, int BatchSize, float LearningRate, float Momentum, float FinalMomentum,
    float WeightDecay, int LearningRateDecayEpochs)
{
    /// <summary>Bernoulli units: CD-1 settings that learn the shipped digits (checked by a test).</summary>
    public static readonly KindDefaults Bernoulli = new(Hidden: 20, Epochs: 30, BatchSize: 10, LearningRate: 0.05f, Momentum: 0.5f, FinalMomentum: 0.9f,
        WeightDecay: 1e-4f, LearningRateDecayEpochs: 30);

    /// <summary>Gaussian units: settings that take whitened natural patches well past a Gaussian (checked by a test).</summary>
    public static readonly KindDefaults Gaussian = new(Hidden: 16, Epochs: 60, BatchSize: 100, LearningRate: 0.2f, Momentum: 0.5f, FinalMomentum: 0.5f,
        WeightDecay: 0f, LearningRateDecayEpochs: 60);

    /// <summary>
    /// Convolutional models (either units): their gradients sum over every position that shares a filter, so the step is
    /// smaller than a dense model's (DLL's and torch_convrbm.py's 0.01, minibatches of 64, momentum 0.5 throughout).
    /// </summary>
    public static readonly KindDefaults Convolutional = new(Hidden: 0, Epochs: 10, BatchSize: 64, LearningRate: 0.01f, Momentum: 0.5f, FinalMomentum: 0.5f,
        WeightDecay: 0f, LearningRateDecayEpochs: 10);

    /// <summary>
    /// The final momentum with persistent chains (PCD, parallel tempering) when not given: the chains follow the parameters
    /// only as fast as they mix, and momentum 0.9 on top of that makes the log-likelihood swing (measured on the digits).
    /// </summary>
    public const float PersistentFinalMomentum = 0.5f;
}
