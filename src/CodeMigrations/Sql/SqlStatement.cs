namespace CodeMigrations.Sql;

/// <summary>One statement of a SQL script, as <see cref="SqlScript.Split"/> cuts it.</summary>
/// <param name="Text">
/// The statement, without its terminating <c>;</c> and without the whitespace and comments around it (comments inside
/// it are kept).
/// </param>
/// <param name="Offset">The 0-based index in the script of the statement's first character.</param>
/// <param name="Line">The 1-based line in the script of the statement's first character.</param>
public readonly record struct SqlStatement(string Text, int Offset, int Line);
