namespace RbmSimd.Training;

/// <summary>A quantity shaped like an RBM's parameters: ΔW (nv×nh row-major), Δa (nv), Δb (nh).</summary>
public sealed class RbmGradient
{
    private readonly float[] _weights;
    private readonly float[] _visibleBias;
    private readonly float[] _hiddenBias;

    /// <summary>Creates a zero gradient for an nv×nh model.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public RbmGradient(int visibleCount, int hiddenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(visibleCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenCount);
        VisibleCount = visibleCount;
        HiddenCount = hiddenCount;
        _weights = new float[checked(visibleCount * hiddenCount)];
        _visibleBias = new float[visibleCount];
        _hiddenBias = new float[hiddenCount];
    }

    /// <summary>nv.</summary>
    public int VisibleCount { get; }

    /// <summary>nh.</summary>
    public int HiddenCount { get; }

    /// <summary>The weight part, nv×nh row-major.</summary>
    public Span<float> Weights => _weights;

    /// <summary>The visible-bias part.</summary>
    public Span<float> VisibleBias => _visibleBias;

    /// <summary>The hidden-bias part.</summary>
    public Span<float> HiddenBias => _hiddenBias;

    /// <summary>Sets every entry to zero.</summary>
    public void Clear()
    {
        Array.Clear(_weights);
        Array.Clear(_visibleBias);
        Array.Clear(_hiddenBias);
    }
}
