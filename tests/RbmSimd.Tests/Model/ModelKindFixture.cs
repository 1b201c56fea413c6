using RbmSimd.Kernels;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Tests.Generators;
using RbmSimd.Tests.Reference;

namespace RbmSimd.Tests.Model;

/// <summary>
/// What the contract suite needs to know about one model kind: how to build a random model from a case,
/// its naive reference, and valid visible data for it.
/// </summary>
public abstract class ModelKindFixture
{
    /// <summary>A model with parameters drawn from the case.</summary>
    public abstract IRbm Create(RbmCase c);

    /// <summary>The double-precision reference of <paramref name="model"/>.</summary>
    internal abstract INaiveModel Reference(IRbm model);

    /// <summary>Valid visible rows for the kind (binary or real), derived from the case.</summary>
    public abstract Matrix VisibleRows(RbmCase c, int salt);

    /// <summary>σᵢ of visible unit i (1 for Bernoulli units): the scale of what the weights see.</summary>
    public abstract double InputScale(IRbm model, int i);

    /// <summary>Hidden rows of states the model can take (binary; at most one unit on per pooling block where there are blocks).</summary>
    public virtual Matrix HiddenRows(IRbm model, RbmCase c, int salt) => c.BinaryRows(model.HiddenCount, salt);

    /// <summary>The dense weight matrix W (nv × nh) the model's energy couples the layers with (a convolutional model's unrolled, Toeplitz-structured one).</summary>
    public virtual double[,] Weights(IRbm model)
    {
        ReadOnlySpan<float> w = model.Parameters["W"].Span;
        var m = new double[model.VisibleCount, model.HiddenCount];
        for (int i = 0; i < model.VisibleCount; i++)
            for (int j = 0; j < model.HiddenCount; j++) m[i, j] = w[i * model.HiddenCount + j];
        return m;
    }

    /// <summary>Each visible unit's bias (a convolutional model's per-channel bias, repeated over the channel).</summary>
    public virtual double[] VisibleBiases(IRbm model) => model.Parameters["visible_bias"].Span.ToArray().Select(x => (double)x).ToArray();

    /// <summary>Each hidden unit's bias (a convolutional model's per-map bias, repeated over the map).</summary>
    public virtual double[] HiddenBiases(IRbm model) => model.Parameters["hidden_bias"].Span.ToArray().Select(x => (double)x).ToArray();

    /// <summary>A base bias vector for tempered distributions, one per visible unit of the case.</summary>
    public static float[] BaseBias(RbmCase c) => BaseBias(c, c.Nv);

    /// <summary>A base bias vector of <paramref name="count"/> values for tempered distributions.</summary>
    public static float[] BaseBias(RbmCase c, int count)
    {
        var random = new Random(HashCode.Combine(c.Seed, 77));
        return Enumerable.Range(0, count).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
    }

    /// <summary>A base bias for the generated units of <paramref name="model"/> (a context has none).</summary>
    public static float[] BaseBias(RbmCase c, IRbm model) => BaseBias(c, model.VisibleCount - model.ContextCount);

    /// <summary>The case as this kind can take it (a conditional model needs at least two columns: a unit and a context value).</summary>
    public virtual RbmCase Adapt(RbmCase c) => c;

    /// <summary><c>|bⱼ| + Σᵢ |xᵢWᵢⱼ|</c> (x = v/σ), plus the context terms of a conditional model: the size of hidden input j, for error bounds.</summary>
    public virtual double HiddenInputMagnitude(IRbm model, double[] row, int j)
    {
        double[,] w = Weights(model);
        double sum = Math.Abs(HiddenBiases(model)[j]);
        for (int i = 0; i < model.VisibleCount; i++) sum += Math.Abs(row[i] / InputScale(model, i) * w[i, j]);
        return sum;
    }

    /// <summary><c>|aᵢ| + |a₀ᵢ| + Σⱼ |Wᵢⱼhⱼ|·σᵢ</c>, plus the context terms of a conditional model: the size of visible input i, for error bounds.</summary>
    public virtual double VisibleInputMagnitude(IRbm model, double[] h, double[] row, int i, double[]? a0)
    {
        double[,] w = Weights(model);
        double sum = Math.Abs(VisibleBiases(model)[i]) + Math.Abs(a0?[i] ?? 0);
        for (int j = 0; j < model.HiddenCount; j++) sum += Math.Abs(w[i, j] * h[j]) * InputScale(model, i);
        return sum;
    }

    /// <summary>The size of the visible terms of the energy of a row, for error bounds.</summary>
    public virtual double VisibleTermMagnitude(IRbm model, double[] v, double[]? a0)
    {
        double[] a = VisibleBiases(model);
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += Math.Abs(v[i]) * (Math.Abs(a[i]) + Math.Abs(a0?[i] ?? 0)) + (v[i] - a[i]) * (v[i] - a[i]) * 5;
        return s;
    }

    /// <summary>log Z from the reference and from the library (for a conditional model: of one context of the case).</summary>
    internal virtual (double Expected, double Actual) LogZ(IRbm model, INaiveModel naive, RbmCase c) =>
        (naive.LogZ(), RbmSimd.Estimation.ExactPartitionFunction.LogPartitionFunction(model, maxDegreeOfParallelism: 1));

    public sealed class Bernoulli : ModelKindFixture
    {
        public override IRbm Create(RbmCase c) => c.CreateModel();

        internal override INaiveModel Reference(IRbm model) => new NaiveRbm((BernoulliRbm)model);

        public override Matrix VisibleRows(RbmCase c, int salt) => c.BinaryRows(c.Nv, salt);

        public override double InputScale(IRbm model, int i) => 1;
    }

    public sealed class GaussianBernoulli : ModelKindFixture
    {
        public override IRbm Create(RbmCase c)
        {
            BernoulliRbm shape = c.CreateModel();
            var random = new Random(HashCode.Combine(c.Seed, 5));
            // log-variances within ±1.5 (σ from about 0.47 to 2.1): variances the formulas must carry through.
            float[] z = Enumerable.Range(0, c.Nv).Select(_ => (float)(3 * random.NextDouble() - 1.5)).ToArray();
            return new GaussianBernoulliRbm(c.Nv, c.Nh, shape.Weights, shape.VisibleBias, shape.HiddenBias, z);
        }

        internal override INaiveModel Reference(IRbm model) => new NaiveGaussianRbm((GaussianBernoulliRbm)model);

        public override Matrix VisibleRows(RbmCase c, int salt)
        {
            var random = new Random(HashCode.Combine(c.Seed, salt));
            var m = new Matrix(c.Rows, c.Nv);
            for (int r = 0; r < c.Rows; r++)
                for (int i = 0; i < c.Nv; i++)
                {
                    double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                    m[r, i] = (float)(2 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                }
            return m;
        }

        public override double InputScale(IRbm model, int i) => Math.Exp(((GaussianBernoulliRbm)model).LogVariance[i] / 2.0);
    }

    /// <summary>
    /// A conditional model on rows of c.Nv columns: the first ⌈Nv/2⌉ generated, the rest context. Its W and Bᵀ are the rows of
    /// the case's Bernoulli weights (so [W; Bᵀ] is the case's matrix), a is the first biases, A is drawn at the case's scale.
    /// </summary>
    public sealed class Conditional(VisibleUnitKind units) : ModelKindFixture
    {
        private readonly ModelKindFixture _rows = units == VisibleUnitKind.Gaussian ? new GaussianBernoulli() : new Bernoulli();

        public override RbmCase Adapt(RbmCase c) => c.Nv >= 2 ? c : c with { Nv = 2 };

        public static (int Frames, int Context) Split(int columns) => ((columns + 1) / 2, columns - (columns + 1) / 2);

        public override IRbm Create(RbmCase c)
        {
            c = Adapt(c);
            (int nv, int nc) = Split(c.Nv);
            BernoulliRbm all = c.CreateModel();
            int nh = c.Nh;
            float[] w = all.Weights[..(nv * nh)].ToArray(), bt = all.Weights[(nv * nh)..].ToArray();
            float[] a = all.VisibleBias[..nv].ToArray();
            var random = new Random(HashCode.Combine(c.Seed, 9));
            float[] contextVisible = Enumerable.Range(0, nv * nc).Select(_ => (float)(c.Scale * (2 * random.NextDouble() - 1))).ToArray();
            DenseRbm frame = units == VisibleUnitKind.Gaussian
                ? new GaussianBernoulliRbm(nv, nh, w, a, all.HiddenBias, Enumerable.Range(0, nv).Select(_ => (float)(3 * random.NextDouble() - 1.5)).ToArray())
                : new BernoulliRbm(nv, nh, w, a, all.HiddenBias);
            return new ConditionalRbm(frame, contextVisible, bt, nc);
        }

        internal override INaiveModel Reference(IRbm model) => new NaiveConditionalRbm((ConditionalRbm)model);

        /// <summary>[W; Bᵀ]: the frame's weights, then the context's weights to the hidden units.</summary>
        public override double[,] Weights(IRbm model)
        {
            var m = (ConditionalRbm)model;
            ReadOnlySpan<float> w = m.Parameters["W"].Span, bt = m.ContextHiddenWeights;
            var all = new double[m.VisibleCount, m.HiddenCount];
            for (int i = 0; i < m.VisibleCount; i++)
                for (int j = 0; j < m.HiddenCount; j++)
                    all[i, j] = i < m.FrameCount ? w[i * m.HiddenCount + j] : bt[(i - m.FrameCount) * m.HiddenCount + j];
            return all;
        }

        public override Matrix VisibleRows(RbmCase c, int salt) => _rows.VisibleRows(Adapt(c), salt);

        public override double InputScale(IRbm model, int i)
        {
            var m = (ConditionalRbm)model;
            return i < m.FrameCount && m.FrameModel is GaussianBernoulliRbm g ? Math.Exp(g.LogVariance[i] / 2.0) : 1;
        }

        public override double HiddenInputMagnitude(IRbm model, double[] row, int j)
        {
            var m = (ConditionalRbm)model;
            ReadOnlySpan<float> w = m.Parameters["W"].Span, bt = m.ContextHiddenWeights;
            double sum = Math.Abs(m.FrameModel.HiddenBias[j]);
            for (int i = 0; i < m.FrameCount; i++) sum += Math.Abs(row[i] / InputScale(model, i) * w[i * m.HiddenCount + j]);
            for (int k = 0; k < m.ContextCount; k++) sum += Math.Abs(row[m.FrameCount + k] * bt[k * m.HiddenCount + j]);
            return sum;
        }

        public override double VisibleInputMagnitude(IRbm model, double[] h, double[] row, int i, double[]? a0)
        {
            var m = (ConditionalRbm)model;
            double sum = base.VisibleInputMagnitude(model, h, row, i, a0);
            for (int k = 0; k < m.ContextCount; k++) sum += Math.Abs(m.ContextVisibleWeights[i * m.ContextCount + k] * row[m.FrameCount + k]);
            return sum;
        }

        public override double VisibleTermMagnitude(IRbm model, double[] v, double[]? a0)
        {
            var m = (ConditionalRbm)model;
            var naive = new NaiveConditionalRbm(m);
            double[] a = naive.VisibleBias(naive.Context(v));
            double s = 0;
            for (int i = 0; i < m.FrameCount; i++) s += Math.Abs(v[i]) * (Math.Abs(a[i]) + Math.Abs(a0?[i] ?? 0)) + (v[i] - a[i]) * (v[i] - a[i]) * 5;
            // The shift A·u is a float product of nc terms (error ≤ (nc + 2)·ε·Σ|Aᵢₖuₖ|), which the visible term carries with a
            // slope of |vᵢ| (Bernoulli) or |vᵢ − âᵢ|/σᵢ² ≤ 4.5·|vᵢ − âᵢ| (Gaussian, σ ≥ 0.47 in these cases).
            for (int i = 0; i < m.FrameCount; i++)
                s += (m.ContextCount + 2) * 5 * VisibleInputMagnitude(model, new double[m.HiddenCount], v, i, null) * (Math.Abs(v[i]) + Math.Abs(v[i] - a[i]));
            return s;
        }

        internal override (double Expected, double Actual) LogZ(IRbm model, INaiveModel naive, RbmCase c)
        {
            var m = (ConditionalRbm)model;
            Matrix rows = VisibleRows(c with { Rows = 1 }, 13);
            float[] u = rows.Row(0)[m.FrameCount..].ToArray();
            double expected = ((NaiveConditionalRbm)naive).LogZ(u.Select(x => (double)x).ToArray());
            return (expected, RbmSimd.Estimation.ConditionalLikelihood.LogPartitionFunction(m, u, maxDegreeOfParallelism: 1));
        }
    }

    /// <summary>
    /// Convolutional models shaped from a case: the pool size, filters, channels and map sizes come from the seed, with the
    /// hidden units kept to about the case's Nh (so the suite's enumerations stay small); filters and biases at the case's scale.
    /// </summary>
    public sealed class Convolutional(VisibleUnitKind units) : ModelKindFixture
    {
        public VisibleUnitKind Units { get; } = units;

        /// <summary>The shape and pool size of the case's model.</summary>
        public static (ConvolutionShape Shape, int Pool) ShapeFor(RbmCase c)
        {
            var random = new Random(HashCode.Combine(c.Seed, 4242));
            int pool = c.Nh >= 4 && random.Next(3) > 0 ? 2 : 1;
            int filters = Math.Max(1, Math.Min(1 + random.Next(3), c.Nh / (pool * pool)));
            int budget = Math.Max(pool * pool, c.Nh / filters) / (pool * pool); // blocks per map
            int rows = 1 + random.Next(Math.Max(1, (int)Math.Sqrt(budget)));
            int cols = Math.Max(1, budget / rows);
            int f = 1 + random.Next(4);
            int channels = 1 + random.Next(2);
            return (new ConvolutionShape(channels, rows * pool + f - 1, cols * pool + f - 1, filters, f), pool);
        }

        public override IRbm Create(RbmCase c)
        {
            (ConvolutionShape shape, int pool) = ShapeFor(c);
            var random = new Random(c.Seed);
            return new ConvolutionalRbm(shape, pool, Units, Normal(random, shape.FiltersLength, c.Scale), Normal(random, shape.Channels, c.Scale),
                Normal(random, shape.Filters, c.Scale));
        }

        private static float[] Normal(Random random, int n, double scale) => Enumerable.Range(0, n).Select(_ =>
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            return (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }).ToArray();

        internal override INaiveModel Reference(IRbm model) => new NaiveConvRbm((ConvolutionalRbm)model);

        public override Matrix VisibleRows(RbmCase c, int salt)
        {
            int nv = ShapeFor(c).Shape.ImageLength;
            if (Units == VisibleUnitKind.Bernoulli) return c.BinaryRows(nv, salt);
            var random = new Random(HashCode.Combine(c.Seed, salt));
            var m = new Matrix(c.Rows, nv);
            for (int r = 0; r < c.Rows; r++)
                for (int i = 0; i < nv; i++)
                {
                    double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                    m[r, i] = (float)(2 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                }
            return m;
        }

        public override double InputScale(IRbm model, int i) => 1;

        /// <summary>Random pooling states: each block off or one of its units on, the on-density drawn per row.</summary>
        public override Matrix HiddenRows(IRbm model, RbmCase c, int salt) => PoolingRows((ConvolutionalRbm)model, c.Rows, HashCode.Combine(c.Seed, salt));

        /// <summary>Rows of random pooling states of <paramref name="model"/>.</summary>
        public static Matrix PoolingRows(ConvolutionalRbm model, int rows, int seed)
        {
            var random = new Random(seed);
            var naive = new NaiveConvRbm(model);
            var m = new Matrix(rows, model.HiddenCount);
            for (int r = 0; r < rows; r++)
            {
                double density = random.NextDouble();
                foreach (int[] block in naive.Blocks())
                    if (random.NextDouble() < density) m[r, block[random.Next(block.Length)]] = 1f;
            }
            return m;
        }

        public override double[,] Weights(IRbm model) => new NaiveConvRbm((ConvolutionalRbm)model).Toeplitz();

        public override double[] VisibleBiases(IRbm model)
        {
            var naive = new NaiveConvRbm((ConvolutionalRbm)model);
            return Enumerable.Range(0, naive.Nv).Select(naive.VisibleBiasOf).ToArray();
        }

        public override double[] HiddenBiases(IRbm model)
        {
            var naive = new NaiveConvRbm((ConvolutionalRbm)model);
            return Enumerable.Range(0, naive.Nh).Select(j => naive.B[j / (naive.Oh * naive.Ow)]).ToArray();
        }
    }
}
