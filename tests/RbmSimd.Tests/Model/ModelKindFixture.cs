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

    /// <summary>Each hidden unit's bias.</summary>
    public virtual double[] HiddenBiases(IRbm model) => model.Parameters["hidden_bias"].Span.ToArray().Select(x => (double)x).ToArray();

    /// <summary>A base bias vector for tempered distributions, one per visible unit of the case.</summary>
    public static float[] BaseBias(RbmCase c) => BaseBias(c, c.Nv);

    /// <summary>A base bias vector of <paramref name="count"/> values for tempered distributions.</summary>
    public static float[] BaseBias(RbmCase c, int count)
    {
        var random = new Random(HashCode.Combine(c.Seed, 77));
        return Enumerable.Range(0, count).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
    }

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
