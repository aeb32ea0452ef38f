using CodeMigrations.Sql;

namespace CodeMigrations.Linting;

/// <summary>A token of a linted statement: its kind, its text as written, and its name as PostgreSQL folds it.</summary>
internal readonly struct LintToken
{
    public LintToken(SqlTokenKind kind, string text, int start)
    {
        Kind = kind;
        Text = text;
        Start = start;
    }

    public SqlTokenKind Kind { get; }

    /// <summary>The token exactly as written.</summary>
    public string Text { get; }

    /// <summary>Its index in the SQL text of the step.</summary>
    public int Start { get; }

    public int End => Start + Text.Length;

    public bool IsWord(string keyword) =>
        Kind == SqlTokenKind.Word && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(char symbol) => Kind == SqlTokenKind.Symbol && Text.Length == 1 && Text[0] == symbol;

    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    /// <summary>
    /// The identifier as PostgreSQL stores it: an unquoted word lower-cased, a quoted one without its quotes; the text
    /// otherwise.
    /// </summary>
    public string Name
    {
        get
        {
            if (Kind == SqlTokenKind.Word)
                return Text.ToLowerInvariant();
            if (Kind == SqlTokenKind.QuotedIdentifier && Text.Length >= 2 && Text[0] == '"')
                return Text.Substring(1, Text.Length - 2).Replace("\"\"", "\"");
            return Text;
        }
    }

    public override string ToString() => Text;
}
