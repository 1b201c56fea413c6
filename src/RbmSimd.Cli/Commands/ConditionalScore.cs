using System.Globalization;
using RbmSimd.Cli.Json;
using RbmSimd.Cli.Training;
using RbmSimd.Data;
using RbmSimd.Estimation;
using RbmSimd.Model;
using RbmSimd.Monitoring;
using RbmSimd.Preprocessing;

namespace RbmSimd.Cli.Commands;

/// <summary>What <c>rbm score</c> asks of a conditional model.</summary>
internal sealed record ConditionalScoreRequest(string Path, ConditionalRbm Model, Transform? Transform, string Spec, CsvChoices Csv, long MaxStates, int LogLikelihoodRows,
    int Steps, bool Baselines, bool Json);

/// <summary>
/// <c>rbm score</c> of a conditional model: the one-step prediction error of the held-out sequences of --data (all rows of a file,
/// every labelled row), copying the last frame beside it, with --baselines a ridge AR(n) fitted on the training sequences, and the
/// exact conditional log-likelihood when Z(u) can be enumerated.
/// </summary>
internal static class ConditionalScore
{
    public static int Run(ConditionalScoreRequest r)
    {
        ConditionalRbm model = r.Model;
        bool gaussian = model.VisibleUnits == VisibleUnitKind.Gaussian;
        IRowSource rows;
        IRowSource? trainRows = null;
        IReadOnlyList<string> notes;
        if (model.HistoryLength == 0)
        {
            if (r.Baselines) throw new UsageException("--baselines predicts frames from their history; this model is conditioned on a label.");
            (ConditionalData data, _) = ConditionalDataSource.Load(r.Spec, ContextKind.Label, 0, 0, r.Csv, gaussian, _ => r.Transform, 1);
            if (data.ContextCount != model.ContextCount)
                throw new UsageException($"--data {Terminal.Display.Quote(r.Spec)} has {data.ContextCount} classes but the model's context has {model.ContextCount} values.");
            (rows, notes) = (data.Train, data.Notes);
        }
        else
        {
            var (train, held, _, _, loadNotes) = ConditionalDataSource.LoadSequences(r.Spec, r.Baselines ? 0.1 : 0, r.Csv, gaussian, heldOutOnly: !r.Baselines);
            notes = loadNotes;
            SequenceSet scored = held ?? train;
            int width = r.Transform?.InputCount ?? model.FrameCount;
            if (scored.FrameWidth != width)
                throw new UsageException($"--data {Terminal.Display.Quote(r.Spec)} has frames of {scored.FrameWidth} values but the model's are {width}.");
            SequenceSet Mapped(SequenceSet s) => r.Transform is null ? s : s.WithFrames(Training.DataPreparation.Map(r.Transform, s.Frames), s.ImageWidth, s.ImageHeight);
            rows = Mapped(scored).ContextRows(model.HistoryLength);
            if (r.Baselines)
            {
                if (held is null) throw new UsageException($"--baselines fits the AR model on training sequences: --data {Terminal.Display.Quote(r.Spec)} is too short to hold any out.");
                trainRows = Mapped(train).ContextRows(model.HistoryLength);
            }
        }
        if (rows.RowCount == 0) throw new UsageException($"--data {Terminal.Display.Quote(r.Spec)} has no frame with {model.HistoryLength} frames before it.");
        if (!gaussian) RequireUnitInterval(rows, r.Spec);

        var options = new PredictionOptions { GibbsSteps = r.Steps };
        double prediction = PredictionError.Mean(model, rows, options, seed: 1, maxDegreeOfParallelism: -1);
        double? copyLast = model.HistoryLength >= 1 ? PredictionError.CopyLastFrame(rows, model.FrameCount) : null;
        RidgeAutoregression? ar = trainRows is null ? null : RidgeAutoregression.Fit(trainRows, model.FrameCount);
        double? arError = ar?.MeanSquaredError(rows);
        DataFit fit = ModelMetrics.Evaluate(model, rows, maxDegreeOfParallelism: -1);
        double? logLikelihood = null;
        int llRows = 0, contexts = 0;
        if (ConditionalLikelihood.IsFeasible(model, r.MaxStates))
        {
            llRows = Math.Min(r.LogLikelihoodRows, rows.RowCount);
            var buffer = new Numerics.Matrix(llRows, model.VisibleCount);
            for (int i = 0; i < llRows; i++) rows.CopyRow(i, buffer.Row(i));
            var lp = new double[llRows];
            contexts = ConditionalLikelihood.LogProbability(model, buffer, lp, r.MaxStates);
            logLikelihood = lp.Average() + (r.Transform?.LogJacobian ?? 0);
        }

        if (r.Json)
        {
            CliJson.Print(new ConditionalScoreResult(r.Path, model.Kind, r.Spec, model.FrameCount, model.ContextCount, model.HiddenCount, model.HistoryLength, rows.RowCount,
                CliJson.Finite(prediction), CliJson.Finite(copyLast), r.Steps, CliJson.Finite(logLikelihood), llRows, contexts, CliJson.Finite(fit.MeanFreeEnergy),
                CliJson.Finite(fit.ReconstructionError), notes)
            {
                RidgeArError = CliJson.Finite(arError), RidgeArLambda = ar?.Lambda,
            }, CliJsonContext.Default.ConditionalScoreResult);
            return 0;
        }
        foreach (string note in notes) Console.WriteLine($"note: {note}");
        string I(double x) => x.ToString("F4", CultureInfo.InvariantCulture);
        string space = r.Transform is null ? "" : " (in the model's space: after the stored transform)";
        Console.WriteLine($"rows                        {rows.RowCount} ({(model.HistoryLength > 0 ? $"frames with {model.HistoryLength} frames of history" : "labelled rows")})");
        Console.WriteLine($"prediction error            {I(prediction)} squared error per frame{space} ({r.Steps} mean-field Gibbs steps from the last frame)");
        if (copyLast is { } c) Console.WriteLine($"  copying the last frame    {I(c)}");
        if (arError is { } a)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ridge AR({model.HistoryLength})               {I(a)} (fitted on the {trainRows!.RowCount} training rows, λ {ar!.Lambda:G3})"));
        string what = gaussian ? "conditional log-density" : "conditional log-likelihood";
        Console.WriteLine(logLikelihood is { } l
            ? $"{what,-28}{I(l)} mean log p(v | u) over the first {llRows} rows ({contexts} contexts enumerated)"
            : $"{what,-28}n/a (2^{model.EnumeratedUnitCount} states per context is more than --max-states {r.MaxStates})");
        Console.WriteLine($"mean free energy            {I(fit.MeanFreeEnergy)}");
        Console.WriteLine($"reconstruction error        {fit.ReconstructionError.ToString("F6", CultureInfo.InvariantCulture)}");
        return 0;
    }

    private static void RequireUnitInterval(IRowSource rows, string spec)
    {
        var row = new float[rows.ColumnCount];
        for (int i = 0; i < rows.RowCount; i++)
        {
            rows.CopyRow(i, row);
            int c = Array.FindIndex(row, v => !(v >= 0f && v <= 1f));
            if (c >= 0)
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--data {Terminal.Display.Quote(spec)} has the value {row[c]} (row {i + 1}, column {c + 1}); a conditional model with Bernoulli visible units takes values in [0, 1]."));
        }
    }
}
