using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.IO;

namespace RbmSimd.Tests.IO;

public class NpyHostileTests
{
    /// <summary>Fragments of .npy header dicts, valid and not, so random headers are near-misses rather than noise.</summary>
    private static readonly string[] Tokens =
        ["{", "}", "(", ")", ",", ":", " ", "'descr'", "'fortran_order'", "'shape'", "'<f4'", "'<f8'", "'|O'", "'>f4'", "'|b1'", "'<i8'",
         "True", "False", "0", "1", "2", "3", "-1", "1000000", "999999999999999999999", "L", "'", "\"", "[", "]", "\\", "\n"];

    private static Arbitrary<(string Header, byte[] Data, byte Major)> Headers =>
        (from tokens in Gen.Elements(Tokens).ArrayOf()
         from data in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()
         from major in Gen.Elements<byte>(1, 2, 3)
         select (string.Concat(tokens), data, major)).ToArbitrary();

    [Property(MaxTest = 1000)]
    public Property Read_RandomHeaders_LoadOrThrowInvalidData() =>
        Prop.ForAll(Headers, input =>
        {
            byte[] file = NpyTests.HandBuilt(input.Header, input.Data, input.Major);
            try
            {
                NpyArray a = Npy.Read(new MemoryStream(file), "random.npy");
                // A header that parses must also describe the data exactly.
                return (a.Length * 4 <= input.Data.Length).Label("loaded more elements than bytes").Classify(true, "loaded");
            }
            catch (InvalidDataException e)
            {
                return e.Message.StartsWith("random.npy: ", StringComparison.Ordinal).Label(e.Message).Classify(true, "rejected");
            }
        });

    /// <summary>Well-formed headers with random shapes and dtypes, paired with random amounts of data.</summary>
    [Property(MaxTest = 500)]
    public Property Read_WellFormedHeaderRandomShape_LoadsOnlyWhenSizesAgree() =>
        Prop.ForAll(
            (from dims in Gen.Choose(-2, 5).ArrayOf().Where(d => d.Length <= 4)
             from descr in Gen.Elements("<f4", "<f8", "|u1", "<i2")
             from extra in Gen.Choose(-3, 3)
             select (dims, descr, extra)).ToArbitrary(),
            input =>
            {
                string shape = input.dims.Length == 1 ? $"({input.dims[0]},)" : "(" + string.Join(", ", input.dims) + ")";
                int size = input.descr[^1] - '0';
                long count = input.dims.Aggregate(1L, (p, d) => p * d);
                long bytes = Math.Max(0, count * size + input.extra);
                byte[] file = NpyTests.HandBuilt($"{{'descr': '{input.descr}', 'fortran_order': False, 'shape': {shape}, }}", new byte[bytes]);
                bool shouldLoad = input.dims.All(d => d >= 0) && bytes == count * size;
                try
                {
                    NpyArray a = Npy.Read(new MemoryStream(file), "shape.npy");
                    return (shouldLoad && a.Length == count).Label($"loaded {shape} {input.descr} from {bytes} bytes");
                }
                catch (InvalidDataException)
                {
                    return (!shouldLoad).Label($"rejected valid {shape} {input.descr} with {bytes} bytes");
                }
            });
}
