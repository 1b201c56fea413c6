using System.Text;
using RbmSimd.Cli.Pictures;
using RbmSimd.IO;
using RbmSimd.Persistence;
using RbmSimd.Model;
using RbmSimd.Training;

namespace RbmSimd.Cli.Training;

/// <summary>
/// One run of <c>rbm train</c>: training with progress, a checkpoint and metrics after every epoch,
/// Ctrl+C handling and resume. Every file is written atomically, so a crash leaves the last good one.
/// </summary>
internal static class TrainRun
{
    public const string CheckpointName = "checkpoint.npz", ModelName = "model.npz", MetricsName = "metrics.csv";

    /// <summary>Exit code after Ctrl+C, as shells report SIGINT.</summary>
    public const int Interrupted = 130;

    public static int Start(DataSpec spec, int hidden, TrainingOptions options, string folder)
    {
        LoadedData data = spec.Load(options.Seed);
        Directory.CreateDirectory(folder);
        var rbm = BernoulliRbm.CreateRandom(data.Columns, hidden, options.Seed, data.Train);
        var trainer = new RbmTrainer(rbm, options);
        return Run(trainer, data, spec, folder, new StringBuilder(MetricsCsv.Header));
    }

    public static int Resume(string folder, int? epochs, int? threads)
    {
        string path = Path.Combine(folder, CheckpointName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found: nothing to resume in {folder}.");
        var (checkpoint, metadata) = CheckpointFile.Load(path);
        DataSpec spec = DataSpec.FromMetadata(metadata, path);
        RbmTrainer trainer = RbmTrainer.Resume(checkpoint, epochs, threads);
        LoadedData data = spec.Load(checkpoint.Options.Seed);
        if (data.Columns != checkpoint.Model.VisibleCount)
            throw new InvalidDataException($"{path}: the model has {checkpoint.Model.VisibleCount} visible units but '{spec.Data}' now has {data.Columns} columns.");
        Console.WriteLine($"resuming {folder} at epoch {checkpoint.CompletedEpochs + 1}" +
            (checkpoint.EpochPosition > 0 ? $", row {checkpoint.EpochPosition}" : "") + $" of {trainer.Options.Epochs}");
        return Run(trainer, data, spec, folder, MetricsCsv.ReadUpTo(Path.Combine(folder, MetricsName), checkpoint.CompletedEpochs));
    }

    private static int Run(RbmTrainer trainer, LoadedData data, DataSpec spec, string folder, StringBuilder csv)
    {
        TrainingOptions options = trainer.Options;
        IRbm rbm = trainer.Model;
        Dictionary<string, string> metadata = spec.ToMetadata(rbm.HiddenCount);
        string checkpointPath = Path.Combine(folder, CheckpointName);
        Console.WriteLine($"training {rbm.VisibleCount}x{rbm.HiddenCount} RBM on {data.Train.RowCount} rows ({data.HeldOut?.RowCount ?? 0} held out), " +
            $"{(options.Persistent ? "PCD" : "CD")}-{options.CdSteps}, batch {options.BatchSize}, η {options.LearningRate}, seed {options.Seed}");

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true; // finish the minibatch, then save
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            using IProgressReporter progress = ProgressReporter.Create(options.Epochs, trainer.CompletedEpochs);
            trainer.Train(data.Train, data.HeldOut, m =>
            {
                csv.Append(MetricsCsv.Row(m));
                AtomicFile.WriteAllText(Path.Combine(folder, MetricsName), csv.ToString());
                ModelFile.Save(rbm, Path.Combine(folder, ModelName));
                CheckpointFile.Save(trainer.CreateCheckpoint(), checkpointPath, metadata);
                progress.EpochDone(m);
            }, cancel.Token, progress.BatchDone);
        }
        catch (OperationCanceledException)
        {
            CheckpointFile.Save(trainer.CreateCheckpoint(), checkpointPath, metadata);
            Console.WriteLine($"stopped in epoch {trainer.CompletedEpochs + 1} after {trainer.EpochPosition} rows; checkpoint saved to {checkpointPath}.");
            Console.WriteLine($"resume with: rbm train --resume {folder}");
            return Interrupted;
        }
        catch (TrainingDivergedException e)
        {
            Console.Error.WriteLine($"rbm: error: {e.Message}" + (File.Exists(checkpointPath)
                ? $" The last good checkpoint (epoch {trainer.CompletedEpochs}) is {checkpointPath}."
                : " No epoch finished, so there is no checkpoint."));
            return CliErrors.UserError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        TrainingPicturePaths pictures = TrainingPictures.WriteAll(rbm, folder, Path.Combine(folder, MetricsName), data.Train,
            data.ImageWidth, data.ImageHeight, options.Seed);
        Console.WriteLine($"wrote {Path.Combine(folder, ModelName)}, {Path.Combine(folder, MetricsName)}, {checkpointPath}");
        Console.WriteLine($"  and {pictures.Filters}, {pictures.Samples}, {pictures.Curves}");
        return 0;
    }
}
