using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RbmSimd.IO;
using Xunit;

namespace RbmSimd.Tests.IO;

/// <summary>
/// <see cref="UntrustedText.Quote"/> against its documented escape table: exact results for each
/// escape, and for any text a result that holds nothing a terminal would act on and that an
/// independent decoder of the documented table turns back into the original.
/// </summary>
public class UntrustedTextTests
{
    [Theory]
    [InlineData("abc", "'abc'")]
    [InlineData("", "''")]
    [InlineData("\0", "'\\x00'")]
    [InlineData("\a\b\t\n\v\f\r", "'\\x07\\x08\\x09\\x0A\\x0B\\x0C\\x0D'")]
    [InlineData("\u001b[2J", "'\\x1B[2J'")]
    [InlineData("\u001b]0;pwned\u0007", "'\\x1B]0;pwned\\x07'")]
    [InlineData("a\\b", "'a\\\\b'")]
    [InlineData("it's", "'it\\'s'")]
    [InlineData("\u0001\u001f", "'\\x01\\x1F'")]
    [InlineData("\u007f\u0080\u009b\u009f", "'\\x7F\\x80\\x9B\\x9F'")]
    [InlineData("\u00a0\u00e9\u65e5\u00ff", "'\u00a0\u00e9\u65e5\u00ff'")]
    [InlineData("\u202e\u200b\ufeff", "'\\u{202E}\\u{200B}\\u{FEFF}'")]
    [InlineData("\u2028\u2029", "'\\u{2028}\\u{2029}'")]
    [InlineData("\ue000\u0378", "'\\u{E000}\\u{0378}'")]
    [InlineData("\U0001D11E", "'\U0001D11E'")]
    [InlineData("\U000F0000\U000E0001", "'\\u{F0000}\\u{E0001}'")]
    [InlineData("\U0010FFFD", "'\\u{10FFFD}'")]
    [InlineData(" ~", "' ~'")]
    public void Quote_EscapeTable(string text, string expected)
    {
        Assert.Equal(expected, UntrustedText.Quote(text));
    }

    [Fact]
    public void Quote_UnpairedSurrogates_Escaped()
    {
        // Not in InlineData: attribute strings are stored as UTF-8, which turns lone surrogates into U+FFFD.
        Assert.Equal("'\\u{D800}x\\u{DFFF}'", UntrustedText.Quote("\ud800x\udfff"));
        Assert.Equal("'\\u{DC00}\\u{D800}'", UntrustedText.Quote("\udc00\ud800"));
        Assert.Equal("'a\\u{D800}'", UntrustedText.Quote("a\ud800"));
    }

    [Fact]
    public void Quote_LongText_CutWithLength()
    {
        string text = new('a', 200_000);
        Assert.Equal("'" + new string('a', 60) + "…' (200000 characters)", UntrustedText.Quote(text));
        Assert.Equal("'abc…' (4 characters)", UntrustedText.Quote("abcd", maxLength: 3));
        Assert.Equal("'abcd'", UntrustedText.Quote("abcd", maxLength: 4));
        Assert.Equal("'" + new string('a', 60) + "'", UntrustedText.Quote(new string('a', 60)));
        Assert.Equal("'" + new string('a', 60) + "…' (61 characters)", UntrustedText.Quote(new string('a', 61)));
        // Escapes count the original characters, not the escaped ones.
        Assert.Equal("'\\x1B\\x1B…' (3 characters)", UntrustedText.Quote("\u001b\u001b\u001b", maxLength: 2));
    }

    [Fact]
    public void Quote_CutNeverSplitsASurrogatePair()
    {
        // The pair occupies characters 2 and 3; keeping 3 would split it, so only 2 are kept.
        Assert.Equal("'ab…' (4 characters)", UntrustedText.Quote("ab\U0001D11E", maxLength: 3));
        Assert.Equal("'ab\U0001D11E'", UntrustedText.Quote("ab\U0001D11E", maxLength: 4));
        // A lone high surrogate at the cut is not a pair: it is kept (escaped).
        Assert.Equal("'ab\\u{D800}…' (5 characters)", UntrustedText.Quote("ab\ud800xy", maxLength: 3));
        // Exactly the limit, ending in an unpaired high surrogate: nothing is cut, nothing read past the end.
        Assert.Equal("'ab\\u{D800}'", UntrustedText.Quote("ab\ud800", maxLength: 3));
        // A pair whose low half would be the first character dropped.
        Assert.Equal("'a…' (3 characters)", UntrustedText.Quote("a\U0001D11E", maxLength: 2));
    }

    [Fact]
    public void Quote_MaxLengthBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UntrustedText.Quote("a", 0));
        Assert.Equal("'a…' (2 characters)", UntrustedText.Quote("ab", 1));
    }

    private static Gen<string> AnyText =>
        Gen.OneOf(
            Gen.Choose(0, 0xFFFF).Select(c => (char)c),
            Gen.Choose(0, 0x9F).Select(c => (char)c),
            Gen.Elements('\\', '\'', '\u001b', '\ud800', '\udc00', '\u202e', '…'))
        .ArrayOf().Select(chars => new string(chars));

    /// <summary>Whether a terminal could act on or hide the character at <paramref name="i"/> (controls, format characters, separators, unpaired surrogates); sets <paramref name="width"/> to 2 for a pair.</summary>
    private static bool IsHidden(string s, int i, out int width)
    {
        width = 1;
        UnicodeCategory category;
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(s[i], s[i + 1]));
        }
        else
        {
            category = CharUnicodeInfo.GetUnicodeCategory(s[i]);
        }
        return category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
    }

    [Property(MaxTest = 500)]
    public Property Quote_AnyText_PrintableAndDecodesBack() =>
        Prop.ForAll(AnyText.ToArbitrary(), text =>
        {
            string quoted = UntrustedText.Quote(text, maxLength: int.MaxValue);
            bool printable = true;
            int width;
            for (int i = 0; i < quoted.Length; i += width)
                if (IsHidden(quoted, i, out width)) printable = false;
            return (printable && quoted[0] == '\'' && quoted[^1] == '\'' && Decode(quoted) == text).Label(quoted);
        });

    /// <summary>Undoes the documented escapes; the reference for unambiguity.</summary>
    private static string Decode(string quoted)
    {
        var sb = new StringBuilder();
        for (int i = 1; i < quoted.Length - 1; i++)
        {
            if (quoted[i] != '\\') { sb.Append(quoted[i]); continue; }
            char e = quoted[++i];
            switch (e)
            {
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case 'x': sb.Append((char)int.Parse(quoted.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 2; break;
                case 'u':
                    int close = quoted.IndexOf('}', i);
                    int codePoint = int.Parse(quoted.AsSpan(i + 2, close - i - 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    sb.Append(codePoint > 0xFFFF ? char.ConvertFromUtf32(codePoint) : ((char)codePoint).ToString());
                    i = close;
                    break;
                default: throw new InvalidOperationException($"unknown escape \\{e}");
            }
        }
        return sb.ToString();
    }
}
