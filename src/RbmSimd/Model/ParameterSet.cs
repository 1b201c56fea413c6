using System.Collections;

namespace RbmSimd.Model;

/// <summary>
/// A model's parameters as an ordered set of named tensors. Gradients, momentum buffers, checkpoints
/// and model files are parameter sets of the same layout, so code that updates, stores or checks
/// parameters iterates over the set instead of naming W, a and b.
/// </summary>
public sealed class ParameterSet : IReadOnlyList<Parameter>
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates a set from tensors (not copied).</summary>
    /// <exception cref="ArgumentException">The set is empty, or two tensors share a name.</exception>
    public ParameterSet(params IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("A parameter set needs at least one tensor.", nameof(parameters));
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Parameter p in _parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (!names.Add(p.Name)) throw new ArgumentException($"Two parameters are named '{p.Name}'.", nameof(parameters));
        }
    }

    /// <summary>The number of tensors.</summary>
    public int Count => _parameters.Length;

    /// <summary>The tensor at <paramref name="index"/>, in the set's order.</summary>
    public Parameter this[int index] => _parameters[index];

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is none.</exception>
    public Parameter this[string name] =>
        TryGet(name, out Parameter? p) ? p : throw new KeyNotFoundException($"No parameter is named '{name}' (the set has {string.Join(", ", _parameters.Select(x => x.Name))}).");

    /// <summary>Finds the tensor named <paramref name="name"/>.</summary>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Parameter? parameter)
    {
        foreach (Parameter p in _parameters)
        {
            if (p.Name == name)
            {
                parameter = p;
                return true;
            }
        }
        parameter = null;
        return false;
    }

    /// <summary>A set of zero tensors with the same names, groups and shapes (a gradient or a momentum buffer).</summary>
    public ParameterSet CreateZeros() => new(_parameters.Select(p => p.CreateZeros()));

    /// <summary>A deep copy.</summary>
    public ParameterSet Clone()
    {
        ParameterSet copy = CreateZeros();
        CopyTo(copy);
        return copy;
    }

    /// <summary>Copies every value into <paramref name="destination"/>, which must have the same layout.</summary>
    /// <exception cref="ArgumentException">The layouts differ.</exception>
    public void CopyTo(ParameterSet destination)
    {
        RequireSameLayout(destination, nameof(destination));
        for (int i = 0; i < _parameters.Length; i++) _parameters[i].Span.CopyTo(destination._parameters[i].Span);
    }

    /// <summary>Sets every value to zero.</summary>
    public void Clear()
    {
        foreach (Parameter p in _parameters) p.Span.Clear();
    }

    /// <summary>Whether every value of every tensor is finite.</summary>
    public bool IsFinite() => Array.TrueForAll(_parameters, p => p.IsFinite());

    /// <summary>Whether <paramref name="other"/> has the same tensors (names, groups, shapes) in the same order.</summary>
    public bool HasSameLayout(ParameterSet other)
    {
        if (other is null || other.Count != Count) return false;
        for (int i = 0; i < _parameters.Length; i++)
            if (!_parameters[i].IsLike(other._parameters[i])) return false;
        return true;
    }

    /// <summary>Throws unless <paramref name="other"/> has the same layout.</summary>
    /// <exception cref="ArgumentException">The layouts differ.</exception>
    public void RequireSameLayout(ParameterSet other, string paramName)
    {
        ArgumentNullException.ThrowIfNull(other, paramName);
        if (!HasSameLayout(other))
            throw new ArgumentException($"Expected parameters [{Describe()}] but got [{other.Describe()}].", paramName);
    }

    /// <summary>The tensors as text, e.g. <c>W (784, 500), visible_bias (784,), hidden_bias (500,)</c>.</summary>
    public string Describe() => string.Join(", ", _parameters.Select(p => p.ToString()));

    /// <inheritdoc/>
    public IEnumerator<Parameter> GetEnumerator() => ((IEnumerable<Parameter>)_parameters).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
