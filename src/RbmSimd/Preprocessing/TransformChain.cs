namespace RbmSimd.Preprocessing;

/// <summary>Transforms applied one after another, as one transform: <c>Forward</c> runs the steps in order, <c>Inverse</c> in reverse.</summary>
/// <remarks>
/// <para>
/// Rows stay in double precision from the first step to the last and are rounded to float once. Nested chains
/// are flattened, so <see cref="Steps"/> never holds a chain.
/// </para>
/// <para>
/// <see cref="Transform.LogJacobian"/> is the log volume factor of the whole chain on its kept subspace (see
/// <see cref="Transform"/>). When no step discards a direction it is the sum of the steps' values. When one does,
/// the sum would be wrong (a step before a projection scales dimensions that are later discarded, e.g.
/// dividing 64 grey levels by 255 and then removing each patch's mean scales volume on the kept 63 dimensions
/// by 255⁻⁶³, not 255⁻⁶⁴), so the chain forms its linear part explicitly in double (one basis vector per input)
/// and sums the logarithms of its non-zero singular values (see <c>LogPseudoDeterminant</c>); this is done once,
/// on first use.
/// </para>
/// <para>
/// Inverse: each step's pseudo-inverse in reverse order. When each step keeps what the previous one produces
/// (a whitening fitted on the previous steps' output does), <c>Inverse(Forward(x))</c> is the projection of
/// <c>x</c> onto the chain's kept subspace.
/// </para>
/// </remarks>
public sealed class TransformChain : Transform
{
    internal const string KindName = "chain";
    private readonly Transform[] _steps;
    private readonly int _widest;
    private readonly int _stepScratch;
    private double _logJacobian = double.NaN; // computed on first use; a double is written atomically

    /// <summary>Chains <paramref name="steps"/> in the order given.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="steps"/> or a step is null.</exception>
    /// <exception cref="ArgumentException">No steps, or a step's <see cref="Transform.InputCount"/> differs from the previous step's <see cref="Transform.OutputCount"/>.</exception>
    public TransformChain(params Transform[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var flat = new List<Transform>();
        foreach (Transform step in steps)
        {
            ArgumentNullException.ThrowIfNull(step, nameof(steps));
            if (step is TransformChain chain) flat.AddRange(chain._steps);
            else flat.Add(step);
        }
        if (flat.Count == 0) throw new ArgumentException("A chain needs at least one step.", nameof(steps));
        for (int i = 1; i < flat.Count; i++)
            if (flat[i].InputCount != flat[i - 1].OutputCount)
                throw new ArgumentException($"Step {i} ({flat[i]}) takes {flat[i].InputCount} values but step {i - 1} ({flat[i - 1]}) gives {flat[i - 1].OutputCount}.", nameof(steps));
        _steps = [.. flat];
        foreach (Transform step in _steps)
        {
            _widest = Math.Max(_widest, Math.Max(step.InputCount, step.OutputCount));
            _stepScratch = Math.Max(_stepScratch, step.ScratchLength);
        }
    }

    /// <summary>The steps, in the order <c>Forward</c> applies them.</summary>
    public IReadOnlyList<Transform> Steps => _steps;

    /// <inheritdoc/>
    public override int InputCount => _steps[0].InputCount;

    /// <inheritdoc/>
    public override int OutputCount => _steps[^1].OutputCount;

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override double LogJacobian => double.IsNaN(_logJacobian) ? _logJacobian = ComputeLogJacobian() : _logJacobian;

    internal override bool Projects => Array.Exists(_steps, s => s.Projects);

    /// <summary>Two intermediate rows, then the steps' own scratch.</summary>
    internal override int ScratchLength => 2 * _widest + _stepScratch;

    /// <inheritdoc/>
    public override string ToString() => $"{string.Join(" → ", _steps.Select(s => s.Kind))} ({InputCount} → {OutputCount})";

    private double ComputeLogJacobian()
    {
        if (!Projects) return _steps.Sum(s => s.LogJacobian);
        int n = InputCount, m = OutputCount;
        var matrix = new double[(long)m * n]; // M, column i = M e_i
        var basis = new double[n];
        var column = new double[m];
        var scratch = new double[ScratchLength];
        for (int i = 0; i < n; i++)
        {
            basis[i] = 1;
            Run(basis, column, scratch, static (s, x, y, t) => s.LinearRow(x, y, t), reverse: false);
            basis[i] = 0;
            for (int r = 0; r < m; r++) matrix[(long)r * n + i] = column[r];
        }
        return LogPseudoDeterminant.Compute(matrix, m, n).LogValue;
    }

    internal override void ForwardRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch) =>
        Run(x, y, scratch, static (s, a, b, t) => s.ForwardRow(a, b, t), reverse: false);

    internal override void InverseRow(ReadOnlySpan<double> y, Span<double> x, Span<double> scratch) =>
        Run(y, x, scratch, static (s, a, b, t) => s.InverseRow(a, b, t), reverse: true);

    internal override void LinearRow(ReadOnlySpan<double> x, Span<double> y, Span<double> scratch) =>
        Run(x, y, scratch, static (s, a, b, t) => s.LinearRow(a, b, t), reverse: false);

    private delegate void StepMap(Transform step, ReadOnlySpan<double> input, Span<double> output, Span<double> scratch);

    /// <summary>Runs the steps (forwards or backwards), alternating between two intermediate rows in the scratch.</summary>
    private void Run(ReadOnlySpan<double> input, Span<double> output, Span<double> scratch, StepMap map, bool reverse)
    {
        Span<double> a = scratch[.._widest], b = scratch.Slice(_widest, _widest), rest = scratch[(2 * _widest)..];
        ReadOnlySpan<double> current = input;
        for (int k = 0; k < _steps.Length; k++)
        {
            Transform step = _steps[reverse ? _steps.Length - 1 - k : k];
            int width = reverse ? step.InputCount : step.OutputCount;
            Span<double> target = k == _steps.Length - 1 ? output[..width] : (k % 2 == 0 ? a : b)[..width];
            map(step, current, target, rest);
            current = target;
        }
    }

    internal override void AddArrays(int step, List<TransformArray> arrays) =>
        throw new InvalidOperationException("A chain writes its steps' arrays; see Transform.ToArrays.");
}
