using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// The portable (element-by-element, any host) conversion and writing paths, which a little-endian
/// machine would otherwise never run: they must give the same bits as the native copy and as
/// <see cref="BinaryPrimitives"/> reading each element, for any bit pattern, across chunk boundaries.
/// </summary>
public class NpyPortablePathTests
{
    private static Arbitrary<byte[]> Bytes(int multiple) =>
        Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(b => b[..(b.Length / multiple * multiple)]).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Float32_PortableAndNativeAgreeWithTheReference() =>
        Prop.ForAll(Bytes(4), bytes =>
        {
            int n = bytes.Length / 4;
            float[] portable = new float[n], native = new float[n];
            Assert.Equal(-1, NpyDtype.Float32.Convert(bytes, portable, copyNative: false));
            Assert.Equal(-1, NpyDtype.Float32.Convert(bytes, native, copyNative: BitConverter.IsLittleEndian));
            int[] expected = Enumerable.Range(0, n).Select(i => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i))).ToArray();
            Assert.Equal(expected, portable.Select(BitConverter.SingleToInt32Bits));
            Assert.Equal(expected, native.Select(BitConverter.SingleToInt32Bits));
        });

    [Property(MaxTest = 200)]
    public Property Int64_PortableAndNativeAgreeWithTheReference() =>
        Prop.ForAll(Bytes(8), bytes =>
        {
            int n = bytes.Length / 8;
            long[] portable = new long[n], native = new long[n];
            Assert.Equal(-1, NpyDtype.Int64.ConvertIntegers(bytes, portable, copyNative: false));
            Assert.Equal(-1, NpyDtype.Int64.ConvertIntegers(bytes, native, copyNative: BitConverter.IsLittleEndian));
            long[] expected = Enumerable.Range(0, n).Select(i => BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i))).ToArray();
            Assert.Equal(expected, portable);
            Assert.Equal(expected, native);
        });

    [Fact]
    public void Write_PortablePath_SameBytesAsNative_AcrossChunks()
    {
        // 40,000 elements span several 64 KiB chunks for both widths.
        var random = new Random(5);
        float[] floats = Enumerable.Range(0, 40_000).Select(_ => BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))).ToArray();
        long[] longs = Enumerable.Range(0, 40_000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        foreach (NpyArray array in new[] { new NpyArray([200, 200], floats), NpyArray.FromIntegers([40_000], longs) })
        {
            var portable = new MemoryStream();
            var native = new MemoryStream();
            Npy.Write(portable, array, copyNative: false);
            Npy.Write(native, array, copyNative: BitConverter.IsLittleEndian);
            Assert.Equal(native.ToArray(), portable.ToArray());
            byte[] data = portable.ToArray()[^(array.IsInteger ? 8 * 40_000 : 4 * 40_000)..];
            if (array.IsInteger) Assert.Equal(longs[39_999], BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(8 * 39_999)));
            else Assert.Equal(BitConverter.SingleToInt32Bits(floats[16_384]), BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(4 * 16_384)));
        }
    }
}
