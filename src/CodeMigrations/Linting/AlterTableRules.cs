namespace CodeMigrations.Linting;

/// <summary>The rules on <c>ALTER TABLE</c>, action by action (<c>ALTER TABLE t ADD COLUMN a int, DROP COLUMN b</c> is two).</summary>
internal static class AlterTableRules
{
    /// <summary>Reads what follows <c>ALTER TABLE</c>.</summary>
    public static void Check(LintCursor cursor, LintSchema schema, LintReporter report)
    {
        cursor.Accept("IF", "EXISTS");
        cursor.Accept("ONLY");
        if (cursor.ReadName() is not { } table)
            return;
        cursor.AcceptSymbol('*');
        var isNew = schema.IsNew(table);
        if (cursor.Accept("RENAME"))
        {
            Rename(cursor, table, isNew, schema, report);
            return;
        }

        foreach (var action in cursor.SplitTopLevel(','))
        {
            if (action.Accept("ADD"))
                Add(action, table, isNew, schema, report);
            else if (action.Accept("ALTER"))
                AlterColumn(action, table, isNew, schema, report);
            else if (action.Accept("DROP"))
                Drop(action, table, isNew, schema, report);
            else if (action.Accept("VALIDATE", "CONSTRAINT") && action.ReadName() is { } constraint)
                schema.ConstraintValidated(constraint);
        }
    }

    private static void Rename(LintCursor cursor, string table, bool isNew, LintSchema schema, LintReporter report)
    {
        if (cursor.Accept("TO"))
        {
            if (cursor.ReadName() is not { } newName)
                return;
            if (!isNew)
                report(LintRules.RenamingTable, $"table {table} to {newName}");
            schema.TableRenamed(table, newName);
            return;
        }

        if (cursor.Accept("CONSTRAINT"))
            return;
        cursor.Accept("COLUMN");
        if (cursor.ReadName() is not { } column || !cursor.Accept("TO") || cursor.ReadName() is not { } newColumn)
            return;
        if (!isNew)
            report(LintRules.RenamingColumn, $"column {column} of table {table} to {newColumn}");
        schema.ColumnRenamed(table, column, newColumn);
    }

    private static void Add(LintCursor action, string table, bool isNew, LintSchema schema, LintReporter report)
    {
        if (ColumnDefinitions.IsTableConstraint(action))
        {
            AddConstraint(action, table, isNew, schema, report);
            return;
        }

        action.Accept("COLUMN");
        action.Accept("IF", "NOT", "EXISTS");
        if (action.ReadName() is not { } column)
            return;
        var type = ColumnDefinitions.ReadType(action);
        schema.ColumnTyped(table, column, type);
        if (isNew)
            return;

        var subject = $"column {column} of table {table}";
        var identity = action.IndexOfTopLevel("GENERATED") is var generated and >= 0 && action.Range(generated, action.End).ContainsTopLevel("IDENTITY");
        if (ColumnTypes.IsSerial(type) || identity)
        {
            report(LintRules.AddingSerialOrIdentityColumn, subject);
            return;
        }

        var defaultAt = action.IndexOfTopLevel("DEFAULT");
        if (defaultAt >= 0 && ColumnTypes.CallsVolatileFunction(action.Range(defaultAt + 1, action.End)))
            report(LintRules.AddingVolatileDefault, subject);
        if (defaultAt < 0 && HasNotNull(action))
            report(LintRules.AddingNotNullColumnWithoutDefault, subject);
        if (action.ContainsTopLevel("PRIMARY"))
            report(LintRules.AddingPrimaryKeyWithoutIndex, subject);
        else if (action.ContainsTopLevel("UNIQUE"))
            report(LintRules.AddingUniqueWithoutIndex, subject);
    }

    private static bool HasNotNull(LintCursor action)
    {
        for (var i = action.Position; i + 1 < action.End; i++)
        {
            if (action[i].IsWord("NOT") && action[i + 1].IsWord("NULL"))
                return true;
        }

        return false;
    }

    /// <summary><c>ADD [CONSTRAINT name] {CHECK (...) | FOREIGN KEY ... | UNIQUE ... | PRIMARY KEY ...} [NOT VALID]</c>.</summary>
    private static void AddConstraint(LintCursor action, string table, bool isNew, LintSchema schema, LintReporter report)
    {
        var name = action.Accept("CONSTRAINT") ? action.ReadName() : null;
        var notValid = NotValid(action);
        var subject = name is null ? $"table {table}" : $"constraint {name} on table {table}";
        if (action.Accept("CHECK"))
        {
            if (ColumnDefinitions.NotNullCheckColumn(action) is { } column)
                schema.NotNullCheckAdded(name, table, column, validated: !notValid);
            if (!notValid && !isNew)
                report(LintRules.AddingCheckWithoutNotValid, subject);
        }
        else if (action.Accept("FOREIGN", "KEY"))
        {
            if (!notValid && !isNew)
                report(LintRules.AddingForeignKeyWithoutNotValid, subject);
        }
        else if (action.Accept("UNIQUE") || action.PeekWord("PRIMARY"))
        {
            var primary = action.Accept("PRIMARY", "KEY");
            if (!isNew && !action.Accept("USING", "INDEX"))
                report(primary ? LintRules.AddingPrimaryKeyWithoutIndex : LintRules.AddingUniqueWithoutIndex, subject);
        }
    }

    private static bool NotValid(LintCursor action)
    {
        var valid = action.IndexOfTopLevel("VALID");
        return valid > action.Position && action[valid - 1].IsWord("NOT");
    }

    /// <summary><c>ALTER [COLUMN] c {[SET DATA] TYPE t [USING ...] | SET NOT NULL | ...}</c>.</summary>
    private static void AlterColumn(LintCursor action, string table, bool isNew, LintSchema schema, LintReporter report)
    {
        action.Accept("COLUMN");
        if (action.ReadName() is not { } column)
            return;
        if (action.Accept("TYPE") || action.Accept("SET", "DATA", "TYPE"))
        {
            var type = ColumnDefinitions.ReadType(action);
            var old = schema.ColumnType(table, column);
            schema.ColumnTyped(table, column, type);
            var rewrites = action.ContainsTopLevel("USING") || old is null || !ColumnTypes.ChangesWithoutRewrite(old, type);
            if (!isNew && rewrites)
                report(LintRules.ChangingColumnType, $"column {column} of table {table} {(old is null ? "" : $"from {old} ")}to {type}");
        }
        else if (action.Accept("SET", "NOT", "NULL"))
        {
            if (!isNew && !schema.HasValidatedNotNullCheck(table, column))
                report(LintRules.SettingNotNull, $"column {column} of table {table}");
        }
    }

    /// <summary><c>DROP CONSTRAINT [IF EXISTS] name</c> or <c>DROP [COLUMN] [IF EXISTS] c</c>.</summary>
    private static void Drop(LintCursor action, string table, bool isNew, LintSchema schema, LintReporter report)
    {
        if (action.Accept("CONSTRAINT"))
        {
            action.Accept("IF", "EXISTS");
            if (action.ReadName() is { } constraint)
                schema.ConstraintDropped(constraint);
            return;
        }

        action.Accept("COLUMN");
        action.Accept("IF", "EXISTS");
        if (action.ReadName() is not { } column)
            return;
        if (!isNew)
            report(LintRules.DroppingColumn, $"column {column} of table {table}");
        schema.ColumnDropped(table, column);
    }
}
