using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Training;

/// <summary>
/// Trains a <see cref="BernoulliRbm"/> in place by contrastive divergence (CD-k) or persistent
/// contrastive divergence (PCD), with momentum, L2 weight decay and a sparsity target.
/// </summary>
/// <remarks>
/// One step on a minibatch V⁰ of B rows, with every random number drawn from a stream addressed by
/// (seed, step):
/// <code>
/// H⁰ = P(h | V⁰)                               positive phase
/// CD-k: Hs ~ H⁰        PCD: Hs = the chains' hidden states   start of the negative chain
/// repeat k times: Vᵏ ~ P(v | Hs); Hᵏ = P(h | Vᵏ); (not after the last) Hs ~ Hᵏ
/// PCD: chains ← a sample of Hᵏ
/// ∇W = V⁰ᵀH⁰/B − VᵏᵀHᵏ/C,  ∇a = mean(V⁰) − mean(Vᵏ),  ∇b = mean(H⁰) − mean(Hᵏ)
/// Δθ ← μΔθ + η(∇θ − λθ [weights only] − sparsity);  θ ← θ + Δθ
/// </code>
/// where C is B for CD-k and the number of persistent chains for PCD. The chains keep hidden states
/// (as scikit-learn's BernoulliRBM does): the same Markov chain as keeping Vᵏ, but the P(h | Vᵏ) needed to
/// continue it is the Hᵏ this step computed, so PCD costs no more products than CD. All buffers are owned
/// by the trainer, so steps allocate nothing.
/// </remarks>
public sealed class RbmTrainer
{
    private const ulong StepStreams = 1, ShuffleStreams = 2, ChainStreams = 3;

    private readonly TrainingWorkspace _work;
    private readonly RandomStream _root;
    private readonly float[] _sparsityMean;
    private readonly int _threads;
    private int[] _order = [];

    /// <summary>Creates a trainer that updates <paramref name="model"/> in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public RbmTrainer(BernoulliRbm model, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Model = model;
        Options = options;
        _root = new RandomStream(options.Seed);
        _threads = ChunkedParallel.Resolve(options.MaxDegreeOfParallelism, nameof(options.MaxDegreeOfParallelism));
        _work = new TrainingWorkspace(model.VisibleCount, model.HiddenCount, options.BatchSize,
            options.Persistent ? options.PersistentChainCount : 0);
        _sparsityMean = new float[model.HiddenCount];
        _sparsityMean.AsSpan().Fill(options.SparsityTarget);
        if (_work.Chains is { } chains)
        {
            // Persistent chains start from uniform random binary states.
            var random = _root.Derive(ChainStreams);
            var start = new Matrix(chains.Rows, chains.Cols);
            random.NextSingles(start.AsSpan());
            chains.SetFromDense(start, 0.5f);
        }
    }

    /// <summary>
    /// Creates a trainer that continues from <paramref name="checkpoint"/> (training a copy of its
    /// model). <paramref name="epochs"/> may extend the run and <paramref name="maxDegreeOfParallelism"/>
    /// (which never changes the result) may differ; every other option is the checkpoint's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is below the completed epochs, or the thread count is invalid.</exception>
    public static RbmTrainer Resume(TrainingCheckpoint checkpoint, int? epochs = null, int? maxDegreeOfParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        TrainingOptions options = checkpoint.Options;
        if (maxDegreeOfParallelism is { } threads) options = options with { MaxDegreeOfParallelism = threads };
        if (epochs is { } e)
        {
            if (e < checkpoint.CompletedEpochs)
                throw new ArgumentOutOfRangeException(nameof(epochs), e, $"The checkpoint has already completed {checkpoint.CompletedEpochs} epochs.");
            options = options with { Epochs = e };
        }
        var trainer = new RbmTrainer(checkpoint.Model.Clone(), options);
        checkpoint.Velocity.Weights.CopyTo(trainer._work.Velocity.Weights);
        checkpoint.Velocity.VisibleBias.CopyTo(trainer._work.Velocity.VisibleBias);
        checkpoint.Velocity.HiddenBias.CopyTo(trainer._work.Velocity.HiddenBias);
        if (checkpoint.Chains is { } saved) trainer._work.Chains!.SetFromDense(saved, 0.5f);
        for (int j = 0; j < trainer._sparsityMean.Length; j++) trainer._sparsityMean[j] = checkpoint.SparsityMean[j];
        trainer.CompletedEpochs = checkpoint.CompletedEpochs;
        trainer.CompletedSteps = checkpoint.CompletedSteps;
        trainer.EpochPosition = checkpoint.EpochPosition;
        return trainer;
    }

    /// <summary>A copy of everything needed to resume exactly from here (<see cref="Resume"/>).</summary>
    public TrainingCheckpoint CreateCheckpoint() =>
        new(Model, Options, _work.Velocity, PersistentChains, _sparsityMean, CompletedEpochs, CompletedSteps, EpochPosition);

    /// <summary>The model being trained.</summary>
    public BernoulliRbm Model { get; }

    /// <summary>The options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The persistent chains' hidden states (PCD), or null for CD-k.</summary>
    internal Matrix? PersistentChains
    {
        get
        {
            if (_work.Chains is not { } bits) return null;
            var chains = new Matrix(bits.Rows, bits.Cols);
            bits.CopyTo(chains);
            return chains;
        }
    }

    /// <summary>Epochs completed so far.</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>Minibatch steps taken so far; step s draws its random numbers from stream (seed, s).</summary>
    public long CompletedSteps { get; private set; }

    /// <summary>Rows of the current epoch already trained on (non-zero only after a cancelled epoch).</summary>
    public int EpochPosition { get; private set; }

    /// <summary>
    /// Trains for the remaining epochs of <see cref="TrainingOptions.Epochs"/>, reporting metrics
    /// after each. Cancellation is checked between minibatches.
    /// </summary>
    /// <param name="data">Training rows, nv columns, values in [0, 1].</param>
    /// <param name="heldOut">Optional held-out rows for the free-energy gap and held-out likelihood.</param>
    /// <param name="onEpoch">Called after each epoch with its metrics.</param>
    /// <param name="cancellationToken">Stops training at the end of the current minibatch; <see cref="CreateCheckpoint"/> then resumes from the next one.</param>
    /// <param name="onBatch">Called after each minibatch (for progress displays).</param>
    /// <returns>The metrics of every epoch trained by this call.</returns>
    /// <exception cref="ArgumentException">The data has the wrong shape, no rows, or values outside [0, 1].</exception>
    /// <exception cref="OperationCanceledException">Training was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">A parameter became NaN or infinite.</exception>
    public IReadOnlyList<EpochMetrics> Train(ReadOnlyMatrixView data, ReadOnlyMatrixView heldOut = default,
        Action<EpochMetrics>? onEpoch = null, CancellationToken cancellationToken = default, Action<BatchProgress>? onBatch = null) =>
        TrainCore(new MatrixRows(data), new MatrixRows(heldOut), onEpoch, onBatch, cancellationToken);

    /// <summary>
    /// Trains over rows read from <paramref name="data"/> one minibatch at a time (for compact data
    /// such as <see cref="ByteDataset"/>), reporting metrics after each epoch.
    /// </summary>
    /// <inheritdoc cref="Train(ReadOnlyMatrixView, ReadOnlyMatrixView, Action{EpochMetrics}, CancellationToken, Action{BatchProgress})"/>
    public IReadOnlyList<EpochMetrics> Train(IRowSource data, IRowSource? heldOut = null,
        Action<EpochMetrics>? onEpoch = null, CancellationToken cancellationToken = default, Action<BatchProgress>? onBatch = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return TrainCore(data, heldOut ?? EmptyRows.Instance, onEpoch, onBatch, cancellationToken);
    }

    /// <summary>Trains one epoch over <paramref name="data"/> in a seeded random order and returns its metrics.</summary>
    /// <exception cref="ArgumentException">The data has the wrong shape, no rows, or values outside [0, 1].</exception>
    /// <exception cref="TrainingDivergedException">A parameter became NaN or infinite.</exception>
    public EpochMetrics TrainEpoch(ReadOnlyMatrixView data, ReadOnlyMatrixView heldOut = default)
    {
        var train = new MatrixRows(data);
        var held = new MatrixRows(heldOut);
        ValidateData(train, nameof(data), allowEmpty: false);
        ValidateData(held, nameof(heldOut), allowEmpty: true);
        return TrainEpochUnchecked(train, held, null, CancellationToken.None);
    }

    private List<EpochMetrics> TrainCore<TData, THeld>(in TData data, in THeld heldOut, Action<EpochMetrics>? onEpoch,
        Action<BatchProgress>? onBatch, CancellationToken cancellationToken)
        where TData : IRowSource, allows ref struct
        where THeld : IRowSource, allows ref struct
    {
        ValidateData(data, nameof(data), allowEmpty: false);
        ValidateData(heldOut, nameof(heldOut), allowEmpty: true);
        var history = new List<EpochMetrics>();
        while (CompletedEpochs < Options.Epochs)
        {
            EpochMetrics metrics = TrainEpochUnchecked(data, heldOut, onBatch, cancellationToken);
            history.Add(metrics);
            onEpoch?.Invoke(metrics);
        }
        return history;
    }

    /// <summary>
    /// One CD-k or PCD update on a minibatch (at most <see cref="TrainingOptions.BatchSize"/> rows,
    /// values in [0, 1]; not checked here, for speed). Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The batch has the wrong shape or too many rows.</exception>
    public void Step(ReadOnlyMatrixView batch)
    {
        if (batch.Cols != Model.VisibleCount)
            throw new ArgumentException($"The batch has {batch.Cols} columns but the model has {Model.VisibleCount} visible units.", nameof(batch));
        if (batch.Rows == 0 || batch.Rows > Options.BatchSize)
            throw new ArgumentException($"The batch has {batch.Rows} rows; it must have 1 to {Options.BatchSize}.", nameof(batch));
        RandomStream random = StepStream(CompletedSteps);
        ComputeGradient(batch, ref random, _work.Gradient);
        ApplyGradient(_work.Gradient);
        CompletedSteps++;
    }

    /// <summary>The random stream minibatch step <paramref name="step"/> draws from.</summary>
    internal RandomStream StepStream(long step) => _root.Derive(StepStreams, (ulong)step);

    /// <summary>
    /// The CD-k or PCD estimate of the mean log-likelihood gradient on <paramref name="batch"/>,
    /// drawing from <paramref name="random"/>; advances the persistent chains under PCD.
    /// </summary>
    internal unsafe void ComputeGradient(ReadOnlyMatrixView batch, ref RandomStream random, RbmGradient gradient)
    {
        BernoulliRbm rbm = Model;
        int threads = _threads;
        int rows = batch.Rows;
        MatrixView v0 = _work.PositiveVisible(rows);
        if (!batch.Span.Overlaps(_work.Visible.AsSpan()))
            for (int r = 0; r < rows; r++) batch.Row(r).CopyTo(v0.Row(r));
        MatrixView h0 = _work.PositiveHidden(rows);
        rbm.MeanHiddens(v0, h0, threads);

        int chains = _work.Chains?.Rows ?? rows;
        MatrixView chainHidden = _work.ChainHidden.AsView().SliceRows(0, chains);
        MatrixView vk = _work.NegativeVisible(chains);
        MatrixView hk = _work.NegativeHidden(chains);
        if (_work.Chains is { } persistent)
        {
            persistent.CopyTo(chainHidden);
        }
        else
        {
            h0.Span.Slice(0, rows * rbm.HiddenCount).CopyTo(chainHidden.Span);
            BernoulliRbm.SampleInPlace(chainHidden, ref random, threads);
        }
        for (int step = 1; step <= Options.CdSteps; step++)
        {
            rbm.SampleVisibles(chainHidden, vk, ref random, threads);
            rbm.MeanHiddens(vk, hk, threads);
            if (step < Options.CdSteps)
            {
                hk.Span.Slice(0, chains * rbm.HiddenCount).CopyTo(chainHidden.Span);
                BernoulliRbm.SampleInPlace(chainHidden, ref random, threads);
            }
        }
        if (_work.Chains is { } advance)
        {
            // The chains continue from hˢ ~ P(h | vᵏ), drawn now from the probabilities this step has.
            hk.Span.Slice(0, chains * rbm.HiddenCount).CopyTo(chainHidden.Span);
            BernoulliRbm.SampleInPlace(chainHidden, ref random, threads);
            advance.SetFromDense(chainHidden, 0.5f);
        }

        ColumnMean(v0, _work.VisibleMean);
        ColumnMean(h0, _work.PositiveHiddenMean);
        ColumnMean(vk, gradient.VisibleBias);
        TensorPrimitives.Subtract(_work.VisibleMean, gradient.VisibleBias, gradient.VisibleBias);
        ColumnMean(hk, gradient.HiddenBias);
        TensorPrimitives.Subtract(_work.PositiveHiddenMean, gradient.HiddenBias, gradient.HiddenBias);

        // One product for both phases: [V⁰; Vᵏ]ᵀ · [H⁰/B; −Hᵏ/C].
        Span<float> hidden = _work.Hidden.AsSpan();
        int nh = rbm.HiddenCount, B = _work.BatchSize;
        TensorPrimitives.Multiply(hidden.Slice(0, rows * nh), 1f / rows, hidden.Slice(0, rows * nh));
        TensorPrimitives.Multiply(hidden.Slice(B * nh, chains * nh), -1f / chains, hidden.Slice(B * nh, chains * nh));
        ReadOnlyMatrixView stackedV = StackRows(_work.Visible, rows, chains);
        ReadOnlyMatrixView stackedH = StackRows(_work.Hidden, rows, chains);
        if (threads == 1)
        {
            // Same bits as the blocks below: the GEMM's per-element arithmetic does not depend on the block.
            Gemm.Multiply(stackedV, MatrixOp.Transpose, stackedH, MatrixOp.None, new MatrixView(gradient.Weights, rbm.VisibleCount, nh));
            return;
        }
        fixed (float* pv = stackedV.Span, ph = stackedH.Span, pg = gradient.Weights)
        {
            var body = new GradientBlock(pv, stackedV.Stride, ph, stackedH.Stride, stackedV.Rows, rbm.VisibleCount, nh, pg);
            ChunkedParallel.For(GradientBlock.BlockCount(rbm.VisibleCount), threads, body);
        }
    }

    /// <summary>
    /// The positive rows 0…rows−1 and negative rows B…B+chains−1 of a stacked buffer as one view.
    /// With a full batch they are contiguous; otherwise the negative rows are moved up to follow.
    /// </summary>
    private ReadOnlyMatrixView StackRows(Matrix stacked, int rows, int chains)
    {
        int cols = stacked.Cols, B = _work.BatchSize;
        if (rows < B)
            stacked.AsSpan().Slice(B * cols, chains * cols).CopyTo(stacked.AsSpan().Slice(rows * cols));
        return stacked.AsReadOnlyView().SliceRows(0, rows + chains);
    }

    private void ApplyGradient(RbmGradient gradient)
    {
        TrainingOptions o = Options;
        BernoulliRbm rbm = Model;
        if (o.SparsityTarget > 0f && o.SparsityCost > 0f)
        {
            // Hinton's guide, section 11: q ← λq + (1 − λ)·mean activation; the penalty's derivative
            // with respect to a hidden unit's total input is cost·(q − p).
            Span<float> penalty = _work.Scratch.AsSpan(0, rbm.HiddenCount);
            ReadOnlySpan<float> mean = _work.PositiveHiddenMean;
            for (int j = 0; j < penalty.Length; j++)
            {
                _sparsityMean[j] = o.SparsityDecay * _sparsityMean[j] + (1 - o.SparsityDecay) * mean[j];
                penalty[j] = o.SparsityCost * (_sparsityMean[j] - o.SparsityTarget);
            }
            TensorPrimitives.Subtract(gradient.HiddenBias, penalty, gradient.HiddenBias);
            ReadOnlySpan<float> vMean = _work.VisibleMean;
            for (int i = 0; i < vMean.Length; i++)
            {
                Span<float> row = gradient.Weights.Slice(i * rbm.HiddenCount, rbm.HiddenCount);
                TensorPrimitives.MultiplyAdd(penalty, -vMean[i], row, row);
            }
        }

        float momentum = o.MomentumAt(CompletedEpochs);
        float rate = o.LearningRate;
        RbmGradient v = _work.Velocity;
        Update(v.Weights, gradient.Weights, momentum, rate, o.WeightDecay, rbm.MutableWeights);
        Update(v.VisibleBias, gradient.VisibleBias, momentum, rate, 0f, rbm.MutableVisibleBias);
        Update(v.HiddenBias, gradient.HiddenBias, momentum, rate, 0f, rbm.MutableHiddenBias);
    }

    /// <summary>
    /// <c>velocity ← μ·velocity + η·(gradient − λ·parameter); parameter ← parameter + velocity</c>, in one
    /// pass over the three arrays (three separate passes cost twice as much at nv·nh = 392,000).
    /// </summary>
    private static void Update(Span<float> velocity, ReadOnlySpan<float> gradient, float momentum, float rate, float decay, Span<float> parameter)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> mu = Vector256.Create(momentum), eta = Vector256.Create(rate), lambda = Vector256.Create(decay);
            for (; i <= velocity.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> p = Vector256.Create(parameter.Slice(i, 8));
                Vector256<float> step = mu * Vector256.Create(velocity.Slice(i, 8)) + eta * (Vector256.Create(gradient.Slice(i, 8)) - lambda * p);
                step.CopyTo(velocity.Slice(i, 8));
                (p + step).CopyTo(parameter.Slice(i, 8));
            }
        }
        for (; i < velocity.Length; i++)
        {
            float step = momentum * velocity[i] + rate * (gradient[i] - decay * parameter[i]);
            velocity[i] = step;
            parameter[i] += step;
        }
    }

    private EpochMetrics TrainEpochUnchecked<TData, THeld>(in TData data, in THeld heldOut, Action<BatchProgress>? onBatch, CancellationToken cancellationToken)
        where TData : IRowSource, allows ref struct
        where THeld : IRowSource, allows ref struct
    {
        var clock = Stopwatch.StartNew();
        int rowCount = data.RowCount;
        if (EpochPosition > rowCount)
            throw new ArgumentException($"The checkpoint stopped {EpochPosition} rows into an epoch but the data has {rowCount} rows.", nameof(data));
        ShuffleOrder(rowCount);
        int batchSize = Options.BatchSize;
        int batches = (rowCount + batchSize - 1) / batchSize;
        while (EpochPosition < rowCount)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int start = EpochPosition;
            int rows = Math.Min(batchSize, rowCount - start);
            MatrixView batch = _work.PositiveVisible(rows);
            for (int r = 0; r < rows; r++) data.CopyRow(_order[start + r], batch.Row(r));
            Step(batch);
            EpochPosition = start + rows;
            onBatch?.Invoke(new BatchProgress(CompletedEpochs + 1, start / batchSize + 1, batches, EpochPosition, clock.Elapsed.TotalSeconds));
        }
        double seconds = clock.Elapsed.TotalSeconds;
        if (!Model.HasFiniteParameters())
            throw new TrainingDivergedException(CompletedEpochs + 1);
        CompletedEpochs++;
        EpochPosition = 0;
        return Measure(data, heldOut, seconds);
    }

    private EpochMetrics Measure<TData, THeld>(in TData data, in THeld heldOut, double seconds)
        where TData : IRowSource, allows ref struct
        where THeld : IRowSource, allows ref struct
    {
        int monitorRows = Options.MonitorRows == 0 ? data.RowCount : Math.Min(Options.MonitorRows, data.RowCount);
        DataFit train = ModelMetrics.Evaluate(Model, data, monitorRows, _threads);
        double? fHeld = heldOut.RowCount > 0 ? ModelMetrics.Evaluate(Model, heldOut, heldOut.RowCount, _threads).MeanFreeEnergy : null;
        double? logZ = null, llTrain = null, llHeld = null;
        if (Math.Min(Model.VisibleCount, Model.HiddenCount) <= Options.ExactLogLikelihoodMaxUnits)
        {
            double z = ExactPartitionFunction.LogPartitionFunction(Model, maxDegreeOfParallelism: _threads);
            logZ = z;
            llTrain = -train.MeanFreeEnergy - z;
            llHeld = -fHeld - z;
        }
        return new EpochMetrics(CompletedEpochs, seconds, train.ReconstructionError, train.MeanFreeEnergy, fHeld, logZ, llTrain, llHeld);
    }

    private void ShuffleOrder(int rows)
    {
        if (_order.Length != rows) _order = new int[rows];
        for (int i = 0; i < rows; i++) _order[i] = i;
        RandomStream random = _root.Derive(ShuffleStreams, (ulong)CompletedEpochs);
        for (int i = rows - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
    }

    private void ValidateData<T>(in T data, string name, bool allowEmpty) where T : IRowSource, allows ref struct
    {
        if (data.RowCount == 0)
        {
            if (allowEmpty) return;
            throw new ArgumentException("The data has no rows.", name);
        }
        if (data.ColumnCount != Model.VisibleCount)
            throw new ArgumentException($"The data has {data.ColumnCount} columns but the model has {Model.VisibleCount} visible units.", name);
        Span<float> row = _work.PositiveVisible(1).Row(0);
        for (int r = 0; r < data.RowCount; r++)
        {
            data.CopyRow(r, row);
            for (int c = 0; c < row.Length; c++)
                if (!(row[c] >= 0f && row[c] <= 1f))
                    throw new ArgumentException($"Row {r}, column {c} is {row[c]}; Bernoulli visible units need values in [0, 1].", name);
        }
    }

    private static void ColumnMean(ReadOnlyMatrixView m, Span<float> mean)
    {
        mean.Clear();
        for (int r = 0; r < m.Rows; r++) TensorPrimitives.Add(mean, m.Row(r), mean);
        TensorPrimitives.Multiply(mean, 1f / m.Rows, mean);
    }

}
