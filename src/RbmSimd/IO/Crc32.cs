namespace RbmSimd.IO;

/// <summary>
/// The CRC-32 that zip archives store for each entry (IEEE 802.3, reflected polynomial 0xEDB88320),
/// computed incrementally.
/// </summary>
/// <remarks>
/// System.IO.Compression does not check entry checksums when reading, and it silently stops at an
/// entry's declared size; checking the CRC ourselves catches both flipped bits in stored entries and
/// entries whose real data is longer than declared. Table-driven, a byte at a time: the arrays read
/// here are model-sized, so simplicity beats the sliced or SIMD variants.
/// </remarks>
internal struct Crc32
{
    private static readonly uint[] Table = BuildTable();

    private uint _state;

    public Crc32() => _state = 0xFFFF_FFFFu;

    /// <summary>The checksum of everything appended so far.</summary>
    public readonly uint Value => ~_state;

    public void Append(ReadOnlySpan<byte> data)
    {
        uint crc = _state;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        _state = crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB8_8320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
