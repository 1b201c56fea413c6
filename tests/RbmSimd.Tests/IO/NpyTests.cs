using System.Buffers.Binary;
using System.Text;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

public class NpyTests
{
    /// <summary>
    /// Builds a .npy file byte by byte from the format description (numpy.lib.format), independently
    /// of the writer: magic, version, little-endian header length, dict literal, raw data.
    /// </summary>
    internal static byte[] HandBuilt(string dict, ReadOnlySpan<byte> data, byte major = 1)
    {
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0]);
        byte[] header = Encoding.ASCII.GetBytes(dict + "\n");
        if (major == 1) ms.Write([(byte)(header.Length & 0xFF), (byte)(header.Length >> 8)]);
        else ms.Write([(byte)header.Length, (byte)(header.Length >> 8), (byte)(header.Length >> 16), (byte)(header.Length >> 24)]);
        ms.Write(header);
        ms.Write(data);
        return ms.ToArray();
    }

    internal static byte[] Floats(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    internal static NpyArray ReadBytes(byte[] bytes) => Npy.Read(new MemoryStream(bytes), "test.npy");

    [Fact]
    public void Read_HandBuiltFloat32_2x3()
    {
        byte[] file = HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Floats(1, 2, 3, 4, 5, -6.5f));
        NpyArray a = ReadBytes(file);
        Assert.Equal([2, 3], a.Shape.ToArray());
        Assert.Equal([1f, 2, 3, 4, 5, -6.5f], a.Values.ToArray());
        Assert.Equal("(2, 3)", a.ShapeText);
    }

    [Fact]
    public void Read_HandBuiltVersion2_DoubleQuotesAndNoTrailingComma()
    {
        byte[] file = HandBuilt("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (3,)}", Floats(7, 8, 9), major: 2);
        Assert.Equal([7f, 8, 9], ReadBytes(file).Values.ToArray());
    }

    [Fact]
    public void Read_Float64_ConvertedToFloat32()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 0.1);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), -1e30);
        NpyArray a = ReadBytes(HandBuilt("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data));
        Assert.Equal([0.1f, -1e30f], a.Values.ToArray());
    }

    [Fact]
    public void Read_Float64TooLargeForFloat32_Throws()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), 1e300);
        var ex = Assert.Throws<InvalidDataException>(() => ReadBytes(HandBuilt("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", data)));
        Assert.Contains("element 1", ex.Message);
        Assert.Contains("too large for float32", ex.Message);
    }

    [Theory]
    [InlineData("|u1", new byte[] { 0, 255 }, new float[] { 0, 255 })]
    [InlineData("|b1", new byte[] { 0, 1 }, new float[] { 0, 1 })]
    [InlineData("|i1", new byte[] { 0x80, 1 }, new float[] { -128, 1 })]
    [InlineData("<i4", new byte[] { 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF }, new float[] { 1, -1 })]
    [InlineData("<i8", new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, new float[] { 1, -2 })]
    [InlineData("<f2", new byte[] { 0x00, 0x3C, 0x00, 0xC0 }, new float[] { 1, -2 })]
    public void Read_OtherNumericTypes_Converted(string descr, byte[] data, float[] expected)
    {
        NpyArray a = ReadBytes(HandBuilt($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (2,), }}", data));
        Assert.Equal(expected, a.Values.ToArray());
    }

    [Theory]
    [InlineData("|u1", false)]
    [InlineData("<i4", false)]
    [InlineData("<i8", false)]
    [InlineData("<u8", false)]
    [InlineData("|b1", true)]
    [InlineData("<f2", true)]
    public void Read_IntegerTypes_AreExactIntegers_OthersFloats(string descr, bool isFloat)
    {
        int size = descr[^1] - '0';
        NpyArray a = ReadBytes(HandBuilt($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (3,), }}", new byte[3 * size]));
        Assert.Equal(!isFloat, a.IsInteger);
        if (isFloat) Assert.Throws<InvalidOperationException>(() => a.Integers.Length);
        else Assert.Equal([0L, 0, 0], a.Integers.ToArray());
    }

    [Fact]
    public void Read_Int64Extremes_Exact()
    {
        var data = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(data, long.MaxValue);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), long.MinValue);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(16), (1L << 53) + 1);
        NpyArray a = ReadBytes(HandBuilt("{'descr': '<i8', 'fortran_order': True, 'shape': (3,), }", data));
        Assert.Equal([long.MaxValue, long.MinValue, (1L << 53) + 1], a.Integers.ToArray());
        Assert.Equal((float)long.MaxValue, a.Values[0]);
    }

    [Fact]
    public void Read_UInt64AboveInt64_Throws()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(data, 5);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8), ulong.MaxValue);
        var ex = Assert.Throws<InvalidDataException>(() => ReadBytes(HandBuilt("{'descr': '<u8', 'fortran_order': False, 'shape': (2,), }", data)));
        Assert.Equal($"test.npy: element 1 is {ulong.MaxValue}, too large for int64.", ex.Message);
    }

    [Fact]
    public void Write_IntegerArray_IsInt64()
    {
        var ms = new MemoryStream();
        Npy.Write(ms, NpyArray.FromIntegers([2], [-1, long.MaxValue]));
        byte[] bytes = ms.ToArray();
        string header = Encoding.ASCII.GetString(bytes, 10, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
        Assert.StartsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", header);
        Assert.Equal(-1L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(bytes.Length - 16)));
        Assert.Equal(long.MaxValue, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(bytes.Length - 8)));
    }

    [Fact]
    public void Read_FortranOrder_ReorderedToC()
    {
        // The 2x3 matrix [[1,2,3],[4,5,6]] in column-major order is 1,4,2,5,3,6.
        byte[] file = HandBuilt("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", Floats(1, 4, 2, 5, 3, 6));
        Assert.Equal([1f, 2, 3, 4, 5, 6], ReadBytes(file).Values.ToArray());
    }

    [Fact]
    public void Read_FortranOrder3D_ReorderedToC()
    {
        // shape (2,2,2): Fortran offset of (i,j,k) is i + 2j + 4k; store value 100i+10j+k there.
        var f = new float[8];
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) f[i + 2 * j + 4 * k] = 100 * i + 10 * j + k;
        NpyArray a = ReadBytes(HandBuilt("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2, 2), }", Floats(f)));
        Assert.Equal([0f, 1, 10, 11, 100, 101, 110, 111], a.Values.ToArray());
    }

    [Fact]
    public void Read_ScalarAndEmpty()
    {
        Assert.Equal([42f], ReadBytes(HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", Floats(42))).Values.ToArray());
        NpyArray empty = ReadBytes(HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", []));
        Assert.Equal(0, empty.Length);
        Assert.Equal([0, 5], empty.Shape.ToArray());
    }

    [Fact]
    public void Write_MatchesNumpyLayout()
    {
        var ms = new MemoryStream();
        Npy.Write(ms, new NpyArray([2, 2], [1, 2, 3, 4]));
        byte[] bytes = ms.ToArray();
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        int dataStart = 10 + headerLength;
        Assert.Equal(0, dataStart % 64);
        Assert.Equal(1, bytes[6]);
        Assert.Equal(0, bytes[7]);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", header);
        Assert.EndsWith("\n", header);
        Assert.Equal(Floats(1, 2, 3, 4), bytes[dataStart..]);
    }

    [Theory]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "pickle")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "big-endian")]
    [InlineData("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", "not supported")]
    [InlineData("{'descr': '<S5', 'fortran_order': False, 'shape': (2,), }", "not supported")]
    [InlineData("{'descr': '<V8', 'fortran_order': False, 'shape': (2,), }", "not supported")]
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", "structured")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (-2,), }", "negative")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", "(1000000, 1000000)")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000000000000000,), }", "too large")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", "needs 12 bytes")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", "needs 4 bytes")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2), }", "not a tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }", "fortran_order")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", "lacks the key 'fortran_order'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", "unexpected key 'x'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'shape': (2,)}", "repeats")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } junk", "after the closing")]
    [InlineData("__import__('os').system('true')", "well-formed")]
    public void Read_BadHeader_ThrowsInvalidDataNamingTheProblem(string dict, string expected)
    {
        byte[] file = HandBuilt(dict, Floats(1, 2));
        var ex = Assert.Throws<InvalidDataException>(() => ReadBytes(file));
        Assert.StartsWith("test.npy: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Read_HeaderLengthBeyondCap_Throws()
    {
        byte[] file = HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", Floats(1, 2), major: 2);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 0x7FFF_FFFF);
        var ex = Assert.Throws<InvalidDataException>(() => ReadBytes(file));
        Assert.Contains("limit", ex.Message);
    }

    [Fact]
    public void Read_WrongMagicOrVersion_Throws()
    {
        byte[] file = HandBuilt("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", Floats(1, 2));
        byte[] badMagic = (byte[])file.Clone();
        badMagic[1] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => ReadBytes(badMagic)).Message);
        byte[] badVersion = (byte[])file.Clone();
        badVersion[6] = 9;
        Assert.Contains("version 9.0", Assert.Throws<InvalidDataException>(() => ReadBytes(badVersion)).Message);
    }

    [Fact]
    public void Read_File_RoundTrip()
    {
        using var dir = new TempFolder();
        string path = dir.File("a.npy");
        var a = new NpyArray([3, 1, 2], [1, 2, 3, 4, 5, float.MaxValue]);
        Npy.Write(path, a);
        NpyArray b = Npy.Read(path);
        Assert.Equal(a.Shape.ToArray(), b.Shape.ToArray());
        Assert.Equal(a.Values.ToArray(), b.Values.ToArray());
    }

    [Fact]
    public void Read_NonSeekableStream_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Npy.Read(new NonSeekable(), "x"));
    }

    private sealed class NonSeekable : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
