namespace CodeMigrations.Linting;

/// <summary>
/// What the migrations linted so far tell about the schema, as far as the rules need it: column types (for the type
/// changes that need no rewrite), which table each index is on, and the check constraints <c>col IS NOT NULL</c> and
/// whether they were validated. Plus, for the migration being linted, the tables it created: operations on those touch
/// no live data.
/// </summary>
internal sealed class LintSchema
{
    private readonly Dictionary<string, Dictionary<string, string>> _columnTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _indexTables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NotNullCheck> _notNullChecks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _createdHere = new(StringComparer.Ordinal);
    private readonly HashSet<string> _indexesCreatedHere = new(StringComparer.Ordinal);

    /// <summary>Starts a migration: no table is new in it yet.</summary>
    public void BeginMigration()
    {
        _createdHere.Clear();
        _indexesCreatedHere.Clear();
    }

    public bool IsNew(string? table) => table is not null && _createdHere.Contains(table);

    public void TableCreated(string table)
    {
        _createdHere.Add(table);
        _columnTypes[table] = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public void TableRenamed(string from, string to)
    {
        if (_createdHere.Remove(from))
            _createdHere.Add(to);
        if (_columnTypes.TryGetValue(from, out var columns))
        {
            _columnTypes.Remove(from);
            _columnTypes[to] = columns;
        }
    }

    public void TableDropped(string table)
    {
        _createdHere.Remove(table);
        _columnTypes.Remove(table);
    }

    public void ColumnTyped(string table, string column, string type)
    {
        if (!_columnTypes.TryGetValue(table, out var columns))
            _columnTypes[table] = columns = new Dictionary<string, string>(StringComparer.Ordinal);
        columns[column] = type;
    }

    public void ColumnRenamed(string table, string from, string to)
    {
        if (_columnTypes.TryGetValue(table, out var columns) && columns.TryGetValue(from, out var type))
        {
            columns.Remove(from);
            columns[to] = type;
        }
    }

    public void ColumnDropped(string table, string column)
    {
        if (_columnTypes.TryGetValue(table, out var columns))
            columns.Remove(column);
    }

    /// <summary>The column's type as the migrations declared it (normalised text); null when they do not tell.</summary>
    public string? ColumnType(string table, string column) =>
        _columnTypes.TryGetValue(table, out var columns) && columns.TryGetValue(column, out var type) ? type : null;

    public void IndexCreated(string? index, string table)
    {
        if (index is null)
            return;
        _indexTables[index] = table;
        _indexesCreatedHere.Add(index);
    }

    /// <summary>Whether the index was created in this migration, or is on a table that was.</summary>
    public bool IsNewIndex(string index) =>
        _indexesCreatedHere.Contains(index) || (_indexTables.TryGetValue(index, out var table) && IsNew(table));

    public string? IndexTable(string index) => _indexTables.TryGetValue(index, out var table) ? table : null;

    public void NotNullCheckAdded(string? constraint, string table, string column, bool validated) =>
        _notNullChecks[constraint ?? $"{table}_{column}_check"] = new NotNullCheck(table, column, validated);

    public void ConstraintValidated(string constraint)
    {
        if (_notNullChecks.TryGetValue(constraint, out var check))
            _notNullChecks[constraint] = new NotNullCheck(check.Table, check.Column, Validated: true);
    }

    public void ConstraintDropped(string constraint) => _notNullChecks.Remove(constraint);

    /// <summary>Whether a validated <c>CHECK (column IS NOT NULL)</c> stands on the column: SET NOT NULL then skips its scan.</summary>
    public bool HasValidatedNotNullCheck(string table, string column)
    {
        foreach (var check in _notNullChecks.Values)
        {
            if (check.Validated && check.Table == table && check.Column == column)
                return true;
        }

        return false;
    }

    private readonly record struct NotNullCheck(string Table, string Column, bool Validated);
}
