using RbmSimd.Data;
using RbmSimd.Kernels;
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
    /// <summary>Trains a network of Bernoulli RBMs with the given hidden-layer sizes, bottom first.</summary>
    /// <param name="data">Training rows, values in [0, 1].</param>
    /// <param name="hiddenSizes">Hidden units of each layer, bottom first.</param>
    /// <param name="options">Training options for every layer; layer l uses seed <c>Seed + l</c>.</param>
    /// <param name="onEpoch">Called after each epoch with the layer index (from 0) and its metrics.</param>
    /// <param name="heldOut">Rows not trained on, or null: each layer's metrics then include their free energy (and
    /// log-likelihood where it is computed), on the held-out rows passed up through the layers below as the training rows are.</param>
    /// <param name="cancellationToken">Stops training after the current minibatch (<see cref="OperationCanceledException"/>).</param>
    /// <exception cref="ArgumentException">No layers, a size below 1, or bad data.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static DeepBeliefNetwork Train(IRowSource data, IReadOnlyList<int> hiddenSizes, TrainingOptions options,
        Action<int, EpochMetrics>? onEpoch = null, IRowSource? heldOut = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(options);
        if (hiddenSizes.Count == 0) throw new ArgumentException("Give at least one hidden-layer size.", nameof(hiddenSizes));
        foreach (int size in hiddenSizes)
            if (size < 1) throw new ArgumentException($"Layer sizes must be at least 1 but one is {size}.", nameof(hiddenSizes));
        return Train(data, heldOut, options, onEpoch, hiddenSizes.Count,
            (l, input, seed) => BernoulliRbm.CreateRandom(input.ColumnCount, hiddenSizes[l], seed, input), cancellationToken);
    }

    /// <summary>
    /// Trains a network whose first layer is <paramref name="firstLayer"/> (any kind, trained in place on the
    /// data) and whose further layers are Bernoulli RBMs of the given sizes, trained on the mean-field
    /// activations of the layers below.
    /// </summary>
    /// <param name="data">Training rows, valid for the first layer's visible units.</param>
    /// <param name="firstLayer">The untrained first layer (e.g. a <see cref="GaussianBernoulliRbm"/> for real-valued data).</param>
    /// <param name="hiddenSizesAbove">Hidden units of each further layer, bottom first (may be empty).</param>
    /// <param name="options">Training options for every layer; layer l uses seed <c>Seed + l</c>.</param>
    /// <param name="onEpoch">Called after each epoch with the layer index (from 0) and its metrics.</param>
    /// <param name="heldOut">Rows not trained on, or null (see the other overload).</param>
    /// <param name="cancellationToken">Stops training after the current minibatch (<see cref="OperationCanceledException"/>).</param>
    /// <exception cref="ArgumentException">A size below 1, or bad data.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static DeepBeliefNetwork Train(IRowSource data, IRbm firstLayer, IReadOnlyList<int> hiddenSizesAbove, TrainingOptions options,
        Action<int, EpochMetrics>? onEpoch = null, IRowSource? heldOut = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(firstLayer);
        ArgumentNullException.ThrowIfNull(hiddenSizesAbove);
        ArgumentNullException.ThrowIfNull(options);
        foreach (int size in hiddenSizesAbove)
            if (size < 1) throw new ArgumentException($"Layer sizes must be at least 1 but one is {size}.", nameof(hiddenSizesAbove));
        return Train(data, heldOut, options, onEpoch, hiddenSizesAbove.Count + 1,
            (l, input, seed) => l == 0 ? firstLayer : BernoulliRbm.CreateRandom(input.ColumnCount, hiddenSizesAbove[l - 1], seed, input), cancellationToken);
    }

    /// <summary>
    /// Trains a convolutional Deep Belief Network (Lee et al. 2009): layer 1 is a convolutional RBM on the data's images; layer
    /// l + 1 is a convolutional RBM with Bernoulli visible units whose input channels are layer l's pooled maps, trained on the
    /// pooled means the trained layers below give the data.
    /// </summary>
    /// <param name="data">Training rows: images of <paramref name="channels"/> × <paramref name="height"/> × <paramref name="width"/>.</param>
    /// <param name="channels">C of the data's images.</param>
    /// <param name="height">H of the data's images.</param>
    /// <param name="width">W of the data's images.</param>
    /// <param name="layers">Each layer's filters, filter size and pool size, bottom first.</param>
    /// <param name="visibleUnits">The first layer's visible units (the layers above are Bernoulli).</param>
    /// <param name="options">Training options for every layer; layer l uses seed <c>Seed + l</c>.</param>
    /// <param name="weightStdDev">The standard deviation of every layer's initial filters.</param>
    /// <param name="hiddenBias">Every layer's initial hidden biases.</param>
    /// <param name="onEpoch">Called after each epoch with the layer index (from 0) and its metrics.</param>
    /// <param name="heldOut">Rows not trained on, or null (passed up as the training rows are).</param>
    /// <param name="cancellationToken">Stops training after the current minibatch (<see cref="OperationCanceledException"/>).</param>
    /// <exception cref="ArgumentException">No layers, or a layer's filters or pooling do not fit the maps below it, or bad data.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static DeepBeliefNetwork TrainConvolutional(IRowSource data, int channels, int height, int width, IReadOnlyList<ConvolutionLayer> layers,
        VisibleUnitKind visibleUnits, TrainingOptions options, float weightStdDev = 0.01f, float hiddenBias = 0f, Action<int, EpochMetrics>? onEpoch = null,
        IRowSource? heldOut = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(options);
        if (layers.Count == 0) throw new ArgumentException("Give at least one layer.", nameof(layers));
        var shapes = new (ConvolutionShape Shape, int Pool)[layers.Count];
        int c = channels, h = height, w = width;
        for (int l = 0; l < layers.Count; l++)
        {
            ConvolutionLayer layer = layers[l];
            if (layer.FilterSize > h || layer.FilterSize > w || layer.Filters < 1 || layer.FilterSize < 1 || layer.Pool < 1)
                throw new ArgumentException($"Layer {l}: {layer.Filters} filters of {layer.FilterSize}x{layer.FilterSize} with pool {layer.Pool} do not fit its {c}x{h}x{w} input.", nameof(layers));
            int oh = h - layer.FilterSize + 1, ow = w - layer.FilterSize + 1;
            if (oh % layer.Pool != 0 || ow % layer.Pool != 0)
                throw new ArgumentException($"Layer {l}: the pool size {layer.Pool} does not divide its {oh}x{ow} detection maps.", nameof(layers));
            shapes[l] = (new ConvolutionShape(c, h, w, layer.Filters, layer.FilterSize), layer.Pool);
            (c, h, w) = (layer.Filters, oh / layer.Pool, ow / layer.Pool);
        }
        if (data.ColumnCount != shapes[0].Shape.ImageLength)
            throw new ArgumentException($"The data has {data.ColumnCount} columns but {channels}x{height}x{width} images have {shapes[0].Shape.ImageLength}.", nameof(data));
        return Train(data, heldOut, options, onEpoch, layers.Count, (l, input, seed) =>
            ConvolutionalRbm.CreateRandom(shapes[l].Shape, shapes[l].Pool, l == 0 ? visibleUnits : VisibleUnitKind.Bernoulli, seed, weightStdDev, hiddenBias, input),
            cancellationToken);
    }

    private static DeepBeliefNetwork Train(IRowSource data, IRowSource? heldOut, TrainingOptions options, Action<int, EpochMetrics>? onEpoch, int layerCount,
        Func<int, IRowSource, ulong, IRbm> createLayer, CancellationToken cancellationToken)
    {
        var layers = new List<IRbm>();
        IRowSource input = data;
        IRowSource? heldInput = heldOut is { RowCount: > 0 } ? heldOut : null;
        for (int l = 0; l < layerCount; l++)
        {
            TrainingOptions layerOptions = options with { Seed = options.Seed + (ulong)l };
            IRbm rbm = createLayer(l, input, layerOptions.Seed);
            int layer = l;
            new RbmTrainer(rbm, layerOptions).Train(input, heldInput, m => onEpoch?.Invoke(layer, m), cancellationToken);
            layers.Add(rbm);
            if (l < layerCount - 1)
            {
                input = UpPass(rbm, input, options.MaxDegreeOfParallelism);
                if (heldInput is not null) heldInput = UpPass(rbm, heldInput, options.MaxDegreeOfParallelism);
            }
        }
        return new DeepBeliefNetwork(layers);
    }

    /// <summary>P(h | row) (pooled means for a layer with pooling units) for every row: the next layer's training data.</summary>
    private static Dataset UpPass(IRbm rbm, IRowSource input, int maxDegreeOfParallelism)
    {
        var features = new Matrix(input.RowCount, DeepBeliefNetwork.OutputCount(rbm));
        const int Chunk = 256;
        var rows = new Matrix(Math.Min(Chunk, Math.Max(1, input.RowCount)), rbm.VisibleCount);
        for (int start = 0; start < input.RowCount; start += Chunk)
        {
            int count = Math.Min(Chunk, input.RowCount - start);
            for (int r = 0; r < count; r++) input.CopyRow(start + r, rows.Row(r));
            DeepBeliefNetwork.Up(rbm, rows.AsReadOnlyView().SliceRows(0, count), features.AsView().SliceRows(start, count), maxDegreeOfParallelism);
        }
        return new Dataset(features);
    }
}
