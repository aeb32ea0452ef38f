using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace CodeMigrations.History;

/// <summary>
/// Owns the history table: creates it, reads it, and builds the statements that record or remove a row. The schema
/// and table names come from configuration and are always quoted as identifiers.
/// </summary>
public sealed class MigrationHistory
{
    private readonly string _qualifiedName;
    private readonly string _schema;
    private readonly string _table;

    /// <summary>The history table <paramref name="schema"/>.<paramref name="table"/>; both are quoted wherever they appear in SQL.</summary>
    /// <param name="schema">The schema of the history table.</param>
    /// <param name="table">The name of the history table.</param>
    public MigrationHistory(string schema, string table)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        _schema = schema;
        _table = table;
        _qualifiedName = $"{QuoteIdentifier(schema)}.{QuoteIdentifier(table)}";
        LockKey = ComputeLockKey(schema, table);
    }

    /// <summary>The quoted, schema-qualified table name, e.g. <c>"public"."migration_history"</c>.</summary>
    public string QualifiedName => _qualifiedName;

    /// <summary>The advisory-lock key of this history table: runners on one table exclude each other, others do not.</summary>
    public long LockKey { get; }

    /// <summary>Quotes a configured name as a PostgreSQL identifier: <c>my "odd" name</c> becomes <c>"my ""odd"" name"</c>.</summary>
    public static string QuoteIdentifier(string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("An identifier cannot contain a NUL character.", nameof(name));
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Whether the history table exists; reads the catalog only, so it needs no privilege beyond connecting.</summary>
    public async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _qualifiedName });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Creates the schema and the table when missing. Call it holding the migration lock, which makes it race-free.</summary>
    public async Task CreateIfMissingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Checking first means a role without CREATE privilege can still run against an existing table.
        await using var check = new NpgsqlCommand("SELECT to_regnamespace($1) IS NOT NULL, to_regclass($2) IS NOT NULL", connection);
        check.Parameters.Add(new NpgsqlParameter { Value = QuoteIdentifier(_schema) });
        check.Parameters.Add(new NpgsqlParameter { Value = _qualifiedName });
        bool schemaExists, tableExists;
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            schemaExists = reader.GetBoolean(0);
            tableExists = reader.GetBoolean(1);
        }

        if (tableExists)
            return;

        await using var create = new NpgsqlCommand(CreateTableSql(includeSchema: !schemaExists), connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The DDL of the history table (idempotent), for creating it and for scripts.</summary>
    public string CreateTableSql(bool includeSchema)
    {
        var sql = new StringBuilder();
        if (includeSchema)
            sql.Append("CREATE SCHEMA IF NOT EXISTS ").Append(QuoteIdentifier(_schema)).Append(";\n");
        sql.Append($"""
            CREATE TABLE IF NOT EXISTS {_qualifiedName} (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                class_name text,
                applied_at timestamptz NOT NULL DEFAULT now(),
                execution_ms bigint,
                applied_by text NOT NULL DEFAULT current_user,
                checksum text,
                state text NOT NULL DEFAULT 'applied' CHECK (state IN ('applied', 'baseline', 'up_incomplete', 'down_incomplete')),
                error text
            );
            COMMENT ON TABLE {_qualifiedName} IS 'Migrations applied by CodeMigrations: one row per applied version.';
            """);
        return sql.ToString();
    }

    /// <summary>The statement that records a migration as applied by <c>baseline</c>: in place already, never run by us.</summary>
    public NpgsqlBatchCommand CreateRecordBaselineCommand(MigrationInfo migration, string? checksum)
    {
        var command = new NpgsqlBatchCommand(
            $"INSERT INTO {_qualifiedName} (version, name, class_name, applied_at, checksum, state) VALUES ($1, $2, $3, now(), $4, 'baseline')");
        AddIdentity(command.Parameters, migration);
        command.Parameters.Add(new NpgsqlParameter<string?>(null!, checksum) { NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }

    /// <summary>The statement that replaces a row's stored checksum (accepting a deliberate change).</summary>
    public NpgsqlBatchCommand CreateUpdateChecksumCommand(long version, string checksum)
    {
        var command = new NpgsqlBatchCommand($"UPDATE {_qualifiedName} SET checksum = $2 WHERE version = $1");
        command.Parameters.Add(new NpgsqlParameter<long>(null!, version));
        command.Parameters.Add(new NpgsqlParameter<string>(null!, checksum));
        return command;
    }

    /// <summary>Reads every row, oldest version first.</summary>
    public async Task<List<HistoryRow>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT version, name, class_name, applied_at, execution_ms, applied_by, checksum, state, error FROM {_qualifiedName} ORDER BY version",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<HistoryRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new HistoryRow(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(4)),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                ParseState(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return rows;
    }

    /// <summary>
    /// The statement that records an applied migration inside its own transaction. The execution time is measured by
    /// the database (from the transaction's start to this statement), so recording needs no extra round trip.
    /// </summary>
    public NpgsqlBatchCommand CreateRecordAppliedCommand(MigrationInfo migration, string checksum)
    {
        var command = new NpgsqlBatchCommand(
            $"INSERT INTO {_qualifiedName} (version, name, class_name, applied_at, execution_ms, checksum, state) " +
            "VALUES ($1, $2, $3, now(), round(extract(epoch FROM clock_timestamp() - now()) * 1000), $4, 'applied')");
        AddIdentity(command.Parameters, migration);
        command.Parameters.Add(new NpgsqlParameter<string>(null!, checksum));
        return command;
    }

    /// <summary>The statement that removes a reverted migration's row inside its own transaction.</summary>
    public NpgsqlBatchCommand CreateRemoveCommand(long version)
    {
        var command = new NpgsqlBatchCommand($"DELETE FROM {_qualifiedName} WHERE version = $1");
        command.Parameters.Add(new NpgsqlParameter<long>(null!, version));
        return command;
    }

    /// <summary>Writes the mark of a migration without a transaction before it starts: it stays if the process dies.</summary>
    public async Task MarkStartedAsync(NpgsqlConnection connection, MigrationInfo migration, MigrationDirection direction, string checksum, CancellationToken cancellationToken)
    {
        var state = direction == MigrationDirection.Up ? "up_incomplete" : "down_incomplete";
        await using var command = direction == MigrationDirection.Up
            ? new NpgsqlCommand(
                $"INSERT INTO {_qualifiedName} (version, name, class_name, applied_at, checksum, state) VALUES ($1, $2, $3, now(), $4, '{state}')",
                connection)
            : new NpgsqlCommand($"UPDATE {_qualifiedName} SET state = '{state}', error = NULL WHERE version = $1", connection);
        if (direction == MigrationDirection.Up)
        {
            AddIdentity(command.Parameters, migration);
            command.Parameters.Add(new NpgsqlParameter<string>(null!, checksum));
        }
        else
        {
            command.Parameters.Add(new NpgsqlParameter<long>(null!, migration.Version));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Clears the mark of a migration without a transaction that finished: applied (up) or removed (down).</summary>
    public async Task MarkCompletedAsync(NpgsqlConnection connection, long version, MigrationDirection direction, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        await using var command = direction == MigrationDirection.Up
            ? new NpgsqlCommand($"UPDATE {_qualifiedName} SET state = 'applied', error = NULL, execution_ms = $2 WHERE version = $1", connection)
            : new NpgsqlCommand($"DELETE FROM {_qualifiedName} WHERE version = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long>(null!, version));
        if (direction == MigrationDirection.Up)
            command.Parameters.Add(new NpgsqlParameter<long>(null!, (long)elapsed.TotalMilliseconds));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores the error of a failed migration without a transaction on its mark.</summary>
    public async Task MarkFailedAsync(NpgsqlConnection connection, long version, string error, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"UPDATE {_qualifiedName} SET error = $2 WHERE version = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long>(null!, version));
        command.Parameters.Add(new NpgsqlParameter<string>(null!, error));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Resolves a mark: keeps the row as applied, or removes it as not applied.</summary>
    /// <returns>Whether a marked row was found.</returns>
    public async Task<bool> ResolveMarkAsync(NpgsqlConnection connection, long version, bool applied, CancellationToken cancellationToken)
    {
        await using var command = applied
            ? new NpgsqlCommand($"UPDATE {_qualifiedName} SET state = 'applied', error = NULL WHERE version = $1 AND state LIKE '%incomplete'", connection)
            : new NpgsqlCommand($"DELETE FROM {_qualifiedName} WHERE version = $1 AND state LIKE '%incomplete'", connection);
        command.Parameters.Add(new NpgsqlParameter<long>(null!, version));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static void AddIdentity(NpgsqlParameterCollection parameters, MigrationInfo migration)
    {
        parameters.Add(new NpgsqlParameter<long>(null!, migration.Version));
        parameters.Add(new NpgsqlParameter<string>(null!, migration.Name));
        parameters.Add(new NpgsqlParameter<string>(null!, migration.TypeFullName) { NpgsqlDbType = NpgsqlDbType.Text });
    }

    private static HistoryState ParseState(string state) => state switch
    {
        "applied" => HistoryState.Applied,
        "baseline" => HistoryState.Baseline,
        "up_incomplete" => HistoryState.UpIncomplete,
        "down_incomplete" => HistoryState.DownIncomplete,
        _ => throw new MigrationDatabaseException($"The history table holds an unknown state '{state}': was it written by a newer version of CodeMigrations?"),
    };

    private static long ComputeLockKey(string schema, string table)
    {
        // A stable 64-bit key from the table's identity (FNV-1a over UTF-16 code units: no crypto library to load at
        // start-up); runners on one table exclude each other, others do not.
        var hash = 14695981039346656037UL;
        foreach (var c in $"CodeMigrations:{schema}.{table}")
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
