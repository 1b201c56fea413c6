using RbmSimd.Data;
using RbmSimd.Model;

namespace RbmSimd.Estimation;

/// <summary>The base model annealing starts from: no weights, and visible biases fitted to the training data.</summary>
public static class BaseModel
{
    /// <summary>
    /// The pseudo-count Salakhutdinov's code adds to every visible unit's count of ones (5 per minibatch of
    /// 100 examples), so no base rate is exactly 0; rates are also capped as far below 1 as that keeps them
    /// above 0, so none is exactly 1 either.
    /// </summary>
    public const double PseudoCountPerExample = 0.05;

    /// <summary>
    /// The base model's visible biases for <paramref name="model"/> from <paramref name="data"/>: for Bernoulli
    /// units the log-odds of the smoothed base rates <c>p = min((Σv + 0.05N)/(1.05N), 1/1.05)</c> (so a unit on in
    /// every row gets log 20, the opposite of an always-off unit's log 0.05); for Gaussian units the data
    /// means (the base keeps the model's variances). Without data (null or empty): zeros.
    /// </summary>
    /// <exception cref="ArgumentException">The data's column count differs from the model's visible count.</exception>
    public static float[] VisibleBias(IRbm model, IRowSource? data)
    {
        ArgumentNullException.ThrowIfNull(model);
        var bias = new float[model.VisibleCount];
        if (data is null || data.RowCount == 0) return bias;
        if (data.ColumnCount != model.VisibleCount)
            throw new ArgumentException($"The data has {data.ColumnCount} columns but the model has {model.VisibleCount} visible units.", nameof(data));
        double[] mean = ColumnStatistics.Means(data);
        for (int i = 0; i < bias.Length; i++)
        {
            if (model.VisibleUnits == VisibleUnitKind.Gaussian)
            {
                bias[i] = (float)mean[i];
                continue;
            }
            // Without the cap a unit on in every row would get p = 1 and an infinite bias.
            double p = Math.Min((mean[i] + PseudoCountPerExample) / (1 + PseudoCountPerExample), 1 / (1 + PseudoCountPerExample));
            bias[i] = (float)Math.Log(p / (1 - p));
        }
        return bias;
    }
}
