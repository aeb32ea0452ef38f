namespace CodeMigrations.Cli.Output;

/// <summary>SQL shown on one line in the CLI's output.</summary>
internal static class PreparedMigrationText
{
    /// <summary>The text with its whitespace collapsed, cut to <paramref name="maxLength"/> characters with "...".</summary>
    public static string OneLine(string sql, int maxLength = 200)
    {
        var oneLine = string.Join(' ', sql.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= maxLength ? oneLine : oneLine[..(maxLength - 3)] + "...";
    }
}
