using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Preprocessing;

namespace RbmSimd.Persistence;

/// <summary>
/// Saves and loads models of every kind as <c>.npz</c> archives that numpy reads directly
/// (<c>numpy.load(path)</c>, no pickle).
/// </summary>
/// <remarks>
/// <para>The archive holds each parameter tensor under its name (<see cref="Parameter.Name"/>: <c>W</c>
/// visible × hidden, <c>visible_bias</c>, <c>hidden_bias</c>, and for Gaussian visible units
/// <c>log_variance</c>, the natural log of each σᵢ²; for a conditional model also <c>context_visible</c> A, visible ×
/// context, and <c>context_hidden</c> Bᵀ, context × hidden), <c>model_kind</c> (a numpy unicode string:
/// <c>bernoulli</c>, <c>gaussian-bernoulli</c>, <c>conditional</c>; a conditional model adds <c>visible_units</c>, the string
/// <c>bernoulli</c> or <c>gaussian</c>, and <c>history_length</c>, a float32 scalar) and <c>format_version</c> (a float32 scalar: 1 for Bernoulli
/// models, so files read by earlier versions stay readable there, and 2 for the other kinds, which earlier
/// versions refuse instead of misreading).</para>
/// <para>A model trained on transformed data (standardised or whitened, see <see cref="Transform"/>) stores the
/// fitted transform beside it, one array per transform parameter named <c>transform.</c> followed by the
/// transform's own array name (<c>transform.0.scaling.factor</c>, <c>transform.2.pca-whitening.components</c>, …),
/// so sampling, pictures and scores can map between data space and the model's space (for a conditional model, the space of
/// its generated units: a frame; a context of previous frames is in the model's space).</para>
/// <para>Loading accepts any element type <see cref="Npy"/> reads (float64 included), ignores extra arrays
/// (a checkpoint adds its own), treats a missing <c>model_kind</c> as <c>bernoulli</c> and a missing
/// <c>format_version</c> as 1 (so <c>numpy.savez("m.npz", W=W, visible_bias=a, hidden_bias=b)</c> works),
/// and validates kinds, shapes, finiteness and the version before building the model. scikit-learn's
/// <c>BernoulliRBM</c> stores <c>components_</c> as hidden × visible: save <c>W=rbm.components_.T</c>,
/// <c>visible_bias=rbm.intercept_visible_</c>, <c>hidden_bias=rbm.intercept_hidden_</c>.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The newest format version this build writes and reads.</summary>
    public const int FormatVersion = 2;

    /// <summary>Name of the format version scalar.</summary>
    public const string FormatVersionName = "format_version";

    /// <summary>Name of the model kind string.</summary>
    public const string KindName = "model_kind";

    /// <summary>Name of the weight matrix W (visible × hidden).</summary>
    public const string WeightsName = DenseRbm.WeightsName;

    /// <summary>Name of the visible bias vector a.</summary>
    public const string VisibleBiasName = DenseRbm.VisibleBiasName;

    /// <summary>Name of the hidden bias vector b.</summary>
    public const string HiddenBiasName = DenseRbm.HiddenBiasName;

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (an existing file is replaced only once the new one is complete).</summary>
    /// <param name="model">The model to save.</param>
    /// <param name="path">The <c>.npz</c> file to create or replace.</param>
    /// <param name="compress">Deflate the arrays (smaller, slower); numpy reads both.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; an existing file is unchanged.</exception>
    public static void Save(IRbm model, string path, bool compress = false) => Save(model, null, path, compress);

    /// <summary>Writes <paramref name="model"/> and the data transform it was trained behind, atomically.</summary>
    /// <param name="model">The model to save.</param>
    /// <param name="dataTransform">The fitted transform from data space to the model's visible units, or null.</param>
    /// <param name="path">The <c>.npz</c> file to create or replace.</param>
    /// <param name="compress">Deflate the arrays.</param>
    /// <exception cref="ArgumentException">The transform's output count differs from the model's visible count.</exception>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; an existing file is unchanged.</exception>
    public static void Save(IRbm model, Transform? dataTransform, string path, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var arrays = new List<KeyValuePair<string, NpyArray>>(ToArrays(model));
        arrays.AddRange(TransformArrays(model, dataTransform));
        Npz.Write(path, arrays, compress);
    }

    /// <summary>The prefix of every stored transform array's name.</summary>
    public const string TransformPrefix = "transform.";

    /// <summary>The arrays of a data transform as a model file stores them (empty for none).</summary>
    /// <exception cref="ArgumentException">The transform's output count differs from the model's visible count.</exception>
    public static IEnumerable<KeyValuePair<string, NpyArray>> TransformArrays(IRbm model, Transform? dataTransform)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (dataTransform is null) return [];
        int generated = model.VisibleCount - model.ContextCount;
        if (dataTransform.OutputCount != generated)
            throw new ArgumentException($"The transform gives {dataTransform.OutputCount} values but the model has {generated} visible units.", nameof(dataTransform));
        return dataTransform.ToArrays().Select(a => new KeyValuePair<string, NpyArray>(TransformPrefix + a.Name, new NpyArray(a.Shape, a.Values))).ToList();
    }

    /// <summary>Reads a model file with the data transform stored beside the model (null when there is none).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model file, or its transform arrays are invalid or do not fit the model.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static (IRbm Model, Transform? DataTransform) LoadWithTransform(string path)
    {
        using NpzArchive archive = Npz.Open(path);
        var arrays = new NpzArrays(archive);
        IRbm model = FromArrays(arrays, path);
        return (model, ReadTransform(arrays, model, path));
    }

    /// <summary>The data transform stored in an archive's <c>transform.*</c> arrays, or null when there are none.</summary>
    /// <exception cref="InvalidDataException">The arrays are invalid or the transform does not fit the model.</exception>
    public static Transform? ReadTransform(IReadOnlyDictionary<string, NpyArray> arrays, IRbm model, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(model);
        var parts = new List<TransformArray>();
        foreach (string name in arrays.Keys.Where(n => n.StartsWith(TransformPrefix, StringComparison.Ordinal)).ToList())
        {
            NpyArray a = arrays[name];
            if (a.IsText || a.IsInteger)
                throw Error(sourceName, $"array {UntrustedText.Quote(name)} must hold floats");
            parts.Add(new TransformArray(name[TransformPrefix.Length..], a.Shape.ToArray(), a.Values.ToArray()));
        }
        if (parts.Count == 0) return null;
        Transform transform;
        try
        {
            transform = Transform.FromArrays(parts);
        }
        catch (ArgumentException e)
        {
            throw Error(sourceName, $"the stored data transform is invalid: {e.Message.TrimEnd('.')}");
        }
        int generated = model.VisibleCount - model.ContextCount;
        if (transform.OutputCount != generated)
            throw Error(sourceName, $"the stored data transform gives {transform.OutputCount} values but the model has {generated} visible units");
        return transform;
    }

    /// <summary>Reads and validates a model file of any kind.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model file; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read (missing, permissions, …).</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    /// <remarks>Only the arrays the model needs are decoded (see <see cref="NpzArrays"/>).</remarks>
    public static IRbm Load(string path)
    {
        using NpzArchive archive = Npz.Open(path);
        return FromArrays(new NpzArrays(archive), path);
    }

    /// <summary>Reads a model file that must hold a model of type <typeparamref name="TModel"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid model file, or holds another kind.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static TModel Load<TModel>(string path) where TModel : class, IRbm => As<TModel>(Load(path), path);

    /// <summary>Reads a model file of type <typeparamref name="TModel"/>, reporting failure as a one-line message instead of an exception.</summary>
    /// <param name="path">The <c>.npz</c> file.</param>
    /// <param name="model">The model, when the call returns <see langword="true"/>.</param>
    /// <param name="error">Why loading failed, naming the file, when the call returns <see langword="false"/>.</param>
    /// <returns>Whether the model was loaded.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty (a programming error, not a bad file).</exception>
    public static bool TryLoad<TModel>(string path, [NotNullWhen(true)] out TModel? model, [NotNullWhen(false)] out string? error)
        where TModel : class, IRbm
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            model = Load<TModel>(path);
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
    /// The arrays <see cref="Save(IRbm, string, bool)"/> writes, for callers that store a model inside a larger archive (a
    /// checkpoint): every parameter under its name, the kind's own arrays (<see cref="ModelKinds.KindArrays"/>), <c>model_kind</c> and <c>format_version</c>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> ToArrays(IRbm model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var arrays = new List<KeyValuePair<string, NpyArray>>();
        foreach (Parameter p in model.Parameters) arrays.Add(new(p.Name, new NpyArray(p.Shape, p.Span)));
        arrays.AddRange(ModelKinds.KindArrays(model));
        arrays.Add(new(KindName, NpyArray.FromString(model.Kind)));
        arrays.Add(new(FormatVersionName, NpyArray.FromScalar(model.Kind == BernoulliRbm.KindName ? 1 : FormatVersion)));
        return arrays;
    }

    /// <summary>
    /// Builds a model from arrays read from an archive (see <see cref="ToArrays"/>), validating everything
    /// <see cref="Load(string)"/> validates. Other arrays are ignored.
    /// </summary>
    /// <param name="arrays">Arrays by name, as <see cref="Npz.Read(string)"/> returns them.</param>
    /// <param name="sourceName">Names the archive in error messages.</param>
    /// <exception cref="InvalidDataException">An array is missing, has the wrong shape, holds NaN or ∞, the kind or format version is unknown, or the arrays are a Deep Belief Network's (<see cref="DbnFile"/>).</exception>
    public static IRbm FromArrays(IReadOnlyDictionary<string, NpyArray> arrays, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(sourceName);
        // A DBN file's version counts DBN formats; say what the file is rather than that its version does not fit.
        if (DbnFile.IsDbn(arrays))
            throw Error(sourceName, $"holds a Deep Belief Network ({KindName} '{DbnFile.KindName}'), not a single model");
        int version = ReadFormatVersion(arrays, sourceName);
        string kind = ReadKind(arrays, sourceName);
        if (version == 1 && kind != BernoulliRbm.KindName)
            throw Error(sourceName, $"format_version 1 holds only Bernoulli models, but model_kind is {UntrustedText.Quote(kind)}");
        IRbm model = ModelKinds.CreateEmpty(kind, arrays, sourceName);
        NpyArray? weights = arrays.GetValueOrDefault(WeightsName);
        foreach (Parameter p in model.Parameters)
        {
            NpyArray a = Require(arrays, p.Name, sourceName);
            RequireShape(a, p, weights, sourceName);
            RequireFinite(a, p.Name, sourceName);
            a.Values.CopyTo(p.Span);
        }
        return model;
    }

    /// <summary>The model kind an archive holds: its <c>model_kind</c> string, or <c>bernoulli</c> when there is none.</summary>
    /// <exception cref="InvalidDataException"><c>model_kind</c> is not a single string.</exception>
    public static string ReadKind(IReadOnlyDictionary<string, NpyArray> arrays, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (!arrays.TryGetValue(KindName, out NpyArray? kind)) return BernoulliRbm.KindName;
        if (!kind.IsText || kind.Length != 1)
            throw Error(sourceName, $"array '{KindName}' has shape {kind.ShapeText}{(kind.IsText ? "" : " and holds numbers")} but must be a single string");
        return kind.Texts[0];
    }

    internal static TModel As<TModel>(IRbm model, string source) where TModel : class, IRbm =>
        model as TModel ?? throw Error(source, $"the file holds a {model.Kind} model, not the {typeof(TModel).Name} asked for");

    private static int ReadFormatVersion(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        // Files written by hand with numpy have no version; they can only mean the original layout.
        if (!arrays.TryGetValue(FormatVersionName, out NpyArray? version)) return 1;
        if (version.IsText || version.Length != 1)
            throw Error(source, $"array '{FormatVersionName}' has shape {version.ShapeText} but must hold a single number");
        float v = version.Values[0];
        if (v != 1 && v != FormatVersion)
            throw Error(source, $"{FormatVersionName} is {v.ToString(CultureInfo.InvariantCulture)}, but this version of RbmSimd reads only format versions 1 and {FormatVersion}");
        return (int)v;
    }

    internal static NpyArray Require(IReadOnlyDictionary<string, NpyArray> arrays, string name, string source)
    {
        if (arrays.TryGetValue(name, out NpyArray? array)) return array;
        string found = arrays.Count == 0 ? "no arrays" : "arrays " + string.Join(", ", arrays.Keys.Select(k => $"'{k}'"));
        throw Error(source, $"array '{name}' is missing (the file has {found})");
    }

    private static void RequireShape(NpyArray a, Parameter p, NpyArray? weights, string source)
    {
        if (a.Shape.SequenceEqual(p.Shape)) return;
        if (a.IsText) throw Error(source, $"array '{p.Name}' holds strings but must hold numbers");
        if (p.Shape.Length == 1 && a.Rank != 1)
            throw Error(source, $"array '{p.Name}' has shape {a.ShapeText} but must be one-dimensional");
        if (p.Shape.Length == 1 && weights is { Rank: 2 } && p.Name != WeightsName)
        {
            // Name the layer whose size W fixes, so a user sees which array disagrees with which.
            string layer = p.Name.StartsWith("hidden", StringComparison.Ordinal) ? "hidden" : "visible";
            throw Error(source, $"array '{WeightsName}' has shape {weights.ShapeText} ({p.Shape[0]} {layer} units) but '{p.Name}' has {a.Length} entries");
        }
        throw Error(source, $"array '{p.Name}' has shape {a.ShapeText} but must have shape {p.ShapeText}");
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

    internal static InvalidDataException Error(string source, string problem) => new($"{source}: {problem}.");
}
