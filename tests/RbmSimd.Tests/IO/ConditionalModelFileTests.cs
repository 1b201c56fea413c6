using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Persistence;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// A conditional model's file: model_kind 'conditional' with A (visible × context), Bᵀ (context × hidden), the history length
/// and the visible unit type; loading refuses anything else with one line naming the file and the array.
/// </summary>
public class ConditionalModelFileTests
{
    private static Dictionary<string, NpyArray> Arrays(VisibleUnitKind units = VisibleUnitKind.Bernoulli)
    {
        ConditionalRbm model = ConditionalRbm.CreateRandom(units, 3, 6, 4, seed: 2, historyLength: 2);
        return ModelFile.ToArrays(model).ToDictionary(p => p.Key, p => p.Value);
    }

    [Theory]
    [InlineData(VisibleUnitKind.Bernoulli)]
    [InlineData(VisibleUnitKind.Gaussian)]
    public void RoundTrip_KeepsTheUnitsTheHistoryAndEveryParameter(VisibleUnitKind units)
    {
        ConditionalRbm model = ConditionalRbm.CreateRandom(units, 3, 6, 4, seed: 2, historyLength: 2);
        using var folder = new TempFolder();
        string path = folder.File("crbm.npz");
        ModelFile.Save(model, path);
        IReadOnlyDictionary<string, NpyArray> arrays = Npz.Read(path);
        Assert.Equal(["conditional"], arrays["model_kind"].Texts.ToArray());
        Assert.Equal([units == VisibleUnitKind.Gaussian ? "gaussian" : "bernoulli"], arrays["visible_units"].Texts.ToArray());
        Assert.Equal(2f, arrays["history_length"].Values[0]);
        Assert.Equal([3, 6], arrays["context_visible"].Shape.ToArray());
        Assert.Equal([6, 4], arrays["context_hidden"].Shape.ToArray());
        var loaded = ModelFile.Load<ConditionalRbm>(path);
        Assert.Equal((units, 2, 3, 6), (loaded.VisibleUnits, loaded.HistoryLength, loaded.FrameCount, loaded.ContextCount));
        for (int p = 0; p < model.Parameters.Count; p++) Assert.Equal(model.Parameters[p].Span.ToArray(), loaded.Parameters[p].Span.ToArray());
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "no visible_units", "'visible_units'" },
        { "visible_units poisson", "'visible_units' must be the single string 'bernoulli' or 'gaussian', not 'poisson'" },
        { "no history_length", "'history_length' is missing" },
        { "history_length 1.5", "history_length is 1.5 but must be a whole number" },
        { "history_length -1", "history_length is -1 but must be a whole number" },
        { "history_length 3", "history_length is 3 frames of 3 visible units, 9 context values, but 'context_visible' has 6" },
        { "history_length text", "'history_length' must hold a single number" },
        { "context_visible rows", "array 'context_visible' has shape (4, 6) but must be visible × context numbers, (3, nc)" },
        { "no context_hidden", "array 'context_hidden' is missing" },
        { "context_hidden shape", "array 'context_hidden' has shape (4, 6) but must have shape (6, 4)" },
        { "context_hidden NaN", "array 'context_hidden' holds NaN at [1, 2]; parameters must be finite" },
        { "gaussian without log_variance", "array 'log_variance' is missing" },
    };

    // Kills: a missing or malformed array read as zeros or defaults, a history that does not fit the context accepted,
    // an error message of several lines or without the array's name.
    [Theory]
    [MemberData(nameof(Broken))]
    public void Load_RefusesBrokenFiles_WithOneLineNamingTheProblem(string breakage, string expected)
    {
        Dictionary<string, NpyArray> a = Arrays(breakage.StartsWith("gaussian", StringComparison.Ordinal) ? VisibleUnitKind.Gaussian : VisibleUnitKind.Bernoulli);
        switch (breakage)
        {
            case "no visible_units": a.Remove("visible_units"); break;
            case "visible_units poisson": a["visible_units"] = NpyArray.FromString("poisson"); break;
            case "no history_length": a.Remove("history_length"); break;
            case "history_length 1.5": a["history_length"] = NpyArray.FromScalar(1.5f); break;
            case "history_length -1": a["history_length"] = NpyArray.FromScalar(-1f); break;
            case "history_length 3": a["history_length"] = NpyArray.FromScalar(3f); break;
            case "history_length text": a["history_length"] = NpyArray.FromString("2"); break;
            case "context_visible rows": a["context_visible"] = new NpyArray([4, 6], new float[24]); break;
            case "no context_hidden": a.Remove("context_hidden"); break;
            case "context_hidden shape": a["context_hidden"] = new NpyArray([4, 6], new float[24]); break;
            case "context_hidden NaN":
                float[] values = a["context_hidden"].Values.ToArray();
                values[1 * 4 + 2] = float.NaN;
                a["context_hidden"] = new NpyArray([6, 4], values);
                break;
            case "gaussian without log_variance": a.Remove("log_variance"); break;
        }
        var e = Assert.Throws<InvalidDataException>(() => ModelFile.FromArrays(a, "crbm.npz"));
        Assert.StartsWith("crbm.npz: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
