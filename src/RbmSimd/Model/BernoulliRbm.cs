using System.Buffers;
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
/// Parameters are float32: <see cref="Weights"/> W is nv×nh row-major (row i holds the weights of
/// visible unit i), <see cref="VisibleBias"/> a has nv entries, <see cref="HiddenBias"/> b has nh.
/// Every batch operation takes one example per row and writes into caller-provided storage; none of
/// them allocates on the managed heap (scratch space, where needed, is rented from
/// <see cref="ArrayPool{T}.Shared"/>). The model is not thread-safe while it is being trained.
/// </remarks>
public sealed class BernoulliRbm
{
    private readonly float[] _weights;
    private readonly float[] _visibleBias;
    private readonly float[] _hiddenBias;

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
        RequireLengthAndFinite(weights, (long)visibleCount * hiddenCount, nameof(weights));
        RequireLengthAndFinite(visibleBias, visibleCount, nameof(visibleBias));
        RequireLengthAndFinite(hiddenBias, hiddenCount, nameof(hiddenBias));
        weights.CopyTo(_weights);
        visibleBias.CopyTo(_visibleBias);
        hiddenBias.CopyTo(_hiddenBias);
    }

    private BernoulliRbm(int visibleCount, int hiddenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(visibleCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenCount);
        long size = (long)visibleCount * hiddenCount;
        if (size > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(hiddenCount), $"A {visibleCount}x{hiddenCount} weight matrix exceeds the largest array .NET can hold.");
        VisibleCount = visibleCount;
        HiddenCount = hiddenCount;
        _weights = new float[size];
        _visibleBias = new float[visibleCount];
        _hiddenBias = new float[hiddenCount];
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
        if (!(weightStdDev >= 0f) || !float.IsFinite(weightStdDev))
            throw new ArgumentOutOfRangeException(nameof(weightStdDev), weightStdDev, "The weight standard deviation must be finite and non-negative.");
        if (!(clamp > 0f && clamp < 0.5f))
            throw new ArgumentOutOfRangeException(nameof(clamp), clamp, "The clamp must be in (0, 0.5).");
        var rbm = new BernoulliRbm(visibleCount, hiddenCount);
        var random = new RandomStream(seed);
        for (int i = 0; i < rbm._weights.Length; i++) rbm._weights[i] = (float)(weightStdDev * random.NextGaussian());
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

    private void SetVisibleBiasFromData<T>(in T data, float clamp) where T : IRowSource, allows ref struct
    {
        if (data.RowCount == 0) return;
        if (data.ColumnCount != VisibleCount)
            throw new ArgumentException($"The data has {data.ColumnCount} columns but the model has {VisibleCount} visible units.", nameof(data));
        var mean = new double[VisibleCount];
        var row = new float[VisibleCount];
        for (int r = 0; r < data.RowCount; r++)
        {
            data.CopyRow(r, row);
            for (int i = 0; i < row.Length; i++) mean[i] += row[i];
        }
        for (int i = 0; i < VisibleCount; i++)
        {
            double m = mean[i] / data.RowCount;
            double p = Math.Clamp(m, clamp, 1.0 - clamp);
            // 1 − p clamped on its own: for a clamp below 2⁻⁵³, 1 − clamp rounds to 1 and 1 − p would be 0.
            double q = Math.Clamp(1.0 - m, clamp, 1.0 - clamp);
            _visibleBias[i] = (float)Math.Log(p / q);
        }
    }

    /// <summary>nv, the number of visible units.</summary>
    public int VisibleCount { get; }

    /// <summary>nh, the number of hidden units.</summary>
    public int HiddenCount { get; }

    /// <summary>W, nv×nh row-major.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>W as a read-only nv×nh matrix view.</summary>
    public ReadOnlyMatrixView WeightMatrix => new(_weights, VisibleCount, HiddenCount);

    /// <summary>a, the visible biases.</summary>
    public ReadOnlySpan<float> VisibleBias => _visibleBias;

    /// <summary>b, the hidden biases.</summary>
    public ReadOnlySpan<float> HiddenBias => _hiddenBias;

    internal Span<float> MutableWeights => _weights;
    internal Span<float> MutableVisibleBias => _visibleBias;
    internal Span<float> MutableHiddenBias => _hiddenBias;

    /// <summary>A deep copy.</summary>
    public BernoulliRbm Clone() => new(VisibleCount, HiddenCount, _weights, _visibleBias, _hiddenBias);

    /// <summary>Whether every parameter is finite.</summary>
    public bool HasFiniteParameters() => AllFinite(_weights) && AllFinite(_visibleBias) && AllFinite(_hiddenBias);

    /// <summary>P(h = 1 | v) for each row: <c>σ(b + vW)</c>.</summary>
    /// <param name="visible">Batch×nv.</param>
    /// <param name="hidden">Batch×nh, written.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void MeanHiddens(ReadOnlyMatrixView visible, MatrixView hidden, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, VisibleCount, hidden, HiddenCount, nameof(visible), nameof(hidden));
        Conditional(visible, hidden, transpose: false, _hiddenBias, maxDegreeOfParallelism);
    }

    /// <summary>The hidden units' total input <c>b + vW</c> for each row (what σ turns into P(h = 1 | v)).</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void HiddenActivations(ReadOnlyMatrixView visible, MatrixView activations, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, VisibleCount, activations, HiddenCount, nameof(visible), nameof(activations));
        Conditional(visible, activations, transpose: false, _hiddenBias, maxDegreeOfParallelism, sigmoid: false);
    }

    /// <summary>P(v = 1 | h) for each row: <c>σ(a + hWᵀ)</c>.</summary>
    /// <param name="hidden">Batch×nh.</param>
    /// <param name="visible">Batch×nv, written.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use (−1: all cores); the result is the same bits for any value.</param>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void MeanVisibles(ReadOnlyMatrixView hidden, MatrixView visible, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(hidden, HiddenCount, visible, VisibleCount, nameof(hidden), nameof(visible));
        Conditional(hidden, visible, transpose: true, _visibleBias, maxDegreeOfParallelism);
    }

    /// <summary>Samples h ~ P(h | v) for each row; row r uses stream positions <c>r·nh …</c> from the current one, which then advances by <c>batch·nh</c>.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void SampleHiddens(ReadOnlyMatrixView visible, MatrixView hidden, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        MeanHiddens(visible, hidden, maxDegreeOfParallelism);
        SampleInPlace(hidden, ref random, maxDegreeOfParallelism);
    }

    /// <summary>Samples v ~ P(v | h) for each row; row r uses stream positions <c>r·nv …</c> from the current one, which then advances by <c>batch·nv</c>.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void SampleVisibles(ReadOnlyMatrixView hidden, MatrixView visible, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        MeanVisibles(hidden, visible, maxDegreeOfParallelism);
        SampleInPlace(visible, ref random, maxDegreeOfParallelism);
    }

    /// <summary>
    /// Runs <paramref name="steps"/> full Gibbs steps v → h → v on every row of
    /// <paramref name="visible"/>, in place; <paramref name="hidden"/> receives the last hidden sample.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is negative.</exception>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void Gibbs(MatrixView visible, MatrixView hidden, int steps, ref RandomStream random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        RequireBatch(visible, VisibleCount, hidden, HiddenCount, nameof(visible), nameof(hidden));
        for (int s = 0; s < steps; s++)
        {
            SampleHiddens(visible, hidden, ref random);
            SampleVisibles(hidden, visible, ref random);
        }
    }

    /// <summary>The energy <c>E(v, h) = −aᵀv − bᵀh − vᵀWh</c> of each row pair, accumulated in double.</summary>
    /// <param name="visible">Batch×nv.</param>
    /// <param name="hidden">Batch×nh.</param>
    /// <param name="energy">One value per row, written.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Energy(ReadOnlyMatrixView visible, ReadOnlyMatrixView hidden, Span<double> energy)
    {
        RequireBatch(visible, VisibleCount, hidden, HiddenCount, nameof(visible), nameof(hidden));
        RequireOutput(energy, visible.Rows, nameof(energy));
        ReadOnlyMatrixView w = WeightMatrix;
        for (int r = 0; r < visible.Rows; r++)
        {
            ReadOnlySpan<float> v = visible.Row(r);
            ReadOnlySpan<float> h = hidden.Row(r);
            double e = -Dot(_visibleBias, v) - Dot(_hiddenBias, h);
            for (int i = 0; i < v.Length; i++)
                if (v[i] != 0f) e -= v[i] * Dot(w.Row(i), h);
            energy[r] = e;
        }
    }

    /// <summary>
    /// The free energy <c>F(v) = −aᵀv − Σⱼ softplus(bⱼ + (vW)ⱼ)</c> of each row, so that
    /// <c>P(v) = e^{−F(v)} / Z</c>; softplus is evaluated without overflow for any finite activation.
    /// </summary>
    /// <param name="visible">Batch×nv.</param>
    /// <param name="freeEnergy">One value per row, written.</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void FreeEnergy(ReadOnlyMatrixView visible, Span<double> freeEnergy)
    {
        if (visible.Cols != VisibleCount)
            throw new ArgumentException($"Expected {VisibleCount} visible columns but got {visible.Cols}.", nameof(visible));
        RequireOutput(freeEnergy, visible.Rows, nameof(freeEnergy));
        const int ChunkRows = 64;
        float[] rented = ArrayPool<float>.Shared.Rent(Math.Min(ChunkRows, Math.Max(visible.Rows, 1)) * HiddenCount);
        try
        {
            for (int start = 0; start < visible.Rows; start += ChunkRows)
            {
                int rows = Math.Min(ChunkRows, visible.Rows - start);
                ReadOnlyMatrixView v = visible.SliceRows(start, rows);
                var act = new MatrixView(rented, rows, HiddenCount);
                HiddenActivations(v, act);
                for (int r = 0; r < rows; r++) freeEnergy[start + r] = FreeEnergyFromActivations(v.Row(r), act.Row(r));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary><c>F(v) = −aᵀv − Σⱼ softplus(xⱼ)</c> given the hidden activations <c>x = b + vW</c> of one row.</summary>
    internal double FreeEnergyFromActivations(ReadOnlySpan<float> visible, ReadOnlySpan<float> activations) =>
        -Dot(_visibleBias, visible) - Activations.SumSoftplus(activations);

    /// <summary>Replaces each probability by a Bernoulli draw; row r uses stream positions <c>r·cols …</c>.</summary>
    internal static unsafe void SampleInPlace(MatrixView m, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        fixed (float* p = m.Span)
        {
            var body = new SampleRowsBlock(p, m.Rows, m.Cols, m.Stride, random);
            ChunkedParallel.For(SampleRowsBlock.BlockCount(m.Rows), threads, body);
        }
        random.Position += (ulong)m.Rows * (ulong)m.Cols;
    }

    private unsafe void Conditional(ReadOnlyMatrixView input, MatrixView output, bool transpose, float[] bias, int maxDegreeOfParallelism, bool sigmoid = true)
    {
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        GemmEpilogue epilogue = sigmoid ? GemmEpilogue.AddBiasSigmoid : GemmEpilogue.AddBias;
        if (threads == 1)
        {
            // One product: the per-element arithmetic does not depend on the column block, so this gives
            // the same bits as the blocked, parallel path below without re-packing the input. Sparse
            // binary inputs (visible → hidden, where rows of W are contiguous) add selected rows instead.
            if (transpose || !SparseBinaryGemm.TryMultiply(input, WeightMatrix, output, epilogue, bias))
                Gemm.Multiply(input, MatrixOp.None, WeightMatrix, transpose ? MatrixOp.Transpose : MatrixOp.None, output, epilogue, bias);
            return;
        }
        fixed (float* pi = input.Span, pw = _weights, po = output.Span, pb = bias)
        {
            var body = new LayerBlock(pi, input.Rows, input.Cols, input.Stride, pw, HiddenCount, transpose, po, output.Cols, output.Stride, pb, sigmoid);
            ChunkedParallel.For(LayerBlock.BlockCount(output.Cols), threads, body);
        }
    }

    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (double)x[i] * y[i];
        return sum;
    }

    private static bool AllFinite(ReadOnlySpan<float> x)
    {
        foreach (float f in x) if (!float.IsFinite(f)) return false;
        return true;
    }

    private static void RequireLengthAndFinite(ReadOnlySpan<float> x, long length, string name)
    {
        if (x.Length != length) throw new ArgumentException($"Expected {length} values but got {x.Length}.", name);
        int bad = IndexOfNonFinite(x);
        if (bad >= 0) throw new ArgumentException($"Value at index {bad} is {x[bad]}; parameters must be finite.", name);
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> x)
    {
        for (int i = 0; i < x.Length; i++) if (!float.IsFinite(x[i])) return i;
        return -1;
    }

    private static void RequireBatch(ReadOnlyMatrixView input, int inputCols, ReadOnlyMatrixView output, int outputCols, string inputName, string outputName)
    {
        if (input.Cols != inputCols) throw new ArgumentException($"Expected {inputCols} columns but got {input.Cols}.", inputName);
        if (output.Cols != outputCols) throw new ArgumentException($"Expected {outputCols} columns but got {output.Cols}.", outputName);
        if (output.Rows != input.Rows) throw new ArgumentException($"Expected {input.Rows} rows (one per row of {inputName}) but got {output.Rows}.", outputName);
    }

    private static void RequireOutput(Span<double> output, int rows, string name)
    {
        if (output.Length < rows) throw new ArgumentException($"Destination holds {output.Length} values but {rows} are needed.", name);
    }
}
