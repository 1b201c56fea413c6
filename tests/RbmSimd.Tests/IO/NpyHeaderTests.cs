using System.Buffers.Binary;
using System.Text;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// The <c>.npy</c> preamble and header against the format's documented contract (numpy.lib.format)
/// and the limits documented on <see cref="NpyHeader"/>: each limit exactly at and one past, every
/// message the parser can give, and the byte filter. Expected messages are written out in full so a
/// changed message or a changed branch fails.
/// </summary>
public class NpyHeaderTests
{
    private const string Valid2 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";

    /// <summary>A .npy file from raw header bytes (no '\n' appended), for bytes ASCII encoding would replace.</summary>
    private static byte[] RawHeader(ReadOnlySpan<byte> header, ReadOnlySpan<byte> data, byte major = 1)
    {
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0]);
        var length = new byte[major == 1 ? 2 : 4];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        ms.Write(length);
        ms.Write(header);
        ms.Write(data);
        return ms.ToArray();
    }

    private static string Message(byte[] file) => Assert.Throws<InvalidDataException>(() => NpyTests.ReadBytes(file)).Message;

    private static MemoryBudget Budget() => new(ReadLimits.DefaultMaxBytes);

    private static string HeaderError(string problem) => $"test.npy: has a bad .npy header: it {problem}.";

    // ---- The byte filter: printable ASCII, tab, line feed and carriage return only.

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x08)]
    [InlineData(0x0B)]
    [InlineData(0x0C)]
    [InlineData(0x1F)]
    [InlineData(0x7F)]
    [InlineData(0x80)]
    [InlineData(0xE9)]
    [InlineData(0xFF)]
    public void Read_HeaderByteOutsideFilter_ThrowsNamingTheByte(int b)
    {
        // At the end of the padding, so a filter that stops early or only checks the dict misses it.
        byte[] header = Encoding.ASCII.GetBytes(Valid2 + "   " + (char)b + "\n");
        header[^2] = (byte)b;
        Assert.Equal($"test.npy: has a .npy header with a non-ASCII or control byte 0x{b:X2}.", Message(RawHeader(header, NpyTests.Floats(1, 2))));
        // And first, before the dict.
        header = Encoding.ASCII.GetBytes(" " + Valid2 + "\n");
        header[0] = (byte)b;
        Assert.Equal($"test.npy: has a .npy header with a non-ASCII or control byte 0x{b:X2}.", Message(RawHeader(header, NpyTests.Floats(1, 2))));
    }

    [Fact]
    public void Read_HeaderBytesAtFilterEdges_Accepted()
    {
        // Tab, CR and LF are whitespace between tokens; 0x20 and 0x7E are the printable range's ends.
        byte[] file = NpyTests.HandBuilt("\t{'descr':\r'<f4',\n'fortran_order': False, 'shape': (2,), }\t\r ", NpyTests.Floats(1, 2));
        Assert.Equal([1f, 2f], NpyTests.ReadBytes(file).Values.ToArray());
        // '~' (0x7E) passes the filter and reaches the parser, which names it as an unknown key.
        Assert.Equal(HeaderError("has an unexpected key '~'"), Message(NpyTests.HandBuilt("{'~': 1}", [])));
    }

    // ---- Header length: 65,536 bytes accepted, one more refused (version 2/3 length field).

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_HeaderExactlyAtLimit_Loads_OnePastThrows(byte major)
    {
        string padded = Valid2.PadRight(NpyHeader.MaxHeaderLength - 1);
        Assert.Equal(65_536, padded.Length + 1);
        Assert.Equal([1f, 2f], NpyTests.ReadBytes(NpyTests.HandBuilt(padded, NpyTests.Floats(1, 2), major)).Values.ToArray());
        byte[] over = NpyTests.HandBuilt(padded + " ", NpyTests.Floats(1, 2), major);
        Assert.Equal("test.npy: has a .npy header of 65537 bytes, more than the limit of 65536.", Message(over));
    }

    [Fact]
    public void Read_Version1_LongestHeaderItsFieldHolds_Loads()
    {
        // Version 1.0's 16-bit field holds at most 65,535.
        string padded = Valid2.PadRight(65_534);
        Assert.Equal([1f, 2f], NpyTests.ReadBytes(NpyTests.HandBuilt(padded, NpyTests.Floats(1, 2))).Values.ToArray());
    }

    // ---- Rank: 32 accepted, 33 refused after parsing, 34 refused while parsing.

    private static string ShapeOfOnes(int rank) => rank == 1 ? "(1,)" : "(" + string.Join(", ", Enumerable.Repeat("1", rank)) + ")";

    [Fact]
    public void Read_RankAtLimit_Loads()
    {
        NpyArray a = NpyTests.ReadBytes(NpyTests.HandBuilt($"{{'descr': '<f4', 'fortran_order': False, 'shape': {ShapeOfOnes(32)}, }}", NpyTests.Floats(5)));
        Assert.Equal(32, a.Rank);
        Assert.Equal([5f], a.Values.ToArray());
    }

    [Fact]
    public void Read_RankOnePastLimit_Throws()
    {
        Assert.Equal("test.npy: has rank 33, more than the limit of 32.",
            Message(NpyTests.HandBuilt($"{{'descr': '<f4', 'fortran_order': False, 'shape': {ShapeOfOnes(33)}, }}", NpyTests.Floats(5))));
        Assert.Equal(HeaderError("has a shape with more than 32 dimensions"),
            Message(NpyTests.HandBuilt($"{{'descr': '<f4', 'fortran_order': False, 'shape': {ShapeOfOnes(34)}, }}", NpyTests.Floats(5))));
    }

    // ---- Dimensions.

    private static string Dict(string shape, string descr = "<f4") => $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";

    [Fact]
    public void Read_DimensionAtIntMax_ReachesTheByteCount_OnePastIsTooLarge()
    {
        // int.MaxValue elements exceed Array.MaxLength; |u1 makes the byte count equal the element count.
        Assert.Equal("test.npy: is corrupt or too large: shape (2147483647,) has 2.15E+09 elements, more than a .NET array can hold, and only 2 bytes of data follow the header.",
            Message(NpyTests.HandBuilt(Dict("(2147483647,)", "|u1"), [1, 2])));
        Assert.Equal("test.npy: has shape (2147483648,), too large for this reader.",
            Message(NpyTests.HandBuilt(Dict("(2147483648,)", "|u1"), [1, 2])));
        Assert.Equal("test.npy: has shape (9223372036854775807,), too large for this reader.",
            Message(NpyTests.HandBuilt(Dict("(100000000000000000000000,)", "|u1"), [1, 2])));
    }

    [Fact]
    public void Read_ElementCountAtArrayMaxLength_ReachesTheByteCount_OnePastRefused()
    {
        int max = Array.MaxLength;
        Assert.Equal($"test.npy: is truncated or corrupt: shape ({max},) of |u1 needs {max} bytes of data but only 2 follow the header.",
            Message(NpyTests.HandBuilt(Dict($"({max},)", "|u1"), [1, 2])));
        Assert.StartsWith($"test.npy: is corrupt or too large: shape ({max + 1},) has ",
            Message(NpyTests.HandBuilt(Dict($"({max + 1},)", "|u1"), [1, 2])));
        // The same limit on a product: 3 × (max / 3) fits, 3 × (max / 3 + 1) does not.
        Assert.Contains($"needs {3L * (max / 3)} bytes", Message(NpyTests.HandBuilt(Dict($"(3, {max / 3})", "|u1"), [1, 2])));
        Assert.Contains("more than a .NET array can hold", Message(NpyTests.HandBuilt(Dict($"(3, {max / 3 + 1})", "|u1"), [1, 2])));
        // Large dimensions after a first one: the running product is checked at every step.
        Assert.Contains("more than a .NET array can hold", Message(NpyTests.HandBuilt(Dict("(1, 2, 2147483647)", "|u1"), [1, 2])));
    }

    [Fact]
    public void Read_ZeroDimension_EmptyWhateverTheOthers()
    {
        NpyArray a = NpyTests.ReadBytes(NpyTests.HandBuilt(Dict("(2147483647, 0, 2147483647)"), []));
        Assert.Equal(0, a.Length);
        Assert.Equal([2147483647, 0, 2147483647], a.Shape.ToArray());
        Assert.Equal("test.npy: is corrupt: shape (5, 0) of <f4 needs 0 bytes of data but 8 follow the header.",
            Message(NpyTests.HandBuilt(Dict("(5, 0)"), NpyTests.Floats(1, 2))));
    }

    [Theory]
    [InlineData("(-1,)", "(-1,)")]
    [InlineData("(2, -3)", "(2, -3)")]
    [InlineData("(-99999999999999999999,)", "(-1,)")]
    public void Read_NegativeDimension_Throws(string shape, string shown)
    {
        Assert.Equal($"test.npy: has shape {shown} with a negative dimension.", Message(NpyTests.HandBuilt(Dict(shape), NpyTests.Floats(1, 2))));
    }

    [Theory]
    [InlineData("(2L,)")]
    [InlineData("(+2,)")]
    [InlineData("( 2 , )")]
    [InlineData("(1, 2L)")]
    public void Read_PythonIntegerSpellings_Accepted(string shape)
    {
        Assert.Equal(2, NpyTests.ReadBytes(NpyTests.HandBuilt(Dict(shape), NpyTests.Floats(1, 2))).Length);
    }

    // ---- Whitespace around every token.

    [Theory]
    [InlineData(" { 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 2 , 1 ) , } ")]
    [InlineData("\t{\t'descr'\t:\t'<f4'\t,\t'fortran_order'\t:\tFalse\t,\t'shape'\t:\t(\t2\t,\t1\t)\t}\t")]
    [InlineData("\r\n{\r\n'descr'\r\n:\r\n'<f4'\r\n,\r\n'fortran_order'\r\n:\r\nFalse\r\n,\r\n'shape'\r\n:\r\n(\r\n2\r\n,\r\n1\r\n,\r\n)\r\n,\r\n}\r\n")]
    [InlineData("{'shape':(2,1),'fortran_order':False,'descr':'<f4'}")]
    public void Read_ExtraWhitespaceAroundEveryToken_Loads(string dict)
    {
        NpyArray a = NpyTests.ReadBytes(NpyTests.HandBuilt(dict, NpyTests.Floats(3, 4)));
        Assert.Equal([2, 1], a.Shape.ToArray());
        Assert.Equal([3f, 4f], a.Values.ToArray());
    }

    // ---- One case per parser message.

    [Theory]
    [InlineData("[1]", "is not a well-formed dict (expected '{')")]
    [InlineData("", "is not a well-formed dict (expected '{')")]
    [InlineData("{1: 2}", "is not a well-formed dict (expected a quoted string)")]
    [InlineData("{'descr' '<f4'}", "is not a well-formed dict (expected ':')")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", "repeats the key 'descr'")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", "has a structured dtype, which is not supported")]
    [InlineData("{'descr': {'names': ['a']}, 'fortran_order': False, 'shape': (2,)}", "has a structured dtype, which is not supported")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'fortran_order': False, 'shape': (2,)}", "repeats the key 'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,)}", "repeats the key 'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'Shape': (2,)}", "has an unexpected key 'Shape'")]
    [InlineData("{'descr': '<f4' 'fortran_order': False, 'shape': (2,)}", "is not a well-formed dict (expected ',' or '}')")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", "is not a well-formed dict (expected ',' or '}')")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}}", "has text after the closing '}'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} x", "has text after the closing '}'")]
    [InlineData("{'fortran_order': False, 'shape': (2,)}", "lacks the key 'descr'")]
    [InlineData("{'descr': '<f4', 'shape': (2,)}", "lacks the key 'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False}", "lacks the key 'shape'")]
    [InlineData("{}", "lacks the key 'descr'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2 3)}", "has a malformed shape tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2", "has a malformed shape tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,", "has a shape entry that is not an integer")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "has a shape that is not a tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (a,)}", "has a shape entry that is not an integer")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-,)}", "has a shape entry that is not an integer")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (,)}", "has a shape entry that is not an integer")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "is not a well-formed dict (expected '(')")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "has a fortran_order that is neither True nor False")]
    [InlineData("{'descr': '<f4', 'fortran_order': true, 'shape': (2,)}", "has a fortran_order that is neither True nor False")]
    [InlineData("{'descr': '<f4', 'fortran_order': Fals", "has a fortran_order that is neither True nor False")]
    [InlineData("{'de\\scr': '<f4'}", "has an escape sequence in a string")]
    [InlineData("{'descr", "has an unterminated string")]
    [InlineData("{'descr': \"<f4', 'fortran_order': False, 'shape': (2,)}", "has an unterminated string")]
    public void Read_MalformedHeader_EachParserMessage(string dict, string problem)
    {
        Assert.Equal(HeaderError(problem), Message(NpyTests.HandBuilt(dict, NpyTests.Floats(1, 2))));
    }

    [Fact]
    public void Read_FortranOrderTrue_Parsed()
    {
        // 'True' must set the flag: a 2 × 2 in Fortran order reads transposed in memory.
        byte[] file = NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", NpyTests.Floats(1, 3, 2, 4));
        Assert.Equal([1f, 2f, 3f, 4f], NpyTests.ReadBytes(file).Values.ToArray());
    }

    // ---- dtype messages.

    [Theory]
    [InlineData("f", "dtype 'f' is not a recognised numpy type")]
    [InlineData("", "dtype '' is not a recognised numpy type")]
    [InlineData("|O", "dtype '|O' is an object array, which needs pickle; object arrays are refused")]
    [InlineData("O", "dtype 'O' is not a recognised numpy type")]
    [InlineData("<O8", "dtype '<O8' is an object array, which needs pickle; object arrays are refused")]
    [InlineData("<f3", "dtype '<f3' is not supported (expected float16/32/64, an integer type, bool or a unicode string)")]
    [InlineData("<f16", "dtype '<f16' is not supported (expected float16/32/64, an integer type, bool or a unicode string)")]
    [InlineData("<i3", "dtype '<i3' is not supported (expected float16/32/64, an integer type, bool or a unicode string)")]
    [InlineData("<u16", "dtype '<u16' is not supported (expected float16/32/64, an integer type, bool or a unicode string)")]
    [InlineData("<b2", "dtype '<b2' is not supported (expected float16/32/64, an integer type, bool or a unicode string)")]
    [InlineData("<f", "dtype '<f' is not supported (expected float16/32/64, an integer type, bool or a unicode string)")]
    [InlineData("<f+4", "dtype '<f+4' is not supported (expected float16/32/64, an integer type, bool or a unicode string)")]
    [InlineData("<f 4", "dtype '<f 4' is not supported (expected float16/32/64, an integer type, bool or a unicode string)")]
    [InlineData(">f4", "dtype '>f4' is big-endian; only little-endian data is supported")]
    [InlineData(">i2", "dtype '>i2' is big-endian; only little-endian data is supported")]
    [InlineData("=f4", "dtype '=f4' does not state little-endian byte order")]
    [InlineData("|f4", "dtype '|f4' does not state little-endian byte order")]
    [InlineData("f4", "dtype 'f4' does not state little-endian byte order")]
    public void Read_BadDescr_EachDtypeMessage(string descr, string reason)
    {
        Assert.Equal($"test.npy: {reason}.", Message(NpyTests.HandBuilt(Dict("(2,)", descr), NpyTests.Floats(1, 2))));
    }

    [Theory]
    [InlineData("|u1")]
    [InlineData("<u1")]
    [InlineData(">u1")]
    [InlineData("=u1")]
    [InlineData("|i1")]
    [InlineData("|b1")]
    [InlineData("u1")]
    public void Read_OneByteTypes_AnyByteOrderMark(string descr)
    {
        Assert.Equal(2, NpyTests.ReadBytes(NpyTests.HandBuilt(Dict("(2,)", descr), [0, 1])).Length);
    }

    // ---- Preamble messages.

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Read_ShorterThanPreamble_Throws(int length)
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2))[..length];
        Assert.Equal("test.npy: is too short to be a .npy array (no complete header).", Message(file));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    public void Read_Version2CutInsideItsLengthField_Throws(int length)
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2), major: 2)[..length];
        Assert.Equal("test.npy: is truncated inside the .npy preamble.", Message(file));
    }

    [Fact]
    public void Read_Version1_TenBytes_IsAPreambleWithoutHeader()
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2))[..10];
        Assert.Equal($"test.npy: is truncated: the .npy header claims {Valid2.Length + 1} bytes but only 0 follow.", Message(file));
    }

    [Theory]
    [InlineData(0, 0x93)]
    [InlineData(5, (byte)'Y')]
    public void Read_AnyMagicByteWrong_Throws(int index, int original)
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2));
        Assert.Equal(original, file[index]);
        file[index] ^= 0x20;
        Assert.Equal("test.npy: is not a .npy array (the magic string \\x93NUMPY is missing).", Message(file));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(4, 0)]
    [InlineData(0, 0)]
    public void Read_UnsupportedVersion_Throws(byte major, byte minor)
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2), major == 1 ? (byte)1 : (byte)2);
        file[6] = major;
        file[7] = minor;
        Assert.Equal($"test.npy: has .npy format version {major}.{minor}; versions 1.0, 2.0 and 3.0 are supported.", Message(file));
    }

    [Fact]
    public void Read_HeaderLongerThanFile_Throws()
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2));
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), 1000);
        Assert.Equal($"test.npy: is truncated: the .npy header claims 1000 bytes but only {file.Length - 10} follow.", Message(file));
        // Exactly the bytes that remain is a header with no data: the dict then ends in the data bytes.
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)(file.Length - 10));
        Assert.DoesNotContain("claims", Message(file));
    }

    /// <summary>
    /// A stream shorter than the length its caller declares (an archive entry that ends early): the
    /// header read comes up short. Through the internal entry point, since a public one always
    /// measures the stream.
    /// </summary>
    [Fact]
    public void Read_StreamEndsInsideDeclaredHeader_Throws()
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2));
        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(file[..20]), file.Length, "short.npy", verifyEnd: false, Budget()));
        Assert.Equal("short.npy: is truncated inside the .npy header.", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(file[..^1]), file.Length, "short.npy", verifyEnd: false, Budget()));
        Assert.Equal("short.npy: is truncated: the data ends before element 2 of 2.", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(file[..^8]), file.Length, "short.npy", verifyEnd: false, Budget()));
        Assert.Equal("short.npy: is truncated: the data ends before element 2 of 2.", ex.Message);
    }

    [Fact]
    public void Read_StreamEndsInsideThePreamble_IsTooShortOrTruncated()
    {
        byte[] v1 = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2));
        // Five bytes of a magic that would match, where the caller declared the whole file.
        Assert.Equal("short.npy: is too short to be a .npy array (no complete header).",
            Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(v1[..5]), v1.Length, "short.npy", verifyEnd: false, Budget())).Message);
        byte[] v2 = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2), major: 2);
        Assert.Equal("short.npy: is truncated inside the .npy preamble.",
            Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(v2[..11]), v2.Length, "short.npy", verifyEnd: false, Budget())).Message);
    }

    [Fact]
    public void Read_Version2_ExactlyItsPreamble_HeaderMissing()
    {
        byte[] v2 = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2), major: 2)[..12];
        Assert.Equal($"test.npy: is truncated: the .npy header claims {Valid2.Length + 1} bytes but only 0 follow.", Message(v2));
    }

    [Fact]
    public void Read_HeaderOneByteLongerThanTheRest_Throws()
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2));
        int rest = file.Length - 10;
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(8), (ushort)(rest + 1));
        Assert.Equal($"test.npy: is truncated: the .npy header claims {rest + 1} bytes but only {rest} follow.", Message(file));
    }

    [Fact]
    public void Read_VerifyEnd_RefusesAStreamLongerThanDeclared()
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2));
        byte[] longer = [.. file, 0];
        var ex = Assert.Throws<InvalidDataException>(() => Npy.Read(new MemoryStream(longer), file.Length, "long.npy", verifyEnd: true, Budget()));
        Assert.Equal($"long.npy: holds more bytes than its declared size of {file.Length}.", ex.Message);
        Assert.Equal(2, Npy.Read(new MemoryStream(longer), file.Length, "long.npy", verifyEnd: false, Budget()).Length);
        Assert.Equal(2, Npy.Read(new MemoryStream(file), file.Length, "exact.npy", verifyEnd: true, Budget()).Length);
    }

    [Fact]
    public void Read_StreamAtOffset_ReadsFromCurrentPosition()
    {
        byte[] file = NpyTests.HandBuilt(Valid2, NpyTests.Floats(1, 2));
        var ms = new MemoryStream([.. new byte[7], .. file]) { Position = 7 };
        Assert.Equal([1f, 2f], Npy.Read(ms, "offset.npy").Values.ToArray());
    }
}
