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

    /// <summary>A base bias vector for tempered distributions.</summary>
    public static float[] BaseBias(RbmCase c)
    {
        var random = new Random(HashCode.Combine(c.Seed, 77));
        return Enumerable.Range(0, c.Nv).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
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
}
