using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.Data;

namespace RbmSimd.Tests.Data;

public class CsvHostileTests
{
    private static readonly string[] Tokens =
        ["0", "1", "0.5", "16", "-1", "1e39", "NaN", "Infinity", "abc", "", " ", ",", ",", ",", "\n", "\n", "\r\n", ";", "\"", "\uFEFF", "1.2.3", "--1", "0x10"];

    /// <summary>A grid of mostly valid cells with occasional bad cells and ragged rows, so some inputs load.</summary>
    private static Gen<string> NearlyValid =>
        from cols in Gen.Choose(1, 4)
        from rows in Gen.Choose(0, 5)
        from lines in (from extra in Gen.Frequency((12, Gen.Constant(0)), (1, Gen.Choose(-1, 1)))
                       from cells in Gen.Frequency((30, Gen.Elements("0", "1", "0.5", "2")), (1, Gen.Elements(Tokens))).ArrayOf(Math.Max(1, cols + extra))
                       select string.Join(",", cells)).ArrayOf(rows)
        select string.Join("\n", lines);

    [Property(MaxTest = 1000)]
    public Property Read_RandomText_LoadsValidDataOrThrowsInvalidData() =>
        Prop.ForAll(
            (from tokens in Gen.OneOf(Gen.Elements(Tokens).ArrayOf().Select(string.Concat), NearlyValid)
             from label in Gen.Elements(false, true)
             from scale in Gen.Elements(CsvScale.None, CsvScale.Max, CsvScale.DivideBy(16))
             select (Text: tokens, label, scale)).ToArbitrary(),
            input =>
            {
                try
                {
                    Dataset d = CsvData.Read(new StringReader(input.Text), "random.csv", new CsvOptions { LastColumnIsLabel = input.label, Scale = input.scale });
                    float[] v = d.Features.AsSpan().ToArray();
                    return (d.Count > 0 && v.All(x => x is >= 0f and <= 1f) && d.HasLabels == input.label)
                        .Label("loaded data outside [0, 1] or without rows").Classify(true, "loaded");
                }
                catch (InvalidDataException e)
                {
                    return e.Message.StartsWith("random.csv", StringComparison.Ordinal).Label(e.Message).Classify(true, "rejected");
                }
            });
}
