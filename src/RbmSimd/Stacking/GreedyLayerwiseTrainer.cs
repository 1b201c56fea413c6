using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Training;

namespace RbmSimd.Stacking;

/// <summary>
/// Trains a <see cref="DeepBeliefNetwork"/> greedily, one layer at a time: layer 1 is an RBM trained
/// on the data; layer l + 1 is an RBM trained on the mean-field activations P(h | ·) that the
/// trained layers below give the data (Hinton, Osindero and Teh, 2006).
/// </summary>
public static class GreedyLayerwiseTrainer
{
    /// <summary>Trains a network with the given hidden-layer sizes, bottom first.</summary>
    /// <param name="data">Training rows, values in [0, 1].</param>
    /// <param name="hiddenSizes">Hidden units of each layer, bottom first.</param>
    /// <param name="options">Training options for every layer; layer l uses seed <c>Seed + l</c>.</param>
    /// <param name="onEpoch">Called after each epoch with the layer index (from 0) and its metrics.</param>
    /// <exception cref="ArgumentException">No layers, a size below 1, or bad data.</exception>
    public static DeepBeliefNetwork Train(IRowSource data, IReadOnlyList<int> hiddenSizes, TrainingOptions options,
        Action<int, EpochMetrics>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(options);
        if (hiddenSizes.Count == 0) throw new ArgumentException("Give at least one hidden-layer size.", nameof(hiddenSizes));
        foreach (int size in hiddenSizes)
            if (size < 1) throw new ArgumentException($"Layer sizes must be at least 1 but one is {size}.", nameof(hiddenSizes));

        var layers = new List<BernoulliRbm>();
        IRowSource input = data;
        for (int l = 0; l < hiddenSizes.Count; l++)
        {
            TrainingOptions layerOptions = options with { Seed = options.Seed + (ulong)l };
            var rbm = BernoulliRbm.CreateRandom(input.ColumnCount, hiddenSizes[l], layerOptions.Seed, input);
            int layer = l;
            new RbmTrainer(rbm, layerOptions).Train(input, null, m => onEpoch?.Invoke(layer, m));
            layers.Add(rbm);
            if (l < hiddenSizes.Count - 1) input = UpPass(rbm, input);
        }
        return new DeepBeliefNetwork(layers);
    }

    /// <summary>P(h | row) for every row: the next layer's training data.</summary>
    private static Dataset UpPass(BernoulliRbm rbm, IRowSource input)
    {
        var features = new Matrix(input.RowCount, rbm.HiddenCount);
        const int Chunk = 256;
        var rows = new Matrix(Math.Min(Chunk, Math.Max(1, input.RowCount)), rbm.VisibleCount);
        for (int start = 0; start < input.RowCount; start += Chunk)
        {
            int count = Math.Min(Chunk, input.RowCount - start);
            for (int r = 0; r < count; r++) input.CopyRow(start + r, rows.Row(r));
            rbm.MeanHiddens(rows.AsReadOnlyView().SliceRows(0, count), features.AsView().SliceRows(start, count), maxDegreeOfParallelism: -1);
        }
        return new Dataset(features);
    }
}
