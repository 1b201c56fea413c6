using System.Runtime.InteropServices;
using RbmSimd.Data;
using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Estimation;

/// <summary>
/// The exact conditional log-likelihood <c>log p(v | u) = −F(v | u) − log Z(u)</c> of a small <see cref="ConditionalRbm"/>:
/// the partition function depends on the context, so it is enumerated once for every distinct context among the rows
/// (<see cref="ExactPartitionFunction"/> on the plan of <see cref="ConditionalRbm.CreateEnumerationPlan(ReadOnlySpan{float})"/>).
/// </summary>
/// <remarks>
/// The cost is 2ⁿ states (n = <see cref="IRbm.EnumeratedUnitCount"/>) per distinct context: cheap for a class label (ten
/// contexts), and for sequences, whose contexts are all different, one enumeration per row. For Gaussian visible units the
/// values are log-densities.
/// </remarks>
public static class ConditionalLikelihood
{
    /// <summary>Whether <c>log Z(u)</c> of one context can be enumerated within <paramref name="stateLimit"/> states.</summary>
    public static bool IsFeasible(ConditionalRbm model, long stateLimit = ExactPartitionFunction.DefaultStateLimit)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.EnumeratedUnitCount <= ExactPartitionFunction.MaxEnumeratedUnits && Math.Pow(2, model.EnumeratedUnitCount) <= stateLimit;
    }

    /// <summary><c>log Z(u)</c> for the context <paramref name="context"/> (nc values).</summary>
    /// <exception cref="ArgumentException">The context has the wrong length, or the model needs more than <paramref name="stateLimit"/> states.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The degree of parallelism is 0 or below −1.</exception>
    public static double LogPartitionFunction(ConditionalRbm model, ReadOnlySpan<float> context, long stateLimit = ExactPartitionFunction.DefaultStateLimit,
        int maxDegreeOfParallelism = -1)
    {
        RequireFeasible(model, stateLimit);
        return ExactPartitionFunction.LogPartitionFunctionOfPlan(model.CreateEnumerationPlan(context), maxDegreeOfParallelism);
    }

    /// <summary>Exact <c>log p(v | u)</c> for each row <c>[v | u]</c> of <paramref name="rows"/>.</summary>
    /// <param name="model">The model.</param>
    /// <param name="rows">Rows <c>[v | u]</c>, nv + nc wide.</param>
    /// <param name="logProbability">One value per row, written.</param>
    /// <param name="stateLimit">The most states one context may enumerate.</param>
    /// <param name="maxDegreeOfParallelism">Threads; the result is the same for any value.</param>
    /// <returns>The number of distinct contexts enumerated.</returns>
    /// <exception cref="ArgumentException">The shapes do not match, or the model needs more than <paramref name="stateLimit"/> states.</exception>
    public static int LogProbability(ConditionalRbm model, ReadOnlyMatrixView rows, Span<double> logProbability,
        long stateLimit = ExactPartitionFunction.DefaultStateLimit, int maxDegreeOfParallelism = -1)
    {
        RequireFeasible(model, stateLimit);
        if (rows.Cols != model.VisibleCount)
            throw new ArgumentException($"The rows have {rows.Cols} columns but the model takes {model.VisibleCount} ({model.FrameCount} visible units and {model.ContextCount} context values).", nameof(rows));
        if (logProbability.Length < rows.Rows)
            throw new ArgumentException($"Destination holds {logProbability.Length} values but {rows.Rows} are needed.", nameof(logProbability));
        model.FreeEnergy(rows, logProbability, Temperature.One, maxDegreeOfParallelism);
        var logZ = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int r = 0; r < rows.Rows; r++)
        {
            ReadOnlySpan<float> context = rows.Row(r)[model.FrameCount..];
            string key = Convert.ToBase64String(MemoryMarshal.AsBytes(context));
            if (!logZ.TryGetValue(key, out double z))
            {
                z = ExactPartitionFunction.LogPartitionFunctionOfPlan(model.CreateEnumerationPlan(context), maxDegreeOfParallelism);
                logZ[key] = z;
            }
            logProbability[r] = -logProbability[r] - z;
        }
        return logZ.Count;
    }

    /// <summary>The mean exact <c>log p(v | u)</c> over the first <paramref name="maxRows"/> rows of a row source (−1: all).</summary>
    /// <exception cref="ArgumentException">The data has no rows or the wrong width, or the model needs more than <paramref name="stateLimit"/> states.</exception>
    public static double AverageLogLikelihood(ConditionalRbm model, IRowSource rows, int maxRows = -1,
        long stateLimit = ExactPartitionFunction.DefaultStateLimit, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(rows);
        int count = maxRows < 0 ? rows.RowCount : Math.Min(maxRows, rows.RowCount);
        if (count == 0) throw new ArgumentException("The data has no rows.", nameof(rows));
        if (rows.ColumnCount != model.VisibleCount)
            throw new ArgumentException($"The data has {rows.ColumnCount} columns but the model takes {model.VisibleCount}.", nameof(rows));
        const int Chunk = 256;
        var buffer = new Matrix(Math.Min(Chunk, count), model.VisibleCount);
        var lp = new double[buffer.Rows];
        double sum = 0;
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            for (int r = 0; r < n; r++) rows.CopyRow(start + r, buffer.Row(r));
            LogProbability(model, buffer.AsReadOnlyView().SliceRows(0, n), lp, stateLimit, maxDegreeOfParallelism);
            for (int r = 0; r < n; r++) sum += lp[r];
        }
        return sum / count;
    }

    private static void RequireFeasible(ConditionalRbm model, long stateLimit)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stateLimit);
        if (!IsFeasible(model, stateLimit))
            throw new ArgumentException($"Exact log Z(u) of a model with {model.EnumeratedUnitCount} enumerated units takes 2^{model.EnumeratedUnitCount} states per context, above the limit of {stateLimit:N0}.", nameof(model));
    }
}
