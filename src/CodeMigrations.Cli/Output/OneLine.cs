using System.Globalization;
using System.Text.RegularExpressions;

namespace CodeMigrations.Cli.Output;

/// <summary>
/// Text the user wrote (a description, a reason) as it goes into a table cell or a one-line message: line breaks and
/// other control characters written as escapes, so that one migration stays one row.
/// </summary>
internal static partial class OneLine
{
    public static string Of(string text) => ControlCharacter().Replace(text, static m => m.Value[0] switch
    {
        '\n' => @"\n",
        '\r' => @"\r",
        '\t' => @"\t",
        var c => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
    });

    [GeneratedRegex(@"[\p{Cc}\u2028\u2029]", RegexOptions.CultureInvariant)]
    private static partial Regex ControlCharacter();
}
