using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using RbmSimd.Model;

namespace RbmSimd.IO;

/// <summary>
/// Saves and loads a <see cref="BernoulliRbm"/> as an <c>.npz</c> archive that numpy reads directly.
/// </summary>
/// <remarks>
/// <para>The archive holds <c>W</c> (visible × hidden, float32), <c>visible_bias</c> (a, visible
/// entries), <c>hidden_bias</c> (b, hidden entries) and <c>format_version</c> (a float32 scalar,
/// currently 1). In Python: <c>f = numpy.load("model.npz"); W = f["W"]</c>.</para>
/// <para>Loading accepts any element type <see cref="Npy"/> reads (float64 included), ignores extra
/// arrays (a checkpoint may add its own), treats a missing <c>format_version</c> as version 1 (so
/// <c>numpy.savez("m.npz", W=W, visible_bias=a, hidden_bias=b)</c> works), and validates shapes,
/// finiteness and the version before building the model. scikit-learn's <c>BernoulliRBM</c> stores
/// <c>components_</c> as hidden × visible: save <c>W=rbm.components_.T</c>,
/// <c>visible_bias=rbm.intercept_visible_</c>, <c>hidden_bias=rbm.intercept_hidden_</c>.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this build writes and the only one it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Name of the weight matrix W (visible × hidden).</summary>
    public const string WeightsName = "W";

    /// <summary>Name of the visible bias vector a.</summary>
    public const string VisibleBiasName = "visible_bias";

    /// <summary>Name of the hidden bias vector b.</summary>
    public const string HiddenBiasName = "hidden_bias";

    /// <summary>Name of the format version scalar.</summary>
    public const string FormatVersionName = "format_version";

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (an existing file is replaced only once the new one is complete).</summary>
    /// <param name="model">The model to save.</param>
    /// <param name="path">The <c>.npz</c> file to create or replace.</param>
    /// <param name="compress">Deflate the arrays (smaller, slower); numpy reads both.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; an existing file is unchanged.</exception>
    public static void Save(BernoulliRbm model, string path, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        Npz.Write(path, ToArrays(model), compress);
    }

    /// <summary>Reads and validates a model file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model file; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static BernoulliRbm Load(string path) => FromArrays(Npz.Read(path), path);

    /// <summary>Reads a model file, reporting failure as a one-line message instead of an exception.</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="model">The model, when the call returns <see langword="true"/>.</param>
    /// <param name="error">Why loading failed, naming the file, when the call returns <see langword="false"/>.</param>
    /// <returns>Whether the model was loaded.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty (a programming error, not a bad file).</exception>
    public static bool TryLoad(string path, [NotNullWhen(true)] out BernoulliRbm? model, [NotNullWhen(false)] out string? error)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            model = Load(path);
            error = null;
            return true;
        }
        catch (InvalidDataException e)
        {
            error = e.Message;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{path}: cannot read the file: {e.Message}";
        }
        model = null;
        return false;
    }

    /// <summary>
    /// The arrays <see cref="Save"/> writes, for callers that store a model inside a larger archive
    /// (a checkpoint): <c>W</c>, <c>visible_bias</c>, <c>hidden_bias</c>, <c>format_version</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> ToArrays(BernoulliRbm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return
        [
            new(WeightsName, new NpyArray([model.VisibleCount, model.HiddenCount], model.Weights)),
            new(VisibleBiasName, NpyArray.FromVector(model.VisibleBias)),
            new(HiddenBiasName, NpyArray.FromVector(model.HiddenBias)),
            new(FormatVersionName, NpyArray.FromScalar(FormatVersion)),
        ];
    }

    /// <summary>
    /// Builds a model from arrays read from an archive (see <see cref="ToArrays"/>), validating
    /// everything <see cref="Load"/> validates. Other arrays are ignored.
    /// </summary>
    /// <param name="arrays">Arrays by name, as <see cref="Npz.Read(string)"/> returns them.</param>
    /// <param name="sourceName">Names the archive in error messages.</param>
    /// <exception cref="InvalidDataException">An array is missing, has the wrong shape, holds NaN or ∞, or the format version is unknown.</exception>
    public static BernoulliRbm FromArrays(IReadOnlyDictionary<string, NpyArray> arrays, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(sourceName);
        CheckFormatVersion(arrays, sourceName);

        NpyArray w = Require(arrays, WeightsName, sourceName);
        NpyArray a = Require(arrays, VisibleBiasName, sourceName);
        NpyArray b = Require(arrays, HiddenBiasName, sourceName);
        if (w.Rank != 2)
            throw Error(sourceName, $"array '{WeightsName}' has shape {w.ShapeText} but must be two-dimensional (visible × hidden)");
        int nv = w.Shape[0], nh = w.Shape[1];
        if (nv < 1 || nh < 1)
            throw Error(sourceName, $"array '{WeightsName}' has shape {w.ShapeText}; a model needs at least one visible and one hidden unit");
        RequireVector(a, VisibleBiasName, nv, "visible", w, sourceName);
        RequireVector(b, HiddenBiasName, nh, "hidden", w, sourceName);
        RequireFinite(w, WeightsName, sourceName);
        RequireFinite(a, VisibleBiasName, sourceName);
        RequireFinite(b, HiddenBiasName, sourceName);
        return new BernoulliRbm(nv, nh, w.Values, a.Values, b.Values);
    }

    private static void CheckFormatVersion(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        // Files written by hand with numpy have no version; they can only mean the original layout.
        if (!arrays.TryGetValue(FormatVersionName, out NpyArray? version)) return;
        if (version.Length != 1)
            throw Error(source, $"array '{FormatVersionName}' has shape {version.ShapeText} but must hold a single number");
        float v = version.Values[0];
        if (v != FormatVersion)
            throw Error(source, $"{FormatVersionName} is {v.ToString(CultureInfo.InvariantCulture)}, but this version of RbmSimd reads only format version {FormatVersion}");
    }

    private static NpyArray Require(IReadOnlyDictionary<string, NpyArray> arrays, string name, string source)
    {
        if (arrays.TryGetValue(name, out NpyArray? array)) return array;
        string found = arrays.Count == 0 ? "no arrays" : "arrays " + string.Join(", ", arrays.Keys.Select(k => $"'{k}'"));
        throw Error(source, $"array '{name}' is missing (the file has {found})");
    }

    private static void RequireVector(NpyArray v, string name, int expected, string layer, NpyArray w, string source)
    {
        if (v.Rank != 1)
            throw Error(source, $"array '{name}' has shape {v.ShapeText} but must be one-dimensional");
        if (v.Length != expected)
            throw Error(source, $"array '{WeightsName}' has shape {w.ShapeText} ({expected} {layer} units) but '{name}' has {v.Length} entries");
    }

    private static void RequireFinite(NpyArray array, string name, string source)
    {
        ReadOnlySpan<float> values = array.Values;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i])) continue;
            string where = array.Rank == 2 ? $"[{i / array.Shape[1]}, {i % array.Shape[1]}]" : $"[{i}]";
            throw Error(source, $"array '{name}' holds {values[i].ToString(CultureInfo.InvariantCulture)} at {where}; parameters must be finite");
        }
    }

    private static InvalidDataException Error(string source, string problem) => new($"{source}: {problem}.");
}
