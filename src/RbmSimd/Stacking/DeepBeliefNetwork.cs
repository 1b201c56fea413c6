using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Stacking;

/// <summary>
/// A Deep Belief Network: a stack of RBMs where each layer's hidden units are the next layer's visible
/// units (Hinton, Osindero and Teh, 2006). The top two layers form an RBM (an undirected associative
/// memory); the lower layers act as directed generative connections P(h⁽ˡ⁻¹⁾ | h⁽ˡ⁾) and, going up, as
/// recognition weights P(h⁽ˡ⁾ | h⁽ˡ⁻¹⁾). The bottom layer may have Gaussian visible units (real-valued
/// data); every layer above sees binary hidden units, so it must have Bernoulli visible units.
/// </summary>
/// <remarks>
/// A layer with pooling units (<see cref="IPooledRbm"/>, the convolutional RBM with probabilistic max-pooling) passes its
/// pooling units up, not its detection units: the layer above takes the pooled maps as its input channels (a convolutional
/// DBN, Lee et al. 2009), and the network's features are the top layer's pooled means. Going down, a pooling unit's state is
/// spread evenly over its block (<see cref="IPooledRbm.HiddenFromPooled"/>).
/// </remarks>
public sealed class DeepBeliefNetwork
{
    private readonly IRbm[] _layers;

    /// <summary>Creates a network from its layers, bottom first (not copied).</summary>
    /// <exception cref="ArgumentException">There are no layers, a layer's visible count differs from the hidden count below it, or a layer above the first has non-Bernoulli visible units.</exception>
    public DeepBeliefNetwork(IEnumerable<IRbm> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        for (int l = 1; l < _layers.Length; l++)
        {
            if (_layers[l].VisibleCount != OutputCount(_layers[l - 1]))
                throw new ArgumentException(
                    $"Layer {l} has {_layers[l].VisibleCount} visible units but layer {l - 1} has {OutputCount(_layers[l - 1])} {OutputName(_layers[l - 1])}.", nameof(layers));
            if (_layers[l].VisibleUnits != VisibleUnitKind.Bernoulli)
                throw new ArgumentException($"Layer {l} has {_layers[l].VisibleUnits} visible units, but layers above the first see binary hidden units and must be Bernoulli.", nameof(layers));
        }
    }

    /// <summary>The layers, bottom (data side) first.</summary>
    public IReadOnlyList<IRbm> Layers => _layers;

    /// <summary>Units of the data layer.</summary>
    public int VisibleCount => _layers[0].VisibleCount;

    /// <summary>Units of the top layer's output (its hidden units, or its pooling units when it has them): the features' width.</summary>
    public int TopCount => OutputCount(_layers[^1]);

    /// <summary>The units a layer passes up: its pooling units when it has them, else its hidden units.</summary>
    public static int OutputCount(IRbm layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer is IPooledRbm pooled ? pooled.PooledCount : layer.HiddenCount;
    }

    /// <summary>What a layer passes up, in words: "pooling units" or "hidden units".</summary>
    public static string OutputName(IRbm layer) => layer is IPooledRbm ? "pooling units" : "hidden units";

    /// <summary>The mean-field output of one layer: <c>P(h = 1 | v)</c>, or each pooling unit's <c>P(on | v)</c>.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the layer.</exception>
    public static void Up(IRbm layer, ReadOnlyMatrixView input, MatrixView output, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is IPooledRbm pooled) pooled.MeanPooled(input, output, maxDegreeOfParallelism);
        else layer.MeanHiddens(input, output, Temperature.One, maxDegreeOfParallelism);
    }

    /// <summary>
    /// The recognition (up) pass with mean-field activations: <c>h⁽¹⁾ = P(h | v)</c>, then
    /// <c>h⁽ˡ⁺¹⁾ = P(h | h⁽ˡ⁾)</c>, up to the top layer: the features a DBN gives a classifier (pooled means for layers with pooling units).
    /// </summary>
    /// <param name="visible">Batch×nv.</param>
    /// <param name="top">Batch×(top hidden units), written.</param>
    /// <param name="maxDegreeOfParallelism">Threads (−1: all cores); the result is the same for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlyMatrixView visible, MatrixView top, int maxDegreeOfParallelism = 1)
    {
        if (visible.Cols != VisibleCount) throw new ArgumentException($"Expected {VisibleCount} columns but got {visible.Cols}.", nameof(visible));
        if (top.Cols != TopCount || top.Rows != visible.Rows)
            throw new ArgumentException($"Expected a {visible.Rows}x{TopCount} destination but got {top.Rows}x{top.Cols}.", nameof(top));
        ReadOnlyMatrixView input = visible;
        for (int l = 0; l < _layers.Length; l++)
        {
            MatrixView output = l == _layers.Length - 1 ? top : new Matrix(visible.Rows, OutputCount(_layers[l])).AsView();
            Up(_layers[l], input, output, maxDegreeOfParallelism);
            input = output;
        }
    }

    /// <summary>
    /// Generates <paramref name="count"/> samples: <paramref name="gibbsSteps"/> steps of Gibbs sampling in
    /// the top RBM (see <see cref="GibbsChain"/>) from random binary states (from the visible biases when the
    /// top RBM is the only layer and has Gaussian visible units), then one directed down pass through the lower
    /// layers, each sampled from P(h⁽ˡ⁻¹⁾ | h⁽ˡ⁾) except the data layer, returned as its means.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive or <paramref name="gibbsSteps"/> is negative.</exception>
    public Matrix Sample(int count, int gibbsSteps, ulong seed, int maxDegreeOfParallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(gibbsSteps);
        var random = new RandomStream(seed);
        IRbm top = _layers[^1];
        var v = new Matrix(count, top.VisibleCount);
        var h = new Matrix(count, top.HiddenCount);
        if (top.VisibleUnits == VisibleUnitKind.Bernoulli)
        {
            random.NextSingles(v.AsSpan());
            Span<float> start = v.AsSpan();
            for (int i = 0; i < start.Length; i++) start[i] = start[i] < 0.5f ? 1f : 0f;
        }
        else
        {
            // The visible means with every hidden unit off: the visible biases, per unit.
            top.MeanVisibles(new Matrix(count, top.HiddenCount), v, Temperature.One, maxDegreeOfParallelism);
        }
        Matrix? means = _layers.Length == 1 ? new Matrix(count, top.VisibleCount) : null;
        GibbsChain.FromVisible(top, v, h, means is null ? default : means.AsView(), gibbsSteps, ref random, Temperature.One, maxDegreeOfParallelism);
        if (means is not null)
        {
            // Without steps the chain has drawn nothing: the means given the (all-off) hidden states.
            if (gibbsSteps == 0) top.MeanVisibles(h, means, Temperature.One, maxDegreeOfParallelism);
            return means;
        }
        Matrix current = v;
        for (int l = _layers.Length - 2; l >= 0; l--)
        {
            Matrix hidden = current;
            if (_layers[l] is IPooledRbm pooled)
            {
                hidden = new Matrix(count, pooled.HiddenCount);
                pooled.HiddenFromPooled(current, hidden);
            }
            var below = new Matrix(count, _layers[l].VisibleCount);
            if (l > 0) _layers[l].SampleVisibles(hidden, below, ref random, Temperature.One, maxDegreeOfParallelism);
            else _layers[l].MeanVisibles(hidden, below, Temperature.One, maxDegreeOfParallelism);
            current = below;
        }
        return current;
    }
}
