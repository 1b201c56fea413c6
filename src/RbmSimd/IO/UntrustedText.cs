using System.Globalization;
using System.Text;

namespace RbmSimd.IO;

/// <summary>
/// Quotes text that came from a file or a caller (a CSV cell, an archive entry name, an array name)
/// so that it can go into an error message and reach a terminal safely: control characters and
/// other invisible characters are escaped, and long text is cut short.
/// </summary>
/// <remarks>
/// <para>The result is the text in single quotes, e.g. <c>'a\e]0;x\a'</c> for an ESC … BEL
/// set-title sequence. Escaped: the C escapes <c>\0 \a \b \t \n \v \f \r</c>, <c>\e</c> for ESC,
/// <c>\\</c> and <c>\'</c> (so the quoting is unambiguous), other C0 and C1 controls and DEL as
/// <c>\xHH</c>, and format characters (such as the bidirectional overrides U+202A–U+202E that can
/// reorder what a terminal shows), line and paragraph separators, unpaired surrogates, private-use
/// and unassigned code points as <c>\uHHHH</c> or <c>\UHHHHHHHH</c>. Everything else, including
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
                else sb.Append("\\U").Append(codePoint.ToString("X8", CultureInfo.InvariantCulture));
                i++;
                continue;
            }
            switch (c)
            {
                case '\0': sb.Append("\\0"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\v': sb.Append("\\v"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                case '\u001b': sb.Append("\\e"); break;
                case '\\': sb.Append("\\\\"); break;
                case '\'': sb.Append("\\'"); break;
                default:
                    if (c < 0x20 || c is >= '\u007f' and <= '\u009f') sb.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
                    else if (!IsVisible(CharUnicodeInfo.GetUnicodeCategory(c))) sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
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
