using System.Buffers.Binary;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// Unicode string arrays (numpy's <c>'&lt;U<em>n</em>'</c>: UCS-4 little-endian, <em>n</em> code
/// points per element, NUL-padded). Expected bytes come from numpy itself (the fixtures below) or are
/// built by hand from that layout, never from the writer.
/// </summary>
public class NpyTextTests
{
    /// <summary>
    /// <c>numpy.save(f, numpy.array("gaussian-bernoulli"))</c>, numpy 1.24.2: a rank-0 <c>'&lt;U18'</c>.
    /// </summary>
    private const string NumpyScalarNpy =
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPFUxOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgpLCB9ICAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApnAAAAYQAAAHUAAABzAAAAcwAAAGkA" +
        "AABhAAAAbgAAAC0AAABiAAAAZQAAAHIAAABuAAAAbwAAAHUAAABsAAAAbAAAAGkAAAA=";

    /// <summary>
    /// numpy 1.24.2:
    /// <code>
    /// np.savez(f, grid=np.array([["a", "b\u00e9"], ["\U0001D11Ex", ""]]),                 # &lt;U2, a non-BMP code point
    ///     fortran=np.asfortranarray(np.array([["x", "yy", "zzz"], ["1", "22", "\u00e9\u00e9\u00e9"]])),  # &lt;U3, Fortran order
    ///     empty=np.ndarray((3,), dtype="U0"), nul=np.array(["a\x00b"]), none=np.array([], dtype=str))
    /// </code>
    /// </summary>
    private const string NumpySavez =
        "UEsDBBQAAAAAAAAAIQBVY1AEoAAAAKAAAAAIABQAZ3JpZC5ucHkBABAAoAAAAAAAAACgAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2Ny" +
        "JzogJzxVMicsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAyKSwgfSAgICAgICAgICAgICAgICAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKYQAAAAAAAABiAAAA6QAAAB7RAQB4AAAAAAAAAAAAAABQSwMEFAAA" +
        "AAAAAAAhAMLtmQrIAAAAyAAAAAsAFABmb3J0cmFuLm5weQEAEADIAAAAAAAAAMgAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAn" +
        "PFUzJywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAp4AAAAAAAAAAAAAAAxAAAAAAAAAAAAAAB5AAAAeQAAAAAAAAAyAAAAMgAA" +
        "AAAAAAB6AAAAegAAAHoAAADpAAAA6QAAAOkAAABQSwMEFAAAAAAAAAAhAB/duEaAAAAAgAAAAAkAFABlbXB0eS5ucHkBABAAgAAA" +
        "AAAAAACAAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxVMCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgz" +
        "LCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKUEsDBBQAAAAA" +
        "AAAAIQBmQRFsjAAAAIwAAAAHABQAbnVsLm5weQEAEACMAAAAAAAAAIwAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPFUzJywg" +
        "J2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgIAphAAAAAAAAAGIAAABQSwMEFAAAAAAAAAAhALPXvNSAAAAAgAAAAAgAFABub25lLm5w" +
        "eQEAEACAAAAAAAAAAIAAAAAAAAAAk05VTVBZAQB2AHsnZGVzY3InOiAnPFUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3No" +
        "YXBlJzogKDAsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApQ" +
        "SwECFAMUAAAAAAAAACEAVWNQBKAAAACgAAAACAAAAAAAAAAAAAAAgAEAAAAAZ3JpZC5ucHlQSwECFAMUAAAAAAAAACEAwu2ZCsgA" +
        "AADIAAAACwAAAAAAAAAAAAAAgAHaAAAAZm9ydHJhbi5ucHlQSwECFAMUAAAAAAAAACEAH924RoAAAACAAAAACQAAAAAAAAAAAAAA" +
        "gAHfAQAAZW1wdHkubnB5UEsBAhQDFAAAAAAAAAAhAGZBEWyMAAAAjAAAAAcAAAAAAAAAAAAAAIABmgIAAG51bC5ucHlQSwECFAMU" +
        "AAAAAAAAACEAs9e81IAAAACAAAAACAAAAAAAAAAAAAAAgAFfAwAAbm9uZS5ucHlQSwUGAAAAAAUABQARAQAAGQQAAAAA";

    /// <summary>UCS-4 little-endian bytes of the given code points, each element padded to <paramref name="width"/> code points.</summary>
    internal static byte[] Ucs4(int width, params int[][] elements)
    {
        var bytes = new byte[4 * width * elements.Length];
        for (int e = 0; e < elements.Length; e++)
            for (int k = 0; k < elements[e].Length; k++)
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * (width * e + k)), (uint)elements[e][k]);
        return bytes;
    }

    private static byte[] Written(NpyArray array)
    {
        var ms = new MemoryStream();
        Npy.Write(ms, array);
        return ms.ToArray();
    }

    [Fact]
    public void Read_NumpyScalarString()
    {
        NpyArray a = Npy.Read(new MemoryStream(Convert.FromBase64String(NumpyScalarNpy)), "kind.npy");
        Assert.True(a.IsText);
        Assert.False(a.IsInteger);
        Assert.Equal(0, a.Rank);
        Assert.Equal(1, a.Length);
        Assert.Equal(["gaussian-bernoulli"], a.Texts.ToArray());
    }

    /// <summary>numpy's own bytes for the same array are the reference for the whole layout: header, padding, width, data.</summary>
    [Fact]
    public void Write_ScalarString_SameBytesAsNumpy()
    {
        Assert.Equal(Convert.FromBase64String(NumpyScalarNpy), Written(NpyArray.FromString("gaussian-bernoulli")));
    }

    [Fact]
    public void Read_NumpySavez_TextArrays()
    {
        var arrays = Npz.Read(new MemoryStream(Convert.FromBase64String(NumpySavez)), "numpy-text.npz");
        Assert.Equal(["grid", "fortran", "empty", "nul", "none"], arrays.Keys);
        Assert.Equal([2, 2], arrays["grid"].Shape.ToArray());
        Assert.Equal(["a", "b\u00e9", "\U0001D11Ex", ""], arrays["grid"].Texts.ToArray());
        Assert.Equal([2, 3], arrays["fortran"].Shape.ToArray());
        Assert.Equal(["x", "yy", "zzz", "1", "22", "\u00e9\u00e9\u00e9"], arrays["fortran"].Texts.ToArray());
        Assert.Equal(["", "", ""], arrays["empty"].Texts.ToArray());
        Assert.Equal(["a\0b"], arrays["nul"].Texts.ToArray());
        Assert.True(arrays["none"].IsText);
        Assert.Equal([0], arrays["none"].Shape.ToArray());
        Assert.Equal(0, arrays["none"].Length);
    }

    [Fact]
    public void Write_NonBmpAndEmpty_HandBuiltLayout()
    {
        // "𝄞x" is two code points (U+1D11E is a surrogate pair in .NET): width 2, the empty string all NUL.
        // The format pads the header with spaces so that the data starts at a multiple of 64 bytes.
        const string Dict = "{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }";
        byte[] expected = NpyTests.HandBuilt(Dict + new string(' ', (64 - (10 + Dict.Length + 1) % 64) % 64), Ucs4(2, [0x1D11E, 'x'], []));
        Assert.Equal(0, (expected.Length - 16) % 64);
        byte[] actual = Written(NpyArray.FromStrings([2], ["\U0001D11Ex", ""]));
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Write_AllEmptyOrNoStrings_WidthOneAsNumpy()
    {
        // numpy: np.array("") and np.array([], dtype=str) are both '<U1'.
        Assert.Contains("'descr': '<U1'", HeaderOf(Written(NpyArray.FromString(""))));
        Assert.Contains("'descr': '<U1'", HeaderOf(Written(NpyArray.FromStrings([0], []))));
        byte[] bytes = Written(NpyArray.FromString(""));
        Assert.Equal(new byte[4], bytes[^4..]);
    }

    private static string HeaderOf(byte[] npy) =>
        Encoding.ASCII.GetString(npy, 10, BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8)));

    private static Gen<string> AnyText =>
        from runes in Gen.OneOf(
            Gen.Choose(0x20, 0x7E),
            Gen.Choose(0, 0xD7FF),
            Gen.Choose(0xE000, 0x10FFFF),
            Gen.Elements(0, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF, 0x1B /* ESC */)).ArrayOf()
        let text = string.Concat(runes.Select(r => char.ConvertFromUtf32(r)))
        select text.TrimEnd('\0');

    [Property(MaxTest = 200)]
    public Property RoundTrip_AnyShapeAnyScalarValues_NpyAndNpz() =>
        Prop.ForAll(
            (from rank in Gen.Choose(0, 3)
             from shape in Gen.Choose(0, 4).ArrayOf(rank)
             from texts in AnyText.ArrayOf(shape.Aggregate(1, (p, d) => p * d))
             from compress in Gen.Elements(false, true)
             select (shape, texts, compress)).ToArbitrary(),
            input =>
            {
                NpyArray a = NpyArray.FromStrings(input.shape, input.texts);
                NpyArray b = Npy.Read(new MemoryStream(Written(a)), "t.npy");
                Assert.Equal(input.shape, b.Shape.ToArray());
                Assert.Equal(input.texts, b.Texts.ToArray());
                var ms = new MemoryStream();
                Npz.Write(ms, [new("t", a)], input.compress);
                ms.Position = 0;
                Assert.Equal(input.texts, Npz.Read(ms, "t.npz")["t"].Texts.ToArray());
            });

    [Fact]
    public void RoundTrip_ElementLargerThanAChunk_AndManyChunks()
    {
        // 20,000 code points are 80,000 bytes, more than the reader's 64 KiB slice: one element per slice.
        string longText = string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + i % 26)));
        NpyArray big = NpyArray.FromStrings([2], [longText, "\U0010FFFF"]);
        Assert.Equal([longText, "\U0010FFFF"], Npy.Read(new MemoryStream(Written(big)), "big.npy").Texts.ToArray());
        // 5,000 elements of 8 code points (32 bytes) span three 64 KiB slices.
        string[] many = Enumerable.Range(0, 5000).Select(i => i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(many, Npy.Read(new MemoryStream(Written(NpyArray.FromStrings([5000], many))), "many.npy").Texts.ToArray());
    }

    [Theory]
    [InlineData(0xD7FF, true)]
    [InlineData(0xD800, false)]
    [InlineData(0xDBFF, false)]
    [InlineData(0xDC00, false)]
    [InlineData(0xDFFF, false)]
    [InlineData(0xE000, true)]
    [InlineData(0x10FFFF, true)]
    [InlineData(0x110000, false)]
    [InlineData(-1, false)] // 0xFFFFFFFF
    public void Read_CodePointBoundaries(int codePoint, bool valid)
    {
        byte[] file = NpyTests.HandBuilt("{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }", Ucs4(2, ['o', 'k'], ['x', codePoint]));
        if (valid)
        {
            Assert.Equal(["ok", "x" + char.ConvertFromUtf32(codePoint)], NpyTests.ReadBytes(file).Texts.ToArray());
            return;
        }
        var ex = Assert.Throws<InvalidDataException>(() => NpyTests.ReadBytes(file));
        Assert.Equal($"test.npy: element 1 holds 0x{(uint)codePoint:X}, which is not a Unicode character (a surrogate or above U+10FFFF).", ex.Message);
    }

    [Fact]
    public void Read_TrailingNulsArePaddingInnerNulsKept()
    {
        byte[] file = NpyTests.HandBuilt("{'descr': '<U4', 'fortran_order': False, 'shape': (3,), }",
            Ucs4(4, [0, 'a', 0, 0], [0, 0, 0, 0], ['a', 'b', 'c', 'd']));
        Assert.Equal(["\0a", "", "abcd"], NpyTests.ReadBytes(file).Texts.ToArray());
    }

    [Fact]
    public void Read_ZeroWidthStrings_BoundedByTheMemoryLimit()
    {
        Assert.Equal(["", ""], NpyTests.ReadBytes(NpyTests.HandBuilt("{'descr': '<U0', 'fortran_order': False, 'shape': (2,), }", [])).Texts.ToArray());
        // '<U0' elements take no bytes in the file, so only the memory limit bounds them: 32 bytes each.
        byte[] file = NpyTests.HandBuilt("{'descr': '<U0', 'fortran_order': False, 'shape': (3,), }", []);
        Assert.Equal(3, Npy.Read(new MemoryStream(file), "u0.npy", new ReadLimits { MaxBytes = 96 }).Length);
        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(file), "u0.npy", new ReadLimits { MaxBytes = 95 }));
        Assert.Equal("u0.npy: shape (3,) of <U0 needs 96 bytes of memory, more than the read limit of 95 bytes (ReadLimits.MaxBytes).", ex.Message);
        // The default limit refuses Array.MaxLength of them (64 GiB of references and strings).
        file = NpyTests.HandBuilt($"{{'descr': '<U0', 'fortran_order': False, 'shape': ({Array.MaxLength},), }}", []);
        Assert.Contains("more than the read limit of 1073741824 bytes", Assert.Throws<InvalidDataException>(() => NpyTests.ReadBytes(file)).Message);
    }

    [Theory]
    [InlineData("'>U2'", "big-endian")]
    [InlineData("'|U2'", "little-endian")]
    [InlineData("'=U1'", "little-endian")]
    [InlineData("'<U536870912'", "not supported")]
    [InlineData("'<S2'", "not supported")]
    public void Read_UnsupportedStringTypes_Throw(string descr, string expected)
    {
        byte[] file = NpyTests.HandBuilt($"{{'descr': {descr}, 'fortran_order': False, 'shape': (1,), }}", Ucs4(2, ['a', 'b']));
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => NpyTests.ReadBytes(file)).Message);
    }

    [Fact]
    public void Read_StringDataOfWrongLength_Throws()
    {
        byte[] file = NpyTests.HandBuilt("{'descr': '<U2', 'fortran_order': False, 'shape': (2,), }", Ucs4(2, ['a', 'b']));
        Assert.Contains("needs 16 bytes", Assert.Throws<InvalidDataException>(() => NpyTests.ReadBytes(file)).Message);
    }

    [Fact]
    public void NumbersAsText_AndTextAsNumbers_AreErrors()
    {
        NpyArray text = NpyArray.FromStrings([2], ["a", "b"]);
        Assert.Contains("holds text, not numbers", Assert.Throws<InvalidOperationException>(() => text.Values.Length).Message);
        Assert.Contains("holds text, not numbers", Assert.Throws<InvalidOperationException>(() => text.Integers.Length).Message);
        Assert.Throws<InvalidOperationException>(() => text.ToMatrix());
        Assert.False(text.IsInteger);
        Assert.Contains("holds floats, not text", Assert.Throws<InvalidOperationException>(() => NpyArray.FromScalar(1).Texts.Length).Message);
        Assert.Contains("holds integers, not text", Assert.Throws<InvalidOperationException>(() => NpyArray.FromInteger(1).Texts.Length).Message);
        Assert.False(NpyArray.FromScalar(1).IsText);
        Assert.False(NpyArray.FromInteger(1).IsText);
    }

    [Fact]
    public void FromStrings_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => NpyArray.FromString(null!));
        Assert.Throws<ArgumentException>(() => NpyArray.FromStrings([3], ["a", "b"]));
        Assert.Throws<ArgumentException>(() => NpyArray.FromStrings([2], ["a", null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NpyArray.FromStrings([-1], []));
        Assert.Contains("unpaired surrogate U+D800", Assert.Throws<ArgumentException>(() => NpyArray.FromString("a\uD800")).Message);
        Assert.Contains("unpaired surrogate U+DC00", Assert.Throws<ArgumentException>(() => NpyArray.FromString("\uDC00a")).Message);
        // A low surrogate before a high one is not a pair.
        Assert.Contains("unpaired surrogate U+DC00", Assert.Throws<ArgumentException>(() => NpyArray.FromStrings([1], ["\uDC00\uD800"])).Message);
        Assert.Contains("NUL", Assert.Throws<ArgumentException>(() => NpyArray.FromStrings([2], ["ok", "a\0"])).Message);
        Assert.Equal(["a\0b"], NpyArray.FromString("a\0b").Texts.ToArray());
    }

    [Fact]
    public void FromStrings_CopiesItsInput()
    {
        string[] texts = ["a", "b"];
        NpyArray a = NpyArray.FromStrings([2], texts);
        texts[0] = "changed";
        Assert.Equal(["a", "b"], a.Texts.ToArray());
    }
}
