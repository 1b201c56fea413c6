using System.Buffers;
using System.Numerics.Tensors;
using RbmSimd.Data;
using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Model;

/// <summary>
/// A Gaussian–Bernoulli Restricted Boltzmann Machine: real-valued visible units with their own variances
/// and binary hidden units, with the energy
/// <c>E(v, h) = Σᵢ (vᵢ − aᵢ)²/(2σᵢ²) − bᵀh − Σᵢⱼ (vᵢ/σᵢ) Wᵢⱼ hⱼ</c>.
/// </summary>
/// <remarks>
/// <para>Parameters (<see cref="DenseRbm.Parameters"/>): <c>W</c> nv×nh, <c>visible_bias</c> a,
/// <c>hidden_bias</c> b and <c>log_variance</c> <c>zᵢ = log σᵢ²</c>, learned through z as Cho, Ilin and Raiko
/// (2011) recommend (or held fixed with a zero learning rate). Conditionals:
/// <c>P(hⱼ = 1 | v) = σ(bⱼ + Σᵢ vᵢWᵢⱼ/σᵢ)</c> and <c>vᵢ | h ~ N(aᵢ + σᵢ(Wh)ᵢ, σᵢ²)</c>; free energy
/// <c>F(v) = Σᵢ (vᵢ − aᵢ)²/(2σᵢ²) − Σⱼ softplus(bⱼ + Σᵢ vᵢWᵢⱼ/σᵢ)</c>, so that p(v) = e^{−F(v)}/Z is a density.</para>
/// <para>At inverse temperature β with base means a₀ (the base model keeps the variances), the visible
/// means become <c>βaᵢ + (1 − β)a₀ᵢ + βσᵢ(Wh)ᵢ</c> and the variances stay σᵢ².</para>
/// <para>The log-variance gradient needs no product of its own:
/// <c>∂(−E)/∂zᵢ = (vᵢ − aᵢ)²/(2σᵢ²) − (vᵢ/(2σᵢ))(Wh)ᵢ</c>, and the batch mean of the second term is
/// <c>½Σⱼ Wᵢⱼ⟨(v/σ)hᵀ⟩ᵢⱼ</c>, the weight statistic the step computes anyway.</para>
/// </remarks>
public sealed class GaussianBernoulliRbm : DenseRbm
{
    /// <summary>The model kind stored in files.</summary>
    public const string KindName = "gaussian-bernoulli";

    /// <summary>File name of the log-variances z.</summary>
    public const string LogVarianceName = "log_variance";

    private readonly Parameter _logVariance;

    private GaussianBernoulliRbm(int visibleCount, int hiddenCount, Parameter logVariance)
        : base(visibleCount, hiddenCount, logVariance) => _logVariance = logVariance;

    private GaussianBernoulliRbm(int visibleCount, int hiddenCount)
        : this(visibleCount, hiddenCount, new Parameter(LogVarianceName, ParameterGroup.LogVariances, visibleCount)) { }

    /// <summary>Creates a model from given parameters (copied).</summary>
    /// <param name="visibleCount">nv, at least 1.</param>
    /// <param name="hiddenCount">nh, at least 1.</param>
    /// <param name="weights">W, nv×nh row-major.</param>
    /// <param name="visibleBias">a, nv entries.</param>
    /// <param name="hiddenBias">b, nh entries.</param>
    /// <param name="logVariance">z = log σ², nv entries.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length or holds NaN or ∞.</exception>
    public GaussianBernoulliRbm(int visibleCount, int hiddenCount, ReadOnlySpan<float> weights, ReadOnlySpan<float> visibleBias,
        ReadOnlySpan<float> hiddenBias, ReadOnlySpan<float> logVariance)
        : this(visibleCount, hiddenCount)
    {
        ParameterChecks.RequireLengthAndFinite(weights, (long)visibleCount * hiddenCount, nameof(weights));
        ParameterChecks.RequireLengthAndFinite(visibleBias, visibleCount, nameof(visibleBias));
        ParameterChecks.RequireLengthAndFinite(hiddenBias, hiddenCount, nameof(hiddenBias));
        ParameterChecks.RequireLengthAndFinite(logVariance, visibleCount, nameof(logVariance));
        weights.CopyTo(MutableWeights);
        visibleBias.CopyTo(MutableVisibleBias);
        hiddenBias.CopyTo(MutableHiddenBias);
        logVariance.CopyTo(_logVariance.Span);
    }

    /// <summary>
    /// Creates a model for data with nv columns, initialised as <paramref name="initialization"/> says (by default:
    /// see <see cref="GaussianBernoulliInitialization"/>). When <paramref name="data"/> is given, the visible biases
    /// start at the data's column means (and, if asked, the variances at its column variances); otherwise a = 0, σ = 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, or a setting is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has a column count other than <paramref name="visibleCount"/>, or non-finite values.</exception>
    public static GaussianBernoulliRbm CreateRandom(int visibleCount, int hiddenCount, ulong seed, IRowSource? data = null,
        GaussianBernoulliInitialization? initialization = null)
    {
        GaussianBernoulliInitialization init = initialization ?? new GaussianBernoulliInitialization();
        init.Validate();
        var rbm = new GaussianBernoulliRbm(visibleCount, hiddenCount);
        float sd = init.WeightStdDev ?? MathF.Sqrt(2f / (visibleCount + hiddenCount));
        Span<float> w = rbm.MutableWeights;
        BernoulliRbm.FillGaussian(w, sd, seed);
        if (init.PairedWeights)
            for (int i = 0; i < visibleCount; i++)
                for (int j = 1; j < hiddenCount; j += 2) w[i * hiddenCount + j] = -w[i * hiddenCount + j - 1];
        if (data is { RowCount: > 0 })
        {
            if (data.ColumnCount != visibleCount)
                throw new ArgumentException($"The data has {data.ColumnCount} columns but the model has {visibleCount} visible units.", nameof(data));
            (double[] mean, double[] variance) = ColumnStatistics.MeansAndVariances(data);
            for (int i = 0; i < visibleCount; i++)
            {
                if (!double.IsFinite(mean[i]) || !double.IsFinite(variance[i]))
                    throw new ArgumentException($"Column {i} of the data is not finite.", nameof(data));
                rbm.MutableVisibleBias[i] = (float)mean[i];
                if (init.VarianceFromData)
                {
                    double floor = (double)init.MinStandardDeviation * init.MinStandardDeviation;
                    rbm._logVariance.Span[i] = (float)Math.Log(Math.Max(variance[i], floor));
                }
            }
        }
        Span<float> b = rbm.MutableHiddenBias;
        if (init.ComponentWeight is not { } c)
        {
            b.Fill(init.HiddenBias);
            return rbm;
        }
        // bⱼ = log c − Σᵢ (½Wᵢⱼ² + aᵢWᵢⱼ/σᵢ): the state with only unit j on weighs c times the all-off state.
        for (int j = 0; j < hiddenCount; j++)
        {
            double t = 0;
            for (int i = 0; i < visibleCount; i++)
            {
                double wij = w[i * hiddenCount + j];
                t += 0.5 * wij * wij + rbm.VisibleBias[i] * wij * Math.Exp(-0.5 * rbm.LogVariance[i]);
            }
            b[j] = (float)(Math.Log(c) - t);
        }
        return rbm;
    }

    /// <summary>An all-zero model (σ = 1), for readers that fill the parameters themselves.</summary>
    internal static GaussianBernoulliRbm CreateZero(int visibleCount, int hiddenCount) => new(visibleCount, hiddenCount);

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override VisibleUnitKind VisibleUnits => VisibleUnitKind.Gaussian;

    /// <summary>z = log σ², one per visible unit.</summary>
    public ReadOnlySpan<float> LogVariance => _logVariance.Span;

    internal Span<float> MutableLogVariance => _logVariance.Span;

    /// <summary>A deep copy.</summary>
    public override GaussianBernoulliRbm Clone() => CopyInto(new GaussianBernoulliRbm(VisibleCount, HiddenCount));

    /// <inheritdoc/>
    public override bool IsValidVisibleValue(float value) => float.IsFinite(value);

    /// <summary>Writes σᵢ^power = exp(power·zᵢ/2) for every visible unit.</summary>
    private void SigmaPower(float power, Span<float> destination)
    {
        TensorPrimitives.Multiply(LogVariance, 0.5f * power, destination);
        TensorPrimitives.Exp(destination, destination);
    }

    /// <summary>v/σ, row by row.</summary>
    private protected override void InteractionInputs(ReadOnlyMatrixView visible, MatrixView destination)
    {
        float[] rented = ArrayPool<float>.Shared.Rent(VisibleCount);
        try
        {
            Span<float> inverseSigma = rented.AsSpan(0, VisibleCount);
            SigmaPower(-1f, inverseSigma);
            for (int r = 0; r < visible.Rows; r++) TensorPrimitives.Multiply(visible.Row(r), inverseSigma, destination.Row(r));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private protected override bool ScalesInteractionInput => true;

    /// <summary>Means <c>βa + (1 − β)a₀ + βσ⊙(hWᵀ)</c>: the product, then one affine pass per row.</summary>
    private protected override void VisibleLayer(ReadOnlyMatrixView hidden, MatrixView visible, Temperature temperature, int threads)
    {
        Product(hidden, visible, transpose: true, default, 1f, GemmEpilogue.None, threads);
        float[] rented = ArrayPool<float>.Shared.Rent(2 * VisibleCount);
        try
        {
            Span<float> scale = rented.AsSpan(0, VisibleCount), shift = rented.AsSpan(VisibleCount, VisibleCount);
            SigmaPower(1f, scale);
            if (temperature.IsOne && temperature.BaseVisibleBias.IsEmpty)
            {
                VisibleBias.CopyTo(shift);
            }
            else
            {
                TensorPrimitives.Multiply(scale, temperature.Beta, scale);
                temperature.TemperBias(VisibleBias, temperature.BaseVisibleBias, shift);
            }
            for (int r = 0; r < visible.Rows; r++)
            {
                Span<float> row = visible.Row(r);
                TensorPrimitives.FusedMultiplyAdd(row, scale, shift, row);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary><c>vᵢ = meanᵢ + σᵢ·zᵢ</c>, row r from stream positions <c>r·nv …</c>, rows in fixed blocks.</summary>
    private protected override unsafe void SampleVisibleUnits(MatrixView visible, ref RandomStream random, int threads)
    {
        float[] rented = ArrayPool<float>.Shared.Rent(VisibleCount);
        try
        {
            Span<float> sigma = rented.AsSpan(0, VisibleCount);
            SigmaPower(1f, sigma);
            fixed (float* p = visible.Span, s = sigma)
            {
                var body = new GaussianRowsBlock(p, s, visible.Rows, visible.Cols, visible.Stride, random, KernelSelection.Active);
                ChunkedParallel.For(GaussianRowsBlock.BlockCount(visible.Rows), threads, body);
            }
            random.Position += (ulong)visible.Rows * (ulong)visible.Cols;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary><c>Σᵢ [β(vᵢ − aᵢ)² + (1 − β)(vᵢ − a₀ᵢ)²]/(2σᵢ²)</c> for each row, in double.</summary>
    private protected override void VisibleEnergies(ReadOnlyMatrixView visible, Temperature temperature, Span<double> energies)
    {
        float[] rented = ArrayPool<float>.Shared.Rent(VisibleCount);
        try
        {
            Span<float> inverseVariance = rented.AsSpan(0, VisibleCount);
            SigmaPower(-2f, inverseVariance);
            double beta = temperature.Beta;
            ReadOnlySpan<float> a = VisibleBias, a0 = temperature.BaseVisibleBias;
            for (int r = 0; r < visible.Rows; r++)
            {
                ReadOnlySpan<float> v = visible.Row(r);
                double e = 0;
                for (int i = 0; i < v.Length; i++)
                {
                    double d = v[i] - a[i];
                    double q = beta * d * d;
                    if (beta != 1)
                    {
                        double d0 = v[i] - (a0.IsEmpty ? 0f : a0[i]);
                        q += (1 - beta) * d0 * d0;
                    }
                    e += 0.5 * q * inverseVariance[i];
                }
                energies[r] = e;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary><c>Σᵢ (½ log 2π + log σᵢ)</c>: each visible unit integrates to σᵢ√(2π), whatever its mean.</summary>
    private protected override double BaseVisibleLogPartitionFunction(ReadOnlySpan<float> baseVisibleBias)
    {
        double sum = 0;
        foreach (float z in LogVariance) sum += 0.5 * Math.Log(2 * Math.PI) + 0.5 * z;
        return sum;
    }

    /// <summary>
    /// <c>∇aᵢ = (mean(V⁰) − mean(Vᵏ))ᵢ/σᵢ²</c> and the first term of ∇z,
    /// <c>(mean((V⁰ − a)²) − mean((Vᵏ − a)²))ᵢ/(2σᵢ²)</c>; then the rows are scaled to v/σ for the weight statistic.
    /// </summary>
    private protected override void VisibleGradients(PhaseBatch phases, ParameterSet gradient)
    {
        int nv = VisibleCount;
        float[] rented = ArrayPool<float>.Shared.Rent(3 * nv);
        try
        {
            Span<float> inverseVariance = rented.AsSpan(0, nv), squares = rented.AsSpan(nv, nv), scratch = rented.AsSpan(2 * nv, nv);
            SigmaPower(-2f, inverseVariance);
            Span<float> da = gradient[VisibleBiasName].Span, dz = gradient[LogVarianceName].Span;
            ColumnMean(phases.DataVisible, da);
            SubtractColumnMean(phases.ModelVisible, da);
            TensorPrimitives.Multiply(da, inverseVariance, da);

            MeanSquaredDeviation(phases.DataVisible, VisibleBias, squares, scratch);
            MeanSquaredDeviation(phases.ModelVisible, VisibleBias, dz, scratch);
            TensorPrimitives.Subtract(squares, dz, dz);
            TensorPrimitives.Multiply(dz, inverseVariance, dz);
            TensorPrimitives.Multiply(dz, 0.5f, dz);

            Span<float> inverseSigma = scratch;
            SigmaPower(-1f, inverseSigma);
            MatrixView all = phases.Visible;
            for (int r = 0; r < all.Rows; r++) TensorPrimitives.Multiply(all.Row(r), inverseSigma, all.Row(r));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary><c>∇zᵢ −= ½ Σⱼ Wᵢⱼ ∇Wᵢⱼ</c>: the interaction term of the log-variance gradient, from the weight statistic.</summary>
    private protected override void AfterWeightGradient(ParameterSet gradient)
    {
        ReadOnlySpan<float> dW = gradient[WeightsName].Span;
        Span<float> dz = gradient[LogVarianceName].Span;
        int nh = HiddenCount;
        for (int i = 0; i < dz.Length; i++)
            dz[i] -= 0.5f * TensorPrimitives.Dot(Weights.Slice(i * nh, nh), dW.Slice(i * nh, nh));
    }

    /// <summary>The mean over rows of (v − a)², column by column.</summary>
    private static void MeanSquaredDeviation(ReadOnlyMatrixView rows, ReadOnlySpan<float> a, Span<float> mean, Span<float> scratch)
    {
        mean.Clear();
        for (int r = 0; r < rows.Rows; r++)
        {
            TensorPrimitives.Subtract(rows.Row(r), a, scratch);
            TensorPrimitives.MultiplyAdd(scratch, scratch, mean, mean);
        }
        TensorPrimitives.Multiply(mean, 1f / rows.Rows, mean);
    }

    /// <summary>
    /// The hidden layer is enumerated and the visible units integrated out:
    /// <c>log Z = (nv/2)·log 2π + Σᵢ log σᵢ + log Σ_h exp(bᵀh + Σᵢ (½(Wh)ᵢ² + (aᵢ/σᵢ)(Wh)ᵢ))</c>.
    /// </summary>
    public override EnumerationPlan CreateEnumerationPlan()
    {
        int nv = VisibleCount, nh = HiddenCount;
        float[] rows = new float[(long)nh * nv];
        for (int i = 0; i < nv; i++)
            for (int j = 0; j < nh; j++)
                rows[(long)j * nv + i] = Weights[i * nh + j];
        var coefficients = new float[nv];
        double constant = 0.5 * nv * Math.Log(2 * Math.PI);
        for (int i = 0; i < nv; i++)
        {
            coefficients[i] = (float)(VisibleBias[i] * Math.Exp(-0.5 * LogVariance[i]));
            constant += 0.5 * LogVariance[i];
        }
        return new EnumerationPlan("hidden", nh, nv, rows, HiddenBias.ToArray(), new float[nv], MarginalKind.GaussianQuadratic, coefficients, constant);
    }
}
