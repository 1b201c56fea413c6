using System.CommandLine;
using System.Globalization;
using RbmSimd.Cli.Commands;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Preprocessing;
using RbmSimd.Training;

namespace RbmSimd.Cli.Training;

/// <summary>What <c>rbm train --model conditional</c> was asked for, beyond the shared training options.</summary>
/// <param name="Spec">--data.</param>
/// <param name="Context">--context.</param>
/// <param name="History">--history (frames of context; ignored for label contexts).</param>
/// <param name="HeldOut">--held-out.</param>
/// <param name="Hidden">--hidden.</param>
/// <param name="Visible">--visible.</param>
/// <param name="Csv">The CSV options.</param>
/// <param name="Standardize">Gaussian units: standardise the frames (fitted on the training frames, stored with the model).</param>
/// <param name="WeightInit">--weight-init, or null for the kind's default.</param>
internal sealed record ConditionalRequest(string Spec, ContextKind Context, int History, double HeldOut, int Hidden, VisibleUnitKind Visible, CsvChoices Csv,
    bool Standardize, float? WeightInit);

/// <summary>
/// <c>rbm train --model conditional</c>: a conditional RBM on sequences (each frame given its --history previous frames) or on a
/// labelled data set (given the class), trained by the same run machinery as every other model (progress, metrics.csv with
/// the held-out prediction error, checkpoints, Ctrl+C, pictures).
/// </summary>
internal static class ConditionalTrainRun
{
    /// <summary>The default history length (frames of context).</summary>
    public const int DefaultHistory = 2;

    /// <summary>
    /// Defaults of the options that depend on the visible units, for conditional models (measured: docs/conditional.md). Binary
    /// frames learn in tens of epochs; Gaussian units (standardised channels) need small steps and many epochs, with learned
    /// variances that let the hidden units matter.
    /// </summary>
    public static readonly KindDefaults Bernoulli = new(Hidden: 400, Epochs: 10, BatchSize: 100, LearningRate: 0.01f, Momentum: 0.5f, FinalMomentum: 0.9f,
        WeightDecay: 2e-4f, LearningRateDecayEpochs: 10);

    /// <inheritdoc cref="Bernoulli"/>
    public static readonly KindDefaults Gaussian = new(Hidden: 100, Epochs: 200, BatchSize: 100, LearningRate: 0.002f, Momentum: 0.5f, FinalMomentum: 0.5f,
        WeightDecay: 2e-4f, LearningRateDecayEpochs: 200);

    /// <summary>The Gaussian units' default log-variance learning rate, as a fraction of the learning rate.</summary>
    public const float VarianceRateFactor = 0.5f;

    /// <summary>The defaults for the units and the context: sequences take <see cref="Bernoulli"/> or <see cref="Gaussian"/>; a class label, the dense models' (<see cref="KindDefaults"/>).</summary>
    public static KindDefaults DefaultsFor(VisibleUnitKind units, ContextKind context) => context == ContextKind.Label
        ? units == VisibleUnitKind.Gaussian ? KindDefaults.Gaussian : KindDefaults.Bernoulli
        : units == VisibleUnitKind.Gaussian ? Gaussian : Bernoulli;

    /// <summary>The training options with the conditional defaults (<paramref name="kind"/>) for every option the command line left out.</summary>
    public static TrainingOptions Defaults(ParseResult parse, TrainingOptionSet t, TrainingOptions read, KindDefaults kind, VisibleUnitKind units, float contextScale,
        float? contextDecay)
    {
        bool Given(Option o) => parse.GetResult(o) is { Implicit: false };
        float rate = Given(t.LearningRate) ? read.LearningRate : kind.LearningRate;
        float weightDecay = Given(t.WeightDecay) ? read.WeightDecay : kind.WeightDecay;
        TrainingOptions options = read with
        {
            Epochs = Given(t.Epochs) ? read.Epochs : kind.Epochs,
            BatchSize = Given(t.BatchSize) ? read.BatchSize : kind.BatchSize,
            LearningRate = rate,
            LearningRateDecayEpochs = Given(t.DecayEpochs) ? read.LearningRateDecayEpochs : kind.LearningRateDecayEpochs,
            InitialMomentum = Given(t.Momentum) ? read.InitialMomentum : kind.Momentum,
            FinalMomentum = Given(t.FinalMomentum) ? read.FinalMomentum : read.KeepsChains ? Math.Min(kind.FinalMomentum, KindDefaults.PersistentFinalMomentum) : kind.FinalMomentum,
            WeightDecay = weightDecay,
            LogVarianceLearningRate = units == VisibleUnitKind.Gaussian && kind == Gaussian && !Given(t.VarianceRate) && parse.GetValue(t.Variance) != "fixed"
                ? rate * VarianceRateFactor : read.LogVarianceLearningRate,
            MinVisibleStandardDeviation = units == VisibleUnitKind.Gaussian && kind == Gaussian ? 0.05f : read.MinVisibleStandardDeviation,
            ContextLearningRateScale = contextScale,
            ContextWeightDecay = contextDecay ?? weightDecay,
        };
        options.Validate();
        return options;
    }

    /// <summary>Checkpoint metadata keys of a conditional run: the model, what the context is and the history length.</summary>
    private const string ModelKey = "model", ContextKey = "context", HistoryKey = "history";

    /// <summary>Copies a conditional run's own metadata (model, context, history) from the checkpoint's into the new one.</summary>
    public static void AddMetadata(Dictionary<string, string> destination, IReadOnlyDictionary<string, string> checkpoint)
    {
        foreach (string key in new[] { ModelKey, ContextKey, HistoryKey })
            if (checkpoint.TryGetValue(key, out string? value)) destination[key] = value;
    }

    /// <summary>
    /// The rows a conditional run trained on, rebuilt for <c>--resume</c> from the checkpoint's record of them: the same data,
    /// context and history, the frames through the transform stored in the checkpoint (never refitted).
    /// </summary>
    public static LoadedData LoadForResume(DataRequest request, double heldOutFraction, IReadOnlyDictionary<string, string> metadata, string checkpointPath, ulong seed)
    {
        ContextKind context = metadata.TryGetValue(ContextKey, out string? c) && c == "label" ? ContextKind.Label : ContextKind.History;
        int history = metadata.TryGetValue(HistoryKey, out string? h) && int.TryParse(h, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
        if (context == ContextKind.History && history < 1)
            throw new InvalidDataException($"{checkpointPath}: the checkpoint of a conditional run does not record its history length.");
        Transform? transform = Persistence.ModelFile.LoadWithTransform(checkpointPath).DataTransform;
        (ConditionalData data, _) = ConditionalDataSource.Load(request.Spec, context, history, heldOutFraction, request.CsvOrAuto, request.RealValued, _ => transform, seed);
        return new LoadedData(data.Train, data.HeldOut, data.ImageWidth, data.ImageHeight) { Source = data.Source, Kind = DataKind.Sequences, Notes = data.Notes };
    }

    public static int Start(ConditionalRequest request, TrainingOptions options, string? output, bool force, double interval, WatchSettings watch)
    {
        if (options.ParallelTemperingReplicas > 0)
            throw new UsageException("--parallel-tempering keeps chains of one distribution; a conditional model has one per context: use CD-k or --pcd.");
        bool gaussian = request.Visible == VisibleUnitKind.Gaussian;
        // The data is read and checked before any folder is made: bad data leaves nothing behind.
        (ConditionalData data, Transform? transform) = ConditionalDataSource.Load(request.Spec, request.Context, request.History, request.HeldOut,
            request.Csv, gaussian, frames => gaussian && request.Standardize ? Standardization.Fit(frames, DataPreparation.StandardizeEpsilon) : null, options.Seed);
        foreach (string note in data.Notes) Console.WriteLine($"note: {note}");
        ConditionalRbm model = ConditionalRbm.CreateRandom(request.Visible, data.FrameCount, data.ContextCount, request.Hidden, options.Seed, data.Train,
            request.WeightInit, data.History);
        // Context weights held fixed are held at 0: the model is then the unconditional RBM of the frames (bit for bit), the baseline
        // a conditional model is compared with.
        if (options.ContextLearningRateScale == 0)
            foreach (Parameter p in model.Parameters)
                if (p.Group == ParameterGroup.ContextWeights) p.Span.Clear();
        RbmTrainer trainer;
        try
        {
            trainer = new RbmTrainer(model, options);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException(e.Message.Split('\n')[0]);
        }
        var loaded = new LoadedData(data.Train, data.HeldOut, data.ImageWidth, data.ImageHeight) { Source = data.Source, Kind = DataKind.Sequences, Notes = data.Notes };
        DataFingerprint fingerprint = DataFingerprint.Of(loaded);
        var spec = new DataSpec(new DataRequest(request.Spec, null, request.Csv) { RealValued = gaussian }, request.HeldOut, request.Hidden)
        {
            Visible = gaussian ? "gaussian" : "bernoulli",
        };
        Dictionary<string, string> metadata = watch.AddTo(spec.ToMetadata(loaded, fingerprint));
        metadata[ModelKey] = ConditionalRbm.KindName;
        metadata[ContextKey] = request.Context == ContextKind.Label ? "label" : "history";
        metadata[HistoryKey] = data.History.ToString(CultureInfo.InvariantCulture);
        using RunFolder folder = RunFolder.ForNewRun(output, force);
        MetricsLog metrics = MetricsLog.Create(folder.File(TrainRun.MetricsName));
        return TrainRun.Run(trainer, loaded, loaded, transform, metadata, folder, metrics, carriedSeconds: 0, interval, watch);
    }
}
