namespace RbmSimd.IO;

/// <summary>
/// Reads lines from a <see cref="TextReader"/> with a length limit, in fixed-size blocks, so that one
/// enormous line costs no more than the limit (<see cref="TextReader.ReadLine"/> would build the whole
/// line first). Line breaks are those of <see cref="TextReader.ReadLine"/>: <c>\n</c>, <c>\r\n</c> and
/// <c>\r</c>; a final line break does not start another line.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLineLength, string source)
{
    private const int BlockChars = 16 * 1024;

    private readonly char[] _block = new char[BlockChars];
    private char[] _line = new char[Math.Min(maxLineLength, 256)];
    private int _pos;
    private int _end;
    private bool _skipLineFeed;

    /// <summary>Lines returned so far: the number of the last line, counted from 1.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next line, without its line break; the span is valid until the next call.</summary>
    /// <returns>False at the end of the text.</returns>
    /// <exception cref="InvalidDataException">The line is longer than the limit.</exception>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        int length = 0;
        bool any = false;
        while (true)
        {
            if (_pos == _end)
            {
                _end = reader.Read(_block, 0, BlockChars);
                _pos = 0;
                if (_end == 0)
                {
                    if (!any)
                    {
                        line = default;
                        return false;
                    }
                    break;
                }
            }
            // "\r\n" is one break, even when a block ends between the two.
            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_block[_pos] == '\n')
                {
                    _pos++;
                    continue;
                }
            }
            any = true;
            ReadOnlySpan<char> rest = _block.AsSpan(_pos, _end - _pos);
            int brk = rest.IndexOfAny('\r', '\n');
            int take = brk < 0 ? rest.Length : brk;
            if (length + take > maxLineLength)
                throw new InvalidDataException($"{source}, line {LineNumber + 1}: is longer than the limit of {maxLineLength} characters (ReadLimits.MaxLineLength).");
            if (length + take > _line.Length) Array.Resize(ref _line, (int)Math.Min(maxLineLength, Math.Max(2L * _line.Length, length + take)));
            rest[..take].CopyTo(_line.AsSpan(length));
            length += take;
            _pos += take;
            if (brk >= 0)
            {
                _skipLineFeed = _block[_pos] == '\r';
                _pos++;
                break;
            }
        }
        LineNumber++;
        line = _line.AsSpan(0, length);
        return true;
    }
}
