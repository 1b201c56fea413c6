using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using RbmSimd.Cli.Terminal;
using RbmSimd.Data;

namespace RbmSimd.Cli.Training;

/// <summary>
/// How a run's data was chosen and what it was, kept in its checkpoint so that <c>--resume</c> reloads the same rows
/// from the same place (the resolved absolute source, not the path as typed) and can tell when they changed.
/// </summary>
internal sealed record DataSpec(DataRequest Request, double HeldOutFraction, int Hidden)
{
    public float? Binarize => Request.Binarize;

    public CsvChoices Csv => Request.CsvOrAuto;

    /// <summary>The visible units, <c>bernoulli</c> or <c>gaussian</c> (checkpoints without it are Bernoulli).</summary>
    public string Visible { get; init; } = "bernoulli";

    /// <summary>The data as the user typed it when the run started.</summary>
    public string Typed { get; init; } = Request.Spec;

    /// <summary>What the checkpoint recorded about the rows (null for checkpoints written before fingerprints).</summary>
    public DataFingerprint? Fingerprint { get; init; }

    public LoadedData Load(ulong seed) => DataSource.Load(Request, HeldOutFraction, seed);

    /// <summary>The metadata stored in the checkpoint: the request resolved (source, CSV choices) and the data's fingerprint.</summary>
    public Dictionary<string, string> ToMetadata(LoadedData data, DataFingerprint fingerprint) => new()
    {
        ["data"] = Typed,
        ["data_source"] = data.Source,
        ["data_kind"] = data.Kind.ToString(),
        ["binarize"] = Binarize?.ToString("R", CultureInfo.InvariantCulture) ?? "",
        ["held_out"] = HeldOutFraction.ToString("R", CultureInfo.InvariantCulture),
        ["hidden"] = Hidden.ToString(CultureInfo.InvariantCulture),
        ["visible"] = Visible,
        ["csv_header"] = data.Csv.Header ?? "",
        ["csv_label_column"] = data.Csv.LabelColumn ?? "",
        ["csv_scale"] = data.Csv.Scale ?? "",
        ["csv_separator"] = data.Csv.Separator ?? "",
        ["data_train_rows"] = fingerprint.TrainRows.ToString(CultureInfo.InvariantCulture),
        ["data_held_out_rows"] = fingerprint.HeldOutRows.ToString(CultureInfo.InvariantCulture),
        ["data_columns"] = fingerprint.Columns.ToString(CultureInfo.InvariantCulture),
        ["data_sha256"] = fingerprint.Sha256,
    };

    public static DataSpec FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        string Get(string key) => metadata.TryGetValue(key, out string? v) ? v
            : throw new InvalidDataException($"{source}: the checkpoint does not say how its data was loaded ('{key}' is missing); it was not written by rbm train.");
        string? Optional(string key) => metadata.TryGetValue(key, out string? v) && v.Length > 0 ? v : null;
        string binarize = Get("binarize");
        var csv = new CsvChoices(Optional("csv_header"), Optional("csv_label_column"), Optional("csv_scale"), Optional("csv_separator"));
        string visible = Optional("visible") ?? "bernoulli";
        var request = new DataRequest(Optional("data_source") ?? Get("data"),
            binarize.Length == 0 ? null : float.Parse(binarize, CultureInfo.InvariantCulture), csv)
        { RealValued = visible == "gaussian" };
        DataFingerprint? fingerprint = Optional("data_sha256") is { } sha
            ? new DataFingerprint(Long("data_train_rows"), Long("data_held_out_rows"), Long("data_columns"), sha)
            : null;
        return new DataSpec(request, double.Parse(Get("held_out"), CultureInfo.InvariantCulture), int.Parse(Get("hidden"), CultureInfo.InvariantCulture))
        {
            Typed = Get("data"),
            Fingerprint = fingerprint,
            Visible = visible,
        };

        long Long(string key) => long.Parse(Get(key), CultureInfo.InvariantCulture);
    }
}

/// <summary>The shape of a run's rows and a SHA-256 of their values (training rows, then held-out rows, as float32).</summary>
internal sealed record DataFingerprint(long TrainRows, long HeldOutRows, long Columns, string Sha256)
{
    public static DataFingerprint Of(LoadedData data)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[24];
        long held = data.HeldOut?.RowCount ?? 0;
        BinaryPrimitives.WriteInt64LittleEndian(header, data.Train.RowCount);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], held);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], data.Columns);
        hash.AppendData(header);
        var row = new float[data.Columns];
        foreach (IRowSource? rows in new[] { data.Train, data.HeldOut })
        {
            if (rows is null) continue;
            for (int r = 0; r < rows.RowCount; r++)
            {
                rows.CopyRow(r, row);
                hash.AppendData(MemoryMarshal.AsBytes(row.AsSpan()));
            }
        }
        return new DataFingerprint(data.Train.RowCount, held, data.Columns, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>What differs between the recorded rows and <paramref name="now"/>, in words; null when they are the same.</summary>
    public string? Difference(DataFingerprint now, string source)
    {
        string name = Display.Quote(source);
        if (now.Columns != Columns)
            return $"{name} now has {now.Columns} columns; the checkpoint was trained on {Columns}";
        if (now.TrainRows != TrainRows || now.HeldOutRows != HeldOutRows)
            return $"{name} now gives {now.TrainRows} training and {now.HeldOutRows} held-out rows; the checkpoint was trained on {TrainRows} and {HeldOutRows}";
        if (!string.Equals(now.Sha256, Sha256, StringComparison.OrdinalIgnoreCase))
            return $"{name} has the same shape ({TrainRows} + {HeldOutRows} rows × {Columns}) but other values than the checkpoint was trained on " +
                $"(SHA-256 of the rows {now.Sha256[..12]}…, recorded {Sha256[..Math.Min(12, Sha256.Length)]}…)";
        return null;
    }
}
