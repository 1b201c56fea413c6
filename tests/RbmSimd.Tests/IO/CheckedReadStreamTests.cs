using System.Text;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// <see cref="CheckedReadStream"/> and <see cref="Crc32"/> against their contracts: the CRC-32 of zip
/// (the standard check value of "123456789" is 0xCBF43926), counted bytes, a read-only non-seekable
/// stream, and inflater failures turned into <see cref="InvalidDataException"/>s naming the source.
/// </summary>
public class CheckedReadStreamTests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Crc32_KnownValues(string text, uint expected)
    {
        var crc = new Crc32();
        crc.Append(Encoding.ASCII.GetBytes(text));
        Assert.Equal(expected, crc.Value);
    }

    [Fact]
    public void Crc32_InPieces_SameAsWhole_AndMatchesSystemIoHashing()
    {
        byte[] data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 37 + 11)).ToArray();
        var whole = new Crc32();
        whole.Append(data);
        var pieces = new Crc32();
        pieces.Append(data.AsSpan(0, 1));
        pieces.Append(data.AsSpan(1, 499));
        pieces.Append([]);
        pieces.Append(data.AsSpan(500));
        Assert.Equal(whole.Value, pieces.Value);
        // Every byte value, each at every position of the table lookup: the zip format's own reference.
        byte[] all = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var each = new Crc32();
        each.Append(all);
        Assert.Equal(0x29058C73u, each.Value);
    }

    private static CheckedReadStream Over(byte[] bytes) => new(new MemoryStream(bytes), "ctx");

    [Fact]
    public void Read_CountsBytesAndChecksumsThem()
    {
        byte[] data = Encoding.ASCII.GetBytes("123456789");
        using CheckedReadStream s = Over(data);
        var buffer = new byte[4];
        Assert.Equal(4, s.Read(buffer, 0, 4));
        Assert.Equal(4, s.BytesRead);
        Assert.Equal(2, s.Read(buffer, 1, 2));
        Assert.Equal("1234561"u8.ToArray()[4..6], buffer[1..3]);
        Assert.Equal(3, s.Read(buffer.AsSpan()));
        Assert.Equal(0, s.Read(buffer.AsSpan()));
        Assert.Equal(9, s.BytesRead);
        Assert.Equal(0xCBF43926u, s.Crc);
    }

    [Fact]
    public void Stream_IsReadOnlyAndNotSeekable()
    {
        using CheckedReadStream s = Over([1, 2, 3]);
        Assert.True(s.CanRead);
        Assert.False(s.CanSeek);
        Assert.False(s.CanWrite);
        Assert.Throws<NotSupportedException>(() => s.Length);
        Assert.Throws<NotSupportedException>(() => s.Position);
        Assert.Throws<NotSupportedException>(() => s.Position = 0);
        Assert.Throws<NotSupportedException>(() => s.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => s.SetLength(0));
        Assert.Throws<NotSupportedException>(() => s.Write([1], 0, 1));
        s.Flush();
        Assert.Equal(1, s.ReadByte());
    }

    [Fact]
    public void Dispose_DisposesTheInnerStream()
    {
        var inner = new MemoryStream([1]);
        new CheckedReadStream(inner, "ctx").Dispose();
        Assert.False(inner.CanRead);
    }

    private sealed class Failing(Exception e) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw e;
        public override int Read(Span<byte> buffer) => throw e;
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public void InflaterFailures_BecomeInvalidDataNamingTheSource()
    {
        var inner = new InvalidDataException("Block length does not match with its complement.");
        using var s = new CheckedReadStream(new Failing(inner), "data.npz: array 'W'");
        var ex = Assert.Throws<InvalidDataException>(() => s.Read(new byte[4], 0, 4));
        Assert.Equal("data.npz: array 'W': the compressed data is corrupt: Block length does not match with its complement.", ex.Message);
        Assert.Same(inner, ex.InnerException);
        Assert.Throws<InvalidDataException>(() => new CheckedReadStream(new Failing(new NotSupportedException("x")), "c").Read(new byte[1]));
        Assert.Throws<InvalidDataException>(() => new CheckedReadStream(new Failing(new IOException("x")), "c").Read(new byte[1]));
    }

    [Fact]
    public void OtherFailures_PassThrough()
    {
        var cancelled = new OperationCanceledException();
        Assert.Same(cancelled, Assert.Throws<OperationCanceledException>(() => new CheckedReadStream(new Failing(cancelled), "c").Read(new byte[1])));
        var oom = new OutOfMemoryException();
        Assert.Same(oom, Assert.Throws<OutOfMemoryException>(() => new CheckedReadStream(new Failing(oom), "c").Read(new byte[1])));
    }
}
