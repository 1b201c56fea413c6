using System.Globalization;
using RbmSimd.Data;
using RbmSimd.IO;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;

namespace RbmSimd.Cli.Training;

/// <summary>What a conditional model is conditioned on (<c>--context</c>).</summary>
internal enum ContextKind
{
    /// <summary>The previous <c>--history</c> frames of a sequence.</summary>
    History,

    /// <summary>The one-hot class label of a labelled data set.</summary>
    Label,
}

/// <summary>
/// The data of a conditional model as it trains and is scored: rows <c>[v | u]</c> (training and held out), the frames' shape
/// and, for sequences, the sequences themselves (frames through the stored transform) for generation and pictures.
/// </summary>
internal sealed record ConditionalData(IRowSource Train, IRowSource? HeldOut, int FrameCount, int ContextCount, int History, int ImageWidth, int ImageHeight)
{
    /// <summary>The training sequences (model space), or null for label contexts.</summary>
    public SequenceSet? TrainSequences { get; init; }

    /// <summary>The held-out sequences (model space), or null.</summary>
    public SequenceSet? HeldOutSequences { get; init; }

    /// <summary>Names of the frames' values when they are channels (the walker's joints), or null.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>The built-in name or the file's absolute path.</summary>
    public string Source { get; init; } = "";

    /// <summary>What was detected rather than given.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The class count of label contexts (0 for sequences).</summary>
    public int Classes { get; init; }
}

/// <summary>
/// Reads <c>--data</c> for <c>--model conditional</c>: the built-in sequence sets (bouncing balls, walker motion), time series
/// files (rows are frames), or a labelled data set with the class as the context.
/// </summary>
internal static class ConditionalDataSource
{
    public const string Help =
        "With --model conditional: 'bouncing-balls[:N]' (N sequences of 100 binary 30x30 frames of 3 bouncing balls, default 4000, " +
        "and N/20 (at least 2) held-out sequences; 'bouncing-balls-grey[:N]' for grey frames), 'motion[:N]' (N sequences of 200 frames of " +
        "12 joint angles of a simulated walker, default 400, real values: --visible gaussian), a time series file (.npy: frames × values, " +
        "sequences × frames × values or sequences × frames × height × width; .npz: arrays 'train' and optional 'test' so; CSV: rows are " +
        "frames, and with --label-column last the last column is a sequence id: a new sequence starts where it changes), or with " +
        "--context label a labelled data set (digits) whose one-hot class is the context.";

    /// <summary>Frames per sequence of the built-in sets.</summary>
    public const int BallsFrames = 100, MotionFrames = 200;

    /// <summary>The default training sequences of the built-in sets.</summary>
    public const int BallsSequences = 4000, MotionSequences = 400;

    /// <summary>Seeds of the built-in sets: the data never depends on a run's --seed, so score and generate see the same sequences.</summary>
    private const ulong TrainSeed = 1, HeldOutSeed = 2;

    /// <summary>Whether <paramref name="spec"/> names a built-in sequence set.</summary>
    public static bool IsBuiltIn(string spec) =>
        Name(spec) is "bouncing-balls" or "bouncing-balls-grey" or "motion";

    /// <summary>Whether the built-in set is real-valued (so its model's visible units are Gaussian by default).</summary>
    public static bool IsRealValued(string spec) => Name(spec) == "motion";

    private static string Name(string spec)
    {
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? spec : spec[..colon]).ToLowerInvariant();
    }

    /// <summary>
    /// The training and held-out sequences of <paramref name="spec"/> (frames as stored): a built-in set, or a file whose last
    /// <paramref name="heldOutFraction"/> of sequences (of frames, for a single sequence) is held out unless it has its own test part.
    /// </summary>
    /// <param name="spec">--data.</param>
    /// <param name="heldOutFraction">The share of a file's sequences held out.</param>
    /// <param name="csv">The CSV options.</param>
    /// <param name="realValued">Whether the values may lie outside [0, 1].</param>
    /// <param name="heldOutOnly">Built-in sets: make only the held-out sequences (the training ones come back empty of use: one short sequence).</param>
    public static (SequenceSet Train, SequenceSet? HeldOut, string Source, IReadOnlyList<string>? Channels, IReadOnlyList<string> Notes) LoadSequences(
        string spec, double heldOutFraction, CsvChoices csv, bool realValued, bool heldOutOnly = false)
    {
        string name = Name(spec);
        if (name is "bouncing-balls" or "bouncing-balls-grey" or "motion")
        {
            if (csv.Given().Any() || csv.Scale is not null)
                throw new UsageException($"--data {name} is built in: the CSV options (--header, --label-column, --separator, --scale) apply to files.");
            int n = Count(spec, name, name == "motion" ? MotionSequences : BallsSequences);
            int held = Math.Max(2, n / 20);
            if (heldOutOnly) n = 1;
            if (name == "motion")
                return (WalkerMotion.Generate(n, MotionFrames, TrainSeed), WalkerMotion.Generate(held, MotionFrames, HeldOutSeed), spec, WalkerMotion.ChannelNames, []);
            var options = new BouncingBallsOptions { Binary = name == "bouncing-balls" };
            return (BouncingBalls.Generate(n, BallsFrames, TrainSeed, options), BouncingBalls.Generate(held, BallsFrames, HeldOutSeed, options), spec, null, []);
        }
        string path = InputFile.RequireDataFile(spec, ["bouncing-balls", "bouncing-balls-grey", "motion"]);
        string source = Path.GetFullPath(path);
        DataKind kind = DataSource.Sniff(path);
        SequenceSet all;
        SequenceSet? test = null;
        var notes = new List<string>();
        switch (kind)
        {
            case DataKind.Npy:
                all = SequenceSet.FromNumpy(Npy.Read(path), path);
                break;
            case DataKind.Npz:
                IReadOnlyDictionary<string, NpyArray> arrays = Npz.Read(path);
                if (arrays.TryGetValue("train", out NpyArray? train))
                {
                    all = SequenceSet.FromNumpy(train, $"{path} (train)");
                    if (arrays.TryGetValue("test", out NpyArray? t)) test = SequenceSet.FromNumpy(t, $"{path} (test)");
                }
                else if (arrays.Count == 1)
                {
                    all = SequenceSet.FromNumpy(arrays.Values.First(), path);
                }
                else
                {
                    throw new UsageException($"--data {Display(spec)}: a time series archive holds 'train' (and optionally 'test'), or a single array; this one has {string.Join(", ", arrays.Keys)}.");
                }
                break;
            case DataKind.Csv:
                LoadedData rows = DataSource.LoadAll(new DataRequest(spec, null, csv) { RealValued = realValued });
                notes.AddRange(rows.Notes);
                var frames = (Dataset)rows.Train;
                all = SequenceSet.FromFrames(frames, frames.HasLabels ? frames.Labels : default);
                if (frames.HasLabels) notes.Add($"the label column's values mark {all.Count} sequence(s): a new one starts where the value changes");
                break;
            default:
                throw new UsageException($"--data {Display(spec)}: a conditional model reads time series from .npy, .npz or CSV files, not {kind} files.");
        }
        if (test is not null && test.FrameWidth != all.FrameWidth)
            throw new UsageException($"--data {Display(spec)}: 'train' frames have {all.FrameWidth} values but 'test' frames have {test.FrameWidth}.");
        if (test is not null || heldOutFraction == 0) return (all, test, source, null, notes);
        if (all.Count >= 2)
        {
            int held = Math.Clamp((int)Math.Ceiling(all.Count * heldOutFraction), 1, all.Count - 1);
            return (all.Slice(0, all.Count - held), all.Slice(all.Count - held, held), source, null, notes);
        }
        // One long sequence: its last frames are held out as a sequence of their own.
        int length = all.Length(0), cut = (int)Math.Floor(length * (1 - heldOutFraction));
        if (cut < 2 || length - cut < 2) return (all, null, source, null, notes);
        notes.Add($"the file is one sequence of {length} frames: the last {length - cut} are held out");
        Matrix m = all.Sequence(0);
        var trainPart = new SequenceSet(new Dataset(new Matrix(cut, m.Cols, m.AsSpan()[..(cut * m.Cols)])), [cut], all.ImageWidth, all.ImageHeight);
        var heldPart = new SequenceSet(new Dataset(new Matrix(length - cut, m.Cols, m.AsSpan()[(cut * m.Cols)..])), [length - cut], all.ImageWidth, all.ImageHeight);
        return (trainPart, heldPart, source, null, notes);
    }

    /// <summary>
    /// The rows a conditional model trains on: sequences with history n (frames through the transform, which is
    /// fitted by <paramref name="fit"/> on the training frames), or labelled rows with the one-hot class.
    /// </summary>
    public static (ConditionalData Data, Transform? Transform) Load(string spec, ContextKind context, int history, double heldOutFraction, CsvChoices csv,
        bool realValued, Func<IRowSource, Transform?> fit, ulong seed)
    {
        if (context == ContextKind.Label)
        {
            if (IsBuiltIn(spec)) throw new UsageException($"--context label needs a labelled data set (digits, or a CSV with a label column); {Name(spec)} is a set of sequences.");
            LoadedData loaded = DataSource.Load(new DataRequest(spec, null, csv) { RealValued = realValued }, heldOutFraction, seed);
            if (loaded.Train is not Dataset { HasLabels: true } train)
                throw new UsageException($"--context label: --data {Display(spec)} has no labels (give a CSV's label column with --label-column last).");
            int classes = train.Labels.ToArray().Max() + 1;
            Transform? labelTransform = fit(train);
            IRowSource features = labelTransform is null ? train : DataPreparation.Map(labelTransform, train);
            IRowSource? heldFeatures = loaded.HeldOut is Dataset { HasLabels: true } h ? (labelTransform is null ? h : DataPreparation.Map(labelTransform, h)) : null;
            var rows = new LabelContextRows(features, train.Labels, classes);
            var heldLabelled = heldFeatures is null ? null : new LabelContextRows(heldFeatures, ((Dataset)loaded.HeldOut!).Labels, classes);
            return (new ConditionalData(rows, heldLabelled, train.FeatureCount, classes, 0, loaded.ImageWidth, loaded.ImageHeight)
            {
                Source = loaded.Source, Notes = loaded.Notes, Classes = classes,
            }, labelTransform);
        }
        var (trainSet, heldSet, source, channels, notes) = LoadSequences(spec, heldOutFraction, csv, realValued);
        if (trainSet.MinLength <= history && trainSet.Count == 1)
            throw new UsageException($"--history {history}: the training sequence has {trainSet.Length(0)} frames, too few for one frame after {history} of history.");
        Transform? transform = fit(trainSet.Frames);
        if (transform is not null)
        {
            trainSet = trainSet.WithFrames(DataPreparation.Map(transform, trainSet.Frames), trainSet.ImageWidth, trainSet.ImageHeight);
            if (heldSet is not null) heldSet = heldSet.WithFrames(DataPreparation.Map(transform, heldSet.Frames), heldSet.ImageWidth, heldSet.ImageHeight);
        }
        SequenceContextRows trainRows = trainSet.ContextRows(history);
        if (trainRows.RowCount == 0)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--history {history}: no sequence of --data {Display(spec)} has more than {history} frames, so there is nothing to predict."));
        SequenceContextRows? heldRows = heldSet?.ContextRows(history);
        return (new ConditionalData(trainRows, heldRows is { RowCount: > 0 } ? heldRows : null, trainSet.FrameWidth, history * trainSet.FrameWidth, history,
            trainSet.ImageWidth, trainSet.ImageHeight)
        {
            TrainSequences = trainSet, HeldOutSequences = heldSet, Channels = channels, Source = source, Notes = notes,
        }, transform);
    }

    private static int Count(string spec, string name, int defaultCount)
    {
        if (spec.Length == name.Length) return defaultCount;
        if (!int.TryParse(spec.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 1_000_000)
            throw new UsageException($"--data '{spec}': use {name}:N with N, the training sequences, a whole number from 1 to 1000000.");
        return n;
    }

    private static string Display(string spec) => Terminal.Display.Quote(spec);
}
