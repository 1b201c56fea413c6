namespace RbmSimd.Stacking;

/// <summary>One layer of a convolutional Deep Belief Network (see <see cref="GreedyLayerwiseTrainer.TrainConvolutional"/>).</summary>
/// <param name="Filters">K, the filters (the pooled maps the layer passes up are its next layer's channels).</param>
/// <param name="FilterSize">F, the side of each square filter.</param>
/// <param name="Pool">p, the side of the pooling blocks (1: no pooling).</param>
public sealed record ConvolutionLayer(int Filters, int FilterSize, int Pool);
