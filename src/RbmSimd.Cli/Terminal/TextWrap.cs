using System.Text;

namespace RbmSimd.Cli.Terminal;

/// <summary>Wraps text at spaces to a terminal width.</summary>
internal static class TextWrap
{
    /// <summary>
    /// The lines of <paramref name="text"/>, each shorter than <paramref name="width"/> (0: one line); continuation lines
    /// are indented two spaces and a word longer than a line is cut.
    /// </summary>
    public static IEnumerable<string> Lines(string text, int width)
    {
        if (width <= 0)
        {
            yield return text;
            yield break;
        }
        int max = Math.Max(20, width - 1);
        var line = new StringBuilder();
        int indent = 0;
        foreach (string word in text.Split(' '))
        {
            string rest = word;
            while (true)
            {
                bool empty = line.Length == indent;
                int room = max - line.Length - (empty ? 0 : 1);
                if (rest.Length <= room)
                {
                    if (!empty) line.Append(' ');
                    line.Append(rest);
                    break;
                }
                if (empty)
                {
                    line.Append(rest[..room]);
                    rest = rest[room..];
                }
                yield return line.ToString();
                line.Clear().Append("  ");
                indent = 2;
            }
        }
        if (line.Length > indent) yield return line.ToString();
    }
}
