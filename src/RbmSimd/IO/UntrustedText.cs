using System.Globalization;
using System.Text;

namespace RbmSimd.IO;

/// <summary>
/// Quotes text that came from a file or a caller (a CSV cell, an archive entry name, an array name)
/// so that it can go into an error message and reach a terminal safely: control characters and
/// other invisible characters are escaped, and long text is cut short.
/// </summary>
/// <remarks>
/// <para>The result is the text in single quotes, e.g. <c>'a\x1B]0;x\x07'</c> for an ESC … BEL
/// set-title sequence, in the escape style of the command-line tool's terminal output: C0 and C1
/// controls and DEL as <c>\xNN</c>; format characters (such as the bidirectional overrides
/// U+202A–U+202E that can reorder what a terminal shows), line and paragraph separators, unpaired
/// surrogates, private-use and unassigned code points as <c>\u{NNNN}</c> (4 to 6 hex digits); and
/// <c>\\</c> and <c>\'</c>, so that the quoting is unambiguous. Everything else, including
/// non-ASCII letters, is kept.</para>
/// <para>Text longer than the limit keeps its first characters, followed by <c>…</c> and the full
/// length, e.g. <c>'aaaa…' (200000 characters)</c>; a surrogate pair is never split.</para>
/// </remarks>
public static class UntrustedText
{
    /// <summary>The default number of characters of the original text kept.</summary>
    public const int DefaultMaxLength = 60;

    /// <summary>Quotes <paramref name="text"/> printably (see the remarks on <see cref="UntrustedText"/>).</summary>
    /// <param name="text">The text; any content.</param>
    /// <param name="maxLength">How many characters of <paramref name="text"/> to keep at most (before escaping); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 1.</exception>
    public static string Quote(ReadOnlySpan<char> text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        int keep = text.Length;
        if (keep > maxLength)
        {
            keep = maxLength;
            // Do not cut between the halves of a surrogate pair.
            if (char.IsHighSurrogate(text[keep - 1]) && char.IsLowSurrogate(text[keep])) keep--;
        }
        var sb = new StringBuilder(keep + 8).Append('\'');
        for (int i = 0; i < keep; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int codePoint = char.ConvertToUtf32(c, text[i + 1]);
                if (IsVisible(CharUnicodeInfo.GetUnicodeCategory(codePoint))) sb.Append(c).Append(text[i + 1]);
                else sb.Append(CultureInfo.InvariantCulture, $"\\u{{{codePoint:X}}}");
                i++;
                continue;
            }
            if (c is '\\' or '\'') sb.Append('\\').Append(c);
            else if (c < 0x20 || c is >= '\u007f' and <= '\u009f') sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else if (!IsVisible(CharUnicodeInfo.GetUnicodeCategory(c))) sb.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X4}}}");
            else sb.Append(c);
        }
        sb.Append('\'');
        if (keep < text.Length)
            sb.Insert(sb.Length - 1, '…').Append(" (").Append(text.Length.ToString(CultureInfo.InvariantCulture)).Append(" characters)");
        return sb.ToString();
    }

    private static bool IsVisible(UnicodeCategory category) => category is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
}
