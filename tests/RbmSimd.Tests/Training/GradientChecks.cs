using RbmSimd.Model;
using RbmSimd.Numerics;

namespace RbmSimd.Tests.Training;

/// <summary>What the finite-difference gradient tests of every model kind share.</summary>
internal static class GradientChecks
{
    /// <summary>(f(x + step) − f(x − step)) / 2·step for the parameter behind <paramref name="get"/>/<paramref name="set"/>, restored after.</summary>
    public static double CentralDifference(Func<double> f, Func<double> get, Action<double> set, double step)
    {
        double x = get();
        set(x + step);
        double up = f();
        set(x - step);
        double down = f();
        set(x);
        return (up - down) / (2 * step);
    }

    /// <summary>
    /// The model's gradient statistics for data rows and model rows as one phase batch, with mean-field hidden units
    /// (<c>E_data[∂(−F)] − E_model[∂(−F)]</c>).
    /// </summary>
    public static ParameterSet Gradient(IRbm model, Matrix data, Matrix modelRows, int threads)
    {
        int b = data.Rows, c = modelRows.Rows;
        var v = new Matrix(b + c, model.VisibleCount);
        for (int r = 0; r < b; r++) data.Row(r).CopyTo(v.Row(r));
        for (int r = 0; r < c; r++) modelRows.Row(r).CopyTo(v.Row(b + r));
        var h = new Matrix(b + c, model.HiddenCount);
        model.MeanHiddens(v, h, Temperature.One);
        ParameterSet gradient = model.Parameters.CreateZeros();
        model.ComputeGradient(new PhaseBatch(v, h, b), gradient, threads);
        return gradient;
    }
}
