using System.Text.RegularExpressions;

namespace CodeMigrations.Schema;

/// <summary>
/// Timestamp literals PostgreSQL folds when it stores an expression: <c>'now'::timestamp</c> in a view or a default
/// becomes <c>'2024-05-01 10:00:00.123456'::timestamp without time zone</c>, another text on every creation. Two
/// values that differ only in such literals describe the same object.
/// </summary>
internal static partial class TimeLiterals
{
    /// <summary>The value with every date or timestamp literal replaced by <c>'…'</c>; the value itself when it has none.</summary>
    public static string Normalise(string value) =>
        value.Contains("::timestamp", StringComparison.Ordinal) || value.Contains("::date", StringComparison.Ordinal)
            ? Literal().Replace(value, "'…'::$1")
            : value;

    /// <summary>Whether two different values are the same but for folded time literals.</summary>
    public static bool OnlyDiffer(string? expected, string? found) =>
        expected is not null && found is not null && !string.Equals(expected, found, StringComparison.Ordinal)
        && string.Equals(Normalise(expected), Normalise(found), StringComparison.Ordinal);

    [GeneratedRegex(@"'\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}(?::\d{2})?)?)?(?: BC)?'::(timestamp with time zone|timestamp without time zone|date)",
        RegexOptions.CultureInvariant)]
    private static partial Regex Literal();
}
