namespace RbmSimd.Kernels;

/// <summary>What <see cref="Gemm"/> applies to each result element as it writes it back.</summary>
/// <remarks>
/// The epilogue runs on the register tile after the last k-block, so a bias add and a sigmoid cost no
/// extra pass over C. Values: <c>c_ij ← f(α·Σ_p a_ip·b_pj + β·c_ij [+ bias_j])</c>.
/// </remarks>
[Flags]
public enum GemmEpilogue
{
    /// <summary>Plain product: <c>C ← α·op(A)·op(B) + β·C</c>.</summary>
    None = 0,

    /// <summary>Add <c>bias[j]</c> to every element of column j.</summary>
    AddBias = 1,

    /// <summary>Apply the logistic function σ (as <see cref="Activations.Sigmoid(ReadOnlySpan{float}, Span{float})"/>).</summary>
    Sigmoid = 2,

    /// <summary>Add the column bias, then apply σ: the mean of a layer of Bernoulli units.</summary>
    AddBiasSigmoid = AddBias | Sigmoid,
}
