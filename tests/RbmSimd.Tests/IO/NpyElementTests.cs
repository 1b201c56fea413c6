using System.Buffers.Binary;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// Element conversion of <see cref="Npy.Read(Stream, string)"/> for every integer width at its
/// extremes (bytes written by hand from two's complement), errors at the first and a later element
/// with the offending value, Fortran-order integers, and the memory a read allocates: the decoded
/// array and nothing of the other kinds.
/// </summary>
public class NpyElementTests
{
    private static NpyArray Read(string descr, string shape, byte[] data, bool fortran = false) =>
        NpyTests.ReadBytes(NpyTests.HandBuilt($"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}", data));

    [Theory]
    [InlineData("|i1", new byte[] { 0x80, 0x7F, 0xFF }, new long[] { -128, 127, -1 })]
    [InlineData("|u1", new byte[] { 0x00, 0xFF, 0x80 }, new long[] { 0, 255, 128 })]
    [InlineData("<i2", new byte[] { 0x00, 0x80, 0xFF, 0x7F, 0xFE, 0xFF }, new long[] { -32768, 32767, -2 })]
    [InlineData("<u2", new byte[] { 0x00, 0x80, 0xFF, 0xFF, 0x01, 0x00 }, new long[] { 32768, 65535, 1 })]
    [InlineData("<i4", new byte[] { 0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF }, new long[] { int.MinValue, int.MaxValue, -1 })]
    [InlineData("<u4", new byte[] { 0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0 }, new long[] { 2147483648, 4294967295, 2 })]
    [InlineData("<u8", new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0 }, new long[] { long.MaxValue, 0, 3 })]
    public void Read_IntegerWidths_Extremes(string descr, byte[] data, long[] expected)
    {
        NpyArray a = Read(descr, "(3,)", data);
        Assert.True(a.IsInteger);
        Assert.Equal(expected, a.Integers.ToArray());
    }

    [Fact]
    public void Read_BadFirstElement_IsReported()
    {
        var data = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(data, 1UL << 63);
        Assert.Equal($"test.npy: element 0 is {1UL << 63}, too large for int64.", Assert.Throws<InvalidDataException>(() => Read("<u8", "(2,)", data)).Message);
        BinaryPrimitives.WriteDoubleLittleEndian(data, -1e300);
        Assert.Equal("test.npy: element 0 is -1E+300, too large for float32.", Assert.Throws<InvalidDataException>(() => Read("<f8", "(2,)", data)).Message);
        Assert.Equal("test.npy: element 0 holds 0xD800, which is not a Unicode character (a surrogate or above U+10FFFF).",
            Assert.Throws<InvalidDataException>(() => Read("<U1", "(2,)", NpyTextTests.Ucs4(1, [0xD800], ['a']))).Message);
    }

    [Fact]
    public void Read_BadThirdElement_ReportsItsOwnValue()
    {
        var data = new byte[32];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8 * i), (ulong)i);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16), ulong.MaxValue - 1);
        Assert.Equal($"test.npy: element 2 is {ulong.MaxValue - 1}, too large for int64.", Assert.Throws<InvalidDataException>(() => Read("<u8", "(4,)", data)).Message);
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8 * i), i);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(16), 3e38 * 10);
        Assert.Equal("test.npy: element 2 is 3E+39, too large for float32.", Assert.Throws<InvalidDataException>(() => Read("<f8", "(4,)", data)).Message);
    }

    [Fact]
    public void Read_Float64_LargestFiniteFloat32Accepted_InfinityKept()
    {
        var data = new byte[24];
        BinaryPrimitives.WriteDoubleLittleEndian(data, float.MaxValue);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), double.NegativeInfinity);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(16), double.NaN);
        float[] v = Read("<f8", "(3,)", data).Values.ToArray();
        Assert.Equal(float.MaxValue, v[0]);
        Assert.Equal(float.NegativeInfinity, v[1]);
        Assert.True(float.IsNaN(v[2]));
    }

    [Fact]
    public void Read_FortranOrderIntegers_ReorderedToC()
    {
        // [[1, 2, 3], [4, 5, 6]] column-major as int16: 1, 4, 2, 5, 3, 6.
        byte[] data = [1, 0, 4, 0, 2, 0, 5, 0, 3, 0, 6, 0];
        NpyArray a = Read("<i2", "(2, 3)", data, fortran: true);
        Assert.Equal([1L, 2, 3, 4, 5, 6], a.Integers.ToArray());
    }

    /// <summary>Allocation of one read on this thread, less the array's own payload.</summary>
    private static long Overhead(byte[] file, long payload)
    {
        Npy.Read(new MemoryStream(file), "warm.npy");
        long before = GC.GetAllocatedBytesForCurrentThread();
        Npy.Read(new MemoryStream(file), "m.npy");
        return GC.GetAllocatedBytesForCurrentThread() - before - payload;
    }

    [Fact]
    public void Read_AllocatesTheDecodedArrayOnly()
    {
        const int N = 100_000;
        // int64: 8 bytes an element; no float array beside it.
        Assert.InRange(Overhead(NpyTests.HandBuilt("{'descr': '<i8', 'fortran_order': False, 'shape': (100000,), }", new byte[8 * N]), 8L * N), -1, 16_384);
        // float32 in Fortran order but one-dimensional: no reordering copy.
        Assert.InRange(Overhead(NpyTests.HandBuilt("{'descr': '<f4', 'fortran_order': True, 'shape': (100000,), }", new byte[4 * N]), 4L * N), -1, 16_384);
        // Text: the string references (the empty strings are shared); no float or integer array.
        Assert.InRange(Overhead(NpyTests.HandBuilt("{'descr': '<U1', 'fortran_order': False, 'shape': (100000,), }", new byte[4 * N]), 8L * N), -1, 16_384);
    }
}
