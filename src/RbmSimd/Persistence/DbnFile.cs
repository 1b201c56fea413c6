using System.Globalization;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Preprocessing;
using RbmSimd.Stacking;

namespace RbmSimd.Persistence;

/// <summary>
/// Saves and loads Deep Belief Networks (<see cref="DeepBeliefNetwork"/>) as one <c>.npz</c> archive that numpy reads
/// directly (<c>numpy.load(path)</c>, no pickle).
/// </summary>
/// <remarks>
/// <para>Layout (format version 1):</para>
/// <list type="table">
/// <item><term><c>model_kind</c></term><description>the unicode string <c>dbn</c> (rank 0), telling a DBN file from a single model's</description></item>
/// <item><term><c>format_version</c></term><description>int64 scalar, 1</description></item>
/// <item><term><c>layer_count</c></term><description>int64 scalar L, from 1 to <see cref="MaxLayers"/></description></item>
/// <item><term><c>layer<em>l</em>.<em>name</em></c></term><description>for each layer l = 0 … L − 1, bottom (data side) first: exactly
/// the arrays a model file of that layer holds (see <see cref="ModelFile"/>), each name prefixed with <c>layer<em>l</em>.</c>:
/// <c>layer0.W</c> (visible × hidden), <c>layer0.visible_bias</c>, <c>layer0.hidden_bias</c>, <c>layer0.model_kind</c>,
/// <c>layer0.format_version</c>, and for Gaussian visible units <c>layer0.log_variance</c></description></item>
/// <item><term><c>transform.*</c></term><description>optional: the data transform applied to the rows before layer 0, as
/// <see cref="ModelFile"/> stores one</description></item>
/// </list>
/// <para>So <c>{k[len("layer1."):]: v for k, v in numpy.load(path).items() if k.startswith("layer1.")}</c> is a model file's
/// arrays, and <c>numpy.savez("layer1.npz", **that)</c> makes one.</para>
/// <para>Loading is strict: every array must be one of the above (a <c>layer<em>l</em>.</c> array of a layer beyond
/// <c>layer_count</c>, or one that is not a parameter of its layer's kind, is refused), every layer must be present and
/// valid as a model file is, each layer's visible units must be the hidden units of the layer below (same count; its pooling
/// units when it has them, as a convolutional layer does), and
/// every layer above the first must have Bernoulli visible units, since it sees the binary hidden units below it. Every
/// problem is an <see cref="InvalidDataException"/> whose one-line message names the file, the layer and the array.</para>
/// </remarks>
public static class DbnFile
{
    /// <summary>The <c>model_kind</c> of a DBN file.</summary>
    public const string KindName = "dbn";

    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>Name of the layer count scalar.</summary>
    public const string LayerCountName = "layer_count";

    /// <summary>The most layers a file may declare (a bound on what a hostile count can make a reader expect).</summary>
    public const int MaxLayers = 1000;

    /// <summary>The prefix of layer <paramref name="layer"/>'s arrays: <c>layer0.</c>, <c>layer1.</c>, ….</summary>
    public static string LayerPrefix(int layer) => string.Create(CultureInfo.InvariantCulture, $"layer{layer}.");

    /// <summary>Writes <paramref name="network"/> to <paramref name="path"/> atomically.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; an existing file is unchanged.</exception>
    public static void Save(DeepBeliefNetwork network, string path, bool compress = false) => Save(network, null, path, compress);

    /// <summary>Writes <paramref name="network"/> and the data transform its first layer was trained behind, atomically.</summary>
    /// <param name="network">The network to save.</param>
    /// <param name="dataTransform">The fitted transform from data space to the first layer's visible units, or null.</param>
    /// <param name="path">The <c>.npz</c> file to create or replace.</param>
    /// <param name="compress">Deflate the arrays (smaller, slower); numpy reads both.</param>
    /// <exception cref="ArgumentException">The transform's output count differs from the first layer's visible count.</exception>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; an existing file is unchanged.</exception>
    public static void Save(DeepBeliefNetwork network, Transform? dataTransform, string path, bool compress = false) =>
        Npz.Write(path, ToArrays(network, dataTransform), compress);

    /// <summary>The arrays <see cref="Save(DeepBeliefNetwork, Transform?, string, bool)"/> writes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">The transform's output count differs from the first layer's visible count.</exception>
    public static IReadOnlyList<KeyValuePair<string, NpyArray>> ToArrays(DeepBeliefNetwork network, Transform? dataTransform = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        var arrays = new List<KeyValuePair<string, NpyArray>>
        {
            new(ModelFile.KindName, NpyArray.FromString(KindName)),
            new(ModelFile.FormatVersionName, NpyArray.FromInteger(FormatVersion)),
            new(LayerCountName, NpyArray.FromInteger(network.Layers.Count)),
        };
        for (int l = 0; l < network.Layers.Count; l++)
        {
            string prefix = LayerPrefix(l);
            foreach (var (name, array) in ModelFile.ToArrays(network.Layers[l])) arrays.Add(new(prefix + name, array));
        }
        arrays.AddRange(ModelFile.TransformArrays(network.Layers[0], dataTransform));
        return arrays;
    }

    /// <summary>Reads and validates a DBN file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid DBN file; the message names the file, the layer and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static DeepBeliefNetwork Load(string path)
    {
        using NpzArchive archive = Npz.Open(path);
        return FromArrays(new NpzArrays(archive), path);
    }

    /// <summary>Reads a DBN file with the data transform stored beside it (null when there is none).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid DBN file, or its transform is invalid or does not fit the first layer.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static (DeepBeliefNetwork Network, Transform? DataTransform) LoadWithTransform(string path)
    {
        using NpzArchive archive = Npz.Open(path);
        return FromArraysWithTransform(new NpzArrays(archive), path);
    }

    /// <summary>Whether an archive's <c>model_kind</c> is <c>dbn</c> (a DBN file rather than a single model's).</summary>
    public static bool IsDbn(IReadOnlyDictionary<string, NpyArray> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        return arrays.TryGetValue(ModelFile.KindName, out NpyArray? kind) && kind.IsText && kind.Length == 1 && kind.Texts[0] == KindName;
    }

    /// <summary>Builds a network from an archive's arrays (see <see cref="ToArrays"/>), validating everything the class remarks list.</summary>
    /// <param name="arrays">Arrays by name, as <see cref="Npz.Read(string)"/> returns them.</param>
    /// <param name="sourceName">Names the archive in error messages.</param>
    /// <exception cref="InvalidDataException">The arrays are not a valid DBN.</exception>
    public static DeepBeliefNetwork FromArrays(IReadOnlyDictionary<string, NpyArray> arrays, string sourceName) =>
        FromArraysWithTransform(arrays, sourceName).Network;

    /// <summary>Builds a network and its stored data transform (null when there is none) from an archive's arrays.</summary>
    /// <exception cref="InvalidDataException">The arrays are not a valid DBN, or the transform is invalid or does not fit the first layer.</exception>
    public static (DeepBeliefNetwork Network, Transform? DataTransform) FromArraysWithTransform(IReadOnlyDictionary<string, NpyArray> arrays, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        ArgumentNullException.ThrowIfNull(sourceName);
        RequireKind(arrays, sourceName);
        long version = ReadWholeNumber(arrays, ModelFile.FormatVersionName, sourceName);
        if (version != FormatVersion)
            throw ModelFile.Error(sourceName, $"{ModelFile.FormatVersionName} is {version}, but this version of RbmSimd reads only DBN format version {FormatVersion}");
        long count = ReadWholeNumber(arrays, LayerCountName, sourceName);
        if (count < 1 || count > MaxLayers)
            throw ModelFile.Error(sourceName, $"{LayerCountName} is {count}; a network has from 1 to {MaxLayers} layers");

        var layerArrays = new Dictionary<string, NpyArray>[count];
        for (int l = 0; l < count; l++) layerArrays[l] = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (string name in arrays.Keys)
        {
            if (name is ModelFile.KindName or ModelFile.FormatVersionName or LayerCountName || name.StartsWith(ModelFile.TransformPrefix, StringComparison.Ordinal))
                continue;
            if (!TryParseLayerName(name, out int layer, out string inner))
                throw ModelFile.Error(sourceName, $"array {UntrustedText.Quote(name)} is not part of a DBN file (it holds {ModelFile.KindName}, " +
                    $"{ModelFile.FormatVersionName}, {LayerCountName}, layerN.* and transform.* arrays)");
            if (layer >= count)
                throw ModelFile.Error(sourceName, $"array {UntrustedText.Quote(name)} belongs to layer {layer}, but {LayerCountName} is {count} (layers 0 to {count - 1})");
            layerArrays[layer][inner] = arrays[name];
        }

        var layers = new IRbm[count];
        for (int l = 0; l < count; l++)
        {
            string prefix = LayerPrefix(l);
            Dictionary<string, NpyArray> own = layerArrays[l];
            if (own.Count == 0)
                throw ModelFile.Error(sourceName, $"layer {l} is missing: there are no arrays named '{prefix}*' ({LayerCountName} is {count})");
            if (!own.ContainsKey(ModelFile.KindName))
                throw ModelFile.Error(sourceName, $"array '{prefix}{ModelFile.KindName}' is missing; every layer names its kind");
            IRbm layer = ModelFile.FromArrays(own, $"{sourceName}, layer {l} (arrays '{prefix}*')");
            var known = new HashSet<string>(layer.Parameters.Select(p => p.Name).Concat(ModelKinds.KindArrayNames(layer.Kind)), StringComparer.Ordinal)
                { ModelFile.KindName, ModelFile.FormatVersionName };
            string? stray = own.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).FirstOrDefault();
            if (stray is not null)
                throw ModelFile.Error(sourceName, $"array {UntrustedText.Quote(prefix + stray)} is not a parameter of layer {l}, a {layer.Kind} model " +
                    $"(it has {string.Join(", ", known.Select(k => $"'{prefix}{k}'"))})");
            if (l > 0)
            {
                IRbm below = layers[l - 1];
                int output = DeepBeliefNetwork.OutputCount(below);
                if (layer.VisibleCount != output)
                    throw ModelFile.Error(sourceName, layer is DenseRbm && below is DenseRbm
                        ? $"array '{prefix}{ModelFile.WeightsName}' has shape ({layer.VisibleCount}, {layer.HiddenCount}): " +
                            $"{layer.VisibleCount} visible units, but layer {l - 1} has {below.HiddenCount} hidden units, which are layer {l}'s visible units"
                        : $"layer {l} ('{prefix}*', a {layer.Kind} model) has {layer.VisibleCount} visible units, " +
                            $"but layer {l - 1} has {output} {DeepBeliefNetwork.OutputName(below)}, which are layer {l}'s visible units");
                if (layer.VisibleUnits != VisibleUnitKind.Bernoulli)
                    throw ModelFile.Error(sourceName, $"layer {l} is a {layer.Kind} model, but the layers above the first see the binary hidden units below them " +
                        $"and must have Bernoulli visible units ({prefix}{ModelFile.KindName} '{BernoulliRbm.KindName}')");
            }
            layers[l] = layer;
        }
        Transform? transform = ModelFile.ReadTransform(arrays, layers[0], sourceName);
        return (new DeepBeliefNetwork(layers), transform);
    }

    private static void RequireKind(IReadOnlyDictionary<string, NpyArray> arrays, string source)
    {
        if (!arrays.ContainsKey(ModelFile.KindName))
            throw ModelFile.Error(source, $"array '{ModelFile.KindName}' is missing: a DBN file has {ModelFile.KindName} '{KindName}' (a file without it holds a single Bernoulli model)");
        string kind = ModelFile.ReadKind(arrays, source);
        if (kind != KindName)
            throw ModelFile.Error(source, $"{ModelFile.KindName} is {UntrustedText.Quote(kind)}, not '{KindName}': the file holds a single model, not a Deep Belief Network");
    }

    /// <summary>A scalar holding a whole number (int64 as written; a float with a whole value is accepted too).</summary>
    private static long ReadWholeNumber(IReadOnlyDictionary<string, NpyArray> arrays, string name, string source)
    {
        NpyArray a = ModelFile.Require(arrays, name, source);
        if (a.IsText || a.Length != 1)
            throw ModelFile.Error(source, $"array '{name}' has shape {a.ShapeText}{(a.IsText ? " and holds text" : "")} but must hold a single whole number");
        if (a.IsInteger) return a.Integers[0];
        float v = a.Values[0];
        if (!float.IsFinite(v) || v != MathF.Floor(v) || Math.Abs(v) > 1e9f)
            throw ModelFile.Error(source, $"array '{name}' holds {v.ToString(CultureInfo.InvariantCulture)} but must hold a whole number");
        return (long)v;
    }

    /// <summary>"layer12.W" → (12, "W"); the index in canonical decimal (no sign, no leading zeros), the rest non-empty.</summary>
    private static bool TryParseLayerName(string name, out int layer, out string inner)
    {
        layer = 0;
        inner = "";
        const string Start = "layer";
        if (!name.StartsWith(Start, StringComparison.Ordinal)) return false;
        int dot = name.IndexOf('.', Start.Length);
        if (dot < 0 || dot == name.Length - 1) return false;
        ReadOnlySpan<char> digits = name.AsSpan(Start.Length, dot - Start.Length);
        if (digits.Length is 0 or > 9 || (digits.Length > 1 && digits[0] == '0')) return false;
        foreach (char c in digits) if (c is < '0' or > '9') return false;
        layer = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        inner = name[(dot + 1)..];
        return true;
    }
}
