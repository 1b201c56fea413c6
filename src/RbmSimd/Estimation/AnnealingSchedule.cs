namespace RbmSimd.Estimation;

/// <summary>Inverse temperatures <c>0 = β₀ &lt; β₁ &lt; … &lt; β_K = 1</c> for annealed importance sampling.</summary>
public sealed class AnnealingSchedule
{
    private readonly double[] _betas;

    /// <summary>Creates a schedule from its inverse temperatures.</summary>
    /// <exception cref="ArgumentException">Fewer than two values, not starting at 0 and ending at 1, or not increasing.</exception>
    public AnnealingSchedule(IEnumerable<double> betas)
    {
        ArgumentNullException.ThrowIfNull(betas);
        _betas = betas.ToArray();
        if (_betas.Length < 2) throw new ArgumentException("A schedule needs at least β₀ = 0 and β_K = 1.", nameof(betas));
        if (_betas[0] != 0 || _betas[^1] != 1) throw new ArgumentException($"A schedule runs from 0 to 1, but this one runs from {_betas[0]} to {_betas[^1]}.", nameof(betas));
        for (int k = 1; k < _betas.Length; k++)
            if (!(_betas[k] > _betas[k - 1])) throw new ArgumentException($"β must increase, but β{k - 1} = {_betas[k - 1]} and β{k} = {_betas[k]}.", nameof(betas));
    }

    /// <summary>The inverse temperatures, from 0 to 1.</summary>
    public IReadOnlyList<double> Betas => _betas;

    /// <summary>K, the number of transitions (one fewer than the temperatures).</summary>
    public int Transitions => _betas.Length - 1;

    /// <summary>
    /// Salakhutdinov and Murray's schedule (2008): steps of 10⁻³ on [0, 0.5], 10⁻⁴ on [0.5, 0.9] and 10⁻⁵ on
    /// [0.9, 1], 14,500 transitions, or the same shape with the counts scaled to about <paramref name="transitions"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="transitions"/> is below 3.</exception>
    public static AnnealingSchedule SalakhutdinovMurray(int transitions = 14_500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(transitions, 3);
        // The published counts are 500 + 4,000 + 10,000 over the three intervals.
        int first = Math.Max(1, (int)Math.Round(transitions * 500.0 / 14_500));
        int second = Math.Max(1, (int)Math.Round(transitions * 4_000.0 / 14_500));
        int third = Math.Max(1, transitions - first - second);
        var betas = new List<double>(first + second + third + 1) { 0 };
        for (int i = 1; i <= first; i++) betas.Add(0.5 * i / first);
        for (int i = 1; i <= second; i++) betas.Add(0.5 + 0.4 * i / second);
        for (int i = 1; i <= third; i++) betas.Add(i == third ? 1 : 0.9 + 0.1 * i / third);
        return new AnnealingSchedule(betas);
    }

    /// <summary>K equal steps from 0 to 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="transitions"/> is below 1.</exception>
    public static AnnealingSchedule Uniform(int transitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(transitions, 1);
        return new AnnealingSchedule(Enumerable.Range(0, transitions + 1).Select(k => k == transitions ? 1.0 : (double)k / transitions));
    }
}
