using RbmSimd.Data;
using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Model;

/// <summary>
/// A Bernoulli–Bernoulli Restricted Boltzmann Machine with energy
/// <c>E(v, h) = −aᵀv − bᵀh − vᵀWh</c>, binary visible units v (nv of them) and binary hidden units h (nh).
/// </summary>
/// <remarks>
/// Parameters are float32 (<see cref="DenseRbm.Parameters"/>: <c>W</c> nv×nh row-major, <c>visible_bias</c>
/// a, <c>hidden_bias</c> b). <c>P(hⱼ = 1 | v) = σ(bⱼ + (vW)ⱼ)</c> and <c>P(vᵢ = 1 | h) = σ(aᵢ + (Wh)ᵢ)</c>;
/// the free energy is <c>F(v) = −aᵀv − Σⱼ softplus(bⱼ + (vW)ⱼ)</c>. At inverse temperature β with base
/// visible biases a₀ the visible inputs become <c>βaᵢ + (1 − β)a₀ᵢ + β(Wh)ᵢ</c>. Every batch operation
/// takes one example per row and writes into caller-provided storage.
/// </remarks>
public sealed class BernoulliRbm : DenseRbm
{
    /// <summary>The model kind stored in files.</summary>
    public const string KindName = "bernoulli";

    private BernoulliRbm(int visibleCount, int hiddenCount) : base(visibleCount, hiddenCount) { }

    /// <summary>Creates a model from given parameters (copied).</summary>
    /// <param name="visibleCount">nv, at least 1.</param>
    /// <param name="hiddenCount">nh, at least 1.</param>
    /// <param name="weights">W, nv×nh row-major.</param>
    /// <param name="visibleBias">a, nv entries.</param>
    /// <param name="hiddenBias">b, nh entries.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length or holds NaN or ∞.</exception>
    public BernoulliRbm(int visibleCount, int hiddenCount, ReadOnlySpan<float> weights, ReadOnlySpan<float> visibleBias, ReadOnlySpan<float> hiddenBias)
        : this(visibleCount, hiddenCount)
    {
        ParameterChecks.RequireLengthAndFinite(weights, (long)visibleCount * hiddenCount, nameof(weights));
        ParameterChecks.RequireLengthAndFinite(visibleBias, visibleCount, nameof(visibleBias));
        ParameterChecks.RequireLengthAndFinite(hiddenBias, hiddenCount, nameof(hiddenBias));
        weights.CopyTo(MutableWeights);
        visibleBias.CopyTo(MutableVisibleBias);
        hiddenBias.CopyTo(MutableHiddenBias);
    }

    /// <summary>
    /// Creates a model initialised as Hinton's practical guide recommends: weights from
    /// N(0, 0.01²) (standard deviation <paramref name="weightStdDev"/>), biases zero, and, when
    /// <paramref name="data"/> is given, visible biases <c>log(p/(1−p))</c> where p is each visible
    /// unit's mean over the data, clamped to [<paramref name="clamp"/>, 1 − <paramref name="clamp"/>].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, the deviation is negative or not finite, or the clamp is outside (0, 0.5).</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has a column count other than <paramref name="visibleCount"/>.</exception>
    public static BernoulliRbm CreateRandom(int visibleCount, int hiddenCount, ulong seed, float weightStdDev = 0.01f, ReadOnlyMatrixView data = default, float clamp = 1e-3f)
    {
        RequireInitialisation(weightStdDev, clamp);
        var rbm = new BernoulliRbm(visibleCount, hiddenCount);
        FillGaussian(rbm.MutableWeights, weightStdDev, seed);
        if (!data.IsEmpty) rbm.SetVisibleBiasFromData(new MatrixRows(data), clamp);
        return rbm;
    }

    /// <summary>
    /// As <see cref="CreateRandom(int, int, ulong, float, ReadOnlyMatrixView, float)"/>, with the visible
    /// biases set from the column means of a row source (e.g. a <see cref="ByteDataset"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive, the deviation is negative or not finite, or the clamp is outside (0, 0.5).</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> has a column count other than <paramref name="visibleCount"/>.</exception>
    public static BernoulliRbm CreateRandom(int visibleCount, int hiddenCount, ulong seed, IRowSource data, float weightStdDev = 0.01f, float clamp = 1e-3f)
    {
        ArgumentNullException.ThrowIfNull(data);
        BernoulliRbm rbm = CreateRandom(visibleCount, hiddenCount, seed, weightStdDev, default, clamp);
        rbm.SetVisibleBiasFromData(data, clamp);
        return rbm;
    }

    private static void RequireInitialisation(float weightStdDev, float clamp)
    {
        if (!(weightStdDev >= 0f) || !float.IsFinite(weightStdDev))
            throw new ArgumentOutOfRangeException(nameof(weightStdDev), weightStdDev, "The weight standard deviation must be finite and non-negative.");
        if (!(clamp > 0f && clamp < 0.5f))
            throw new ArgumentOutOfRangeException(nameof(clamp), clamp, "The clamp must be in (0, 0.5).");
    }

    /// <summary>Fills weights with N(0, sd²) draws from the stream of <paramref name="seed"/>, in order.</summary>
    internal static void FillGaussian(Span<float> weights, float standardDeviation, ulong seed)
    {
        var random = new RandomStream(seed);
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(standardDeviation * random.NextGaussian());
    }

    private void SetVisibleBiasFromData<T>(in T data, float clamp) where T : IRowSource, allows ref struct
    {
        if (data.RowCount == 0) return;
        if (data.ColumnCount != VisibleCount)
            throw new ArgumentException($"The data has {data.ColumnCount} columns but the model has {VisibleCount} visible units.", nameof(data));
        double[] mean = ColumnStatistics.Means(data);
        Span<float> a = MutableVisibleBias;
        for (int i = 0; i < VisibleCount; i++)
        {
            double p = Math.Clamp(mean[i], clamp, 1.0 - clamp);
            // 1 − p clamped on its own: for a clamp below 2⁻⁵³, 1 − clamp rounds to 1 and 1 − p would be 0.
            double q = Math.Clamp(1.0 - mean[i], clamp, 1.0 - clamp);
            a[i] = (float)Math.Log(p / q);
        }
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override VisibleUnitKind VisibleUnits => VisibleUnitKind.Bernoulli;

    /// <summary>A deep copy.</summary>
    public override BernoulliRbm Clone() => CopyInto(new BernoulliRbm(VisibleCount, HiddenCount));

    /// <inheritdoc/>
    public override bool IsValidVisibleValue(float value) => value >= 0f && value <= 1f;

    private protected override void VisibleLayer(ReadOnlyMatrixView hidden, MatrixView visible, Temperature temperature, int threads)
    {
        if (temperature.IsOne && temperature.BaseVisibleBias.IsEmpty)
        {
            Product(hidden, visible, transpose: true, VisibleBias, 1f, GemmEpilogue.AddBiasSigmoid, threads);
            return;
        }
        float[] rented = System.Buffers.ArrayPool<float>.Shared.Rent(VisibleCount);
        try
        {
            Span<float> bias = rented.AsSpan(0, VisibleCount);
            temperature.TemperBias(VisibleBias, temperature.BaseVisibleBias, bias);
            Product(hidden, visible, transpose: true, bias, temperature.Beta, GemmEpilogue.AddBiasSigmoid, threads);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }

    private protected override void SampleVisibleUnits(MatrixView visible, ref RandomStream random, int threads) =>
        Bernoulli.SampleRows(visible, ref random, threads);

    /// <summary><c>−(βa + (1 − β)a₀)ᵀv</c> for each row, in double.</summary>
    private protected override void VisibleEnergies(ReadOnlyMatrixView visible, Temperature temperature, Span<double> energies)
    {
        double beta = temperature.Beta;
        for (int r = 0; r < visible.Rows; r++)
        {
            ReadOnlySpan<float> v = visible.Row(r);
            if (temperature.IsOne)
            {
                energies[r] = -Dot(VisibleBias, v);
                continue;
            }
            double sum = beta * Dot(VisibleBias, v);
            if (!temperature.BaseVisibleBias.IsEmpty) sum += (1 - beta) * Dot(temperature.BaseVisibleBias, v);
            energies[r] = -sum;
        }
    }

    /// <summary><c>Σᵢ softplus(a₀ᵢ)</c>: each visible unit sums to 1 + e^{a₀ᵢ}.</summary>
    private protected override double BaseVisibleLogPartitionFunction(ReadOnlySpan<float> baseVisibleBias)
    {
        double sum = 0;
        for (int i = 0; i < VisibleCount; i++)
        {
            double a = baseVisibleBias.IsEmpty ? 0 : baseVisibleBias[i];
            sum += Math.Max(a, 0) + Math.Log(1 + Math.Exp(-Math.Abs(a)));
        }
        return sum;
    }

    /// <summary><c>∇a = mean(V⁰) − mean(Vᵏ)</c>.</summary>
    private protected override void VisibleGradients(PhaseBatch phases, ParameterSet gradient)
    {
        Span<float> da = gradient[VisibleBiasName].Span;
        ColumnMean(phases.DataVisible, da);
        SubtractColumnMean(phases.ModelVisible, da);
    }

    /// <summary>
    /// The smaller layer is enumerated and the other summed out:
    /// <c>Z = Σ_s exp(cᵀs + Σₖ softplus(dₖ + (sᵀR)ₖ))</c>, with (R, c, d) = (Wᵀ, b, a) when the hidden layer
    /// is enumerated and (W, a, b) when the visible one is.
    /// </summary>
    public override EnumerationPlan CreateEnumerationPlan()
    {
        bool enumerateHidden = HiddenCount <= VisibleCount;
        int n = enumerateHidden ? HiddenCount : VisibleCount, m = enumerateHidden ? VisibleCount : HiddenCount;
        float[] rows = new float[(long)n * m];
        if (enumerateHidden) Transpose(Weights, VisibleCount, HiddenCount, rows);
        else Weights.CopyTo(rows);
        return new EnumerationPlan(enumerateHidden ? "hidden" : "visible", n, m, rows,
            (enumerateHidden ? HiddenBias : VisibleBias).ToArray(),
            (enumerateHidden ? VisibleBias : HiddenBias).ToArray(),
            MarginalKind.Softplus, [], 0.0);
    }

    private static void Transpose(ReadOnlySpan<float> source, int rows, int cols, Span<float> destination)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                destination[j * rows + i] = source[i * cols + j];
    }

    /// <summary>An all-zero model, for readers that fill the parameters themselves.</summary>
    internal static BernoulliRbm CreateZero(int visibleCount, int hiddenCount) => new(visibleCount, hiddenCount);
}
