using System.Buffers;
using System.Numerics.Tensors;
using RbmSimd.Data;
using RbmSimd.Kernels;
using RbmSimd.Numerics;
using RbmSimd.Sampling;

namespace RbmSimd.Model;

/// <summary>
/// A convolutional Restricted Boltzmann Machine with probabilistic max-pooling (Lee, Grosse, Ranganath and Ng, 2009):
/// images of C channels (Bernoulli or Gaussian visible units), K filters of C × F × F shared over every position, K
/// detection maps of binary hidden units, one bias per map and one visible bias per channel, and optional p × p pooling
/// blocks in which at most one detection unit is on.
/// </summary>
/// <remarks>
/// <para>Layout: a visible row is an image <c>v[c, y, x]</c> (C·H·W floats, row-major); a hidden row is the detection maps
/// <c>h[k, i, j]</c> (K·(H − F + 1)·(W − F + 1) floats); <c>filters</c> is K × C × F × F. With
/// <c>I[k, i, j] = b_k + Σ_{c,r,s} W[k, c, r, s]·v[c, i + r, j + s]</c> (a valid correlation), the energy is</para>
/// <code>
/// Bernoulli visible units:  E(v, h) = −Σ_{k,i,j} h[k, i, j]·I[k, i, j] − Σ_c a_c Σ_{y,x} v[c, y, x]
/// Gaussian visible units:   E(v, h) = ½ Σ (v[c, y, x] − a_c)² − Σ_{k,i,j} h[k, i, j]·I[k, i, j]      (σ = 1)
/// </code>
/// <para>for states with at most one unit on in every pooling block (others are impossible; with pool size 1 there is no
/// constraint and the model is a dense RBM with tied, Toeplitz-structured weights). Conditionals: within a block,
/// <c>P(h[k,i,j] = 1 | v) = e^{I}/(1 + Σ_block e^{I})</c> and the block is off with <c>1/(1 + Σ_block e^{I})</c>
/// (<see cref="BlockSoftmax"/>); <c>P(v | h)</c> from <c>a_c + Σ_{k,r,s} W[k, c, r, s]·h[k, y − r, x − s]</c>, the full
/// convolution with the flipped filters, through σ (Bernoulli) or as the mean of a unit-variance Gaussian. The free energy
/// is the visible term minus <c>Σ_blocks log(1 + Σ_block e^{I})</c>. The Gaussian units have unit variance: train them on
/// standardised or whitened data.</para>
/// <para>At inverse temperature β with base visible biases a₀ (one per visible unit), the hidden inputs are β·I and the
/// visible inputs <c>β(a_c + conv) + (1 − β)a₀</c>; the state space (the pooling constraint) does not change with β.</para>
/// <para>Products run on <see cref="Convolution"/> (im2col and the packed GEMM) one image per chunk, the pooling on
/// <see cref="BlockSoftmax"/>; random draws are addressed by position, so every operation gives the same bits for any
/// thread count, and scratch comes from <see cref="ArrayPool{T}.Shared"/> and per-thread workspaces, so a training step
/// allocates nothing in a steady state.</para>
/// </remarks>
public sealed class ConvolutionalRbm : IPooledRbm
{
    /// <summary>The model kind stored in files.</summary>
    public const string KindName = "convolutional";

    /// <summary>File name of the filters (K × C × F × F).</summary>
    public const string FiltersName = "filters";

    /// <summary>File name of the per-channel visible biases (C).</summary>
    public const string VisibleBiasName = "visible_bias";

    /// <summary>File name of the per-map hidden biases (K).</summary>
    public const string HiddenBiasName = "hidden_bias";

    private const int FreeEnergyChunkRows = 64;
    private const int SampleChunkRows = 4;

    private readonly Parameter _filters, _visibleBias, _hiddenBias;
    private float[]? _unitScale;

    private ConvolutionalRbm(ConvolutionShape shape, int poolSize, VisibleUnitKind visibleUnits)
    {
        if (shape.Channels == 0) throw new ArgumentException("The shape is empty; create it with its constructor.", nameof(shape));
        if (!Enum.IsDefined(visibleUnits)) throw new ArgumentOutOfRangeException(nameof(visibleUnits), visibleUnits, "Unknown visible unit kind.");
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        if (shape.OutputHeight % poolSize != 0 || shape.OutputWidth % poolSize != 0)
            throw new ArgumentOutOfRangeException(nameof(poolSize), poolSize,
                $"The pool size {poolSize} must divide the detection maps' height {shape.OutputHeight} and width {shape.OutputWidth}.");
        Shape = shape;
        Pooling = new PoolingShape(shape.Filters, shape.OutputHeight, shape.OutputWidth, poolSize);
        VisibleUnits = visibleUnits;
        _filters = new Parameter(FiltersName, ParameterGroup.Weights, shape.Filters, shape.Channels, shape.FilterSize, shape.FilterSize);
        _visibleBias = new Parameter(VisibleBiasName, ParameterGroup.Biases, shape.Channels);
        _hiddenBias = new Parameter(HiddenBiasName, ParameterGroup.Biases, shape.Filters);
        Parameters = new ParameterSet([_filters, _visibleBias, _hiddenBias]);
    }

    /// <summary>Creates a model from given parameters (copied).</summary>
    /// <param name="shape">The images and filters.</param>
    /// <param name="poolSize">p, the side of the pooling blocks (1: no pooling); it must divide both sides of the detection maps.</param>
    /// <param name="visibleUnits">Bernoulli or Gaussian (unit variance) visible units.</param>
    /// <param name="filters">K·C·F·F values, <c>[k, c, r, s]</c>.</param>
    /// <param name="visibleBias">C values, one per channel.</param>
    /// <param name="hiddenBias">K values, one per map.</param>
    /// <exception cref="ArgumentOutOfRangeException">The pool size is below 1 or does not divide the maps, or the units are unknown.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length or holds NaN or ∞, or the shape is empty.</exception>
    public ConvolutionalRbm(ConvolutionShape shape, int poolSize, VisibleUnitKind visibleUnits, ReadOnlySpan<float> filters,
        ReadOnlySpan<float> visibleBias, ReadOnlySpan<float> hiddenBias)
        : this(shape, poolSize, visibleUnits)
    {
        ParameterChecks.RequireLengthAndFinite(filters, shape.FiltersLength, nameof(filters));
        ParameterChecks.RequireLengthAndFinite(visibleBias, shape.Channels, nameof(visibleBias));
        ParameterChecks.RequireLengthAndFinite(hiddenBias, shape.Filters, nameof(hiddenBias));
        filters.CopyTo(_filters.Span);
        visibleBias.CopyTo(_visibleBias.Span);
        hiddenBias.CopyTo(_hiddenBias.Span);
    }

    /// <summary>
    /// Creates a model with filters from N(0, <paramref name="weightStdDev"/>²) (drawn in order from the stream of
    /// <paramref name="seed"/>), every hidden bias <paramref name="hiddenBias"/> and, when <paramref name="data"/> is given,
    /// visible biases from each channel's mean: <c>log(p/(1 − p))</c> clamped to [0.001, 0.999] for Bernoulli units, the mean
    /// itself for Gaussian units; otherwise zero.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The pool size does not fit, or the deviation is negative or not finite, or the hidden bias is not finite.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> does not have C·H·W columns.</exception>
    public static ConvolutionalRbm CreateRandom(ConvolutionShape shape, int poolSize, VisibleUnitKind visibleUnits, ulong seed,
        float weightStdDev = 0.01f, float hiddenBias = 0f, IRowSource? data = null)
    {
        if (!(weightStdDev >= 0f) || !float.IsFinite(weightStdDev))
            throw new ArgumentOutOfRangeException(nameof(weightStdDev), weightStdDev, "The weight standard deviation must be finite and non-negative.");
        if (!float.IsFinite(hiddenBias)) throw new ArgumentOutOfRangeException(nameof(hiddenBias), hiddenBias, "The hidden bias must be finite.");
        var rbm = new ConvolutionalRbm(shape, poolSize, visibleUnits);
        BernoulliRbm.FillGaussian(rbm._filters.Span, weightStdDev, seed);
        rbm._hiddenBias.Span.Fill(hiddenBias);
        if (data is { RowCount: > 0 })
        {
            if (data.ColumnCount != shape.ImageLength)
                throw new ArgumentException($"The data has {data.ColumnCount} columns but the model's images have {shape.ImageLength} ({shape.Channels}x{shape.Height}x{shape.Width}).", nameof(data));
            double[] mean = ColumnStatistics.Means(data);
            int plane = shape.Height * shape.Width;
            for (int c = 0; c < shape.Channels; c++)
            {
                double m = 0;
                for (int i = 0; i < plane; i++) m += mean[c * plane + i];
                m /= plane;
                rbm._visibleBias.Span[c] = visibleUnits == VisibleUnitKind.Gaussian
                    ? (float)m
                    : (float)Math.Log(Math.Clamp(m, 1e-3, 1 - 1e-3) / Math.Clamp(1 - m, 1e-3, 1 - 1e-3));
            }
        }
        return rbm;
    }

    /// <summary>An all-zero model, for readers that fill the parameters themselves.</summary>
    internal static ConvolutionalRbm CreateZero(ConvolutionShape shape, int poolSize, VisibleUnitKind visibleUnits) => new(shape, poolSize, visibleUnits);

    /// <summary>An all-zero model of C × H × W images and K filters of F × F.</summary>
    internal static ConvolutionalRbm CreateZero(int channels, int height, int width, int filters, int filterSize, int poolSize, VisibleUnitKind visibleUnits) =>
        new(new ConvolutionShape(channels, height, width, filters, filterSize), poolSize, visibleUnits);

    /// <inheritdoc/>
    public string Kind => KindName;

    /// <inheritdoc/>
    public VisibleUnitKind VisibleUnits { get; }

    /// <summary>The images and filters.</summary>
    public ConvolutionShape Shape { get; }

    /// <summary>The detection maps and their pooling blocks.</summary>
    public PoolingShape Pooling { get; }

    /// <summary>p, the side of the pooling blocks (1: no pooling).</summary>
    public int PoolSize => Pooling.Pool;

    /// <inheritdoc/>
    public int VisibleCount => Shape.ImageLength;

    /// <inheritdoc/>
    public int HiddenCount => Shape.MapsLength;

    /// <inheritdoc/>
    public int PooledCount => Pooling.Blocks;

    /// <inheritdoc/>
    public ParameterSet Parameters { get; }

    /// <summary>The filters, K·C·F·F values <c>[k, c, r, s]</c>.</summary>
    public ReadOnlySpan<float> Filters => _filters.Span;

    /// <summary>The visible biases, one per channel.</summary>
    public ReadOnlySpan<float> VisibleBias => _visibleBias.Span;

    /// <summary>The hidden biases, one per map.</summary>
    public ReadOnlySpan<float> HiddenBias => _hiddenBias.Span;

    /// <summary>A deep copy.</summary>
    public ConvolutionalRbm Clone()
    {
        var clone = new ConvolutionalRbm(Shape, PoolSize, VisibleUnits);
        Parameters.CopyTo(clone.Parameters);
        return clone;
    }

    IRbm IRbm.Clone() => Clone();

    /// <inheritdoc/>
    public bool IsValidVisibleValue(float value) => VisibleUnits == VisibleUnitKind.Bernoulli ? value >= 0f && value <= 1f : float.IsFinite(value);

    // ---- Conditionals ------------------------------------------------------------------------------------

    /// <inheritdoc/>
    public void HiddenInputs(ReadOnlyMatrixView visible, MatrixView inputs, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, VisibleCount, inputs, HiddenCount, nameof(visible), nameof(inputs));
        HiddenLayer(visible, inputs, temperature, means: false, maxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public void MeanHiddens(ReadOnlyMatrixView visible, MatrixView hidden, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, VisibleCount, hidden, HiddenCount, nameof(visible), nameof(hidden));
        HiddenLayer(visible, hidden, temperature, means: true, maxDegreeOfParallelism);
    }

    /// <summary>P(h = 1 | v) for each row at β = 1.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void MeanHiddens(ReadOnlyMatrixView visible, MatrixView hidden, int maxDegreeOfParallelism = 1) =>
        MeanHiddens(visible, hidden, Temperature.One, maxDegreeOfParallelism);

    /// <inheritdoc/>
    public void HiddenMeansFromInputs(MatrixView inputs)
    {
        if (inputs.Cols != HiddenCount) throw new ArgumentException($"Expected {HiddenCount} columns but got {inputs.Cols}.", nameof(inputs));
        for (int r = 0; r < inputs.Rows; r++) BlockSoftmax.Probabilities(Pooling, inputs.Row(r), inputs.Row(r));
    }

    /// <inheritdoc/>
    public void MeanPooled(ReadOnlyMatrixView visible, MatrixView pooled, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(visible, VisibleCount, pooled, PooledCount, nameof(visible), nameof(pooled));
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        const int Chunk = 64;
        float[] rented = ArrayPool<float>.Shared.Rent(Math.Min(Chunk, Math.Max(1, visible.Rows)) * HiddenCount);
        try
        {
            for (int start = 0; start < visible.Rows; start += Chunk)
            {
                int rows = Math.Min(Chunk, visible.Rows - start);
                var hidden = new MatrixView(rented.AsSpan(0, rows * HiddenCount), rows, HiddenCount);
                HiddenLayer(visible.SliceRows(start, rows), hidden, Temperature.One, means: true, threads);
                for (int r = 0; r < rows; r++) BlockSoftmax.PooledSums(Pooling, hidden.Row(r), pooled.Row(start + r));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    public void HiddenFromPooled(ReadOnlyMatrixView pooled, MatrixView hidden)
    {
        RequireBatch(pooled, PooledCount, hidden, HiddenCount, nameof(pooled), nameof(hidden));
        int p = PoolSize, w = Pooling.Width, pw = Pooling.PooledWidth;
        float share = 1f / (p * p);
        for (int row = 0; row < pooled.Rows; row++)
        {
            ReadOnlySpan<float> q = pooled.Row(row);
            Span<float> h = hidden.Row(row);
            for (int k = 0; k < Pooling.Maps; k++)
                for (int i = 0; i < Pooling.Height; i++)
                    for (int j = 0; j < w; j++)
                        h[(k * Pooling.Height + i) * w + j] = share * q[(k * Pooling.PooledHeight + i / p) * pw + j / p];
        }
    }

    /// <inheritdoc/>
    public void MeanVisibles(ReadOnlyMatrixView hidden, MatrixView visible, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        RequireBatch(hidden, HiddenCount, visible, VisibleCount, nameof(hidden), nameof(visible));
        RequireBase(temperature);
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (hidden.Rows == 0) return;
        float[] rented = ArrayPool<float>.Shared.Rent(VisibleCount);
        try
        {
            Span<float> bias = rented.AsSpan(0, VisibleCount);
            VisibleInputBias(temperature, bias);
            VisibleLayer(hidden, visible, bias, temperature.Beta, threads);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>E[v | h] for each row at β = 1.</summary>
    /// <exception cref="ArgumentException">The shapes do not match the model or each other.</exception>
    public void MeanVisibles(ReadOnlyMatrixView hidden, MatrixView visible, int maxDegreeOfParallelism = 1) =>
        MeanVisibles(hidden, visible, Temperature.One, maxDegreeOfParallelism);

    /// <inheritdoc/>
    public void SampleHiddens(ReadOnlyMatrixView visible, MatrixView hidden, ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        MeanHiddens(visible, hidden, temperature, maxDegreeOfParallelism);
        SampleHiddensFromMeans(hidden, ref random, maxDegreeOfParallelism);
    }

    /// <inheritdoc/>
    public void SampleVisibles(ReadOnlyMatrixView hidden, MatrixView visible, ref RandomStream random, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        MeanVisibles(hidden, visible, temperature, maxDegreeOfParallelism);
        SampleVisiblesFromMeans(visible, ref random, maxDegreeOfParallelism);
    }

    /// <summary>
    /// Replaces the detection units' probabilities by a draw of every pooling block, in place: at most one unit on per block
    /// (see <see cref="BlockSoftmax.Sample(PoolingShape, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>); with pool size 1,
    /// Bernoulli draws. Row r takes the uniforms of stream positions <c>r·nh + b</c> for its blocks b (the first of its nh
    /// positions), and the stream advances by <c>rows·nh</c>, as for the other kinds.
    /// </summary>
    public unsafe void SampleHiddensFromMeans(MatrixView hidden, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        if (hidden.Cols != HiddenCount) throw new ArgumentException($"Expected {HiddenCount} columns but got {hidden.Cols}.", nameof(hidden));
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (PoolSize == 1)
        {
            Bernoulli.SampleRows(hidden, ref random, threads);
            return;
        }
        if (hidden.Rows > 0)
        {
            fixed (float* h = hidden.Span)
            {
                var body = new SamplePooledRows(Pooling, h, hidden.Rows, hidden.Stride, HiddenCount, random);
                ChunkedParallel.For((hidden.Rows + SampleChunkRows - 1) / SampleChunkRows, threads, body);
            }
        }
        random.Position += (ulong)hidden.Rows * (ulong)HiddenCount;
    }

    /// <inheritdoc/>
    public unsafe void SampleVisiblesFromMeans(MatrixView visible, ref RandomStream random, int maxDegreeOfParallelism = 1)
    {
        if (visible.Cols != VisibleCount) throw new ArgumentException($"Expected {VisibleCount} columns but got {visible.Cols}.", nameof(visible));
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (VisibleUnits == VisibleUnitKind.Bernoulli)
        {
            Bernoulli.SampleRows(visible, ref random, threads);
            return;
        }
        float[] scale = UnitScale();
        fixed (float* p = visible.Span, s = scale)
        {
            var body = new GaussianRowsBlock(p, s, visible.Rows, visible.Cols, visible.Stride, random, KernelSelection.Active);
            ChunkedParallel.For(GaussianRowsBlock.BlockCount(visible.Rows), threads, body);
        }
        random.Position += (ulong)visible.Rows * (ulong)visible.Cols;
    }

    // ---- Energies -----------------------------------------------------------------------------------------

    /// <summary>
    /// E(v, h) of each row pair, in double from the float parameters; +∞ for a hidden row with more than one unit on in a
    /// pooling block (a state of probability zero).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the destination is too short.</exception>
    public void Energy(ReadOnlyMatrixView visible, ReadOnlyMatrixView hidden, Span<double> energy)
    {
        RequireBatch(visible, VisibleCount, hidden, HiddenCount, nameof(visible), nameof(hidden));
        RequireOutput(energy, visible.Rows, nameof(energy));
        ConvolutionShape s = Shape;
        int f = s.FilterSize, oh = s.OutputHeight, ow = s.OutputWidth, plane = s.Height * s.Width;
        ReadOnlySpan<float> w = Filters, b = HiddenBias;
        for (int row = 0; row < visible.Rows; row++)
        {
            ReadOnlySpan<float> v = visible.Row(row), h = hidden.Row(row);
            if (!IsPoolingState(h))
            {
                energy[row] = double.PositiveInfinity;
                continue;
            }
            double e = VisibleEnergy(v, Temperature.One);
            for (int k = 0; k < s.Filters; k++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        float hk = h[(k * oh + i) * ow + j];
                        if (hk == 0f) continue;
                        double input = b[k];
                        for (int c = 0; c < s.Channels; c++)
                            for (int r = 0; r < f; r++)
                                for (int q = 0; q < f; q++)
                                    input += (double)w[((k * s.Channels + c) * f + r) * f + q] * v[c * plane + (i + r) * s.Width + j + q];
                        e -= hk * input;
                    }
            energy[row] = e;
        }
    }

    /// <summary>The free energy of each row at β = 1.</summary>
    /// <exception cref="ArgumentException">The shapes do not match, or the destination is too short.</exception>
    public void FreeEnergy(ReadOnlyMatrixView visible, Span<double> freeEnergy) => FreeEnergy(visible, freeEnergy, Temperature.One);

    /// <inheritdoc/>
    public void FreeEnergy(ReadOnlyMatrixView visible, Span<double> freeEnergy, Temperature temperature, int maxDegreeOfParallelism = 1)
    {
        if (visible.Cols != VisibleCount) throw new ArgumentException($"Expected {VisibleCount} visible columns but got {visible.Cols}.", nameof(visible));
        RequireOutput(freeEnergy, visible.Rows, nameof(freeEnergy));
        RequireBase(temperature);
        float[] rented = ArrayPool<float>.Shared.Rent(Math.Min(FreeEnergyChunkRows, Math.Max(visible.Rows, 1)) * HiddenCount);
        try
        {
            for (int start = 0; start < visible.Rows; start += FreeEnergyChunkRows)
            {
                int rows = Math.Min(FreeEnergyChunkRows, visible.Rows - start);
                ReadOnlyMatrixView v = visible.SliceRows(start, rows);
                var inputs = new MatrixView(rented.AsSpan(0, rows * HiddenCount), rows, HiddenCount);
                HiddenInputs(v, inputs, temperature, maxDegreeOfParallelism);
                FreeEnergyFromHiddenInputs(v, inputs, temperature, freeEnergy.Slice(start, rows));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    public void FreeEnergyFromHiddenInputs(ReadOnlyMatrixView visible, ReadOnlyMatrixView hiddenInputs, Temperature temperature, Span<double> freeEnergy)
    {
        RequireBatch(visible, VisibleCount, hiddenInputs, HiddenCount, nameof(visible), nameof(hiddenInputs));
        RequireOutput(freeEnergy, visible.Rows, nameof(freeEnergy));
        RequireBase(temperature);
        for (int r = 0; r < visible.Rows; r++)
            freeEnergy[r] = VisibleEnergy(visible.Row(r), temperature) - BlockSoftmax.SumLogPartition(Pooling, hiddenInputs.Row(r));
    }

    /// <summary>The terms of the tempered energy that do not involve h, in double.</summary>
    private double VisibleEnergy(ReadOnlySpan<float> v, Temperature temperature)
    {
        double beta = temperature.Beta;
        ReadOnlySpan<float> a = VisibleBias, a0 = temperature.BaseVisibleBias;
        int plane = Shape.Height * Shape.Width;
        double e = 0;
        for (int i = 0; i < v.Length; i++)
        {
            double ai = a[i / plane], x = v[i];
            double base0 = a0.IsEmpty ? 0 : a0[i];
            if (VisibleUnits == VisibleUnitKind.Bernoulli)
            {
                e -= temperature.IsOne ? ai * x : (beta * ai + (1 - beta) * base0) * x;
            }
            else
            {
                double d = x - ai;
                double q = beta * d * d;
                if (beta != 1)
                {
                    double d0 = x - base0;
                    q += (1 - beta) * d0 * d0;
                }
                e += 0.5 * q;
            }
        }
        return e;
    }

    private bool IsPoolingState(ReadOnlySpan<float> h)
    {
        int p = PoolSize;
        if (p == 1) return true;
        int w = Pooling.Width;
        for (int k = 0; k < Pooling.Maps; k++)
            for (int bi = 0; bi < Pooling.PooledHeight; bi++)
                for (int bj = 0; bj < Pooling.PooledWidth; bj++)
                {
                    int on = 0;
                    for (int t = 0; t < p; t++)
                        for (int u = 0; u < p; u++)
                            if (h[(k * Pooling.Height + bi * p + t) * w + bj * p + u] != 0f) on++;
                    if (on > 1) return false;
                }
        return true;
    }

    /// <summary>Replaces every detection unit's value by its map's mean: Lee et al.'s sparsity target is one per map.</summary>
    /// <exception cref="ArgumentException">The span does not hold one value per hidden unit.</exception>
    public void AverageOverSharedHiddenUnits(Span<float> perUnit)
    {
        if (perUnit.Length != HiddenCount) throw new ArgumentException($"Expected {HiddenCount} values but got {perUnit.Length}.", nameof(perUnit));
        int positions = Shape.OutputPositions;
        for (int k = 0; k < Shape.Filters; k++)
        {
            Span<float> map = perUnit.Slice(k * positions, positions);
            double sum = 0;
            foreach (float x in map) sum += x;
            map.Fill((float)(sum / positions));
        }
    }

    // ---- Gradient -------------------------------------------------------------------------------------------

    /// <summary>
    /// <c>∇W[k, c, r, s] = ⟨Σ_{i,j} h[k,i,j]·v[c, i+r, j+s]⟩_data − ⟨…⟩_model</c>, <c>∇b_k = ⟨Σ_{i,j} h[k,i,j]⟩_data − ⟨…⟩_model</c>
    /// and <c>∇a_c = ⟨Σ_{y,x} v[c,y,x]⟩_data − ⟨…⟩_model</c>: the exact derivatives of the mean log-likelihood with respect to
    /// the shared parameters (sums over the positions that share them). The phases are left unchanged.
    /// </summary>
    public void ComputeGradient(PhaseBatch phases, ParameterSet gradient, int maxDegreeOfParallelism = 1)
    {
        if (phases.Visible.Cols != VisibleCount || phases.Hidden.Cols != HiddenCount)
            throw new ArgumentException($"The phases are {phases.Visible.Cols} visible and {phases.Hidden.Cols} hidden columns wide; the model has {VisibleCount} and {HiddenCount}.", nameof(phases));
        Parameters.RequireSameLayout(gradient, nameof(gradient));
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int rows = phases.DataRows, chains = phases.ModelRows, all = phases.Visible.Rows;

        // Rows weighted 1/B (data) and −1/C (model): every gradient is then one weighted sum over all rows.
        SumPlanes(phases.Hidden, Shape.Filters, gradient[HiddenBiasName].Span, 1.0 / rows, -1.0 / chains, rows);
        SumPlanes(phases.Visible, Shape.Channels, gradient[VisibleBiasName].Span, 1.0 / rows, -1.0 / chains, rows);
        float[] rented = ArrayPool<float>.Shared.Rent(all);
        try
        {
            Span<float> weights = rented.AsSpan(0, all);
            weights[..rows].Fill(1f / rows);
            weights[rows..].Fill(-1f / chains);
            Convolution.FilterGradient(Shape, phases.Visible, phases.Hidden, weights, gradient[FiltersName].Span, threads);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// <c>destination[g] = Σ_rows weight(row)·Σ_{plane g} x</c>: each row's planes summed in float (vectorised), the rows in
    /// double, data rows (the first <paramref name="dataRows"/>) with <paramref name="dataWeight"/>, the others with <paramref name="modelWeight"/>.
    /// </summary>
    private static void SumPlanes(ReadOnlyMatrixView x, int planes, Span<float> destination, double dataWeight, double modelWeight, int dataRows)
    {
        int plane = x.Cols / planes;
        // A few hundred maps at most in practice; a model with more sums on the heap rather than risk the stack.
        Span<double> sums = planes <= 1024 ? stackalloc double[planes] : new double[planes];
        sums.Clear();
        for (int r = 0; r < x.Rows; r++)
        {
            ReadOnlySpan<float> row = x.Row(r);
            double weight = r < dataRows ? dataWeight : modelWeight;
            for (int g = 0; g < planes; g++) sums[g] += weight * TensorPrimitives.Sum(row.Slice(g * plane, plane));
        }
        for (int g = 0; g < planes; g++) destination[g] = (float)sums[g];
    }

    // ---- Partition function ----------------------------------------------------------------------------------

    /// <inheritdoc/>
    public double BaseLogPartitionFunction(ReadOnlySpan<float> baseVisibleBias)
    {
        if (!baseVisibleBias.IsEmpty && baseVisibleBias.Length != VisibleCount)
            throw new ArgumentException($"The base model has {baseVisibleBias.Length} visible biases but the model has {VisibleCount} visible units.", nameof(baseVisibleBias));
        // At β = 0 every pooling block is free: p² + 1 states of equal weight (2 when p = 1).
        double hidden = PooledCount * Math.Log(PoolSize * PoolSize + 1.0);
        double visible = 0;
        if (VisibleUnits == VisibleUnitKind.Gaussian) return hidden + 0.5 * VisibleCount * Math.Log(2 * Math.PI);
        for (int i = 0; i < VisibleCount; i++)
        {
            double a = baseVisibleBias.IsEmpty ? 0 : baseVisibleBias[i];
            visible += Math.Max(a, 0) + Math.Log(1 + Math.Exp(-Math.Abs(a)));
        }
        return hidden + visible;
    }

    /// <summary>log₂ of the hidden states an enumeration visits: 2 per unit without pooling, p² + 1 per block with it.</summary>
    private double HiddenStateBits => PoolSize == 1 ? HiddenCount : PooledCount * Math.Log2(PoolSize * PoolSize + 1.0);

    private bool EnumeratesHidden => VisibleUnits == VisibleUnitKind.Gaussian || HiddenStateBits <= VisibleCount;

    /// <summary>
    /// The bits of the states an exact log Z enumerates, rounded up: the hidden units (or, with pooling, log₂(p² + 1) per
    /// block) or, for Bernoulli visible units when that is fewer, the visible units.
    /// </summary>
    public int EnumeratedUnitCount
    {
        get
        {
            double bits = EnumeratesHidden ? HiddenStateBits : VisibleCount;
            return bits >= int.MaxValue ? int.MaxValue : (int)Math.Ceiling(bits - 1e-9);
        }
    }

    /// <summary>
    /// The model unrolled into the dense form <see cref="EnumerationPlan"/> takes. Enumerating the hidden side: each hidden
    /// unit's row of R is its filter placed at its position (a column of the Toeplitz weight matrix), with the pooling blocks'
    /// units contiguous (<see cref="EnumerationPlan.EnumeratedGroupSize"/> = p²) and the visible layer summed (Bernoulli) or
    /// integrated (Gaussian) out. Enumerating the visible side (Bernoulli units, when smaller): each visible unit's row holds
    /// what it adds to every hidden input, the hidden units ordered block by block and summed out block by block
    /// (<see cref="EnumerationPlan.MarginalGroupSize"/> = p²).
    /// </summary>
    public EnumerationPlan CreateEnumerationPlan()
    {
        int nv = VisibleCount, nh = HiddenCount, group = PoolSize * PoolSize;
        int[] order = BlockOrder();
        if (EnumeratesHidden)
        {
            float[] rows = new float[(long)nh * nv];
            for (int u = 0; u < nh; u++) AddFilterColumn(order[u], rows.AsSpan(u * nv, nv));
            float[] bias = new float[nh];
            for (int u = 0; u < nh; u++) bias[u] = HiddenBias[order[u] / Shape.OutputPositions];
            if (VisibleUnits == VisibleUnitKind.Gaussian)
            {
                float[] coefficients = new float[nv];
                for (int i = 0; i < nv; i++) coefficients[i] = VisibleBias[i / (Shape.Height * Shape.Width)];
                return new EnumerationPlan("hidden", nh, nv, rows, bias, new float[nv], MarginalKind.GaussianQuadratic, coefficients,
                    0.5 * nv * Math.Log(2 * Math.PI)) { EnumeratedGroupSize = group };
            }
            return new EnumerationPlan("hidden", nh, nv, rows, bias, PerUnitVisibleBias(), MarginalKind.Softplus, [], 0.0) { EnumeratedGroupSize = group };
        }
        float[] visibleRows = new float[(long)nv * nh];
        var column = new float[nv];
        for (int u = 0; u < nh; u++)
        {
            column.AsSpan().Clear();
            AddFilterColumn(order[u], column);
            for (int i = 0; i < nv; i++) visibleRows[(long)i * nh + u] = column[i];
        }
        float[] offset = new float[nh];
        for (int u = 0; u < nh; u++) offset[u] = HiddenBias[order[u] / Shape.OutputPositions];
        return new EnumerationPlan("visible", nv, nh, visibleRows, PerUnitVisibleBias(), offset, MarginalKind.Softplus, [], 0.0) { MarginalGroupSize = group };
    }

    /// <summary>The hidden units block by block: <c>order[u]</c> is the map index <c>(k·OH + i)·OW + j</c> of the u-th.</summary>
    private int[] BlockOrder()
    {
        int p = PoolSize, h = Pooling.Height, w = Pooling.Width;
        var order = new int[HiddenCount];
        int n = 0;
        for (int k = 0; k < Pooling.Maps; k++)
            for (int bi = 0; bi < Pooling.PooledHeight; bi++)
                for (int bj = 0; bj < Pooling.PooledWidth; bj++)
                    for (int t = 0; t < p; t++)
                        for (int u = 0; u < p; u++) order[n++] = (k * h + bi * p + t) * w + bj * p + u;
        return order;
    }

    /// <summary>Adds hidden unit <paramref name="unit"/>'s weights to every visible unit: its filter at its position.</summary>
    private void AddFilterColumn(int unit, Span<float> visible)
    {
        ConvolutionShape s = Shape;
        int k = unit / s.OutputPositions, i = unit % s.OutputPositions / s.OutputWidth, j = unit % s.OutputWidth, f = s.FilterSize;
        for (int c = 0; c < s.Channels; c++)
            for (int r = 0; r < f; r++)
                for (int q = 0; q < f; q++)
                    visible[(c * s.Height + i + r) * s.Width + j + q] += Filters[((k * s.Channels + c) * f + r) * f + q];
    }

    private float[] PerUnitVisibleBias()
    {
        var a = new float[VisibleCount];
        int plane = Shape.Height * Shape.Width;
        for (int i = 0; i < a.Length; i++) a[i] = VisibleBias[i / plane];
        return a;
    }

    // ---- Products ------------------------------------------------------------------------------------------

    /// <summary>β·I for every row (β·b_k + β·correlation), then the block softmax when <paramref name="means"/>.</summary>
    private unsafe void HiddenLayer(ReadOnlyMatrixView visible, MatrixView output, Temperature temperature, bool means, int maxDegreeOfParallelism)
    {
        int threads = ChunkedParallel.Resolve(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (visible.Rows == 0) return;
        float beta = temperature.Beta;
        float[] rented = ArrayPool<float>.Shared.Rent(Shape.Filters);
        try
        {
            Span<float> bias = rented.AsSpan(0, Shape.Filters);
            TensorPrimitives.Multiply(HiddenBias, beta, bias);
            fixed (float* v = visible.Span, w = _filters.Array, b = bias, h = output.Span)
            {
                var body = new HiddenRows(Shape, Pooling, v, visible.Stride, w, b, h, output.Stride, beta, means);
                ChunkedParallel.For(visible.Rows, threads, body);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Visible means from the full convolution: σ(β·conv + bias) or β·conv + bias, bias per visible unit.</summary>
    private unsafe void VisibleLayer(ReadOnlyMatrixView hidden, MatrixView visible, ReadOnlySpan<float> bias, float beta, int threads)
    {
        fixed (float* h = hidden.Span, w = _filters.Array, b = bias, v = visible.Span)
        {
            var body = new VisibleRows(Shape, h, hidden.Stride, w, b, v, visible.Stride, beta, VisibleUnits == VisibleUnitKind.Bernoulli);
            ChunkedParallel.For(hidden.Rows, threads, body);
        }
    }

    /// <summary>The tempered visible bias of every unit, <c>β·a_c + (1 − β)·a₀ᵢ</c> (a_c at β = 1).</summary>
    private void VisibleInputBias(Temperature temperature, Span<float> bias)
    {
        int plane = Shape.Height * Shape.Width;
        ReadOnlySpan<float> a = VisibleBias;
        for (int c = 0; c < Shape.Channels; c++) bias.Slice(c * plane, plane).Fill(a[c]);
        if (!(temperature.IsOne && temperature.BaseVisibleBias.IsEmpty)) temperature.TemperBias(bias, temperature.BaseVisibleBias, bias);
    }

    private float[] UnitScale()
    {
        if (_unitScale is null)
        {
            var ones = new float[VisibleCount];
            ones.AsSpan().Fill(1f);
            _unitScale = ones;
        }
        return _unitScale;
    }

    private readonly unsafe struct HiddenRows(ConvolutionShape shape, PoolingShape pooling, float* visible, int visibleStride, float* filters,
        float* bias, float* hidden, int hiddenStride, float alpha, bool means) : IChunkAction
    {
        public void Invoke(int row)
        {
            var maps = new Span<float>(hidden + (nint)row * hiddenStride, shape.MapsLength);
            Convolution.CorrelateValid(shape, new ReadOnlySpan<float>(visible + (nint)row * visibleStride, shape.ImageLength),
                new ReadOnlySpan<float>(filters, shape.FiltersLength), new ReadOnlySpan<float>(bias, shape.Filters), maps, alpha);
            if (means) BlockSoftmax.Probabilities(pooling, maps, maps);
        }
    }

    private readonly unsafe struct VisibleRows(ConvolutionShape shape, float* hidden, int hiddenStride, float* filters, float* bias,
        float* visible, int visibleStride, float alpha, bool sigmoid) : IChunkAction
    {
        public void Invoke(int row)
        {
            var image = new Span<float>(visible + (nint)row * visibleStride, shape.ImageLength);
            Convolution.ConvolveFull(shape, new ReadOnlySpan<float>(hidden + (nint)row * hiddenStride, shape.MapsLength),
                new ReadOnlySpan<float>(filters, shape.FiltersLength), image, alpha);
            var b = new ReadOnlySpan<float>(bias, shape.ImageLength);
            if (sigmoid) Activations.AddBiasSigmoid(image, b, image);
            else TensorPrimitives.Add(image, b, image);
        }
    }

    private readonly unsafe struct SamplePooledRows(PoolingShape pooling, float* hidden, int rows, int stride, int cols, RandomStream random) : IChunkAction
    {
        private readonly ulong _start = random.Position;

        public void Invoke(int chunk)
        {
            int r0 = chunk * SampleChunkRows, r1 = Math.Min(rows, r0 + SampleChunkRows);
            float[] rented = ArrayPool<float>.Shared.Rent(pooling.Blocks);
            try
            {
                Span<float> uniforms = rented.AsSpan(0, pooling.Blocks);
                RandomStream stream = random;
                for (int r = r0; r < r1; r++)
                {
                    stream.Position = _start + (ulong)r * (ulong)cols;
                    stream.NextSingles(uniforms);
                    var h = new Span<float>(hidden + (nint)r * stride, cols);
                    BlockSoftmax.Sample(pooling, h, uniforms, h);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rented);
            }
        }
    }

    // ---- Checks ----------------------------------------------------------------------------------------------

    private void RequireBase(Temperature temperature)
    {
        if (!temperature.BaseVisibleBias.IsEmpty && temperature.BaseVisibleBias.Length != VisibleCount)
            throw new ArgumentException($"The base model has {temperature.BaseVisibleBias.Length} visible biases but the model has {VisibleCount} visible units.", nameof(temperature));
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
