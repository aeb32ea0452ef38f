namespace CodeMigrations.Sql;

/// <summary>The kinds of token that <see cref="SqlLexer"/> reads.</summary>
internal enum SqlTokenKind
{
    /// <summary>An unquoted identifier or key word, e.g. <c>CREATE</c>, <c>my_table</c>, <c>a$b</c>.</summary>
    Word,

    /// <summary>A double-quoted identifier: <c>"a;b"</c>, <c>U&amp;"d\0061t"</c>.</summary>
    QuotedIdentifier,

    /// <summary>A string constant: <c>'...'</c>, <c>E'...'</c>, <c>U&amp;'...'</c>, <c>B'...'</c>, <c>X'...'</c>, <c>N'...'</c>, <c>$tag$...$tag$</c>.</summary>
    String,

    /// <summary>A numeric constant (with any identifier characters glued to it, as PostgreSQL lexes them).</summary>
    Number,

    /// <summary>A positional parameter: <c>$1</c>.</summary>
    Parameter,

    /// <summary>A psql variable reference, <c>:name</c> (left as it is: nothing is substituted).</summary>
    PsqlVariable,

    /// <summary>
    /// Any other single character (<c>(</c>, <c>)</c>, <c>;</c>, <c>,</c>, <c>.</c>, an operator character), or <c>::</c>.
    /// </summary>
    Symbol,

    /// <summary>A <c>/*</c> comment that is never closed: it runs to the end of the text.</summary>
    UnterminatedComment,
}

/// <summary>A token of SQL text: its kind and where it lies.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Start">The index of its first character.</param>
/// <param name="Length">Its length in characters.</param>
internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length)
{
    /// <summary>The index just past the token's last character.</summary>
    public int End => Start + Length;
}
