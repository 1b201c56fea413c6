namespace RbmSimd.Sampling;

/// <summary>Draws binary units from their probabilities.</summary>
public static class Bernoulli
{
    /// <summary>
    /// Sets <c>destination[i] = 1</c> when the stream's next uniform <c>u</c> satisfies
    /// <c>u &lt; p[i]</c>, else 0. One uniform is drawn per element, in order, so the result depends
    /// only on the stream's key and position. <paramref name="probabilities"/> and
    /// <paramref name="destination"/> may be the same span.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="probabilities"/>.</exception>
    public static void Sample(ReadOnlySpan<float> probabilities, Span<float> destination, ref RandomStream random)
    {
        if (destination.Length < probabilities.Length)
            throw new ArgumentException($"Destination holds {destination.Length} floats but {probabilities.Length} are needed.", nameof(destination));
        ulong p0 = random.Position;
        for (int i = 0; i < probabilities.Length; i++)
            destination[i] = RandomStream.ToUnitSingle(random.ValueAt(p0 + (ulong)i)) < probabilities[i] ? 1f : 0f;
        random.Position = p0 + (ulong)probabilities.Length;
    }
}
