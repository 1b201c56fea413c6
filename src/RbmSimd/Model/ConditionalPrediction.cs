using System.Buffers;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Model;

/// <summary>
/// Prediction and generation with a <see cref="ConditionalRbm"/>: the next frame given a context is the visible mean after
/// k Gibbs steps with the context clamped (Taylor, Hinton and Roweis 2007), and a sequence rolls forward by feeding each
/// prediction back into the context of the next frame.
/// </summary>
/// <remarks>
/// One step from visible states V: <c>H = P(h | V, u)</c> (drawn when sampled), then <c>V = E[v | H, u]</c> (drawn between
/// steps when sampled). Rows are predicted together, one batch operation per layer and step; draws come from a stream
/// addressed by position, so a prediction is the same bits for any thread count.
/// </remarks>
public static class ConditionalPrediction
{
    /// <summary>
    /// Predicts the frame of each row <c>[· | u]</c> of <paramref name="rows"/> in place: the first nv columns are
    /// overwritten with the prediction (whatever they held), the context is read.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">Rows nv + nc wide: in, the contexts; out, the predicted frames beside them.</param>
    /// <param name="options">Steps, mean-field or sampled, start.</param>
    /// <param name="random">Draws of the sampled steps (not used by mean-field prediction); advanced past them.</param>
    /// <param name="maxDegreeOfParallelism">Threads (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The rows are not nv + nc wide, or <see cref="PredictionStart.LastFrame"/> is asked of a context that holds no frame.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static void Predict(ConditionalRbm model, MatrixView rows, PredictionOptions options, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (rows.Cols != model.VisibleCount)
            throw new ArgumentException($"The rows have {rows.Cols} columns but the model takes {model.VisibleCount} ({model.FrameCount} visible units and {model.ContextCount} context values).", nameof(rows));
        bool lastFrame = options.Start switch
        {
            PredictionStart.LastFrame when model.HistoryLength < 1 => throw new ArgumentException(
                "The prediction cannot start from the last frame: the model's context holds no frames (history length 0).", nameof(options)),
            PredictionStart.LastFrame => true,
            PredictionStart.Auto => model.HistoryLength >= 1,
            _ => false,
        };
        if (rows.Rows == 0) return;
        int nv = model.FrameCount;
        for (int r = 0; r < rows.Rows; r++)
        {
            Span<float> row = rows.Row(r);
            if (lastFrame) row.Slice(nv, nv).CopyTo(row);
            else row[..nv].Clear();
        }
        float[] rented = ArrayPool<float>.Shared.Rent(rows.Rows * model.HiddenCount);
        try
        {
            var hidden = new MatrixView(rented, rows.Rows, model.HiddenCount);
            for (int step = 1; step <= options.GibbsSteps; step++)
            {
                if (options.Sampled) model.SampleHiddens(rows, hidden, ref random, Temperature.One, maxDegreeOfParallelism);
                else model.MeanHiddens(rows, hidden, Temperature.One, maxDegreeOfParallelism);
                model.MeanVisibles(hidden, rows, Temperature.One, maxDegreeOfParallelism);
                if (options.Sampled && step < options.GibbsSteps) model.SampleVisiblesFromMeans(rows, ref random, maxDegreeOfParallelism);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The context of the frame after <paramref name="history"/>: its last n frames, most recent first
    /// (<c>[v_{t−1}, …, v_{t−n}]</c>), n the model's history length.
    /// </summary>
    /// <param name="model">A model whose context is its previous frames.</param>
    /// <param name="history">Frames in time order (oldest first), at least n of them, nv wide.</param>
    /// <param name="context">nc values, written.</param>
    /// <exception cref="ArgumentException">The model's context is not frames, the history is too short or too wide, or the destination's length is not nc.</exception>
    public static void ContextFromHistory(ConditionalRbm model, ReadOnlyMatrixView history, Span<float> context)
    {
        ArgumentNullException.ThrowIfNull(model);
        int n = model.HistoryLength, nv = model.FrameCount;
        if (n < 1) throw new ArgumentException("The model's context is not made of previous frames (history length 0).", nameof(model));
        if (history.Cols != nv) throw new ArgumentException($"The history's frames have {history.Cols} values but the model's have {nv}.", nameof(history));
        if (history.Rows < n) throw new ArgumentException($"The history has {history.Rows} frames but the model needs {n}.", nameof(history));
        if (context.Length != model.ContextCount) throw new ArgumentException($"Expected {model.ContextCount} context values but got {context.Length}.", nameof(context));
        for (int k = 0; k < n; k++) history.Row(history.Rows - 1 - k).CopyTo(context.Slice(k * nv, nv));
    }

    /// <summary>
    /// Rolls sequences forward <paramref name="frames"/> frames: each predicted frame (<see cref="Predict"/>) becomes the most
    /// recent frame of the next context. All sequences advance together, one batch per frame. With sampled steps, Bernoulli
    /// frames are drawn from their predicted means (the frames generated and fed back are binary, like the data the model
    /// learned from); Gaussian frames stay at their means (Taylor's generation adds no visible noise).
    /// </summary>
    /// <param name="model">A model whose context is its previous frames (history length n ≥ 1).</param>
    /// <param name="contexts">One row of nc values per sequence: the context of its first generated frame (see <see cref="ContextFromHistory"/>).</param>
    /// <param name="frames">Frames to generate per sequence, at least 1.</param>
    /// <param name="options">How each frame is predicted.</param>
    /// <param name="seed">Seed of the sampled steps.</param>
    /// <param name="maxDegreeOfParallelism">Threads; the result is the same bits for any value.</param>
    /// <returns>(sequences · frames) × nv: row <c>s·frames + t</c> is frame t of sequence s.</returns>
    /// <exception cref="ArgumentException">The model's context is not frames, or the contexts are not nc wide.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frames"/> is below 1, or an option is out of range.</exception>
    public static Matrix Generate(ConditionalRbm model, ReadOnlyMatrixView contexts, int frames, PredictionOptions options, ulong seed, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        options.Validate();
        if (model.HistoryLength < 1) throw new ArgumentException("Generation feeds frames back into the context, but the model's context is not made of previous frames (history length 0).", nameof(model));
        if (contexts.Cols != model.ContextCount)
            throw new ArgumentException($"The contexts have {contexts.Cols} values but the model's have {model.ContextCount}.", nameof(contexts));
        int sequences = contexts.Rows, nv = model.FrameCount, nc = model.ContextCount;
        var output = new Matrix(checked(sequences * frames), nv);
        var rows = new Matrix(sequences, model.VisibleCount);
        for (int s = 0; s < sequences; s++) contexts.Row(s).CopyTo(rows.Row(s)[nv..]);
        var random = new RandomStream(seed);
        for (int t = 0; t < frames; t++)
        {
            Predict(model, rows, options, ref random, maxDegreeOfParallelism);
            // Sampled generation of binary frames goes on from a draw, as the model was trained on binary contexts.
            if (options.Sampled && model.VisibleUnits == VisibleUnitKind.Bernoulli) model.SampleVisiblesFromMeans(rows, ref random, maxDegreeOfParallelism);
            for (int s = 0; s < sequences; s++)
            {
                Span<float> row = rows.Row(s);
                row[..nv].CopyTo(output.Row(s * frames + t));
                // Shift the history one frame back and put the prediction in front.
                row.Slice(nv, nc - nv).CopyTo(row[(2 * nv)..]);
                row[..nv].CopyTo(row.Slice(nv, nv));
            }
        }
        return output;
    }
}
