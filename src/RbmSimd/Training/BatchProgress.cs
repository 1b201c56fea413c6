namespace RbmSimd.Training;

/// <summary>Where training is after a minibatch, for progress displays.</summary>
/// <param name="Epoch">The epoch in progress, counted from 1.</param>
/// <param name="Batch">The minibatch just finished, counted from 1.</param>
/// <param name="Batches">Minibatches per epoch.</param>
/// <param name="Rows">Rows of this epoch trained so far.</param>
/// <param name="Seconds">Seconds since this epoch (or its resumed part) started.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches, int Rows, double Seconds);
