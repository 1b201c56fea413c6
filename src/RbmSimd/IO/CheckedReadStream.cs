namespace RbmSimd.IO;

/// <summary>
/// A read-only wrapper around a decompressing stream (a zip entry, a gzip file) that reports the
/// inflater's failures (corrupt deflate blocks, bad gzip headers, …) as
/// <see cref="InvalidDataException"/>s naming the source, so readers have a single exception type for
/// bad contents while their own, already well-worded errors pass through unchanged. It also computes the CRC-32 of the
/// bytes it delivers (see <see cref="Crc32"/>).
/// </summary>
internal sealed class CheckedReadStream(Stream inner, string context) : Stream
{
    private Crc32 _crc = new();

    /// <summary>The CRC-32 of every byte read so far.</summary>
    public uint Crc => _crc.Value;

    /// <summary>The number of bytes read so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            int n = inner.Read(buffer);
            _crc.Append(buffer[..n]);
            BytesRead += n;
            return n;
        }
        catch (Exception e) when (Npz.IsZipFormatFailure(e))
        {
            throw new InvalidDataException($"{context}: the compressed data is corrupt: {e.Message}", e);
        }
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
