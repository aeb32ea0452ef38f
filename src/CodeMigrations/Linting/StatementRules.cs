namespace CodeMigrations.Linting;

/// <summary>
/// Decides, statement by statement, which rules a statement breaks, given what <see cref="LintSchema"/> knows; and
/// keeps the schema up to date with what the statement creates, renames, validates or drops. Statements it does not
/// know break no rule.
/// </summary>
internal static class StatementRules
{
    public static void Check(LintStatement statement, LintSchema schema, LintReporter report)
    {
        var cursor = new LintCursor(statement.Tokens);
        if (cursor.Accept("CREATE"))
            Create(cursor, schema, report);
        else if (cursor.Accept("ALTER", "TABLE"))
            AlterTableRules.Check(cursor, schema, report);
        else if (cursor.Accept("DROP"))
            Drop(cursor, schema, report);
        else if (cursor.Accept("REINDEX"))
            Reindex(cursor, schema, report);
        else if (cursor.Accept("VACUUM"))
            Vacuum(cursor, schema, report);
        else if (cursor.Accept("CLUSTER"))
            Cluster(cursor, schema, report);
        else if (cursor.Accept("UPDATE"))
            UpdateOrDelete(cursor, schema, report, LintRules.UpdateWithoutWhere);
        else if (cursor.Accept("DELETE", "FROM"))
            UpdateOrDelete(cursor, schema, report, LintRules.DeleteWithoutWhere);
    }

    private static void Create(LintCursor cursor, LintSchema schema, LintReporter report)
    {
        cursor.Accept("OR", "REPLACE");
        if (cursor.Accept("GLOBAL") || cursor.Accept("LOCAL"))
        {
            // GLOBAL/LOCAL precede TEMPORARY, which follows.
        }

        var unique = cursor.Accept("UNIQUE");
        if (cursor.Accept("INDEX"))
        {
            CreateIndex(cursor, schema, report);
            return;
        }

        if (unique)
            return;
        if (cursor.Accept("TEMPORARY") || cursor.Accept("TEMP") || cursor.Accept("UNLOGGED"))
        {
            // All create a table as well.
        }

        if (cursor.Accept("TABLE") || cursor.Accept("MATERIALIZED", "VIEW"))
        {
            cursor.Accept("IF", "NOT", "EXISTS");
            if (cursor.ReadName() is { } table)
            {
                schema.TableCreated(table);
                ColumnDefinitions.Read(cursor, table, schema);
            }
        }
    }

    /// <summary><c>CREATE [UNIQUE] INDEX [CONCURRENTLY] [[IF NOT EXISTS] name] ON [ONLY] table ...</c>.</summary>
    private static void CreateIndex(LintCursor cursor, LintSchema schema, LintReporter report)
    {
        var concurrently = cursor.Accept("CONCURRENTLY");
        cursor.Accept("IF", "NOT", "EXISTS");
        var index = cursor.PeekWord("ON") ? null : cursor.ReadName();
        if (!cursor.Accept("ON"))
            return;
        cursor.Accept("ONLY");
        if (cursor.ReadName() is not { } table)
            return;
        schema.IndexCreated(index, table);
        if (!concurrently && !schema.IsNew(table))
            report(LintRules.CreateIndexNonConcurrently, $"table {table}");
    }

    private static void Drop(LintCursor cursor, LintSchema schema, LintReporter report)
    {
        if (cursor.Accept("INDEX"))
        {
            var concurrently = cursor.Accept("CONCURRENTLY");
            cursor.Accept("IF", "EXISTS");
            foreach (var index in ReadNameList(cursor))
            {
                if (!concurrently && !schema.IsNewIndex(index))
                    report(LintRules.DropIndexNonConcurrently, schema.IndexTable(index) is { } table ? $"index {index} on table {table}" : $"index {index}");
            }
        }
        else if (cursor.Accept("TABLE"))
        {
            cursor.Accept("IF", "EXISTS");
            foreach (var table in ReadNameList(cursor))
            {
                if (!schema.IsNew(table))
                    report(LintRules.DroppingTable, $"table {table}");
                schema.TableDropped(table);
            }
        }
    }

    /// <summary><c>REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name</c>.</summary>
    private static void Reindex(LintCursor cursor, LintSchema schema, LintReporter report)
    {
        var concurrently = false;
        if (cursor.TrySkipParentheses(out var innerStart, out var innerEnd))
            concurrently = OptionIsOn(cursor, innerStart, innerEnd, "CONCURRENTLY");
        var isIndex = cursor.Accept("INDEX");
        var isTable = !isIndex && cursor.Accept("TABLE");
        if (!isIndex && !isTable && !cursor.Accept("SCHEMA") && !cursor.Accept("DATABASE") && !cursor.Accept("SYSTEM"))
            return;
        concurrently |= cursor.Accept("CONCURRENTLY");
        var name = cursor.ReadName();
        if (concurrently)
            return;
        if (name is not null && ((isIndex && schema.IsNewIndex(name)) || (isTable && schema.IsNew(name))))
            return;
        report(LintRules.ReindexNonConcurrently, name is null ? "" : $"{(isIndex ? "index" : isTable ? "table" : "")} {name}".Trim());
    }

    /// <summary><c>VACUUM FULL ...</c> or <c>VACUUM (FULL [true], ...) ...</c>.</summary>
    private static void Vacuum(LintCursor cursor, LintSchema schema, LintReporter report)
    {
        bool full;
        if (cursor.TrySkipParentheses(out var innerStart, out var innerEnd))
            full = OptionIsOn(cursor, innerStart, innerEnd, "FULL");
        else
            full = cursor.Accept("FULL");
        if (!full)
            return;
        cursor.Accept("FREEZE");
        cursor.Accept("VERBOSE");
        cursor.Accept("ANALYZE");
        var tables = ReadNameList(cursor);
        if (tables.Count > 0 && tables.TrueForAll(schema.IsNew))
            return;
        report(LintRules.VacuumFull, tables.Count == 0 ? "every table" : $"table {string.Join(", ", tables)}");
    }

    /// <summary><c>CLUSTER [VERBOSE | (options)] [table [USING index]]</c>.</summary>
    private static void Cluster(LintCursor cursor, LintSchema schema, LintReporter report)
    {
        if (!cursor.Accept("VERBOSE"))
            cursor.TrySkipParentheses(out _, out _);
        var table = cursor.ReadName();
        if (table is not null && schema.IsNew(table))
            return;
        report(LintRules.Cluster, table is null ? "every clustered table" : $"table {table}");
    }

    /// <summary><c>UPDATE [ONLY] table ...</c> / <c>DELETE FROM [ONLY] table ...</c> with no <c>WHERE</c> outside parentheses.</summary>
    private static void UpdateOrDelete(LintCursor cursor, LintSchema schema, LintReporter report, LintRule rule)
    {
        cursor.Accept("ONLY");
        if (cursor.ReadName() is not { } table || schema.IsNew(table) || cursor.ContainsTopLevel("WHERE"))
            return;
        report(rule, $"table {table}");
    }

    private static List<string> ReadNameList(LintCursor cursor)
    {
        var names = new List<string>();
        do
        {
            if (cursor.ReadName() is not { } name)
                break;
            names.Add(name);
        }
        while (cursor.AcceptSymbol(','));

        return names;
    }

    /// <summary>Whether a parenthesised option list sets <paramref name="option"/> to anything but false, off or 0.</summary>
    private static bool OptionIsOn(LintCursor cursor, int innerStart, int innerEnd, string option)
    {
        foreach (var part in cursor.Range(innerStart, innerEnd).SplitTopLevel(','))
        {
            if (!part.Accept(option))
                continue;
            part.AcceptSymbol('=');
            if (part.Next() is not { } value)
                return true;
            var text = value.Text.Trim('\'').ToLowerInvariant();
            return text is not ("false" or "off" or "0");
        }

        return false;
    }
}
