namespace RbmSimd.Training;

/// <summary>Thrown when training drives a parameter to NaN or ∞ (usually a learning rate too high).</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the epoch (counted from 1) in which training diverged.</summary>
    public TrainingDivergedException(int epoch)
        : base($"Training diverged in epoch {epoch}: a parameter became NaN or infinite. Lower the learning rate.")
    {
        Epoch = epoch;
    }

    /// <summary>The epoch, counted from 1, in which a parameter stopped being finite.</summary>
    public int Epoch { get; }
}
