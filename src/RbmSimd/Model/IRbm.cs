using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Model;

/// <summary>
/// The batch-level contract every model kind implements: conditionals and samples of either layer,
/// energy and free energy of a batch, and the log-likelihood gradient of a pair of phases, each (where it
/// applies) at an inverse temperature β. The trainer, the negative-phase strategies, the Gibbs chain, the
/// estimators, the monitors and the CLI work through it.
/// </summary>
/// <remarks>
/// Batches hold one example per row. Every operation writes into caller-provided storage and takes a
/// thread count (−1: all cores); results are the same bits for any thread count. Random draws come from
/// a <see cref="RandomStream"/> addressed by position: row r of a batch of width n uses positions
/// <c>r·n …</c> from the stream's current one, which then advances by <c>rows·n</c>. Models are not
/// thread-safe while their parameters are being changed.
/// </remarks>
public interface IRbm
{
    /// <summary>The model kind stored in files: <c>bernoulli</c>, <c>gaussian-bernoulli</c>, ….</summary>
    string Kind { get; }

    /// <summary>The kind of the visible units.</summary>
    VisibleUnitKind VisibleUnits { get; }

    /// <summary>nv, the number of visible units: the width of a visible row (for a conditional model, its generated units followed by its context).</summary>
    int VisibleCount { get; }

    /// <summary>
    /// nc, the context columns: the last nc columns of every visible row are a context that conditions the model and that
    /// it never generates (a conditional RBM, <see cref="ConditionalRbm"/>). The visible layer's means and samples read the
    /// context from their destination rows and leave it as it is, so a caller that runs a chain puts the context there first.
    /// 0 for the unconditional kinds.
    /// </summary>
    int ContextCount => 0;

    /// <summary>nh, the number of hidden units.</summary>
    int HiddenCount { get; }

    /// <summary>The parameters as named tensors (mutable in place).</summary>
    ParameterSet Parameters { get; }

    /// <summary>A deep copy.</summary>
    IRbm Clone();

    /// <summary>The hidden units' total inputs at inverse temperature β (what σ turns into P(h = 1 | v)).</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    void HiddenInputs(ReadOnlyMatrixView visible, MatrixView inputs, Temperature temperature, int maxDegreeOfParallelism = 1);

    /// <summary>P(h = 1 | v) for each row, at inverse temperature β.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    void MeanHiddens(ReadOnlyMatrixView visible, MatrixView hidden, Temperature temperature, int maxDegreeOfParallelism = 1);

    /// <summary>E[v | h] for each row, at inverse temperature β.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    void MeanVisibles(ReadOnlyMatrixView hidden, MatrixView visible, Temperature temperature, int maxDegreeOfParallelism = 1);

    /// <summary>Draws h ~ P(h | v) for each row.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    void SampleHiddens(ReadOnlyMatrixView visible, MatrixView hidden, ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1);

    /// <summary>Draws v ~ P(v | h) for each row.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    void SampleVisibles(ReadOnlyMatrixView hidden, MatrixView visible, ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1);

    /// <summary>Replaces hidden probabilities by Bernoulli draws, in place.</summary>
    void SampleHiddensFromMeans(MatrixView hidden, ref RandomStream random, int maxDegreeOfParallelism = 1);

    /// <summary>Replaces visible means by draws of the visible units, in place (the draws do not depend on β: a tempered Gaussian unit keeps its variance).</summary>
    void SampleVisiblesFromMeans(MatrixView visible, ref RandomStream random, int maxDegreeOfParallelism = 1);

    /// <summary>The energy E(v, h) of each row pair, accumulated in double.</summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the destination is too short.</exception>
    void Energy(ReadOnlyMatrixView visible, ReadOnlyMatrixView hidden, Span<double> energy);

    /// <summary>
    /// The free energy <c>F_β(v) = −log Σ_h exp(−(1 − β)E_base(v) − βE(v, h))</c> of each row, so that
    /// <c>P(v) = e^{−F(v)}/Z</c> at β = 1 (for Gaussian visibles, a density).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the destination is too short.</exception>
    void FreeEnergy(ReadOnlyMatrixView visible, Span<double> freeEnergy, Temperature temperature, int maxDegreeOfParallelism = 1);

    /// <summary>
    /// Turns hidden inputs (from <see cref="HiddenInputs"/> at any β) into P(h = 1 | v), in place: the hidden
    /// units' mean function, so a caller that needs both the inputs and the means computes one product.
    /// </summary>
    void HiddenMeansFromInputs(MatrixView inputs);

    /// <summary>
    /// <c>F_β(v)</c> of each row given its hidden inputs at the same β (from <see cref="HiddenInputs"/>): the
    /// visible terms minus the log of the hidden layer summed out, without a product.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the destination is too short.</exception>
    void FreeEnergyFromHiddenInputs(ReadOnlyMatrixView visible, ReadOnlyMatrixView hiddenInputs, Temperature temperature, Span<double> freeEnergy);

    /// <summary>
    /// The gradient of the mean log-likelihood estimated from a pair of phases: data statistics minus model
    /// statistics, written into <paramref name="gradient"/> (which has the layout of <see cref="Parameters"/>).
    /// May overwrite the phases' buffers.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or the gradient's layout do not match the model.</exception>
    void ComputeGradient(PhaseBatch phases, ParameterSet gradient, int maxDegreeOfParallelism = 1);

    /// <summary>Whether <paramref name="value"/> is a valid value of a visible unit (in [0, 1] for Bernoulli units, finite for Gaussian ones).</summary>
    bool IsValidVisibleValue(float value);

    /// <summary>
    /// log Z of the base model at β = 0 (see <see cref="Temperature"/>): no weights, zero hidden biases, and
    /// <paramref name="baseVisibleBias"/> as the visible biases (Bernoulli) or means (Gaussian, with the model's
    /// variances); empty means zeros. The annealing estimators start from it.
    /// </summary>
    /// <exception cref="ArgumentException">The bias has the wrong length.</exception>
    double BaseLogPartitionFunction(ReadOnlySpan<float> baseVisibleBias);

    /// <summary>
    /// The binary units an exact partition function enumerates (the smaller layer for Bernoulli visibles, the hidden layer
    /// otherwise); for units enumerated in groups with at most one on (pooling blocks), the bits of the states, rounded up.
    /// The enumeration visits at most 2 to this power states.
    /// </summary>
    int EnumeratedUnitCount { get; }

    /// <summary>The partition function as a sum over <see cref="EnumeratedUnitCount"/> binary units (see <see cref="EnumerationPlan"/>).</summary>
    EnumerationPlan CreateEnumerationPlan();

    /// <summary>
    /// Replaces each hidden unit's value of a per-unit statistic (one value per hidden unit) by its mean over the units that
    /// share the unit's parameters, and so one sparsity target: a convolutional model's detection map. By default every unit
    /// is its own group and the values stay as they are.
    /// </summary>
    /// <exception cref="ArgumentException">The span does not hold one value per hidden unit.</exception>
    void AverageOverSharedHiddenUnits(Span<float> perUnit)
    {
        if (perUnit.Length != HiddenCount) throw new ArgumentException($"Expected {HiddenCount} values but got {perUnit.Length}.", nameof(perUnit));
    }
}
