using System.Buffers;
using System.Numerics.Tensors;
using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Model;

/// <summary>
/// The part every fully connected RBM shares: a weight matrix W (nv×nh, row-major) coupling nv visible
/// units to nh binary hidden units, visible biases a and hidden biases b, and the packed-GEMM products
/// that compute both layers' inputs. The visible units are what the concrete kinds change
/// (<see cref="BernoulliRbm"/>, <see cref="GaussianBernoulliRbm"/>).
/// </summary>
/// <remarks>
/// <para>The hidden inputs are <c>β·(b + x·W)</c>, where x is what the visible units present to the
/// weights (v itself, or v/σ for Gaussian units); the visible layer turns <c>h·Wᵀ</c> into its means.
/// At β = 1 the bias add and the sigmoid run fused into the GEMM's write-back, and binary inputs with few
/// ones take the set-bit product.</para>
/// <para>Every operation splits its work into fixed blocks (columns of the product, rows of a sample),
/// and random draws are addressed by position, so results are the same bits for any thread count.
/// Scratch space is rented from <see cref="ArrayPool{T}.Shared"/>; nothing is allocated per call in a
/// steady state.</para>
/// </remarks>
public abstract class DenseRbm : IRbm
{
    /// <summary>File name of W.</summary>
    public const string WeightsName = "W";

    /// <summary>File name of a.</summary>
    public const string VisibleBiasName = "visible_bias";

    /// <summary>File name of b.</summary>
    public const string HiddenBiasName = "hidden_bias";

    private const int FreeEnergyChunkRows = 64;

    private readonly Parameter _weights, _visibleBias, _hiddenBias;

    /// <summary>Creates a zero model with W, a, b and the kind's own tensors.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, or W would exceed the largest array.</exception>
    private protected DenseRbm(int visibleCount, int hiddenCount, params Parameter[] extra)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(visibleCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenCount);
        if ((long)visibleCount * hiddenCount > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(hiddenCount), $"A {visibleCount}x{hiddenCount} weight matrix exceeds the largest array .NET can hold.");
        VisibleCount = visibleCount;
        HiddenCount = hiddenCount;
        _weights = new Parameter(WeightsName, ParameterGroup.Weights, visibleCount, hiddenCount);
        _visibleBias = new Parameter(VisibleBiasName, ParameterGroup.Biases, visibleCount);
        _hiddenBias = new Parameter(HiddenBiasName, ParameterGroup.Biases, hiddenCount);
        Parameters = new ParameterSet([_weights, _visibleBias, _hiddenBias, .. extra]);
    }

    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public abstract VisibleUnitKind VisibleUnits { get; }

    /// <inheritdoc/>
    public int VisibleCount { get; }

    /// <inheritdoc/>
    public int HiddenCount { get; }

    /// <inheritdoc/>
    public ParameterSet Parameters { get; }

    /// <summary>W, nv×nh row-major.</summary>
    public ReadOnlySpan<float> Weights => _weights.Array;

    /// <summary>W as a read-only nv×nh matrix view.</summary>
    public ReadOnlyMatrixView WeightMatrix => new(_weights.Array, VisibleCount, HiddenCount);

    /// <summary>a, the visible biases.</summary>
    public ReadOnlySpan<float> VisibleBias => _visibleBias.Array;

    /// <summary>b, the hidden biases.</summary>
    public ReadOnlySpan<float> HiddenBias => _hiddenBias.Array;

    internal Span<float> MutableWeights => _weights.Array;
    internal Span<float> MutableVisibleBias => _visibleBias.Array;
    internal Span<float> MutableHiddenBias => _hiddenBias.Array;

    /// <summary>A deep copy.</summary>
    public abstract DenseRbm Clone();

    IRbm IRbm.Clone() => Clone();

    /// <summary>Whether every parameter is finite.</summary>
    public bool HasFiniteParameters() => Parameters.IsFinite();

    /// <inheritdoc/>
    public int EnumeratedUnitCount => VisibleUnits == VisibleUnitKind.Bernoulli ? Math.Min(VisibleCount, HiddenCount) : HiddenCount;

    /// <inheritdoc/>
    public abstract EnumerationPlan CreateEnumerationPlan();

    /// <inheritdoc/>
    public double BaseLogPartitionFunction(ReadOnlySpan<float> baseVisibleBias)
    {
        if (!baseVisibleBias.IsEmpty && baseVisibleBias.Length != VisibleCount)
            throw new ArgumentException($"The base model has {baseVisibleBias.Length} visible biases but the model has {VisibleCount} visible units.", nameof(baseVisibleBias));
        // Every hidden unit is free at β = 0: a factor 2 each.
        return HiddenCount * Math.Log(2) + BaseVisibleLogPartitionFunction(baseVisibleBias);
    }

    /// <summary>The visible layer's part of the base model's log Z.</summary>
    private protected abstract double BaseVisibleLogPartitionFunction(ReadOnlySpan<float> baseVisibleBias);

    /// <inheritdoc/>
    public abstract bool IsValidVisibleValue(float value);

    // ---- Conditionals ------------------------------------------------------------------------------

    /// <summary>P(h = 1 | v) for each row: <c>σ(b + x·W)</c> (β = 1).</summary>
    /// <param name="visible">Batch×nv.</param>
    /// <param name="hidden">Batch×nh, written.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void MeanHiddens(ReadOnlyMatrixView visible, MatrixView hidden, int maxDegreeOfParallelism = 1) =>
        MeanHiddens(visible, hidden, Temperature.One, maxDegreeOfParallelism);

    /// <inheritdoc/>
    public void MeanHiddens(ReadOnlyMatrixView visible, MatrixView hidden, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, VisibleCount, hidden, HiddenCount, nameof(visible), nameof(hidden));
        HiddenLayer(visible, hidden, temperature, sigmoid: true, maxDegreeOfParallelism);
    }

    /// <summary>The hidden units' total inputs <c>b + x·W</c> for each row (β = 1).</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void HiddenActivations(ReadOnlyMatrixView visible, MatrixView activations, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, VisibleCount, activations, HiddenCount, nameof(visible), nameof(activations));
        HiddenLayer(visible, activations, Temperature.One, sigmoid: false, maxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public void HiddenInputs(ReadOnlyMatrixView visible, MatrixView inputs, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, VisibleCount, inputs, HiddenCount, nameof(visible), nameof(inputs));
        HiddenLayer(visible, inputs, temperature, sigmoid: false, maxDegreeOfParallelism);
    }

    /// <summary>E[v | h] for each row (β = 1).</summary>
    /// <param name="hidden">Batch×nh.</param>
    /// <param name="visible">Batch×nv, written.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void MeanVisibles(ReadOnlyMatrixView hidden, MatrixView visible, int maxDegreeOfParallelism = 1) =>
        MeanVisibles(hidden, visible, Temperature.One, maxDegreeOfParallelism);

    /// <inheritdoc/>
    public void MeanVisibles(ReadOnlyMatrixView hidden, MatrixView visible, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(hidden, HiddenCount, visible, VisibleCount, nameof(hidden), nameof(visible));
        RequireBase(temperature);
        VisibleLayer(hidden, visible, temperature, ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism)));
    }

    /// <summary>Samples h ~ P(h | v) for each row (β = 1); row r uses stream positions <c>r·nh …</c> from the current one, which then advances by <c>batch·nh</c>.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void SampleHiddens(ReadOnlyMatrixView visible, MatrixView hidden, ref RandomStream random, int maxDegreeOfParallelism = 1) =>
        SampleHiddens(visible, hidden, ref random, Temperature.One, maxDegreeOfParallelism);

    /// <inheritdoc/>
    public void SampleHiddens(ReadOnlyMatrixView visible, MatrixView hidden, ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        MeanHiddens(visible, hidden, temperature, maxDegreeOfParallelism);
        SampleHiddensFromMeans(hidden, ref random, maxDegreeOfParallelism);
    }

    /// <summary>Samples v ~ P(v | h) for each row (β = 1); row r uses stream positions <c>r·nv …</c> from the current one, which then advances by <c>batch·nv</c>.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void SampleVisibles(ReadOnlyMatrixView hidden, MatrixView visible, ref RandomStream random, int maxDegreeOfParallelism = 1) =>
        SampleVisibles(hidden, visible, ref random, Temperature.One, maxDegreeOfParallelism);

    /// <inheritdoc/>
    public void SampleVisibles(ReadOnlyMatrixView hidden, MatrixView visible, ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        MeanVisibles(hidden, visible, temperature, maxDegreeOfParallelism);
        SampleVisiblesFromMeans(visible, ref random, maxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public void SampleHiddensFromMeans(MatrixView hidden, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        if (hidden.Cols != HiddenCount) throw new ArgumentException($"Expected {HiddenCount} columns but got {hidden.Cols}.", nameof(hidden));
        Bernoulli.SampleRows(hidden, ref random, ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism)));
    }

    /// <inheritdoc/>
    public void SampleVisiblesFromMeans(MatrixView visible, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        if (visible.Cols != VisibleCount) throw new ArgumentException($"Expected {VisibleCount} columns but got {visible.Cols}.", nameof(visible));
        SampleVisibleUnits(visible, ref random, ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism)));
    }

    /// <summary>
    /// Runs <paramref name="steps"/> full Gibbs steps v → h → v on every row of <paramref name="visible"/>, in
    /// place; <paramref name="hidden"/> receives the last hidden sample (see <see cref="GibbsChain"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is negative.</exception>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void Gibbs(MatrixView visible, MatrixView hidden, int steps, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        RequireBatch(visible, VisibleCount, hidden, HiddenCount, nameof(visible), nameof(hidden));
        GibbsChain.FromVisible(this, visible, hidden, default, steps, ref random, Temperature.One, maxDegreeOfParallelism);
    }

    // ---- Energies ----------------------------------------------------------------------------------

    /// <inheritdoc/>
    public void Energy(ReadOnlyMatrixView visible, ReadOnlyMatrixView hidden, Span<double> energy)
    {
        RequireBatch(visible, VisibleCount, hidden, HiddenCount, nameof(visible), nameof(hidden));
        RequireOutput(energy, visible.Rows, nameof(energy));
        if (visible.Rows == 0) return;
        ReadOnlyMatrixView w = WeightMatrix;
        float[] rented = ArrayPool<float>.Shared.Rent(visible.Rows * VisibleCount);
        try
        {
            var x = new MatrixView(rented, visible.Rows, VisibleCount);
            InteractionInputs(visible, x);
            VisibleEnergies(visible, Temperature.One, energy);
            for (int r = 0; r < visible.Rows; r++)
            {
                ReadOnlySpan<float> xr = x.Row(r), h = hidden.Row(r);
                double e = energy[r] - Dot(HiddenBias, h);
                for (int i = 0; i < xr.Length; i++)
                    if (xr[i] != 0f) e -= xr[i] * Dot(w.Row(i), h);
                energy[r] = e;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>The free energy of each row at β = 1; see <see cref="FreeEnergy(ReadOnlyMatrixView, Span{double}, Temperature, int)"/>.</summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the destination is too short.</exception>
    public void FreeEnergy(ReadOnlyMatrixView visible, Span<double> freeEnergy) => FreeEnergy(visible, freeEnergy, Temperature.One);

    /// <inheritdoc/>
    public void FreeEnergy(ReadOnlyMatrixView visible, Span<double> freeEnergy, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        if (visible.Cols != VisibleCount)
            throw new ArgumentException($"Expected {VisibleCount} visible columns but got {visible.Cols}.", nameof(visible));
        RequireOutput(freeEnergy, visible.Rows, nameof(freeEnergy));
        RequireBase(temperature);
        float[] rented = ArrayPool<float>.Shared.Rent(Math.Min(FreeEnergyChunkRows, Math.Max(visible.Rows, 1)) * HiddenCount);
        try
        {
            // F_β(v) = the visible term − Σⱼ softplus(β(b + x·W)ⱼ); softplus never overflows for finite inputs.
            for (int start = 0; start < visible.Rows; start += FreeEnergyChunkRows)
            {
                int rows = Math.Min(FreeEnergyChunkRows, visible.Rows - start);
                ReadOnlyMatrixView v = visible.SliceRows(start, rows);
                var inputs = new MatrixView(rented, rows, HiddenCount);
                HiddenInputs(v, inputs, temperature, maxDegreeOfParallelism);
                FreeEnergyFromHiddenInputs(v, inputs, temperature, freeEnergy.Slice(start, rows));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    public void HiddenMeansFromInputs(MatrixView inputs)
    {
        if (inputs.Cols != HiddenCount) throw new ArgumentException($"Expected {HiddenCount} columns but got {inputs.Cols}.", nameof(inputs));
        for (int r = 0; r < inputs.Rows; r++) Activations.Sigmoid(inputs.Row(r), inputs.Row(r));
    }

    /// <inheritdoc/>
    public void FreeEnergyFromHiddenInputs(ReadOnlyMatrixView visible, ReadOnlyMatrixView hiddenInputs, Temperature temperature, Span<double> freeEnergy)
    {
        RequireBatch(visible, VisibleCount, hiddenInputs, HiddenCount, nameof(visible), nameof(hiddenInputs));
        RequireOutput(freeEnergy, visible.Rows, nameof(freeEnergy));
        RequireBase(temperature);
        Span<double> f = freeEnergy[..visible.Rows];
        VisibleEnergies(visible, temperature, f);
        for (int r = 0; r < visible.Rows; r++) f[r] -= Activations.SumSoftplus(hiddenInputs.Row(r));
    }

    // ---- Gradient ----------------------------------------------------------------------------------

    /// <inheritdoc/>
    public unsafe void ComputeGradient(PhaseBatch phases, ParameterSet gradient, int maxDegreeOfParallelism = 1)
    {
        if (phases.Visible.Cols != VisibleCount || phases.Hidden.Cols != HiddenCount)
            throw new ArgumentException($"The phases are {phases.Visible.Cols} visible and {phases.Hidden.Cols} hidden columns wide; the model has {VisibleCount} and {HiddenCount}.", nameof(phases));
        Parameters.RequireSameLayout(gradient, nameof(gradient));
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int rows = phases.DataRows, chains = phases.ModelRows, nh = HiddenCount;

        Span<float> hiddenBias = gradient[HiddenBiasName].Span;
        ColumnMean(phases.DataHidden, hiddenBias);
        SubtractColumnMean(phases.ModelHidden, hiddenBias);
        VisibleGradients(phases, gradient);

        // One product for both phases: [X⁰; Xᵏ]ᵀ · [H⁰/B; −Hᵏ/C], X the visible rows as the weights see them.
        ScaleRows(phases.DataHidden, 1f / rows);
        ScaleRows(phases.ModelHidden, -1f / chains);
        ReadOnlyMatrixView x = phases.Visible;
        ReadOnlyMatrixView h = phases.Hidden;
        Span<float> dW = gradient[WeightsName].Span;
        if (threads == 1)
        {
            // Same bits as the blocks below: the GEMM's per-element arithmetic does not depend on the block.
            Gemm.Multiply(x, MatrixOp.Transpose, h, MatrixOp.None, new MatrixView(dW, VisibleCount, nh));
        }
        else
        {
            fixed (float* pv = x.Span, ph = h.Span, pg = dW)
            {
                var body = new GradientBlock(pv, x.Stride, ph, h.Stride, x.Rows, VisibleCount, nh, pg);
                ChunkedParallel.For(GradientBlock.BlockCount(VisibleCount), threads, body);
            }
        }
        AfterWeightGradient(gradient);
    }

    /// <summary>
    /// Writes the gradients of the visible layer's own parameters (a, and any others) from the phases, and
    /// leaves in <see cref="PhaseBatch.Visible"/> the rows as the weights see them (v, or v/σ).
    /// </summary>
    private protected abstract void VisibleGradients(PhaseBatch phases, ParameterSet gradient);

    /// <summary>Adds gradient terms that follow from the finished weight gradient (none by default).</summary>
    private protected virtual void AfterWeightGradient(ParameterSet gradient) { }

    // ---- What the visible units change -------------------------------------------------------------

    /// <summary>Writes the visible means for hidden rows at β into <paramref name="visible"/>.</summary>
    private protected abstract void VisibleLayer(ReadOnlyMatrixView hidden, MatrixView visible, Temperature temperature, int threads);

    /// <summary>Replaces visible means by draws of the visible units, in place.</summary>
    private protected abstract void SampleVisibleUnits(MatrixView visible, ref RandomStream random, int threads);

    /// <summary>
    /// The visible part of the energy of each row at β (the terms that do not involve h, mixed with the base
    /// model), in double.
    /// </summary>
    private protected abstract void VisibleEnergies(ReadOnlyMatrixView visible, Temperature temperature, Span<double> energies);

    /// <summary>What the weights see of each visible row (v itself unless overridden).</summary>
    private protected virtual void InteractionInputs(ReadOnlyMatrixView visible, MatrixView destination)
    {
        for (int r = 0; r < visible.Rows; r++) visible.Row(r).CopyTo(destination.Row(r));
    }

    /// <summary>Whether <see cref="InteractionInputs"/> changes the rows (so the hidden layer needs a scaled copy).</summary>
    private protected virtual bool ScalesInteractionInput => false;

    // ---- Products -----------------------------------------------------------------------------------

    /// <summary>The hidden layer: inputs <c>β(b + x·W)</c>, with σ applied when <paramref name="sigmoid"/>.</summary>
    private void HiddenLayer(ReadOnlyMatrixView visible, MatrixView output, Temperature temperature, bool sigmoid, int maxDegreeOfParallelism)
    {
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        GemmEpilogue epilogue = sigmoid ? GemmEpilogue.AddBiasSigmoid : GemmEpilogue.AddBias;
        float beta = temperature.Beta;
        float[]? scaledBias = null, scaledInput = null;
        try
        {
            ReadOnlySpan<float> bias = HiddenBias;
            if (beta != 1f)
            {
                scaledBias = ArrayPool<float>.Shared.Rent(HiddenCount);
                TensorPrimitives.Multiply(HiddenBias, beta, scaledBias.AsSpan(0, HiddenCount));
                bias = scaledBias.AsSpan(0, HiddenCount);
            }
            ReadOnlyMatrixView input = visible;
            if (ScalesInteractionInput && !visible.IsEmpty)
            {
                scaledInput = ArrayPool<float>.Shared.Rent(visible.Rows * VisibleCount);
                var scaled = new MatrixView(scaledInput, visible.Rows, VisibleCount);
                InteractionInputs(visible, scaled);
                input = scaled;
            }
            Product(input, output, transpose: false, bias, beta, epilogue, threads);
        }
        finally
        {
            if (scaledBias is not null) ArrayPool<float>.Shared.Return(scaledBias);
            if (scaledInput is not null) ArrayPool<float>.Shared.Return(scaledInput);
        }
    }

    /// <summary>
    /// <c>output = f(α·input·op(W) + bias)</c> with op(W) = W (visible → hidden) or Wᵀ (hidden → visible),
    /// serially or in fixed column blocks that give the same bits.
    /// </summary>
    private protected unsafe void Product(ReadOnlyMatrixView input, MatrixView output, bool transpose, ReadOnlySpan<float> bias,
        float alpha, GemmEpilogue epilogue, int threads)
    {
        if (threads == 1)
        {
            // One product: the per-element arithmetic does not depend on the column block, so this gives
            // the same bits as the blocked, parallel path below without re-packing the input.
            Multiply(input, WeightMatrix, transpose, output, bias, alpha, epilogue);
            return;
        }
        fixed (float* pi = input.Span, pw = _weights.Array, po = output.Span, pb = bias)
        {
            var body = new LayerBlock(pi, input.Rows, input.Cols, input.Stride, pw, HiddenCount, transpose, po, output.Cols, output.Stride,
                pb, alpha, epilogue);
            ChunkedParallel.For(LayerBlock.BlockCount(output.Cols), threads, body);
        }
    }

    /// <summary>
    /// <c>c = f(α·a·op(b) + bias)</c>; sparse binary inputs times W (not Wᵀ, whose rows are not contiguous)
    /// add selected rows instead of multiplying.
    /// </summary>
    internal static void Multiply(ReadOnlyMatrixView a, ReadOnlyMatrixView b, bool transpose, MatrixView c, ReadOnlySpan<float> bias,
        float alpha, GemmEpilogue epilogue)
    {
        if (transpose || alpha != 1f || !SparseBinaryGemm.TryMultiply(a, b, c, epilogue, bias))
            Gemm.Multiply(a, MatrixOp.None, b, transpose ? MatrixOp.Transpose : MatrixOp.None, c, epilogue, bias, alpha);
    }

    // ---- Helpers ------------------------------------------------------------------------------------

    /// <summary>Copies the parameters of this model into <paramref name="clone"/> (same kind and shape).</summary>
    private protected T CopyInto<T>(T clone) where T : DenseRbm
    {
        Parameters.CopyTo(clone.Parameters);
        return clone;
    }

    /// <summary>Throws when a base model's bias does not fit the visible layer.</summary>
    private protected void RequireBase(Temperature temperature)
    {
        if (!temperature.BaseVisibleBias.IsEmpty && temperature.BaseVisibleBias.Length != VisibleCount)
            throw new ArgumentException($"The base model has {temperature.BaseVisibleBias.Length} visible biases but the model has {VisibleCount} visible units.", nameof(temperature));
    }

    private protected static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (double)x[i] * y[i];
        return sum;
    }

    /// <summary>The mean of each column.</summary>
    private protected static void ColumnMean(ReadOnlyMatrixView m, Span<float> mean)
    {
        mean.Clear();
        for (int r = 0; r < m.Rows; r++) TensorPrimitives.Add(mean, m.Row(r), mean);
        TensorPrimitives.Multiply(mean, 1f / m.Rows, mean);
    }

    /// <summary><c>destination −= mean of each column</c>, through a rented scratch vector.</summary>
    private protected static void SubtractColumnMean(ReadOnlyMatrixView m, Span<float> destination)
    {
        float[] rented = ArrayPool<float>.Shared.Rent(m.Cols);
        try
        {
            Span<float> mean = rented.AsSpan(0, m.Cols);
            ColumnMean(m, mean);
            TensorPrimitives.Subtract(destination, mean, destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static void ScaleRows(MatrixView m, float factor)
    {
        for (int r = 0; r < m.Rows; r++) TensorPrimitives.Multiply(m.Row(r), factor, m.Row(r));
    }

    private static void RequireBatch(ReadOnlyMatrixView input, int inputCols, ReadOnlyMatrixView output, int outputCols, string inputName, string outputName)
    {
        if (input.Cols != inputCols) throw new ArgumentException($"Expected {inputCols} columns but got {input.Cols}.", inputName);
        if (output.Cols != outputCols) throw new ArgumentException($"Expected {outputCols} columns but got {output.Cols}.", outputName);
        if (output.Rows != input.Rows) throw new ArgumentException($"Expected {input.Rows} rows (one per row of {inputName}) but got {output.Rows}.", outputName);
    }

    private static void RequireOutput(Span<double> output, int rows, string name)
    {
        if (output.Length < rows) throw new ArgumentException($"Destination holds {output.Length} values but {rows} are needed.", name);
    }
}
