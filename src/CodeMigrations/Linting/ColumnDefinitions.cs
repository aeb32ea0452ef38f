namespace CodeMigrations.Linting;

/// <summary>Reads column definitions: in <c>CREATE TABLE (...)</c>, and the one of an <c>ADD COLUMN</c>.</summary>
internal static class ColumnDefinitions
{
    /// <summary>The words that end a column's type and start its constraints.</summary>
    private static readonly string[] ConstraintStarts =
    [
        "CONSTRAINT", "NOT", "NULL", "DEFAULT", "CHECK", "REFERENCES", "PRIMARY", "UNIQUE", "GENERATED", "COLLATE",
        "COMPRESSION", "STORAGE", "USING",
    ];

    /// <summary>The words that start a table constraint (or a LIKE) rather than a column.</summary>
    private static readonly string[] TableElementStarts = ["CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "EXCLUDE", "LIKE"];

    /// <summary>The column list of a <c>CREATE TABLE name (...)</c>: each column's type, and each <c>CHECK (col IS NOT NULL)</c>.</summary>
    public static void Read(LintCursor cursor, string table, LintSchema schema)
    {
        if (!cursor.TrySkipParentheses(out var start, out var end))
            return;
        foreach (var element in cursor.Range(start, end).SplitTopLevel(','))
        {
            if (IsTableConstraint(element))
            {
                var name = element.Accept("CONSTRAINT") ? element.ReadName() : null;
                if (element.Accept("CHECK") && NotNullCheckColumn(element) is { } column)
                    schema.NotNullCheckAdded(name, table, column, validated: true);
                continue;
            }

            if (element.ReadName() is { } columnName)
                schema.ColumnTyped(table, columnName, ReadType(element));
        }
    }

    public static bool IsTableConstraint(LintCursor element)
    {
        foreach (var word in TableElementStarts)
        {
            if (element.PeekWord(word))
                return true;
        }

        return false;
    }

    /// <summary>Reads a column's type, up to its constraints, and returns it normalised.</summary>
    public static string ReadType(LintCursor cursor)
    {
        var end = cursor.Position;
        var depth = 0;
        for (; end < cursor.End; end++)
        {
            var token = cursor[end];
            if (token.IsSymbol('('))
                depth++;
            else if (token.IsSymbol(')'))
                depth--;
            else if (depth == 0 && IsConstraintStart(token))
                break;
        }

        var type = ColumnTypes.Normalize(cursor, end);
        cursor.MoveTo(end);
        return type;
    }

    private static bool IsConstraintStart(LintToken token)
    {
        foreach (var word in ConstraintStarts)
        {
            if (token.IsWord(word))
                return true;
        }

        return false;
    }

    /// <summary>After <c>CHECK</c>: the column of <c>(col IS NOT NULL)</c>, with any extra parentheses; null for another check.</summary>
    public static string? NotNullCheckColumn(LintCursor cursor)
    {
        var position = cursor.Position;
        var depth = 0;
        while (cursor.AcceptSymbol('('))
            depth++;
        string? column = null;
        if (depth > 0 && cursor.Next() is { IsName: true } name && cursor.Accept("IS", "NOT", "NULL"))
        {
            column = name.Name;
            for (; depth > 0 && cursor.AcceptSymbol(')'); depth--)
            {
            }
        }

        if (depth != 0)
            column = null;
        cursor.MoveTo(position);
        return column;
    }
}
