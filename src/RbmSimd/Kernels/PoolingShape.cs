namespace RbmSimd.Kernels;

/// <summary>
/// Maps of <see cref="Maps"/> × <see cref="Height"/> × <see cref="Width"/> floats (row-major) cut into non-overlapping
/// <see cref="Pool"/> × <see cref="Pool"/> blocks: block <c>(k, I, J)</c> holds <c>[k, I·p + t, J·p + u]</c> for
/// <c>t, u &lt; p</c>. Blocks are numbered <c>(k·(H/p) + I)·(W/p) + J</c>.
/// </summary>
public readonly record struct PoolingShape
{
    /// <summary>Creates and checks a layout.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1, the pool size does not divide both sides, or the maps exceed the largest array.</exception>
    public PoolingShape(int maps, int height, int width, int pool)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pool, 1);
        if (height % pool != 0 || width % pool != 0)
            throw new ArgumentOutOfRangeException(nameof(pool), pool, $"The pool size {pool} must divide the maps' height {height} and width {width}.");
        if ((long)maps * height * width > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(maps), "The maps exceed the largest array .NET can hold.");
        Maps = maps;
        Height = height;
        Width = width;
        Pool = pool;
    }

    /// <summary>K, the maps.</summary>
    public int Maps { get; }

    /// <summary>The maps' height.</summary>
    public int Height { get; }

    /// <summary>The maps' width.</summary>
    public int Width { get; }

    /// <summary>p, the side of a block.</summary>
    public int Pool { get; }

    /// <summary>Floats in all maps, K·H·W.</summary>
    public int Length => Maps * Height * Width;

    /// <summary>Blocks in all maps, K·(H/p)·(W/p): the pooled maps' length.</summary>
    public int Blocks => Maps * PooledHeight * PooledWidth;

    /// <summary>H/p.</summary>
    public int PooledHeight => Height / Pool;

    /// <summary>W/p.</summary>
    public int PooledWidth => Width / Pool;

    /// <summary>Units per block, p².</summary>
    public int BlockSize => Pool * Pool;
}
