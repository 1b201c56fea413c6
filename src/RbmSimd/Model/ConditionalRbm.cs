using System.Buffers;
using System.Numerics.Tensors;
using RbmSimd.Data;
using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Model;

/// <summary>
/// A conditional RBM (Taylor, Hinton and Roweis 2007): an RBM over nv generated visible units (Bernoulli or Gaussian)
/// and nh binary hidden units whose biases are shifted by a context vector u of nc values that the model reads but never
/// generates: <c>â = a + A·u</c> (autoregressive, context → visible) and <c>b̂ = b + B·u</c> (context → hidden). Given u
/// it is an ordinary RBM with per-row biases (<see cref="ForContext"/>).
/// </summary>
/// <remarks>
/// <para><b>Rows.</b> Every visible row is <c>[v | u]</c>: the nv generated units, then the nc context values, so
/// <see cref="VisibleCount"/> is nv + nc and every <see cref="IRbm"/> operation keeps its signature. The visible layer's
/// means and samples read u from the destination row and leave it untouched; the hidden layer reads it from the input row.
/// For sequences the context is the previous frames, most recent first: <c>u = [v_{t−1}, …, v_{t−n}]</c>
/// (<see cref="HistoryLength"/> n); any other vector (a one-hot class label) works the same way.</para>
/// <para><b>Parameters</b> (<see cref="Parameters"/>): those of the unconditional model of the visible units
/// (<see cref="FrameModel"/>: <c>W</c> nv×nh, <c>visible_bias</c> a, <c>hidden_bias</c> b, and for Gaussian units
/// <c>log_variance</c>), then <c>context_visible</c> A (nv × nc) and <c>context_hidden</c>, stored transposed as
/// <c>Bᵀ</c> (nc × nh): like W it maps a row of input units to the hidden units, so the context units act as extra
/// visible units of the weights, <c>[W; Bᵀ]</c>, whose states are given rather than sampled.</para>
/// <para><b>Energy.</b> Bernoulli units: <c>E(v, h | u) = −âᵀv − b̂ᵀh − vᵀWh</c>. Gaussian units:
/// <c>E(v, h | u) = Σᵢ (vᵢ − âᵢ)²/(2σᵢ²) − b̂ᵀh − Σᵢⱼ (vᵢ/σᵢ)Wᵢⱼhⱼ</c>. The free energy, the conditionals and the
/// partition function <c>Z(u)</c> are those of the frame model with biases â and b̂; at an inverse temperature β the
/// context terms are scaled by β like every other term of the energy, and the base model (visible biases a₀, nv of them)
/// does not see the context.</para>
/// <para><b>Products.</b> Each layer's input is the frame model's product, computed exactly as the unconditional model
/// computes it (the packed GEMM, or the set-bit product for sparse binary rows), plus the context product, a second
/// batched product <c>β·u·Bᵀ</c> or <c>β·u·Aᵀ</c> through the same kernels (a binary context takes the set-bit path too),
/// added in one pass that also applies σ where the layer needs it. Keeping the two products apart, rather than one product
/// over <c>[v | u]</c>, is what makes the model equal the unconditional RBM bit for bit when u = 0 or A = B = 0: the packed
/// GEMM splits its inner dimension into equal blocks, so a longer inner dimension would round the frame part differently.</para>
/// <para>Every operation is the same bits for any thread count; scratch comes from <see cref="ArrayPool{T}.Shared"/>, so a
/// steady state allocates nothing. The model knows nothing of sequences beyond the layout of u: prediction and generation
/// are in <see cref="ConditionalPrediction"/>.</para>
/// </remarks>
public sealed class ConditionalRbm : IRbm
{
    /// <summary>The model kind stored in files.</summary>
    public const string KindName = "conditional";

    /// <summary>File name of A, nv × nc: context → visible (autoregressive) weights.</summary>
    public const string ContextVisibleName = "context_visible";

    /// <summary>File name of Bᵀ, nc × nh: context → hidden weights, stored context × hidden like W is visible × hidden.</summary>
    public const string ContextHiddenName = "context_hidden";

    private const int FreeEnergyChunkRows = 64;

    private readonly DenseRbm _frame;
    private readonly Parameter _contextVisible, _contextHidden;
    private ParameterSet? _gradientKey, _frameGradient;

    private ConditionalRbm(DenseRbm frame, int contextCount, int historyLength)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextCount);
        ArgumentOutOfRangeException.ThrowIfNegative(historyLength);
        if (historyLength > 0 && (long)historyLength * frame.VisibleCount != contextCount)
            throw new ArgumentException(
                $"A history of {historyLength} frames of {frame.VisibleCount} units is {(long)historyLength * frame.VisibleCount} context values, not {contextCount}.",
                nameof(historyLength));
        if ((long)frame.VisibleCount + contextCount > Array.MaxLength || (long)contextCount * Math.Max(frame.VisibleCount, frame.HiddenCount) > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(contextCount), contextCount, "The context weights would exceed the largest array .NET can hold.");
        _frame = frame;
        ContextCount = contextCount;
        HistoryLength = historyLength;
        _contextVisible = new Parameter(ContextVisibleName, ParameterGroup.ContextWeights, frame.VisibleCount, contextCount);
        _contextHidden = new Parameter(ContextHiddenName, ParameterGroup.ContextWeights, contextCount, frame.HiddenCount);
        Parameters = new ParameterSet([.. frame.Parameters, _contextVisible, _contextHidden]);
    }

    /// <summary>Creates a model from an unconditional model of the visible units and the context weights (all copied).</summary>
    /// <param name="frameModel">W, a, b (and the variances of Gaussian units): the model at u = 0.</param>
    /// <param name="contextVisible">A, nv × nc row-major.</param>
    /// <param name="contextHidden">Bᵀ, nc × nh row-major.</param>
    /// <param name="contextCount">nc, at least 1.</param>
    /// <param name="historyLength">n when the context is the previous n frames (then nc = n·nv); 0 for any other context.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is out of range.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length or holds NaN or ∞, or the history does not fill the context.</exception>
    public ConditionalRbm(DenseRbm frameModel, ReadOnlySpan<float> contextVisible, ReadOnlySpan<float> contextHidden, int contextCount, int historyLength = 0)
        : this((frameModel ?? throw new ArgumentNullException(nameof(frameModel))).Clone(), contextCount, historyLength)
    {
        ParameterChecks.RequireLengthAndFinite(contextVisible, (long)FrameCount * contextCount, nameof(contextVisible));
        ParameterChecks.RequireLengthAndFinite(contextHidden, (long)contextCount * HiddenCount, nameof(contextHidden));
        contextVisible.CopyTo(_contextVisible.Span);
        contextHidden.CopyTo(_contextHidden.Span);
    }

    /// <summary>
    /// A new model: the frame model initialised as its kind's <c>CreateRandom</c> does (from the generated columns of
    /// <paramref name="data"/> when given), and A and Bᵀ drawn from N(0, sd²), as Taylor's code starts them.
    /// </summary>
    /// <param name="visibleUnits">The kind of the generated units.</param>
    /// <param name="frameCount">nv, the generated units.</param>
    /// <param name="contextCount">nc.</param>
    /// <param name="hiddenCount">nh.</param>
    /// <param name="seed">Seed of the random weights.</param>
    /// <param name="data">Rows <c>[v | u]</c> whose v columns set the visible biases (and nothing else); null for none.</param>
    /// <param name="weightStdDev">The weights' standard deviation; null: 0.01 for Bernoulli units, the Gaussian kind's default for W of Gaussian units, and 0.01 for A and Bᵀ.</param>
    /// <param name="historyLength">n when the context is the previous n frames; 0 otherwise.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count or the deviation is out of range.</exception>
    /// <exception cref="ArgumentException">The data's width is not nv + nc, or the history does not fill the context.</exception>
    public static ConditionalRbm CreateRandom(VisibleUnitKind visibleUnits, int frameCount, int contextCount, int hiddenCount, ulong seed,
        IRowSource? data = null, float? weightStdDev = null, int historyLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextCount);
        if (weightStdDev is { } s && !(s >= 0f && float.IsFinite(s)))
            throw new ArgumentOutOfRangeException(nameof(weightStdDev), s, "The weight standard deviation must be finite and non-negative.");
        if (data is not null && data.RowCount > 0 && data.ColumnCount != frameCount + contextCount)
            throw new ArgumentException($"The data has {data.ColumnCount} columns but the model takes {frameCount} + {contextCount}.", nameof(data));
        IRowSource? frames = data is { RowCount: > 0 } ? new LeadingColumns(data, frameCount) : null;
        DenseRbm frame = visibleUnits switch
        {
            VisibleUnitKind.Bernoulli => frames is null
                ? BernoulliRbm.CreateRandom(frameCount, hiddenCount, seed, weightStdDev ?? 0.01f)
                : BernoulliRbm.CreateRandom(frameCount, hiddenCount, seed, frames, weightStdDev ?? 0.01f),
            VisibleUnitKind.Gaussian => GaussianBernoulliRbm.CreateRandom(frameCount, hiddenCount, seed, frames,
                new GaussianBernoulliInitialization { WeightStdDev = weightStdDev }),
            _ => throw new ArgumentOutOfRangeException(nameof(visibleUnits), visibleUnits, "Unknown visible units."),
        };
        var model = new ConditionalRbm(frame, contextCount, historyLength);
        var random = new RandomStream(seed).Derive(0xC0_27E7UL);
        BernoulliRbm.FillGaussian(model._contextVisible.Span, weightStdDev ?? 0.01f, random.NextUInt64());
        BernoulliRbm.FillGaussian(model._contextHidden.Span, weightStdDev ?? 0.01f, random.NextUInt64());
        return model;
    }

    /// <summary>An all-zero model (σ = 1 for Gaussian units), for readers that fill the parameters themselves.</summary>
    internal static ConditionalRbm CreateZero(VisibleUnitKind visibleUnits, int frameCount, int contextCount, int hiddenCount, int historyLength) =>
        new(visibleUnits == VisibleUnitKind.Gaussian
            ? GaussianBernoulliRbm.CreateZero(frameCount, hiddenCount)
            : BernoulliRbm.CreateZero(frameCount, hiddenCount), contextCount, historyLength);

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public VisibleUnitKind VisibleUnits => _frame.VisibleUnits;

    /// <summary>nv + nc: the width of a row <c>[v | u]</c>.</summary>
    public int VisibleCount => FrameCount + ContextCount;

    /// <summary>nv, the generated visible units (a frame).</summary>
    public int FrameCount => _frame.VisibleCount;

    /// <inheritdoc/>
    public int ContextCount { get; }

    /// <summary>n when the context is the previous n frames, most recent first (nc = n·nv); 0 for any other context.</summary>
    public int HistoryLength { get; }

    /// <inheritdoc/>
    public int HiddenCount => _frame.HiddenCount;

    /// <inheritdoc/>
    public ParameterSet Parameters { get; }

    /// <summary>
    /// The unconditional model of the visible units, sharing this model's W, a, b (and variances): the model when u = 0.
    /// Changing its parameters changes this model's.
    /// </summary>
    public DenseRbm FrameModel => _frame;

    /// <summary>A, nv × nc row-major.</summary>
    public ReadOnlySpan<float> ContextVisibleWeights => _contextVisible.Span;

    /// <summary>Bᵀ, nc × nh row-major.</summary>
    public ReadOnlySpan<float> ContextHiddenWeights => _contextHidden.Span;

    /// <summary>A deep copy.</summary>
    public ConditionalRbm Clone()
    {
        var copy = new ConditionalRbm(_frame.Clone(), ContextCount, HistoryLength);
        _contextVisible.Span.CopyTo(copy._contextVisible.Span);
        _contextHidden.Span.CopyTo(copy._contextHidden.Span);
        return copy;
    }

    IRbm IRbm.Clone() => Clone();

    /// <summary>
    /// The ordinary RBM this model is for the context <paramref name="context"/>: the frame model's weights and variances with
    /// the biases <c>a + A·u</c> and <c>b + B·u</c> (summed in double, rounded once). A new model; nothing is shared.
    /// </summary>
    /// <exception cref="ArgumentException">The context does not have nc values.</exception>
    public DenseRbm ForContext(ReadOnlySpan<float> context)
    {
        if (context.Length != ContextCount)
            throw new ArgumentException($"Expected {ContextCount} context values but got {context.Length}.", nameof(context));
        int nv = FrameCount, nh = HiddenCount, nc = ContextCount;
        var a = new float[nv];
        var b = new float[nh];
        ReadOnlySpan<float> av = _contextVisible.Span, bt = _contextHidden.Span;
        for (int i = 0; i < nv; i++)
        {
            double sum = _frame.VisibleBias[i];
            for (int k = 0; k < nc; k++) sum += (double)av[i * nc + k] * context[k];
            a[i] = (float)sum;
        }
        for (int j = 0; j < nh; j++)
        {
            double sum = _frame.HiddenBias[j];
            for (int k = 0; k < nc; k++) sum += (double)bt[k * nh + j] * context[k];
            b[j] = (float)sum;
        }
        return _frame switch
        {
            GaussianBernoulliRbm g => new GaussianBernoulliRbm(nv, nh, g.Weights, a, b, g.LogVariance),
            _ => new BernoulliRbm(nv, nh, _frame.Weights, a, b),
        };
    }

    /// <inheritdoc/>
    public bool IsValidVisibleValue(float value) => _frame.IsValidVisibleValue(value);

    /// <summary>
    /// log Z of the base model at β = 0: the context plays no part there, so it is the frame model's (base biases or means,
    /// nv of them; empty for zeros).
    /// </summary>
    /// <exception cref="ArgumentException">The bias does not have nv values.</exception>
    public double BaseLogPartitionFunction(ReadOnlySpan<float> baseVisibleBias) => _frame.BaseLogPartitionFunction(baseVisibleBias);

    /// <summary>The binary units an exact <c>Z(u)</c> enumerates, for any one context (as the frame model).</summary>
    public int EnumeratedUnitCount => _frame.EnumeratedUnitCount;

    /// <summary>Not available: a conditional model's partition function depends on its context; use <see cref="CreateEnumerationPlan(ReadOnlySpan{float})"/>.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public EnumerationPlan CreateEnumerationPlan() =>
        throw new InvalidOperationException("A conditional model has a partition function Z(u) for each context u; enumerate it per context (CreateEnumerationPlan(context), ConditionalLikelihood).");

    /// <summary>The plan of <c>Z(u)</c> for one context (that of <see cref="ForContext"/>).</summary>
    /// <exception cref="ArgumentException">The context does not have nc values.</exception>
    public EnumerationPlan CreateEnumerationPlan(ReadOnlySpan<float> context) => ForContext(context).CreateEnumerationPlan();

    // ---- Hidden layer ----------------------------------------------------------------------------

    /// <inheritdoc/>
    public void HiddenInputs(ReadOnlyMatrixView visible, MatrixView inputs, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, inputs, HiddenCount, nameof(inputs));
        HiddenLayer(visible, inputs, temperature, sigmoid: false, ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism)));
    }

    /// <inheritdoc/>
    public void MeanHiddens(ReadOnlyMatrixView visible, MatrixView hidden, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, hidden, HiddenCount, nameof(hidden));
        HiddenLayer(visible, hidden, temperature, sigmoid: true, ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism)));
    }

    /// <inheritdoc/>
    public void SampleHiddens(ReadOnlyMatrixView visible, MatrixView hidden, ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        MeanHiddens(visible, hidden, temperature, maxDegreeOfParallelism);
        SampleHiddensFromMeans(hidden, ref random, maxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public void SampleHiddensFromMeans(MatrixView hidden, ref RandomStream random, int maxDegreeOfParallelism = 1) =>
        _frame.SampleHiddensFromMeans(hidden, ref random, maxDegreeOfParallelism);

    /// <inheritdoc/>
    public void HiddenMeansFromInputs(MatrixView inputs) => _frame.HiddenMeansFromInputs(inputs);

    /// <summary><c>β(b + x·W) + β·u·Bᵀ</c>, then σ when asked: the frame model's inputs, the context product, one pass to add them.</summary>
    private void HiddenLayer(ReadOnlyMatrixView visible, MatrixView output, Temperature temperature, bool sigmoid, int threads)
    {
        _frame.HiddenInputs(Frames(visible), output, temperature, threads);
        if (visible.Rows == 0) return;
        float[] rented = ArrayPool<float>.Shared.Rent(visible.Rows * HiddenCount);
        try
        {
            var context = new MatrixView(rented, visible.Rows, HiddenCount);
            Product(Context(visible), _contextHidden.Array, HiddenCount, transpose: false, context, default, temperature.Beta, GemmEpilogue.None, threads);
            AddRows(output, context, sigmoid);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    // ---- Visible layer ---------------------------------------------------------------------------

    /// <summary>E[v | h, u] for each row: written into the first nv columns of <paramref name="visible"/>, whose last nc columns hold u (read, not written).</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other, or the base bias does not have nv values.</exception>
    public void MeanVisibles(ReadOnlyMatrixView hidden, MatrixView visible, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        if (hidden.Cols != HiddenCount) throw new ArgumentException($"Expected {HiddenCount} columns but got {hidden.Cols}.", nameof(hidden));
        RequireBatch(visible, hidden, HiddenCount, nameof(hidden));
        RequireBase(temperature);
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (visible.Rows == 0) return;
        int rows = visible.Rows, nv = FrameCount, nc = ContextCount;
        MatrixView frames = Frames(visible);
        bool bernoulli = VisibleUnits == VisibleUnitKind.Bernoulli;
        float[] scratch = ArrayPool<float>.Shared.Rent(rows * (nv + nc) + (bernoulli ? nv : 0));
        try
        {
            // The context is copied out first: the product must not write the rows it reads.
            var context = new MatrixView(scratch.AsSpan(rows * nv, rows * nc), rows, nc);
            CopyRows(Context(visible), context);
            var shift = new MatrixView(scratch.AsSpan(0, rows * nv), rows, nv);
            Product(context, _contextVisible.Array, nc, transpose: true, shift, default, temperature.Beta, GemmEpilogue.None, threads);
            if (bernoulli)
            {
                // σ(β·h·Wᵀ + βa + (1 − β)a₀ + β·u·Aᵀ): the frame model's product without its σ, then the context and σ in one pass.
                ReadOnlySpan<float> bias = _frame.VisibleBias;
                if (!(temperature.IsOne && temperature.BaseVisibleBias.IsEmpty))
                {
                    Span<float> tempered = scratch.AsSpan(rows * (nv + nc), nv);
                    temperature.TemperBias(_frame.VisibleBias, temperature.BaseVisibleBias, tempered);
                    bias = tempered;
                }
                Product(hidden, _frame.Parameters[DenseRbm.WeightsName].Array, HiddenCount, transpose: true, frames, bias, temperature.Beta, GemmEpilogue.AddBias, threads);
                AddRows(frames, shift, sigmoid: true);
            }
            else
            {
                // βa + (1 − β)a₀ + βσ⊙(h·Wᵀ) + β·u·Aᵀ.
                _frame.MeanVisibles(hidden, frames, temperature, threads);
                AddRows(frames, shift, sigmoid: false);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>Draws v ~ P(v | h, u) into the first nv columns of each row (the context stays); row r uses stream positions <c>r·nv …</c>.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void SampleVisibles(ReadOnlyMatrixView hidden, MatrixView visible, ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        MeanVisibles(hidden, visible, temperature, maxDegreeOfParallelism);
        SampleVisiblesFromMeans(visible, ref random, maxDegreeOfParallelism);
    }

    /// <summary>Replaces the visible means in the first nv columns of each row by draws, in place (the context stays); row r uses stream positions <c>r·nv …</c>.</summary>
    /// <exception cref="ArgumentException">The rows are not nv + nc wide.</exception>
    public void SampleVisiblesFromMeans(MatrixView visible, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        if (visible.Cols != VisibleCount) throw new ArgumentException($"Expected {VisibleCount} columns but got {visible.Cols}.", nameof(visible));
        _frame.SampleVisiblesFromMeans(Frames(visible), ref random, maxDegreeOfParallelism);
    }

    // ---- Energies --------------------------------------------------------------------------------

    /// <summary>
    /// <c>E(v, h | u)</c> of each row pair, in double: the frame model's energy, minus <c>(A·u)ᵀv</c> (Bernoulli) or plus
    /// <c>Σᵢ [(vᵢ − âᵢ)² − (vᵢ − aᵢ)²]/(2σᵢ²)</c> (Gaussian), minus <c>(B·u)ᵀh</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the destination is too short.</exception>
    public void Energy(ReadOnlyMatrixView visible, ReadOnlyMatrixView hidden, Span<double> energy)
    {
        RequireBatch(visible, hidden, HiddenCount, nameof(hidden));
        RequireOutput(energy, visible.Rows, nameof(energy));
        _frame.Energy(Frames(visible), hidden, energy);
        if (visible.Rows == 0) return;
        int rows = visible.Rows, nv = FrameCount, nh = HiddenCount;
        float[] scratch = ArrayPool<float>.Shared.Rent(rows * (nv + nh));
        try
        {
            var visibleShift = new MatrixView(scratch, rows, nv);
            var hiddenShift = new MatrixView(scratch.AsSpan(rows * nv), rows, nh);
            ReadOnlyMatrixView u = Context(visible);
            Product(u, _contextVisible.Array, ContextCount, transpose: true, visibleShift, default, 1f, GemmEpilogue.None, 1);
            Product(u, _contextHidden.Array, nh, transpose: false, hiddenShift, default, 1f, GemmEpilogue.None, 1);
            VisibleShiftTerms(Frames(visible), visibleShift, 1.0, energy, sign: 1);
            for (int r = 0; r < rows; r++) energy[r] -= Dot(hiddenShift.Row(r), hidden.Row(r));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

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

    /// <summary>
    /// <c>F_β(v | u)</c> of each row given its hidden inputs at the same β: the frame model's free energy with the visible
    /// term shifted by the context, <c>−β(A·u)ᵀv</c> (Bernoulli) or <c>βΣᵢ [(vᵢ − âᵢ)² − (vᵢ − aᵢ)²]/(2σᵢ²)</c> (Gaussian).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the destination is too short.</exception>
    public void FreeEnergyFromHiddenInputs(ReadOnlyMatrixView visible, ReadOnlyMatrixView hiddenInputs, Temperature temperature, Span<double> freeEnergy)
    {
        RequireBatch(visible, hiddenInputs, HiddenCount, nameof(hiddenInputs));
        RequireOutput(freeEnergy, visible.Rows, nameof(freeEnergy));
        RequireBase(temperature);
        _frame.FreeEnergyFromHiddenInputs(Frames(visible), hiddenInputs, temperature, freeEnergy);
        if (visible.Rows == 0) return;
        int rows = visible.Rows, nv = FrameCount;
        float[] rented = ArrayPool<float>.Shared.Rent(rows * nv);
        try
        {
            var shift = new MatrixView(rented, rows, nv);
            Product(Context(visible), _contextVisible.Array, ContextCount, transpose: true, shift, default, 1f, GemmEpilogue.None, 1);
            VisibleShiftTerms(Frames(visible), shift, temperature.Beta, freeEnergy, sign: 1);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Adds β times the change of the visible energy term that <c>s = A·u</c> makes, per row: <c>−sᵀv</c> for Bernoulli units,
    /// <c>Σᵢ [(vᵢ − aᵢ − sᵢ)² − (vᵢ − aᵢ)²]/(2σᵢ²)</c> for Gaussian ones (â rounded to float as in the products). Exactly 0 when s = 0.
    /// </summary>
    private void VisibleShiftTerms(ReadOnlyMatrixView frames, ReadOnlyMatrixView shift, double beta, Span<double> destination, int sign)
    {
        ReadOnlySpan<float> a = _frame.VisibleBias;
        float[]? inverseVariance = null;
        if (_frame is GaussianBernoulliRbm g)
        {
            inverseVariance = ArrayPool<float>.Shared.Rent(FrameCount);
            TensorPrimitives.Multiply(g.LogVariance, -1f, inverseVariance.AsSpan(0, FrameCount));
            TensorPrimitives.Exp(inverseVariance.AsSpan(0, FrameCount), inverseVariance.AsSpan(0, FrameCount));
        }
        try
        {
            for (int r = 0; r < frames.Rows; r++)
            {
                ReadOnlySpan<float> v = frames.Row(r), s = shift.Row(r);
                double term = 0;
                if (inverseVariance is null)
                {
                    term = -Dot(s, v);
                }
                else
                {
                    for (int i = 0; i < v.Length; i++)
                    {
                        float shifted = a[i] + s[i];
                        double d = v[i] - shifted, d0 = v[i] - a[i];
                        term += 0.5 * (d * d - d0 * d0) * inverseVariance[i];
                    }
                }
                destination[r] += sign * beta * term;
            }
        }
        finally
        {
            if (inverseVariance is not null) ArrayPool<float>.Shared.Return(inverseVariance);
        }
    }

    // ---- Gradient --------------------------------------------------------------------------------

    /// <summary>
    /// The gradient of the mean conditional log-likelihood from a pair of phases (the model rows carry their own contexts):
    /// the frame model's gradient of W, a, b (and z), corrected for the dynamic visible biases of Gaussian units, and
    /// <c>∇A = Σᵣ sᵣ tᵣ uᵣᵀ</c>, <c>∇Bᵀ = Σᵣ sᵣ uᵣ hᵣᵀ</c> with <c>sᵣ = 1/B</c> for the data rows and <c>−1/C</c> for the model
    /// rows, <c>tᵣ = vᵣ</c> (Bernoulli) or <c>(vᵣ − âᵣ)/σ²</c> (Gaussian): each one product over the stacked phases.
    /// Overwrites the phases' buffers.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes or the gradient's layout do not match the model.</exception>
    public void ComputeGradient(PhaseBatch phases, ParameterSet gradient, int maxDegreeOfParallelism = 1)
    {
        if (phases.Visible.Cols != VisibleCount || phases.Hidden.Cols != HiddenCount)
            throw new ArgumentException($"The phases are {phases.Visible.Cols} visible and {phases.Hidden.Cols} hidden columns wide; the model has {VisibleCount} and {HiddenCount}.", nameof(phases));
        Parameters.RequireSameLayout(gradient, nameof(gradient));
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int rows = phases.Visible.Rows, dataRows = phases.DataRows, chains = phases.ModelRows, nv = FrameCount, nc = ContextCount;
        MatrixView frames = Frames(phases.Visible);
        bool gaussian = _frame is GaussianBernoulliRbm;
        float[] scratch = ArrayPool<float>.Shared.Rent(rows * nc + (gaussian ? 2 * rows * nv + 3 * nv : 0));
        try
        {
            // sᵣuᵣ: the phases' signs and counts folded into the context, so neither statistic needs a scaled copy of its other side.
            var scaledContext = new MatrixView(scratch, rows, nc);
            ReadOnlyMatrixView context = Context(phases.Visible);
            for (int r = 0; r < rows; r++)
                TensorPrimitives.Multiply(context.Row(r), r < dataRows ? 1f / dataRows : -1f / chains, scaledContext.Row(r));
            Statistic(scaledContext, phases.Hidden, gradient[ContextHiddenName].Span, threads);
            if (!gaussian)
            {
                Statistic(frames, scaledContext, gradient[ContextVisibleName].Span, threads);
                _frame.ComputeGradient(new PhaseBatch(frames, phases.Hidden, dataRows), FrameGradient(gradient), threads);
                return;
            }
            Span<float> rest = scratch.AsSpan(rows * nc);
            var shift = new MatrixView(rest[..(rows * nv)], rows, nv);
            var residual = new MatrixView(rest.Slice(rows * nv, rows * nv), rows, nv);
            Span<float> inverseVariance = rest.Slice(2 * rows * nv, nv), biasCorrection = rest.Slice(2 * rows * nv + nv, nv),
                varianceCorrection = rest.Slice(2 * rows * nv + 2 * nv, nv);
            GaussianStatistics(frames, context, dataRows, shift, residual, inverseVariance, biasCorrection, varianceCorrection, threads);
            Statistic(residual, scaledContext, gradient[ContextVisibleName].Span, threads);
            _frame.ComputeGradient(new PhaseBatch(frames, phases.Hidden, dataRows), FrameGradient(gradient), threads);
            Span<float> da = gradient[DenseRbm.VisibleBiasName].Span, dz = gradient[GaussianBernoulliRbm.LogVarianceName].Span;
            TensorPrimitives.Add(da, biasCorrection, da);
            TensorPrimitives.Add(dz, varianceCorrection, dz);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Gaussian units, before the frame model's gradient scales the rows: the shifts <c>s = A·u</c>, the residuals
    /// <c>(v − a − s)/σ²</c> (the ∇A statistic), and the corrections that turn the frame model's ∇a and ∇z, computed with the
    /// static a, into those of â: <c>−(mean_D s − mean_M s)/σ²</c> and <c>½(mean_D δ − mean_M δ)/σ²</c> with
    /// <c>δ = (v − â)² − (v − a)²</c>. Both corrections are exactly 0 when s = 0.
    /// </summary>
    private void GaussianStatistics(ReadOnlyMatrixView frames, ReadOnlyMatrixView context, int dataRows, MatrixView shift, MatrixView residual,
        Span<float> inverseVariance, Span<float> biasCorrection, Span<float> varianceCorrection, int threads)
    {
        int rows = frames.Rows, nv = FrameCount;
        var g = (GaussianBernoulliRbm)_frame;
        TensorPrimitives.Multiply(g.LogVariance, -1f, inverseVariance);
        TensorPrimitives.Exp(inverseVariance, inverseVariance);
        Product(context, _contextVisible.Array, ContextCount, transpose: true, shift, default, 1f, GemmEpilogue.None, threads);
        ReadOnlySpan<float> a = _frame.VisibleBias;
        Span<float> dataSum = biasCorrection, delta = varianceCorrection;
        float[] rented = ArrayPool<float>.Shared.Rent(3 * nv);
        try
        {
            Span<float> modelSum = rented.AsSpan(0, nv), dataDelta = rented.AsSpan(nv, nv), row = rented.AsSpan(2 * nv, nv);
            dataSum.Clear();
            modelSum.Clear();
            dataDelta.Clear();
            delta.Clear();
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> v = frames.Row(r), s = shift.Row(r);
                bool data = r < dataRows;
                TensorPrimitives.Add(data ? dataSum : modelSum, s, data ? dataSum : modelSum);
                Span<float> t = residual.Row(r);
                for (int i = 0; i < nv; i++)
                {
                    float shifted = a[i] + s[i];
                    float d = v[i] - shifted, d0 = v[i] - a[i];
                    t[i] = d * inverseVariance[i];
                    row[i] = d * d - d0 * d0;
                }
                TensorPrimitives.Add(data ? dataDelta : delta, row, data ? dataDelta : delta);
            }
            int modelRows = rows - dataRows;
            // biasCorrection = −(mean_D s − mean_M s)/σ²; varianceCorrection = ½(mean_D δ − mean_M δ)/σ².
            TensorPrimitives.Multiply(dataSum, 1f / dataRows, dataSum);
            TensorPrimitives.Multiply(modelSum, 1f / modelRows, modelSum);
            TensorPrimitives.Subtract(modelSum, dataSum, biasCorrection);
            TensorPrimitives.Multiply(biasCorrection, inverseVariance, biasCorrection);
            TensorPrimitives.Multiply(dataDelta, 1f / dataRows, dataDelta);
            TensorPrimitives.Multiply(delta, 1f / modelRows, delta);
            TensorPrimitives.Subtract(dataDelta, delta, varianceCorrection);
            TensorPrimitives.Multiply(varianceCorrection, inverseVariance, varianceCorrection);
            TensorPrimitives.Multiply(varianceCorrection, 0.5f, varianceCorrection);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>The frame model's tensors of <paramref name="gradient"/> as a set of their own (cached per gradient set: no allocation per step).</summary>
    private ParameterSet FrameGradient(ParameterSet gradient)
    {
        if (!ReferenceEquals(gradient, _gradientKey))
        {
            _frameGradient = new ParameterSet(gradient.Take(_frame.Parameters.Count));
            _gradientKey = gradient;
        }
        return _frameGradient!;
    }

    /// <summary><c>destination = xᵀ·y</c> (p × q) over the rows of x (rows × p) and y (rows × q), in fixed row blocks of the result.</summary>
    private static unsafe void Statistic(ReadOnlyMatrixView x, ReadOnlyMatrixView y, Span<float> destination, int threads)
    {
        if (threads == 1)
        {
            Gemm.Multiply(x, MatrixOp.Transpose, y, MatrixOp.None, new MatrixView(destination, x.Cols, y.Cols));
            return;
        }
        fixed (float* px = x.Span, py = y.Span, pd = destination)
        {
            var body = new GradientBlock(px, x.Stride, py, y.Stride, x.Rows, x.Cols, y.Cols, pd);
            ChunkedParallel.For(GradientBlock.BlockCount(x.Cols), threads, body);
        }
    }

    // ---- Products and helpers --------------------------------------------------------------------

    /// <summary>
    /// <c>output = f(α·input·op(M) + bias)</c> with M row-major (<paramref name="weightCols"/> wide; op(M) = M or Mᵀ), serially
    /// or in the fixed column blocks the dense models use, which give the same bits.
    /// </summary>
    private static unsafe void Product(ReadOnlyMatrixView input, float[] weights, int weightCols, bool transpose, MatrixView output,
        ReadOnlySpan<float> bias, float alpha, GemmEpilogue epilogue, int threads)
    {
        if (input.Rows == 0) return;
        if (threads == 1)
        {
            int weightRows = transpose ? output.Cols : input.Cols;
            DenseRbm.Multiply(input, new ReadOnlyMatrixView(weights, weightRows, weightCols), transpose, output, bias, alpha, epilogue);
            return;
        }
        fixed (float* pi = input.Span, pw = weights, po = output.Span, pb = bias)
        {
            var body = new LayerBlock(pi, input.Rows, input.Cols, input.Stride, pw, weightCols, transpose, po, output.Cols, output.Stride, pb, alpha, epilogue);
            ChunkedParallel.For(LayerBlock.BlockCount(output.Cols), threads, body);
        }
    }

    /// <summary><c>output = output + shift</c>, or <c>σ(output + shift)</c>, row by row (the sum rounded once, as a fused bias add rounds it).</summary>
    private static void AddRows(MatrixView output, ReadOnlyMatrixView shift, bool sigmoid)
    {
        for (int r = 0; r < output.Rows; r++)
        {
            Span<float> row = output.Row(r);
            if (sigmoid) Activations.AddBiasSigmoid(row, shift.Row(r), row);
            else TensorPrimitives.Add(row, shift.Row(r), row);
        }
    }

    /// <summary>The generated columns of rows <c>[v | u]</c>.</summary>
    private ReadOnlyMatrixView Frames(ReadOnlyMatrixView rows) =>
        rows.Rows == 0 ? new ReadOnlyMatrixView(ReadOnlySpan<float>.Empty, 0, FrameCount, FrameCount) : new ReadOnlyMatrixView(rows.Span, rows.Rows, FrameCount, rows.Stride);

    private MatrixView Frames(MatrixView rows) =>
        rows.Rows == 0 ? new MatrixView(Span<float>.Empty, 0, FrameCount, FrameCount) : new MatrixView(rows.Span, rows.Rows, FrameCount, rows.Stride);

    /// <summary>The context columns of rows <c>[v | u]</c>.</summary>
    private ReadOnlyMatrixView Context(ReadOnlyMatrixView rows) =>
        rows.Rows == 0 ? new ReadOnlyMatrixView(ReadOnlySpan<float>.Empty, 0, ContextCount, ContextCount)
            : new ReadOnlyMatrixView(rows.Span[FrameCount..], rows.Rows, ContextCount, rows.Stride);

    private static void CopyRows(ReadOnlyMatrixView source, MatrixView destination)
    {
        for (int r = 0; r < source.Rows; r++) source.Row(r).CopyTo(destination.Row(r));
    }

    private void RequireBatch(ReadOnlyMatrixView visible, ReadOnlyMatrixView other, int otherCols, string otherName)
    {
        if (visible.Cols != VisibleCount)
            throw new ArgumentException($"Expected {VisibleCount} columns ({FrameCount} visible units and {ContextCount} context values) but got {visible.Cols}.", nameof(visible));
        if (other.Cols != otherCols) throw new ArgumentException($"Expected {otherCols} columns but got {other.Cols}.", otherName);
        if (other.Rows != visible.Rows) throw new ArgumentException($"Expected {visible.Rows} rows (one per visible row) but got {other.Rows}.", otherName);
    }

    private void RequireBase(Temperature temperature)
    {
        if (!temperature.BaseVisibleBias.IsEmpty && temperature.BaseVisibleBias.Length != FrameCount)
            throw new ArgumentException($"The base model has {temperature.BaseVisibleBias.Length} visible biases but the model generates {FrameCount} visible units (the context has none).", nameof(temperature));
    }

    private static void RequireOutput(Span<double> output, int rows, string name)
    {
        if (output.Length < rows) throw new ArgumentException($"Destination holds {output.Length} values but {rows} are needed.", name);
    }

    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (double)x[i] * y[i];
        return sum;
    }

    /// <summary>The first columns of a row source (the generated units of rows <c>[v | u]</c>), for the frame model's data-based initialisation.</summary>
    private sealed class LeadingColumns(IRowSource rows, int count) : IRowSource
    {
        private readonly float[] _row = new float[rows.ColumnCount];

        public int RowCount => rows.RowCount;

        public int ColumnCount => count;

        public void CopyRow(int row, Span<float> destination)
        {
            rows.CopyRow(row, _row);
            _row.AsSpan(0, count).CopyTo(destination);
        }
    }
}
