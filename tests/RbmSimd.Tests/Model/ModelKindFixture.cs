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

    /// <summary>A base bias for the generated units of <paramref name="model"/> (a context has none).</summary>
    public static float[] BaseBias(RbmCase c, IRbm model) => BaseBias(c)[..(model.VisibleCount - model.ContextCount)];

    /// <summary>The case as this kind can take it (a conditional model needs at least two columns: a unit and a context value).</summary>
    public virtual RbmCase Adapt(RbmCase c) => c;

    /// <summary><c>|bⱼ| + Σᵢ |xᵢWᵢⱼ|</c> (x = v/σ), plus the context terms of a conditional model: the size of hidden input j, for error bounds.</summary>
    public virtual double HiddenInputMagnitude(IRbm model, double[] row, int j)
    {
        ReadOnlySpan<float> w = model.Parameters["W"].Span, b = model.Parameters["hidden_bias"].Span;
        double sum = Math.Abs(b[j]);
        for (int i = 0; i < model.VisibleCount; i++) sum += Math.Abs(row[i] / InputScale(model, i) * w[i * model.HiddenCount + j]);
        return sum;
    }

    /// <summary><c>|aᵢ| + |a₀ᵢ| + Σⱼ |Wᵢⱼhⱼ|·σᵢ</c>, plus the context terms of a conditional model: the size of visible input i, for error bounds.</summary>
    public virtual double VisibleInputMagnitude(IRbm model, double[] h, double[] row, int i, double[]? a0)
    {
        ReadOnlySpan<float> w = model.Parameters["W"].Span, a = model.Parameters["visible_bias"].Span;
        double sum = Math.Abs(a[i]) + Math.Abs(a0?[i] ?? 0);
        for (int j = 0; j < model.HiddenCount; j++) sum += Math.Abs(w[i * model.HiddenCount + j] * h[j]) * InputScale(model, i);
        return sum;
    }

    /// <summary>The size of the visible terms of the energy of a row, for error bounds.</summary>
    public virtual double VisibleTermMagnitude(IRbm model, double[] v, double[]? a0)
    {
        ReadOnlySpan<float> a = model.Parameters["visible_bias"].Span;
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
}
