using System.Diagnostics;
using System.Globalization;
using RbmSimd.Cli.Pictures;
using RbmSimd.Cli.Terminal;
using RbmSimd.IO;
using RbmSimd.Persistence;
using RbmSimd.Model;
using RbmSimd.Preprocessing;
using RbmSimd.Training;

namespace RbmSimd.Cli.Training;

/// <summary>
/// One run of <c>rbm train</c>: training with progress; the model, a checkpoint and the new metrics rows every
/// <c>--save-interval</c> seconds, at the end and on Ctrl+C or SIGTERM; pictures at the end; resume. Every file is
/// written atomically (metrics.csv is appended to), so a crash leaves the last good one.
/// </summary>
internal static class TrainRun
{
    public const string CheckpointName = "checkpoint.npz", ModelName = "model.npz", MetricsName = "metrics.csv", BestModelName = "best-model.npz";

    /// <summary>Seconds between saves by default: a small run costs its computation, a long one loses at most this much.</summary>
    public const double DefaultSaveInterval = 5;

    /// <summary>Exit code after Ctrl+C (SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Exit code after SIGTERM, as shells report it.</summary>
    public const int Terminated = 143;

    /// <summary>Tests stop a run in-process as Ctrl+C would: called after each minibatch, true stops after it.</summary>
    internal static Func<BatchProgress, bool>? StopWhenForTests { get; set; }

    /// <summary>The checkpoint metadata key for the seconds already spent in an epoch stopped part-way.</summary>
    private const string EpochSecondsKey = "epoch_seconds";

    /// <summary>Thrown from the epoch callback to end training after that epoch (early stopping, divergence).</summary>
    private sealed class StopAfterEpoch(string message, bool failure) : Exception(message)
    {
        public bool Failure { get; } = failure;
    }

    public static int Start(DataSpec spec, ModelChoice model, DataPreparation preparation, TrainingOptions options, string? output, bool force, double interval,
        WatchSettings watch)
    {
        // The data is read and checked before any folder is made: bad data leaves nothing behind.
        LoadedData data = spec.Load(options.Seed);
        foreach (string note in data.Notes) Say($"note: {note}");
        DataFingerprint fingerprint = DataFingerprint.Of(data);
        Transform? transform = preparation.Fit(data);
        LoadedData prepared = DataPreparation.Apply(transform, data);
        IRbm rbm = model.Create(prepared.Train, spec.Hidden, options.Seed, data.ImageWidth, data.ImageHeight);
        var trainer = new RbmTrainer(rbm, options);
        using RunFolder folder = RunFolder.ForNewRun(output, force);
        MetricsLog metrics = MetricsLog.Create(folder.File(MetricsName));
        return Run(trainer, data, prepared, transform, watch.AddTo(spec.ToMetadata(data, fingerprint)), folder, metrics, carriedSeconds: 0, interval, watch);
    }

    public static int Resume(string folderArgument, int? epochs, int? threads, double? interval, IReadOnlyList<ResumeCheck> checks, DataRequest? givenData,
        int? earlyStopping, DivergenceAction? onDivergence)
    {
        using RunFolder folder = RunFolder.ForResume(folderArgument);
        string path = folder.File(CheckpointName);
        string shown = Display.Quote(folderArgument);
        if (!File.Exists(path)) throw new UsageException($"--resume {shown}: {CheckpointName} not found: nothing to resume in {Display.Quote(folder.DisplayPath)}.");
        var (checkpoint, metadata) = CheckpointFile.Load(path);
        bool conditional = checkpoint.Model.ContextCount > 0;
        DataSpec spec = DataSpec.FromMetadata(metadata, path);

        string[] contradictions = checks.Select(c => c.Contradiction(checkpoint.Options, spec)).OfType<string>().ToArray();
        if (contradictions.Length > 0)
            throw new UsageException($"--resume {shown}: {string.Join("; ", contradictions)}: {(contradictions.Length == 1 ? "it contradicts" : "they contradict")} " +
                "the checkpoint; leave them out (only --epochs, --threads, --save-interval, --early-stopping and --on-divergence may change when resuming).");
        if (epochs is { } e && e < checkpoint.CompletedEpochs)
            throw new UsageException($"--epochs {e} is fewer than the {checkpoint.CompletedEpochs} epochs the run in {shown} has completed.");
        int total = epochs ?? checkpoint.Options.Epochs;
        if (checkpoint.CompletedEpochs >= total && checkpoint.EpochPosition == 0)
            throw new UsageException($"--resume {shown}: the run has completed all its {checkpoint.CompletedEpochs} epochs; pass --epochs with a larger total to train further.");

        // The recorded absolute source, not the path as typed then; --data may name the same rows in a new place.
        DataRequest request = givenData is null ? spec.Request : spec.Request with { Spec = givenData.Spec };
        if (givenData is null && !IsBuiltIn(request.Spec) && !ConditionalDataSource.IsBuiltIn(request.Spec) && !File.Exists(request.Spec) && !Directory.Exists(request.Spec))
            throw new UsageException($"--resume {shown}: the run's data {Display.Quote(request.Spec)} no longer exists; if it moved, pass --data with its new place (its rows must be the same).");
        LoadedData data = conditional
            ? ConditionalTrainRun.LoadForResume(request, spec.HeldOutFraction, metadata, path, checkpoint.Options.Seed)
            : DataSource.Load(request, spec.HeldOutFraction, checkpoint.Options.Seed);
        DataFingerprint now = DataFingerprint.Of(data);
        if (spec.Fingerprint is { } recorded && recorded.Difference(now, request.Spec) is { } difference)
            throw new UsageException($"--resume {shown}: the data changed: {difference}. Resume on the rows the run started with, or start a new run.");
        if (data.Columns != checkpoint.Model.VisibleCount)
            throw new UsageException($"--resume {shown}: the model has {checkpoint.Model.VisibleCount} visible units but {Display.Quote(request.Spec)} now has {data.Columns} columns.");
        if (spec.Fingerprint is null)
            Console.WriteLine($"note: the checkpoint has no fingerprint of its data (an older rbm wrote it), so {Display.Quote(request.Spec)} cannot be checked against it.");

        RbmTrainer trainer = RbmTrainer.Resume(checkpoint, epochs, threads);
        // The transform fitted when the run started is stored in the checkpoint: applied as it is, never refitted.
        Transform? transform = ModelFile.LoadWithTransform(path).DataTransform;
        double carried = checkpoint.EpochPosition > 0 && metadata.TryGetValue(EpochSecondsKey, out string? s)
            && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) ? seconds : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"resuming {Display.Quote(folder.DisplayPath)} at epoch {checkpoint.CompletedEpochs + 1} of {trainer.Options.Epochs}") +
            (checkpoint.EpochPosition > 0
                ? string.Create(CultureInfo.InvariantCulture, $", {checkpoint.EpochPosition:N0} of its {data.Train.RowCount:N0} rows already trained")
                : ""));
        MetricsLog metrics = MetricsLog.Continue(folder.File(MetricsName), checkpoint.CompletedEpochs);
        WatchSettings watch = WatchSettings.FromMetadata(metadata, earlyStopping, onDivergence);
        var newMetadata = watch.AddTo((spec with { Request = request }).ToMetadata(data, now));
        if (conditional) ConditionalTrainRun.AddMetadata(newMetadata, metadata);
        // A conditional run's rows are built from frames already through the transform.
        LoadedData prepared = conditional ? data : DataPreparation.Apply(transform, data);
        return Run(trainer, data, prepared, transform, newMetadata, folder, metrics, carried, interval ?? DefaultSaveInterval, watch);
    }

    /// <summary>"CD-1", "PCD-1", "parallel tempering (10 replicas, β ≥ 0.2), 1 sweep".</summary>
    private static string NegativePhaseName(TrainingOptions o) => o.ParallelTemperingReplicas > 0
        ? string.Create(CultureInfo.InvariantCulture, $"parallel tempering ({o.ParallelTemperingReplicas} replicas, β ≥ {o.ParallelTemperingMinBeta}), {o.CdSteps} sweep{(o.CdSteps == 1 ? "" : "s")}")
        : $"{(o.Persistent ? "PCD" : "CD")}-{o.CdSteps}";

    /// <summary>Prints a message line, wrapped to the terminal's width when stdout is a terminal.</summary>
    private static void Say(string line)
    {
        foreach (string part in TextWrap.Lines(line, Console.IsOutputRedirected ? 0 : ProgressReporter.TerminalWidth())) Console.WriteLine(part);
    }

    private static bool IsBuiltIn(string spec) =>
        spec.Equals("digits", StringComparison.OrdinalIgnoreCase) || spec.Equals("patches", StringComparison.OrdinalIgnoreCase)
        || spec.StartsWith("bars:", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("fashion-mnist", StringComparison.OrdinalIgnoreCase);

    /// <param name="trainer">The trainer.</param>
    /// <param name="data">The rows as loaded (for the fingerprint and the pictures).</param>
    /// <param name="prepared">The rows as the model sees them (through <paramref name="transform"/>).</param>
    /// <param name="transform">The data transform, stored with the model; null when the data goes in as it is.</param>
    /// <param name="metadata">What the checkpoint records about the data.</param>
    /// <param name="folder">The run's folder.</param>
    /// <param name="metrics">metrics.csv.</param>
    /// <param name="carriedSeconds">Seconds already spent in a resumed epoch.</param>
    /// <param name="interval">Seconds between saves.</param>
    /// <param name="watchSettings">Early stopping and what divergence does.</param>
    internal static int Run(RbmTrainer trainer, LoadedData data, LoadedData prepared, Transform? transform, Dictionary<string, string> metadata,
        RunFolder folder, MetricsLog metrics, double carriedSeconds, double interval, WatchSettings watchSettings)
    {
        TrainingOptions options = trainer.Options;
        IRbm rbm = trainer.Model;
        foreach (string note in folder.Notes) Say($"note: {note}");
        string latest = Path.Combine(RunFolder.RunsRoot, RunFolder.LatestName);
        bool linked = folder.IsLatest;
        Say(string.Create(CultureInfo.InvariantCulture,
            $"training {ModelDescription.Of(rbm)} ({(rbm.VisibleUnits == VisibleUnitKind.Gaussian ? "Gaussian" : "Bernoulli")} visible units) " +
            $"on {data.Train.RowCount:N0} rows ({data.HeldOut?.RowCount ?? 0:N0} held out{(transform is null ? "" : $"; {transform}")}), " +
            $"{NegativePhaseName(options)}, batch {options.BatchSize}, η {options.LearningRate}, seed {options.Seed}; " +
            $"writing to {Display.Quote(folder.DisplayPath)}{(linked ? $" ({latest})" : "")} every {(interval == 0 ? "epoch" : $"{interval:0.#} s")}"));

        var outputs = new RunOutputs(trainer, data, transform, folder, metrics, metadata, interval);
        int resumedEpoch = trainer.EpochPosition > 0 ? trainer.CompletedEpochs + 1 : 0;
        string? logLikelihood = rbm.ContextCount > 0 ? null
            : rbm.EnumeratedUnitCount <= options.ExactLogLikelihoodMaxUnits ? "exact" : options.AisMonitorRuns > 0 ? "ais" : null;
        // Resumed runs start watching afresh: the best model on disk stays until a better one appears.
        var watch = new TrainingWatch(watchSettings.Patience, watchSettings.OnDivergence);
        bool keepBest = logLikelihood is not null || watchSettings.Patience > 0;
        BatchProgress last = default;
        TrainingCheckpoint? unsaved = null;
        int lastGoodEpoch = trainer.CompletedEpochs, savedEpoch = trainer.CompletedEpochs;
        using var stop = new StopSignals();
        IProgressReporter progress = ProgressReporter.Create(options.Epochs, trainer.CompletedEpochs, data.HeldOut is not null, logLikelihood,
            prediction: rbm.ContextCount > 0 && data.HeldOut is not null);
        try
        {
            trainer.Train(prepared.Train, prepared.HeldOut, m =>
            {
                if (m.Epoch == resumedEpoch) m = m with { Seconds = m.Seconds + carriedSeconds };
                metrics.Add(m);
                progress.EpochDone(m);
                lastGoodEpoch = m.Epoch;
                var (best, stopNow, warning) = watch.Observe(m);
                if (best && keepBest) outputs.NewBest(trainer.Model, m.Epoch);
                if (warning is not null) progress.Note($"warning: {warning}");
                if (stopNow is not null)
                {
                    outputs.Save(trainer.CreateCheckpoint(), epochSeconds: 0);
                    savedEpoch = m.Epoch;
                    unsaved = null;
                    throw new StopAfterEpoch(stopNow, failure: !stopNow.StartsWith("stopped early", StringComparison.Ordinal));
                }
                if (outputs.SaveDue)
                {
                    outputs.Save(trainer.CreateCheckpoint(), epochSeconds: 0);
                    savedEpoch = m.Epoch;
                    unsaved = null;
                    if (outputs.PicturesDue && m.Epoch < options.Epochs) outputs.Pictures();
                }
                else
                {
                    // Kept so that a divergence in a later epoch can still save this last good state.
                    unsaved = trainer.CreateCheckpoint();
                }
            }, stop.Token, p =>
            {
                last = p;
                progress.BatchDone(p);
                if (StopWhenForTests?.Invoke(p) == true) stop.Request(System.Runtime.InteropServices.PosixSignal.SIGINT);
            });
        }
        catch (OperationCanceledException) when (stop.Signal is not null)
        {
            progress.Dispose();
            int current = trainer.CompletedEpochs + 1;
            double partial = (trainer.EpochPosition > 0 && last.Epoch == current ? last.Seconds : 0) + (current == resumedEpoch ? carriedSeconds : 0);
            outputs.Save(trainer.CreateCheckpoint(), partial);
            outputs.Pictures();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stopped by {stop.Signal} in epoch {current} after {trainer.EpochPosition:N0} of {data.Train.RowCount:N0} rows; saved the model, checkpoint, metrics and pictures in {Display.Quote(folder.DisplayPath)}."));
            Console.WriteLine($"resume with: rbm train --resume {Display.Escape(folder.DisplayPath)}");
            return stop.ExitCode;
        }
        catch (StopAfterEpoch e)
        {
            progress.Dispose();
            outputs.Pictures();
            string bestNote = outputs.BestEpoch > 0
                ? string.Create(CultureInfo.InvariantCulture, $" The best model (epoch {outputs.BestEpoch}) is {Display.Quote(RunFolder.Shown(folder.File(BestModelName)))}.")
                : "";
            string resumeNote = $" The checkpoint (epoch {savedEpoch}) can be resumed with: rbm train --resume {Display.Escape(folder.DisplayPath)}";
            if (e.Failure) return CliErrors.Report(e.Message + bestNote + resumeNote);
            Console.WriteLine(e.Message + bestNote);
            return 0;
        }
        catch (TrainingDivergedException e)
        {
            progress.Dispose();
            metrics.Flush();
            if (unsaved is not null)
            {
                outputs.Save(unsaved, epochSeconds: 0);
                savedEpoch = lastGoodEpoch;
            }
            string checkpointPath = folder.File(CheckpointName);
            return CliErrors.Report(e.Message + (File.Exists(checkpointPath)
                ? $" The last good checkpoint (epoch {savedEpoch}) is {Display.Quote(RunFolder.Shown(checkpointPath))}, with its model in {ModelName}."
                : " No epoch finished, so there is no checkpoint.") + (outputs.BestEpoch > 0
                ? string.Create(CultureInfo.InvariantCulture, $" The best model (epoch {outputs.BestEpoch}) is in {BestModelName}.")
                : ""));
        }
        progress.Dispose();
        outputs.Save(trainer.CreateCheckpoint(), epochSeconds: 0);
        TrainingPicturePaths paths = outputs.Pictures();
        string Shown(string p) => Display.Escape(RunFolder.Shown(p));
        Console.WriteLine($"wrote {Shown(folder.File(ModelName))}, {Shown(folder.File(MetricsName))}, {Shown(folder.File(CheckpointName))}");
        Console.WriteLine($"  and {Shown(paths.Filters)}, {Shown(paths.Samples)}, {Shown(paths.Curves)}");
        if (outputs.BestEpoch > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  and {Shown(folder.File(BestModelName))}: epoch {outputs.BestEpoch}, the best by the {watch.ScoreName}"));
        return 0;
    }

    /// <summary>Writes a run's files: model, checkpoint and metrics rows together; pictures when asked.</summary>
    private sealed class RunOutputs(RbmTrainer trainer, LoadedData data, Transform? transform, RunFolder folder, MetricsLog metrics,
        Dictionary<string, string> metadata, double interval)
    {
        private readonly Stopwatch _sinceSave = Stopwatch.StartNew();
        private readonly Stopwatch _sincePictures = Stopwatch.StartNew();
        private double _pictureSeconds;
        private IRbm? _best;

        /// <summary>The epoch of the best model kept so far (0: none).</summary>
        public int BestEpoch { get; private set; }

        /// <summary>Keeps a copy of the model as the best so far; written to best-model.npz with the next save.</summary>
        public void NewBest(IRbm model, int epoch)
        {
            _best = model.Clone();
            BestEpoch = epoch;
        }

        public bool SaveDue => interval == 0 || _sinceSave.Elapsed.TotalSeconds >= interval;

        /// <summary>Redrawing the pictures mid-run is due when it costs at most a tenth of the time since they were last drawn.</summary>
        public bool PicturesDue => _sincePictures.Elapsed.TotalSeconds >= 10 * _pictureSeconds;

        public void Save(TrainingCheckpoint checkpoint, double epochSeconds)
        {
            metrics.Flush();
            ModelFile.Save(checkpoint.Model, transform, folder.File(ModelName));
            if (_best is not null)
            {
                ModelFile.Save(_best, transform, folder.File(BestModelName));
                _best = null;
            }
            var withTime = new Dictionary<string, string>(metadata)
            {
                [EpochSecondsKey] = epochSeconds.ToString("R", CultureInfo.InvariantCulture),
            };
            if (BestEpoch > 0) withTime["best_epoch"] = BestEpoch.ToString(CultureInfo.InvariantCulture);
            CheckpointFile.Save(checkpoint, folder.File(CheckpointName), withTime, transform);
            _sinceSave.Restart();
        }

        public TrainingPicturePaths Pictures()
        {
            metrics.Flush();
            var clock = Stopwatch.StartNew();
            TrainingPicturePaths paths = TrainingPictures.WriteAll(trainer.Model, folder.FullPath, folder.File(MetricsName), data.Train,
                data.ImageWidth, data.ImageHeight, trainer.Options.Seed, transform: transform);
            _pictureSeconds = clock.Elapsed.TotalSeconds;
            _sincePictures.Restart();
            return paths;
        }
    }
}
