using RbmSimd.Numerics;

namespace RbmSimd.Training;

/// <summary>
/// Every buffer one training step needs, sized once for a model shape and batch size, so a step
/// allocates nothing.
/// </summary>
internal sealed class TrainingWorkspace
{
    public TrainingWorkspace(int visibleCount, int hiddenCount, int batchSize, bool persistent)
    {
        Batch = new Matrix(batchSize, visibleCount);
        PositiveHidden = new Matrix(batchSize, hiddenCount);
        ChainHidden = new Matrix(batchSize, hiddenCount);
        NegativeVisible = new Matrix(batchSize, visibleCount);
        NegativeHidden = new Matrix(batchSize, hiddenCount);
        Chains = persistent ? new Matrix(batchSize, visibleCount) : null;
        Gradient = new RbmGradient(visibleCount, hiddenCount);
        Velocity = new RbmGradient(visibleCount, hiddenCount);
        VisibleMean = new float[visibleCount];
        SparsityPenalty = new float[hiddenCount];
    }

    /// <summary>The minibatch rows, copied from the data in shuffled order.</summary>
    public Matrix Batch { get; }

    /// <summary>P(h | v⁰) of the batch (positive phase).</summary>
    public Matrix PositiveHidden { get; }

    /// <summary>The hidden sample driving the next visible sample of the negative chain.</summary>
    public Matrix ChainHidden { get; }

    /// <summary>The negative phase's visible sample vᵏ.</summary>
    public Matrix NegativeVisible { get; }

    /// <summary>P(h | vᵏ) (negative phase).</summary>
    public Matrix NegativeHidden { get; }

    /// <summary>The persistent chains' visible states (PCD only), one chain per batch row.</summary>
    public Matrix? Chains { get; }

    /// <summary>The last step's gradient of the mean log-likelihood (ascent direction).</summary>
    public RbmGradient Gradient { get; }

    /// <summary>The momentum buffers (the last parameter change).</summary>
    public RbmGradient Velocity { get; }

    /// <summary>Scratch: the batch mean of each visible unit.</summary>
    public float[] VisibleMean { get; }

    /// <summary>Scratch: <c>cost·(q − p)</c> per hidden unit.</summary>
    public float[] SparsityPenalty { get; }
}
