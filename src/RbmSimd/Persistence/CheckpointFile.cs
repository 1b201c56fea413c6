using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RbmSimd.IO;
using RbmSimd.Model;
using RbmSimd.Numerics;
using RbmSimd.Preprocessing;
using RbmSimd.Training;

namespace RbmSimd.Persistence;

/// <summary>
/// Reads and writes <see cref="TrainingCheckpoint"/>s as <c>.npz</c> archives, atomically.
/// </summary>
/// <remarks>
/// Arrays: the model's (see <see cref="ModelFile"/>, so a checkpoint also loads as a model),
/// <c>checkpoint_format_version</c> (int64, 2), <c>velocity_NAME</c> for each parameter NAME,
/// <c>sparsity_mean</c>, <c>chains</c> (the negative phase's chains: PCD's hidden states, or every parallel-tempering
/// replica's visible states; absent for CD-k), <c>position</c> (int64: completed epochs,
/// completed steps, rows into the current epoch), <c>options_json</c> and <c>metadata_json</c> (numpy unicode
/// strings holding JSON), and the data transform the model trains behind, as <see cref="ModelFile"/> stores it
/// (<c>transform.*</c>; read it back with <see cref="ModelFile.LoadWithTransform"/>). Version 1 checkpoints (JSON
/// as int64 byte values) still load.
/// </remarks>
public static class CheckpointFile
{
    /// <summary>The checkpoint layout this version writes.</summary>
    public const int FormatVersion = 2;

    private const int MaxJsonBytes = 1 << 20;

    /// <summary>Writes <paramref name="checkpoint"/> and optional caller metadata (e.g. how to reload the data) atomically.</summary>
    /// <exception cref="IOException">The file system refused; an existing file is unchanged.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; an existing file is unchanged.</exception>
    /// <exception cref="ArgumentException">The data transform's output count differs from the model's visible count.</exception>
    public static void Save(TrainingCheckpoint checkpoint, string path, IReadOnlyDictionary<string, string>? metadata = null, Transform? dataTransform = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var arrays = new List<KeyValuePair<string, NpyArray>>(ModelFile.ToArrays(checkpoint.Model))
        {
            new("checkpoint_format_version", NpyArray.FromInteger(FormatVersion)),
        };
        arrays.AddRange(ModelFile.TransformArrays(checkpoint.Model, dataTransform));
        foreach (Parameter v in checkpoint.Velocity) arrays.Add(new("velocity_" + v.Name, new NpyArray(v.Shape, v.Span)));
        arrays.Add(new("sparsity_mean", NpyArray.FromVector(checkpoint.SparsityMean.ToArray())));
        arrays.Add(new("position", NpyArray.FromIntegers([3], [checkpoint.CompletedEpochs, checkpoint.CompletedSteps, checkpoint.EpochPosition])));
        arrays.Add(new("options_json", NpyArray.FromString(JsonSerializer.Serialize(checkpoint.Options, CheckpointJson.Default.TrainingOptions))));
        arrays.Add(new("metadata_json", NpyArray.FromString(JsonSerializer.Serialize(
            new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()), CheckpointJson.Default.DictionaryStringString))));
        if (checkpoint.Chains is { } chains) arrays.Add(new("chains", NpyArray.FromMatrix(chains)));
        Npz.Write(path, arrays);
    }

    /// <summary>Reads and validates a checkpoint, with the metadata saved beside it.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static (TrainingCheckpoint Checkpoint, IReadOnlyDictionary<string, string> Metadata) Load(string path)
    {
        using NpzArchive archive = Npz.Open(path);
        var arrays = new NpzArrays(archive);
        NpyArray version = Require(arrays, "checkpoint_format_version", path);
        if (!version.IsInteger || version.Length != 1 || version.Integers[0] is not (1 or FormatVersion))
            throw Error(path, $"checkpoint_format_version is {(version.IsInteger && version.Length == 1 ? version.Integers[0].ToString(CultureInfo.InvariantCulture) : version.ShapeText)}, but this version of RbmSimd reads only checkpoint formats 1 and {FormatVersion}");
        IRbm model = ModelFile.FromArrays(arrays, path);

        TrainingOptions options;
        Dictionary<string, string> metadata;
        try
        {
            options = JsonSerializer.Deserialize(Text(arrays, "options_json", path), CheckpointJson.Default.TrainingOptions)
                ?? throw Error(path, "options_json is null");
            metadata = JsonSerializer.Deserialize(Text(arrays, "metadata_json", path), CheckpointJson.Default.DictionaryStringString) ?? [];
        }
        catch (JsonException e)
        {
            throw Error(path, $"the options or metadata are not valid JSON ({e.Message})");
        }

        ParameterSet velocity = model.Parameters.CreateZeros();
        foreach (Parameter v in velocity) Vector(arrays, "velocity_" + v.Name, v.Length, path).CopyTo(v.Span);
        ReadOnlySpan<float> sparsity = Vector(arrays, "sparsity_mean", model.HiddenCount, path);
        Matrix? chains = null;
        if (arrays.TryGetValue("chains", out NpyArray? c))
        {
            if (c.IsText || c.Rank != 2)
                throw Error(path, $"array 'chains' has shape {c.ShapeText} but must be two-dimensional: one row per chain");
            RequireFinite(c, "chains", path);
            chains = c.ToMatrix();
        }
        NpyArray position = Require(arrays, "position", path);
        if (!position.IsInteger || position.Length != 3)
            throw Error(path, $"array 'position' has shape {position.ShapeText} but must hold three integers");
        ReadOnlySpan<long> p = position.Integers;
        if (p[0] is < 0 or > int.MaxValue || p[1] < 0 || p[2] is < 0 or > int.MaxValue)
            throw Error(path, $"position ({p[0]}, {p[1]}, {p[2]}) is out of range");
        try
        {
            return (new TrainingCheckpoint(model, options, velocity, chains, sparsity, (int)p[0], p[1], (int)p[2]), metadata);
        }
        catch (ArgumentException e)
        {
            throw Error(path, e.Message);
        }
    }

    /// <summary>A JSON text stored as a numpy string (version 2) or as int64 byte values (version 1).</summary>
    private static string Text(IReadOnlyDictionary<string, NpyArray> arrays, string name, string path)
    {
        NpyArray a = Require(arrays, name, path);
        if (a.IsText)
        {
            if (a.Length != 1) throw Error(path, $"array '{name}' has shape {a.ShapeText} but must be a single string");
            return a.Texts[0];
        }
        if (!a.IsInteger || a.Rank != 1 || a.Length > MaxJsonBytes)
            throw Error(path, $"array '{name}' must be a string, or a one-dimensional integer array of at most {MaxJsonBytes} bytes");
        var bytes = new byte[a.Length];
        ReadOnlySpan<long> values = a.Integers;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (values[i] is < 0 or > 255) throw Error(path, $"array '{name}' holds {values[i]}, not a byte");
            bytes[i] = (byte)values[i];
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(path, $"array '{name}' is not valid UTF-8");
        }
    }

    private static ReadOnlySpan<float> Vector(IReadOnlyDictionary<string, NpyArray> arrays, string name, int length, string path)
    {
        NpyArray a = Require(arrays, name, path);
        if (a.IsText || a.Length != length) throw Error(path, $"array '{name}' has shape {a.ShapeText} but needs {length} values");
        RequireFinite(a, name, path);
        return a.Values;
    }

    private static void RequireFinite(NpyArray a, string name, string path)
    {
        ReadOnlySpan<float> v = a.Values;
        for (int i = 0; i < v.Length; i++)
            if (!float.IsFinite(v[i])) throw Error(path, $"array '{name}' holds {v[i].ToString(CultureInfo.InvariantCulture)} at index {i}");
    }

    private static NpyArray Require(IReadOnlyDictionary<string, NpyArray> arrays, string name, string path) =>
        arrays.TryGetValue(name, out NpyArray? a) ? a : throw Error(path, $"array '{name}' is missing: not an RbmSimd checkpoint");

    private static InvalidDataException Error(string path, string message) => new($"{path}: {message}.");
}

/// <summary>Source-generated JSON for checkpoints (trim-safe).</summary>
[JsonSerializable(typeof(TrainingOptions))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSourceGenerationOptions(WriteIndented = false, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
internal sealed partial class CheckpointJson : JsonSerializerContext;
