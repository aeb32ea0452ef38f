using System.Text;
using CodeMigrations.History;
using Npgsql;

namespace CodeMigrations.Importing;

/// <summary>One thing another tool's history says was applied.</summary>
/// <param name="Version">The version as the tool stores it (for DbUp, read from the script name).</param>
/// <param name="Description">The tool's description or script name, for messages.</param>
/// <param name="AppliedAt">When the tool applied it, if it says.</param>
/// <param name="AppliedBy">Who applied it, if the tool says (Flyway).</param>
/// <param name="ExecutionMs">How long it ran, if the tool says (Flyway).</param>
/// <param name="UpTo">
/// This version and every lower one are in place: golang-migrate's current version, Flyway's baseline.
/// </param>
internal sealed record ForeignHistoryEntry(string? Version, string? Description, DateTimeOffset? AppliedAt, string? AppliedBy, long? ExecutionMs, bool UpTo = false);

/// <summary>
/// Reads another tool's history table as that tool writes it, refusing the states that tool itself would refuse to go on
/// from (a dirty golang-migrate version, a failed Flyway migration).
/// </summary>
internal static class ForeignHistoryReader
{
    /// <summary>The table each tool creates, as <c>to_regclass</c> reads a name (found through the search_path).</summary>
    public static string DefaultTable(ForeignMigrationTool tool) => tool switch
    {
        ForeignMigrationTool.GolangMigrate or ForeignMigrationTool.Dbmate => "schema_migrations",
        ForeignMigrationTool.Flyway => "flyway_schema_history",
        ForeignMigrationTool.DbUp => "schemaversions",
        ForeignMigrationTool.FluentMigrator => "\"VersionInfo\"",
        _ => "__diesel_schema_migrations",
    };

    /// <summary>Finds the table: the name as given, else the name quoted (so <c>VersionInfo</c> finds <c>"VersionInfo"</c>).</summary>
    /// <returns>The table as <c>regclass</c> prints it (quoted and qualified where needed), or null.</returns>
    public static async Task<(uint Oid, string Name)?> FindTableAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken ct)
    {
        foreach (var candidate in new[] { table, QuoteParts(table) }.Distinct(StringComparer.Ordinal))
        {
            await using var command = new NpgsqlCommand("SELECT c.oid, c.oid::regclass::text FROM pg_class c WHERE c.oid = to_regclass($1)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string>(null!, candidate));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
                return (reader.GetFieldValue<uint>(0), reader.GetString(1));
        }

        return null;
    }

    public static async Task<List<ForeignHistoryEntry>> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ForeignMigrationTool tool,
        (uint Oid, string Name) table, CancellationToken ct)
    {
        var columns = await ColumnsAsync(connection, transaction, table.Oid, ct);
        string Column(string logical) => columns.TryGetValue(Normalize(logical), out var actual)
            ? MigrationHistory.QuoteIdentifier(actual)
            : throw new HistoryImportException(
                $"{table.Name} has no column '{logical}', so it is not the history table {ForeignMigrationTools.NameOf(tool)} creates " +
                $"(its columns: {string.Join(", ", columns.Values.Order(StringComparer.Ordinal))}). {Hint(tool, columns)}");
        string? Optional(string logical) => columns.TryGetValue(Normalize(logical), out var actual) ? MigrationHistory.QuoteIdentifier(actual) : null;

        switch (tool)
        {
            case ForeignMigrationTool.GolangMigrate:
            {
                var rows = await QueryAsync(connection, transaction, $"SELECT {Column("version")}::text, {Column("dirty")} FROM {table.Name}",
                    r => (Version: r.GetString(0), Dirty: r.GetBoolean(1)), ct);
                if (rows.FirstOrDefault(r => r.Dirty) is { Version: { } dirty })
                {
                    throw new HistoryImportException(
                        $"golang-migrate's {table.Name} marks version {dirty} as dirty: its migration failed or stopped halfway, so the database may hold part of it. " +
                        $"Nothing was recorded. Finish or undo that migration by hand, then run 'migrate force {dirty}' (finished) or 'migrate force <previous version>' (undone), " +
                        "and run import-history again.");
                }

                // golang-migrate keeps one row, the current version; -1 (nil) means none is applied.
                return rows.Where(r => !r.Version.StartsWith('-'))
                    .Select(r => new ForeignHistoryEntry(r.Version, null, null, null, null, UpTo: true))
                    .ToList();
            }

            case ForeignMigrationTool.Flyway:
            {
                var rows = await QueryAsync(connection, transaction,
                    $"SELECT {Column("installed_rank")}, {Column("version")}, {Column("description")}, {Column("type")}, {Column("script")}, " +
                    $"{Column("installed_by")}, {Column("installed_on")}::timestamptz, {Column("execution_time")}, {Column("success")} " +
                    $"FROM {table.Name} ORDER BY {Column("installed_rank")}",
                    r => new FlywayRow(r.GetInt32(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
                        r.GetString(5), r.GetFieldValue<DateTimeOffset>(6), r.GetInt32(7), r.GetBoolean(8)), ct);
                var failed = rows.Where(r => !r.Success).ToList();
                if (failed.Count > 0)
                {
                    throw new HistoryImportException(
                        $"Flyway's {table.Name} records {(failed.Count == 1 ? "a failed migration" : $"{failed.Count} failed migrations")}: " +
                        string.Join("; ", failed.Select(f => $"{f.Version ?? "repeatable"} '{f.Description}' ({f.Script}, installed_rank {f.Rank})")) +
                        ". Nothing was recorded. Undo or finish what it left by hand, run 'flyway repair' (it removes the failed rows), and run import-history again.");
                }

                var entries = new List<ForeignHistoryEntry>();
                foreach (var row in rows)
                {
                    var type = row.Type.ToUpperInvariant();
                    if (type == "SCHEMA")
                        continue; // "<< Flyway Schema Creation >>": Flyway created the schema, no migration ran.
                    if (type.StartsWith("UNDO", StringComparison.Ordinal) || type == "DELETE")
                    {
                        // Undone (Flyway Teams' undo) or deleted by 'flyway repair': no longer applied.
                        entries.RemoveAll(e => e.Version is not null && row.Version is not null && ImportVersionMapping.SameVersion(e.Version, row.Version));
                        continue;
                    }

                    entries.Add(new ForeignHistoryEntry(row.Version, $"{row.Description} ({row.Script})", row.InstalledOn, row.InstalledBy, row.ExecutionTime,
                        UpTo: type == "BASELINE"));
                }

                return entries;
            }

            case ForeignMigrationTool.DbUp:
                return await QueryAsync(connection, transaction, $"SELECT {Column("scriptname")}, {Column("applied")}::timestamptz FROM {table.Name} ORDER BY 2, 1",
                    r => new ForeignHistoryEntry(ImportVersionRules.FromScriptName(r.GetString(0)), r.GetString(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateTimeOffset>(1), null, null), ct);

            case ForeignMigrationTool.FluentMigrator:
            {
                var appliedOn = Optional("AppliedOn");
                var description = Optional("Description");
                return await QueryAsync(connection, transaction,
                    $"SELECT {Column("Version")}::text, {(appliedOn is null ? "NULL::timestamptz" : appliedOn + "::timestamptz")}, {description ?? "NULL::text"} " +
                    $"FROM {table.Name} ORDER BY {Column("Version")}",
                    r => new ForeignHistoryEntry(r.GetString(0), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(1) ? null : r.GetFieldValue<DateTimeOffset>(1), null, null), ct);
            }

            case ForeignMigrationTool.Diesel:
                return await QueryAsync(connection, transaction, $"SELECT {Column("version")}::text, {Column("run_on")}::timestamptz FROM {table.Name} ORDER BY 1",
                    r => new ForeignHistoryEntry(r.GetString(0), null, r.IsDBNull(1) ? null : r.GetFieldValue<DateTimeOffset>(1), null, null), ct);

            default:
            {
                if (columns.ContainsKey("dirty"))
                {
                    throw new HistoryImportException(
                        $"{table.Name} has a 'dirty' column: it is golang-migrate's history, not dbmate's. Run import-history --from golang-migrate.");
                }

                return await QueryAsync(connection, transaction, $"SELECT {Column("version")}::text FROM {table.Name} ORDER BY 1",
                    r => new ForeignHistoryEntry(r.GetString(0), null, null, null, null), ct);
            }
        }
    }

    private static string Hint(ForeignMigrationTool tool, Dictionary<string, string> columns) => tool switch
    {
        ForeignMigrationTool.GolangMigrate when !columns.ContainsKey("dirty") && columns.ContainsKey("version") =>
            "A schema_migrations table without 'dirty' is dbmate's: run import-history --from dbmate.",
        _ => "Check --from, or give the right table with --table.",
    };

    private static async Task<Dictionary<string, string>> ColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, uint table, CancellationToken ct)
    {
        var names = await QueryAsync(connection, transaction,
            $"SELECT attname::text FROM pg_attribute WHERE attrelid = {table} AND attnum > 0 AND NOT attisdropped ORDER BY attnum", r => r.GetString(0), ct);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
            columns.TryAdd(Normalize(name), name);
        return columns;
    }

    /// <summary>Column names compared without case or underscores: FluentMigrator's <c>AppliedOn</c> and a custom <c>applied_on</c> are one.</summary>
    private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    private static string QuoteParts(string table)
    {
        if (table.Contains('"', StringComparison.Ordinal))
            return table;
        return string.Join('.', table.Split('.').Select(MigrationHistory.QuoteIdentifier));
    }

    private static async Task<List<T>> QueryAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
            rows.Add(read(reader));
        return rows;
    }

    private sealed record FlywayRow(int Rank, string? Version, string Description, string Type, string Script, string InstalledBy,
        DateTimeOffset InstalledOn, int ExecutionTime, bool Success);
}

/// <summary>The file-name version rule shared by <c>updown</c> files and DbUp script names.</summary>
internal static class ImportVersionRules
{
    /// <summary>
    /// The version in a file or script name: the number at the start of its name, after optional letters
    /// (<c>20230915120000_create_users.sql</c>, <c>Script0001 - Create tables.sql</c>). A DbUp script name carries the
    /// namespace and folders before the file (<c>MyApp.Scripts.Script0001 - Create tables.sql</c>): the last
    /// dot-separated part that starts so is taken. Null when no part does.
    /// </summary>
    public static string? FromScriptName(string scriptName)
    {
        var name = scriptName.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            name = name[..^4];
        var parts = name.Split('.');
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            var part = parts[i];
            var letters = 0;
            while (letters < part.Length && char.IsAsciiLetter(part[letters]))
                letters++;
            var digits = new StringBuilder();
            for (var j = letters; j < part.Length && char.IsAsciiDigit(part[j]); j++)
                digits.Append(part[j]);
            if (digits.Length > 0)
                return digits.ToString();
        }

        return null;
    }
}
