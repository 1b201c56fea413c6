using RbmSimd.Numerics;

namespace RbmSimd.Model;

/// <summary>
/// A model whose hidden units are grouped into pooling units, and whose pooling units (not its hidden units) are what a
/// layer above sees and what features are made of: the convolutional RBM with probabilistic max-pooling.
/// </summary>
public interface IPooledRbm : IRbm
{
    /// <summary>The pooling units (one per block of hidden units).</summary>
    int PooledCount { get; }

    /// <summary><c>P(pooling unit on | v)</c> for each row: the sum of its block's <c>P(h = 1 | v)</c>.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    void MeanPooled(ReadOnlyMatrixView visible, MatrixView pooled, int maxDegreeOfParallelism = 1);

    /// <summary>
    /// The hidden units' expected states given the pooling units' states (or probabilities) alone: a pooling unit that is on
    /// switches on one unit of its block, each equally likely (they share one bias), so each unit gets a p²-th of its pooling
    /// unit. The downward pass of a network generates through it.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    void HiddenFromPooled(ReadOnlyMatrixView pooled, MatrixView hidden);
}
