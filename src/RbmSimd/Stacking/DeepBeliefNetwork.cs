using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Stacking;

/// <summary>
/// A Deep Belief Network: a stack of <see cref="BernoulliRbm"/>s where each layer's hidden units are
/// the next layer's visible units (Hinton, Osindero and Teh, 2006). The top two layers form an RBM
/// (an undirected associative memory); the lower layers act as directed generative connections
/// P(h⁽ˡ⁻¹⁾ | h⁽ˡ⁾) and, going up, as recognition weights P(h⁽ˡ⁾ | h⁽ˡ⁻¹⁾).
/// </summary>
public sealed class DeepBeliefNetwork
{
    private readonly BernoulliRbm[] _layers;

    /// <summary>Creates a network from its layers, bottom first (not copied).</summary>
    /// <exception cref="ArgumentException">There are no layers, or a layer's visible count differs from the hidden count below it.</exception>
    public DeepBeliefNetwork(IEnumerable<BernoulliRbm> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        for (int l = 1; l < _layers.Length; l++)
            if (_layers[l].VisibleCount != _layers[l - 1].HiddenCount)
                throw new ArgumentException(
                    $"Layer {l} has {_layers[l].VisibleCount} visible units but layer {l - 1} has {_layers[l - 1].HiddenCount} hidden units.", nameof(layers));
    }

    /// <summary>The layers, bottom (data side) first.</summary>
    public IReadOnlyList<BernoulliRbm> Layers => _layers;

    /// <summary>Units of the data layer.</summary>
    public int VisibleCount => _layers[0].VisibleCount;

    /// <summary>Units of the top hidden layer.</summary>
    public int TopCount => _layers[^1].HiddenCount;

    /// <summary>
    /// The recognition (up) pass with mean-field activations: <c>h⁽¹⁾ = P(h | v)</c>, then
    /// <c>h⁽ˡ⁺¹⁾ = P(h | h⁽ˡ⁾)</c>, up to the top layer: the features a DBN gives a classifier.
    /// </summary>
    /// <param name="visible">Batch×nv.</param>
    /// <param name="top">Batch×(top hidden units), written.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Transform(ReadOnlyMatrixView visible, MatrixView top)
    {
        if (visible.Cols != VisibleCount) throw new ArgumentException($"Expected {VisibleCount} columns but got {visible.Cols}.", nameof(visible));
        if (top.Cols != TopCount || top.Rows != visible.Rows)
            throw new ArgumentException($"Expected a {visible.Rows}x{TopCount} destination but got {top.Rows}x{top.Cols}.", nameof(top));
        ReadOnlyMatrixView input = visible;
        for (int l = 0; l < _layers.Length; l++)
        {
            MatrixView output = l == _layers.Length - 1 ? top : new Matrix(visible.Rows, _layers[l].HiddenCount).AsView();
            _layers[l].MeanHiddens(input, output);
            input = output;
        }
    }

    /// <summary>
    /// Generates <paramref name="count"/> samples: <paramref name="gibbsSteps"/> steps of Gibbs
    /// sampling in the top RBM from random binary states, then one directed down pass through the
    /// lower layers, each sampled from P(h⁽ˡ⁻¹⁾ | h⁽ˡ⁾) except the data layer, returned as probabilities.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive or <paramref name="gibbsSteps"/> is negative.</exception>
    public Matrix Sample(int count, int gibbsSteps, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(gibbsSteps);
        var random = new RandomStream(seed);
        BernoulliRbm top = _layers[^1];
        var v = new Matrix(count, top.VisibleCount);
        var h = new Matrix(count, top.HiddenCount);
        random.NextSingles(v.AsSpan());
        Span<float> start = v.AsSpan();
        for (int i = 0; i < start.Length; i++) start[i] = start[i] < 0.5f ? 1f : 0f;
        top.Gibbs(v, h, gibbsSteps, ref random);
        Matrix current = v;
        for (int l = _layers.Length - 2; l >= 0; l--)
        {
            var below = new Matrix(count, _layers[l].VisibleCount);
            if (l > 0) _layers[l].SampleVisibles(current, below, ref random);
            else _layers[l].MeanVisibles(current, below);
            current = below;
        }
        if (_layers.Length == 1)
        {
            var probabilities = new Matrix(count, top.VisibleCount);
            top.MeanVisibles(h, probabilities);
            return probabilities;
        }
        return current;
    }
}
