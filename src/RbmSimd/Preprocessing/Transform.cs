using System.Buffers;
using RbmSimd.Data;
using RbmSimd.Numerics;

namespace RbmSimd.Preprocessing;

/// <summary>
/// A fitted, invertible affine map <c>y = M·x + b</c> from data space (rows of <see cref="InputCount"/> values)
/// to the space a model is trained in (rows of <see cref="OutputCount"/> values): standardisation, whitening,
/// the per-row steps before them, and chains of these.
/// </summary>
/// <remarks>
/// <para>
/// Precision. Parameters are fitted in double precision and then held as floats, so a transform is exactly what
/// its array form (<see cref="ToArrays"/>) stores and a round trip changes nothing. Each row is converted to
/// double, carried through every step in double (a chain rounds only once, at the end) and rounded to float.
/// </para>
/// <para>
/// Projections. Some steps discard directions: <see cref="RowCentering"/> removes each row's mean (the direction
/// of the all-ones vector) and <see cref="PcaWhitening"/> drops directions of negligible variance. The forward map
/// then keeps only the component of <c>x</c> in the <em>kept subspace</em>, the orthogonal complement of <c>M</c>'s
/// null space. <see cref="Inverse(ReadOnlySpan{float}, Span{float})"/> maps back through each step's
/// Moore–Penrose pseudo-inverse, so <c>Inverse(Forward(x))</c> is <c>x</c> for a full-rank transform and, for a
/// projecting one, the point of the kept affine subspace nearest to <c>x</c> (its orthogonal projection).
/// </para>
/// <para>
/// Densities. <see cref="LogJacobian"/> is the logarithm of the volume factor of the forward map on the kept
/// subspace: the sum of the logarithms of <c>M</c>'s non-zero singular values, which is <c>log |det M|</c> when
/// <c>M</c> is square and invertible and <c>½ log det(M Mᵀ)</c> when it has full row rank. A density
/// <c>p_model</c> over the model's space therefore gives the density of the data's kept component, with respect
/// to volume on the kept subspace, as <c>log p_data(x) = log p_model(Forward(x)) + LogJacobian</c>. For a
/// projecting transform this is a density over fewer dimensions than the data has (for natural patches with
/// each patch's mean removed, over the 63 dimensions orthogonal to a uniform change of brightness), so it is
/// comparable only with densities over the same subspace.
/// </para>
/// <para>
/// Thread safety: a transform is immutable once created; every method may be called from several threads.
/// Non-finite input values, and outputs beyond the float range, are refused with an
/// <see cref="ArgumentException"/> that names the row, rather than passed on as NaN or infinity.
/// </para>
/// </remarks>
public abstract class Transform
{
    private protected Transform()
    {
    }

    /// <summary>The number of values in a data-space row.</summary>
    public abstract int InputCount { get; }

    /// <summary>The number of values in a model-space row.</summary>
    public abstract int OutputCount { get; }

    /// <summary>The name of the transform's kind, as it appears in its array names (e.g. <c>pca-whitening</c>); <c>chain</c> for a chain.</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// The logarithm of the forward map's volume factor on the kept subspace (see the class remarks): add it to a
    /// model-space log-density to get the data-space one.
    /// </summary>
    public abstract double LogJacobian { get; }

    /// <summary>Whether the forward map discards directions (its rank is below <see cref="InputCount"/>).</summary>
    internal abstract bool Projects { get; }

    /// <summary>Doubles of scratch space <see cref="ForwardRow"/> and <see cref="InverseRow"/> need (chains use it for intermediate rows).</summary>
    internal virtual int ScratchLength => 0;

    /// <summary>The forward map in double precision: <paramref name="y"/> (<see cref="OutputCount"/>) from <paramref name="x"/> (<see cref="InputCount"/>).</summary>
    internal abstract void ForwardRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch);

    /// <summary>The pseudo-inverse map in double precision: <paramref name="x"/> (<see cref="InputCount"/>) from <paramref name="y"/> (<see cref="OutputCount"/>).</summary>
    internal abstract void InverseRow(ReadOnlySpan<double> y, Span<double> x, Span<double> scratch);

    /// <summary>The linear part <c>M·x</c> of the forward map (no offset), in double precision.</summary>
    internal abstract void LinearRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch);

    /// <summary>Appends this transform's parameters as arrays named <c>{step}.{Kind}.{field}</c>.</summary>
    internal abstract void AddArrays(int step, List<TransformArray> arrays);

    /// <summary>Maps a batch of data rows to model space.</summary>
    /// <param name="input">Rows of <see cref="InputCount"/> values.</param>
    /// <param name="output">As many rows of <see cref="OutputCount"/> values; may be <paramref name="input"/> itself (same span and stride) when the counts agree.</param>
    /// <exception cref="ArgumentException">The shapes do not fit, the views overlap other than exactly, a value is not finite, or a result exceeds the float range.</exception>
    public void Forward(ReadOnlyMatrixView input, MatrixView output) =>
        Map(input, output, InputCount, OutputCount, inverse: false);

    /// <summary>Maps one data row to model space.</summary>
    /// <exception cref="ArgumentException">The lengths differ from <see cref="InputCount"/> and <see cref="OutputCount"/>, the spans overlap other than exactly, a value is not finite, or a result exceeds the float range.</exception>
    public void Forward(ReadOnlySpan<float> row, Span<float> output) =>
        Forward(new ReadOnlyMatrixView(row, 1, row.Length), new MatrixView(output, 1, output.Length));

    /// <summary>Maps a batch of model-space rows back to data space (through the pseudo-inverse; see the class remarks).</summary>
    /// <param name="input">Rows of <see cref="OutputCount"/> values.</param>
    /// <param name="output">As many rows of <see cref="InputCount"/> values; may be <paramref name="input"/> itself when the counts agree.</param>
    /// <exception cref="ArgumentException">The shapes do not fit, the views overlap other than exactly, a value is not finite, or a result exceeds the float range.</exception>
    public void Inverse(ReadOnlyMatrixView input, MatrixView output) =>
        Map(input, output, OutputCount, InputCount, inverse: true);

    /// <summary>Maps one model-space row back to data space.</summary>
    /// <exception cref="ArgumentException">The lengths differ from <see cref="OutputCount"/> and <see cref="InputCount"/>, the spans overlap other than exactly, a value is not finite, or a result exceeds the float range.</exception>
    public void Inverse(ReadOnlySpan<float> row, Span<float> output) =>
        Inverse(new ReadOnlyMatrixView(row, 1, row.Length), new MatrixView(output, 1, output.Length));

    /// <summary>
    /// The rows of <paramref name="rows"/> mapped to model space, computed when each row is read (nothing is
    /// copied up front). Reading is thread-safe and allocation-free.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="rows"/> does not have <see cref="InputCount"/> columns.</exception>
    public IRowSource Apply(IRowSource rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.ColumnCount != InputCount)
            throw new ArgumentException($"The rows have {rows.ColumnCount} columns but the transform takes {InputCount}.", nameof(rows));
        return new TransformedRows(rows, this);
    }

    /// <summary>
    /// The transform's parameters as named float arrays, from which <see cref="FromArrays"/> rebuilds it exactly.
    /// Names are <c>{step}.{kind}.{field}</c>, steps numbered from 0 (a single transform is step 0), e.g.
    /// <c>0.scaling.factor</c>, <c>1.row-centering.columns</c>, <c>2.pca-whitening.components</c>; the fields of
    /// each kind are listed on its class.
    /// </summary>
    public IReadOnlyList<TransformArray> ToArrays()
    {
        var arrays = new List<TransformArray>();
        if (this is TransformChain chain)
            for (int i = 0; i < chain.Steps.Count; i++) chain.Steps[i].AddArrays(i, arrays);
        else
            AddArrays(0, arrays);
        return arrays;
    }

    /// <summary>Rebuilds a transform from the arrays <see cref="ToArrays"/> produced: one step gives that transform, several a <see cref="TransformChain"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="arrays"/> or an element is null.</exception>
    /// <exception cref="ArgumentException">A name is malformed or repeated, a kind is unknown, a field is missing, has the wrong shape or holds an invalid value, or consecutive steps disagree on their sizes.</exception>
    public static Transform FromArrays(IEnumerable<TransformArray> arrays) => TransformArrays.Parse(arrays);

    /// <inheritdoc/>
    public override string ToString() => $"{Kind} ({InputCount} → {OutputCount})";

    private void Map(ReadOnlyMatrixView input, MatrixView output, int inCount, int outCount, bool inverse)
    {
        if (input.Cols != inCount)
            throw new ArgumentException($"The input rows have {input.Cols} values but {inCount} are needed.", nameof(input));
        if (output.Cols != outCount || output.Rows != input.Rows)
            throw new ArgumentException($"The output must be {input.Rows}x{outCount} but is {output.Rows}x{output.Cols}.", nameof(output));
        if (input.Rows == 0) return;
        bool inPlace = input.Span.Overlaps(output.Span, out int offset) && offset == 0 && input.Stride == output.Stride && inCount == outCount;
        if (input.Span.Overlaps(output.Span) && !inPlace)
            throw new ArgumentException("The output overlaps the input other than exactly (same span and stride); use separate storage.", nameof(output));

        double[] x = ArrayPool<double>.Shared.Rent(inCount);
        double[] y = ArrayPool<double>.Shared.Rent(outCount);
        double[] scratch = ArrayPool<double>.Shared.Rent(Math.Max(ScratchLength, 1));
        try
        {
            for (int r = 0; r < input.Rows; r++)
            {
                ReadOnlySpan<float> source = input.Row(r);
                for (int i = 0; i < inCount; i++)
                {
                    float v = source[i];
                    if (!float.IsFinite(v))
                        throw new ArgumentException($"Row {r}, column {i} of the input is {v}; every value must be finite.", nameof(input));
                    x[i] = v;
                }
                if (inverse) InverseRow(x.AsSpan(0, inCount), y.AsSpan(0, outCount), scratch);
                else ForwardRow(x.AsSpan(0, inCount), y.AsSpan(0, outCount), scratch);
                Span<float> destination = output.Row(r);
                for (int j = 0; j < outCount; j++)
                {
                    float v = (float)y[j];
                    if (!float.IsFinite(v))
                        throw new ArgumentException($"Row {r} of the input maps to {y[j]:G6} in column {j}, outside the float range.", nameof(input));
                    destination[j] = v;
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(x);
            ArrayPool<double>.Shared.Return(y);
            ArrayPool<double>.Shared.Return(scratch);
        }
    }
}
