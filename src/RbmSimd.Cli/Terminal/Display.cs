using System.Globalization;
using System.Text;

namespace RbmSimd.Cli.Terminal;

/// <summary>
/// Makes text from outside the program (file names, CSV cells, archive entry names, library messages that quote them)
/// safe to print on a terminal: control characters (C0, DEL, C1), bidirectional overrides and other invisible format
/// characters are shown as <c>\xNN</c> or <c>\u{NNNN}</c> instead of being sent raw, so a data file cannot set the
/// window title, clear the screen, recolour the terminal, hide text or inject a NUL.
/// </summary>
internal static class Display
{
    /// <summary><paramref name="text"/> with every character that a terminal would act on (rather than show) escaped.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        int first = 0;
        while (first < text.Length && !NeedsEscape(text, first)) first++;
        if (first == text.Length) return text;
        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!NeedsEscape(text, i))
            {
                escaped.Append(c);
                continue;
            }
            if (c < 0x100) escaped.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            else escaped.Append(CultureInfo.InvariantCulture, $"\\u{{{(int)c:X4}}}");
        }
        return escaped.ToString();
    }

    /// <summary>Whether the character at <paramref name="index"/> is shown escaped.</summary>
    private static bool NeedsEscape(string text, int index)
    {
        char c = text[index];
        if (c < 0x20 || c is >= '\x7F' and <= '\x9F') return true;
        // Unpaired surrogates cannot be encoded; the rest of the format characters (bidi overrides, zero-width marks,
        // the byte order mark) change how the surrounding text is shown without showing themselves.
        if (char.IsSurrogate(c))
            return !(char.IsHighSurrogate(c) ? index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
                                              : index > 0 && char.IsHighSurrogate(text[index - 1]));
        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }

    /// <summary>A path or name for a message: escaped and in single quotes.</summary>
    public static string Quote(string? text) => $"'{Escape(text)}'";
}
