using System.Diagnostics;
using System.Numerics.Tensors;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Training;

/// <summary>
/// Trains any <see cref="IRbm"/> in place by contrastive divergence (CD-k) or persistent contrastive
/// divergence (PCD), with momentum, L2 weight decay and a sparsity target.
/// </summary>
/// <remarks>
/// One step on a minibatch V⁰ of B rows, every random number drawn from a stream addressed by (seed, step):
/// <code>
/// H⁰ = P(h | V⁰)                                  positive phase
/// (Vᵏ, Hᵏ) from the negative-phase strategy       CD-k: k Gibbs steps from Hˢ ~ H⁰; PCD: from the chains
/// H⁰ ← H⁰ − cost·(q − p)                          sparsity (when on), q the running mean of H⁰
/// ∇θ = statistics(V⁰, H⁰) − statistics(Vᵏ, Hᵏ)    the model's gradient of the mean log-likelihood
/// Δθ ← μΔθ + η_g(∇θ − λ_g θ);  θ ← θ + Δθ         per parameter group g (decay on weights only)
/// </code>
/// Shifting the data phase's hidden means by the penalty is Hinton's sparsity rule (the penalty's derivative
/// with respect to each hidden unit's total input) applied through every parameter that feeds that input.
/// All buffers are owned by the trainer, so steps allocate nothing. A trainer is not thread-safe: one
/// thread at a time may call <see cref="Step"/> or <see cref="Train(IRowSource, IRowSource?, Action{EpochMetrics}?, CancellationToken, Action{BatchProgress}?)"/>;
/// a second concurrent call throws <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class RbmTrainer
{
    private const ulong StepStreams = 1, ShuffleStreams = 2, ChainStreams = 3, MonitorStreams = 4;

    private readonly TrainingWorkspace _work;
    private readonly INegativePhase _negative;
    private readonly RandomStream _root;
    private readonly float[] _sparsityMean;
    private readonly int _threads;
    private int[] _order = [];
    private int _busy;
    private Matrix? _randomRows;
    private float[]? _aisBase;

    /// <summary>Creates a trainer that updates <paramref name="model"/> in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public RbmTrainer(IRbm model, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Model = model;
        Options = options;
        _root = new RandomStream(options.Seed);
        _threads = ChunkedParallel.Resolve(options.MaxDegreeOfParallelism, nameof(options.MaxDegreeOfParallelism));
        _negative = CreateNegativePhase(model, options, _root.Derive(ChainStreams));
        _work = new TrainingWorkspace(model, options.BatchSize, Math.Max(options.BatchSize, _negative.ChainCount(options.BatchSize)));
        _sparsityMean = new float[model.HiddenCount];
        _sparsityMean.AsSpan().Fill(options.SparsityTarget);
    }

    /// <summary>The negative phase the options choose: parallel tempering, PCD or CD-k.</summary>
    private static INegativePhase CreateNegativePhase(IRbm model, TrainingOptions options, RandomStream chainStream) =>
        options.ParallelTemperingReplicas > 0
            ? new ParallelTempering(model, options.ParallelTemperingReplicas, options.ParallelTemperingMinBeta, options.PersistentChainCount, options.CdSteps, chainStream)
            : options.Persistent
                ? new PersistentContrastiveDivergence(options.CdSteps, options.PersistentChainCount, model.HiddenCount, chainStream)
                : new ContrastiveDivergence(options.CdSteps);

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
        checkpoint.Velocity.CopyTo(trainer._work.Velocity);
        if (checkpoint.Chains is { } saved) trainer._negative.RestoreState(saved);
        for (int j = 0; j < trainer._sparsityMean.Length; j++) trainer._sparsityMean[j] = checkpoint.SparsityMean[j];
        trainer.CompletedEpochs = checkpoint.CompletedEpochs;
        trainer.CompletedSteps = checkpoint.CompletedSteps;
        trainer.EpochPosition = checkpoint.EpochPosition;
        return trainer;
    }

    /// <summary>A copy of everything needed to resume exactly from here (<see cref="Resume"/>).</summary>
    public TrainingCheckpoint CreateCheckpoint() =>
        new(Model, Options, _work.Velocity, _negative.SaveState(), _sparsityMean, CompletedEpochs, CompletedSteps, EpochPosition);

    /// <summary>The model being trained.</summary>
    public IRbm Model { get; }

    /// <summary>The options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The strategy that draws the negative phase.</summary>
    public INegativePhase NegativePhase => _negative;

    /// <summary>The persistent chains' hidden states (PCD), or null for CD-k.</summary>
    internal Matrix? PersistentChains => _negative.SaveState();

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
        Enter();
        try
        {
            return TrainEpochUnchecked(train, held, null, CancellationToken.None);
        }
        finally
        {
            Exit();
        }
    }

    private List<EpochMetrics> TrainCore<TData, THeld>(in TData data, in THeld heldOut, Action<EpochMetrics>? onEpoch,
        Action<BatchProgress>? onBatch, CancellationToken cancellationToken)
        where TData : IRowSource, allows ref struct
        where THeld : IRowSource, allows ref struct
    {
        ValidateData(data, nameof(data), allowEmpty: false);
        ValidateData(heldOut, nameof(heldOut), allowEmpty: true);
        var history = new List<EpochMetrics>();
        Enter();
        try
        {
            while (CompletedEpochs < Options.Epochs)
            {
                EpochMetrics metrics = TrainEpochUnchecked(data, heldOut, onBatch, cancellationToken);
                history.Add(metrics);
                onEpoch?.Invoke(metrics);
            }
        }
        finally
        {
            Exit();
        }
        return history;
    }

    /// <summary>
    /// One CD-k or PCD update on a minibatch (at most <see cref="TrainingOptions.BatchSize"/> rows, valid
    /// visible values; not checked here, for speed). Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException">The batch has the wrong shape or too many rows.</exception>
    /// <exception cref="InvalidOperationException">Another thread is using this trainer.</exception>
    public void Step(ReadOnlyMatrixView batch)
    {
        if (batch.Cols != Model.VisibleCount)
            throw new ArgumentException($"The batch has {batch.Cols} columns but the model has {Model.VisibleCount} visible units.", nameof(batch));
        if (batch.Rows == 0 || batch.Rows > Options.BatchSize)
            throw new ArgumentException($"The batch has {batch.Rows} rows; it must have 1 to {Options.BatchSize}.", nameof(batch));
        Enter();
        try
        {
            StepCore(batch);
        }
        finally
        {
            Exit();
        }
    }

    private void StepCore(ReadOnlyMatrixView batch)
    {
        RandomStream random = StepStream(CompletedSteps);
        ComputeGradient(batch, ref random, _work.Gradient);
        ApplyGradient(_work.Gradient);
        CompletedSteps++;
    }

    /// <summary>The random stream minibatch step <paramref name="step"/> draws from.</summary>
    internal RandomStream StepStream(long step) => _root.Derive(StepStreams, (ulong)step);

    /// <summary>
    /// The CD-k or PCD estimate of the mean log-likelihood gradient on <paramref name="batch"/> (with the
    /// sparsity penalty), drawing from <paramref name="random"/>; advances the persistent chains under PCD
    /// and the sparsity running means.
    /// </summary>
    internal void ComputeGradient(ReadOnlyMatrixView batch, ref RandomStream random, ParameterSet gradient)
    {
        PhaseBatch phases = LoadPhases(batch);
        Model.MeanHiddens(phases.DataVisible, phases.DataHidden, Temperature.One, _threads);   // positive phase
        _negative.Run(Model, phases, _work.ChainHidden, ref random, _threads);                 // negative phase
        ApplySparsity(phases.DataHidden);                                                    // H⁰ − cost·(q − p)
        Model.ComputeGradient(phases, gradient, _threads);                                   // data − model
    }

    /// <summary>The stacked phases of <paramref name="batch"/>, copied into the workspace unless it is already there.</summary>
    private PhaseBatch LoadPhases(ReadOnlyMatrixView batch)
    {
        int rows = batch.Rows;
        PhaseBatch phases = _work.Phases(rows, _negative.ChainCount(rows));
        MatrixView v0 = phases.DataVisible;
        if (!batch.Span.Overlaps(_work.Visible.AsSpan()))
            for (int r = 0; r < rows; r++) batch.Row(r).CopyTo(v0.Row(r));
        // A conditional model's chains read their context from their rows: chain r takes data row r mod B's.
        if (Model.ContextCount > 0)
            for (int r = 0; r < phases.ModelRows; r++) v0.Row(r % rows).CopyTo(phases.ModelVisible.Row(r));
        return phases;
    }

    /// <summary>
    /// Hinton's guide, section 11: <c>q ← λq + (1 − λ)·mean(H⁰)</c>, and each hidden unit's data statistic is
    /// shifted by the penalty's derivative with respect to its total input, <c>cost·(q − p)</c>.
    /// </summary>
    private void ApplySparsity(MatrixView dataHidden)
    {
        TrainingOptions o = Options;
        if (!(o.SparsityTarget > 0f && o.SparsityCost > 0f)) return;
        Span<float> penalty = _work.HiddenMean;
        penalty.Clear();
        for (int r = 0; r < dataHidden.Rows; r++) TensorPrimitives.Add(penalty, dataHidden.Row(r), penalty);
        TensorPrimitives.Multiply(penalty, 1f / dataHidden.Rows, penalty);
        Model.AverageOverSharedHiddenUnits(penalty); // one target per group of units sharing parameters (a convolutional map)
        for (int j = 0; j < penalty.Length; j++)
        {
            _sparsityMean[j] = o.SparsityDecay * _sparsityMean[j] + (1 - o.SparsityDecay) * penalty[j];
            penalty[j] = o.SparsityCost * (_sparsityMean[j] - o.SparsityTarget);
        }
        for (int r = 0; r < dataHidden.Rows; r++) TensorPrimitives.Subtract(dataHidden.Row(r), penalty, dataHidden.Row(r));
    }

    /// <summary><c>Δθ ← μΔθ + η_g(∇θ − λ_g θ); θ ← θ + Δθ</c> for every parameter tensor, then the group's bounds.</summary>
    private void ApplyGradient(ParameterSet gradient)
    {
        TrainingOptions o = Options;
        float momentum = o.MomentumAt(CompletedEpochs), factor = o.LearningRateFactorAt(CompletedEpochs);
        ParameterSet parameters = Model.Parameters, velocity = _work.Velocity;
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter p = parameters[i];
            float rate = o.LearningRateFor(p.Group) * factor;
            if (o.LearningRateFor(p.Group) == 0f) continue; // a frozen group (e.g. fixed variances) keeps its values and zero velocity
            MomentumStep.Apply(velocity[i].Span, gradient[i].Span, p.Span, momentum, rate, o.WeightDecayFor(p.Group));
            if (p.Group == ParameterGroup.LogVariances) ClampBelow(p.Span, 2 * MathF.Log(o.MinVisibleStandardDeviation));
        }
    }

    private static void ClampBelow(Span<float> values, float floor)
    {
        for (int i = 0; i < values.Length; i++)
            if (values[i] < floor) values[i] = floor;
    }

    private void Enter()
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            throw new InvalidOperationException("This trainer is already training on another thread; a trainer is not thread-safe.");
    }

    private void Exit() => Volatile.Write(ref _busy, 0);

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
            MatrixView batch = _work.BatchRows(rows);
            for (int r = 0; r < rows; r++) data.CopyRow(_order[start + r], batch.Row(r));
            StepCore(batch);
            EpochPosition = start + rows;
            onBatch?.Invoke(new BatchProgress(CompletedEpochs + 1, start / batchSize + 1, batches, EpochPosition, clock.Elapsed.TotalSeconds));
        }
        double seconds = clock.Elapsed.TotalSeconds;
        if (!Model.Parameters.IsFinite())
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
        string? method = null;
        if (Model.ContextCount > 0)
        {
            // log Z depends on the context: no single log-likelihood (ConditionalLikelihood scores rows one context at a time).
        }
        else if (Model.EnumeratedUnitCount <= Options.ExactLogLikelihoodMaxUnits)
        {
            logZ = ExactPartitionFunction.LogPartitionFunction(Model, maxDegreeOfParallelism: _threads);
            method = "exact";
        }
        else if (Options.AisMonitorRuns > 0)
        {
            _aisBase ??= BaseModel.VisibleBias(Model, MonitorSample(data, monitorRows));
            var ais = new AisOptions
            {
                Runs = Options.AisMonitorRuns, Schedule = AnnealingSchedule.SalakhutdinovMurray(Options.AisMonitorTemperatures),
                BaseVisibleBias = _aisBase, Seed = _root.Derive(MonitorStreams, (ulong)CompletedEpochs).NextUInt64(), MaxDegreeOfParallelism = _threads,
            };
            logZ = AnnealedImportanceSampling.Estimate(Model, ais).LogZ;
            method = "ais";
        }
        if (logZ is { } z)
        {
            llTrain = -train.MeanFreeEnergy - z;
            llHeld = -fHeld - z;
        }
        return new EpochMetrics(CompletedEpochs, seconds, train.ReconstructionError, train.MeanFreeEnergy, fHeld, logZ, llTrain, llHeld)
        {
            LogZMethod = method,
            FreeEnergyRandom = Options.MonitorRandomRows > 0 ? RandomInputFreeEnergy() : null,
            SwapAcceptanceRates = _negative.TakeSwapAcceptanceRates(),
            PredictionErrorHeldOut = Model is ConditionalRbm conditional && heldOut.RowCount > 0
                ? PredictionError.Mean(conditional, in heldOut, new PredictionOptions(), _root.Derive(MonitorStreams, (ulong)CompletedEpochs).NextUInt64(), maxDegreeOfParallelism: _threads)
                : null,
        };
    }

    /// <summary>The monitored training rows as a data set (the base model of the AIS monitor is fitted to them).</summary>
    private static Dataset MonitorSample<T>(in T data, int rows) where T : IRowSource, allows ref struct
    {
        var m = new Matrix(rows, data.ColumnCount);
        for (int r = 0; r < rows; r++) data.CopyRow(r, m.Row(r));
        return new Dataset(m);
    }

    /// <summary>
    /// The mean free energy of a fixed set of random inputs, drawn once per trainer from the seed: fair coin flips for
    /// Bernoulli units, standard normal values for Gaussian ones (the scale of standardised or whitened data).
    /// </summary>
    private double RandomInputFreeEnergy()
    {
        if (_randomRows is null)
        {
            var rows = new Matrix(Options.MonitorRandomRows, Model.VisibleCount);
            RandomStream random = _root.Derive(MonitorStreams, ulong.MaxValue);
            if (Model.VisibleUnits == VisibleUnitKind.Gaussian)
            {
                Gaussian.SampleStandard(rows.AsSpan(), ref random);
            }
            else
            {
                random.NextSingles(rows.AsSpan());
                Span<float> v = rows.AsSpan();
                for (int i = 0; i < v.Length; i++) v[i] = v[i] < 0.5f ? 1f : 0f;
            }
            _randomRows = rows;
        }
        var energies = new double[_randomRows.Rows];
        Model.FreeEnergy(_randomRows, energies, Temperature.One, _threads);
        double sum = 0;
        foreach (double f in energies) sum += f;
        return sum / energies.Length;
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
        Span<float> row = _work.BatchRows(1).Row(0);
        for (int r = 0; r < data.RowCount; r++)
        {
            data.CopyRow(r, row);
            for (int c = 0; c < row.Length; c++)
                if (!Model.IsValidVisibleValue(row[c]))
                    throw new ArgumentException($"Row {r}, column {c} is {row[c]}; {VisibleValueRange(Model.VisibleUnits)}.", name);
        }
    }

    private static string VisibleValueRange(VisibleUnitKind units) => units switch
    {
        VisibleUnitKind.Bernoulli => "Bernoulli visible units need values in [0, 1]",
        _ => "Gaussian visible units need finite values",
    };
}
