using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Training;

/// <summary>
/// How a training step draws the model's samples for the negative phase: contrastive divergence restarts
/// chains at the data, persistent contrastive divergence continues its own chains, and tempered strategies
/// may add replicas. The trainer calls <see cref="Run"/> once per step.
/// </summary>
public interface INegativePhase
{
    /// <summary>The number of negative-phase rows (chains) a batch of <paramref name="batchRows"/> rows uses.</summary>
    int ChainCount(int batchRows);

    /// <summary>
    /// Fills the model rows of <paramref name="phases"/>: <c>Vᵏ</c> and <c>Hᵏ = P(h | Vᵏ)</c>, given the data rows
    /// (<c>V⁰</c> and <c>H⁰ = P(h | V⁰)</c>).
    /// </summary>
    /// <param name="model">The model being trained.</param>
    /// <param name="phases">The stacked phases; the data rows are read, the model rows written.</param>
    /// <param name="chainHidden">Scratch with one row of hidden units per chain.</param>
    /// <param name="random">The step's random stream; advanced past the draws.</param>
    /// <param name="maxDegreeOfParallelism">Threads; the result is the same for any value.</param>
    void Run(IRbm model, PhaseBatch phases, MatrixView chainHidden, ref RandomStream random, int maxDegreeOfParallelism);

    /// <summary>The persistent state to keep in a checkpoint (one row per chain), or null when there is none.</summary>
    Matrix? SaveState();

    /// <summary>
    /// For tempered strategies, the fraction of swaps accepted between each neighbouring pair of replicas since
    /// the last call (the counts then restart); empty for the others.
    /// </summary>
    IReadOnlyList<double> TakeSwapAcceptanceRates() => [];

    /// <summary>Restores state saved by <see cref="SaveState"/>.</summary>
    /// <exception cref="ArgumentException">The state's shape does not fit.</exception>
    void RestoreState(Matrix state);
}
