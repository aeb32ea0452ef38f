using System.Globalization;
using System.Text;

namespace CodeMigrations.Sql;

/// <summary>
/// The one way text we did not write ourselves (a migration's description, a step's name, a database's name) goes into a
/// <c>--</c> comment of a generated script: on one line, so that nothing after a line break can leave the comment and
/// run as SQL or as a psql command.
/// </summary>
internal static class SqlComment
{
    /// <summary>
    /// <paramref name="text"/> with every line break and other control character written as an escape (<c>\n</c>,
    /// <c>\r</c>, <c>\t</c>, <c>\uXXXX</c>), and a backslash doubled so that the escapes stay unambiguous.
    /// </summary>
    public static string Line(string text)
    {
        if (!text.Any(NeedsEscape))
            return text;
        var line = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => line.Append(@"\\"),
                '\n' => line.Append(@"\n"),
                '\r' => line.Append(@"\r"),
                '\t' => line.Append(@"\t"),
                _ when NeedsEscape(c) => line.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => line.Append(c),
            };
        }

        return line.ToString();
    }

    // Control characters, and the Unicode line and paragraph separators some tools break lines on.
    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' || c == '\\';
}
