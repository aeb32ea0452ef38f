using System.Text;
using Npgsql;

namespace CodeMigrations.History;

/// <summary>
/// Owns the history table, and is the only author of SQL on it: creates it, reads it, and writes every statement that
/// records, marks or removes a row, both as commands a run sends and as the literal SQL a script prints. The schema and
/// table names come from configuration and are always quoted as identifiers.
/// </summary>
public sealed partial class MigrationHistory
{
    private const string Columns = "version, name, class_name, applied_at, execution_ms, applied_by, checksum, state, error";

    private readonly string _qualifiedName;
    private readonly string _schema;

    /// <summary>The history table <paramref name="schema"/>.<paramref name="table"/>; both are quoted wherever they appear in SQL.</summary>
    /// <param name="schema">The schema of the history table.</param>
    /// <param name="table">The name of the history table.</param>
    /// <exception cref="ArgumentException">A name is empty, or longer than <see cref="MaxIdentifierBytes"/>.</exception>
    public MigrationHistory(string schema, string table)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ThrowIfTooLong(schema, nameof(CodeMigrationsOptions.HistorySchema));
        ThrowIfTooLong(table, nameof(CodeMigrationsOptions.HistoryTable));
        _schema = schema;
        _qualifiedName = $"{QuoteIdentifier(schema)}.{QuoteIdentifier(table)}";
        LockKey = ComputeLockKey(schema, table);
    }

    /// <summary>
    /// The longest name PostgreSQL keeps, in bytes (NAMEDATALEN - 1): it cuts a longer one silently, so two names alike
    /// in their first 63 bytes would be one table while their lock keys differ.
    /// </summary>
    public const int MaxIdentifierBytes = 63;

    private static void ThrowIfTooLong(string name, string option)
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxIdentifierBytes)
        {
            throw new ArgumentException($"{option} '{name}' is {bytes} bytes long: PostgreSQL keeps only the first {MaxIdentifierBytes} bytes of a name, " +
                $"so names alike in those would share one history under different locks. Use a name of at most {MaxIdentifierBytes} bytes.", option == nameof(CodeMigrationsOptions.HistorySchema) ? "schema" : "table");
        }
    }

    /// <summary>
    /// How long a statement on the history table outside a migration's transaction (reading it, marking a migration
    /// without a transaction) waits for another session's lock on the table, as a PostgreSQL interval: then it fails
    /// with <c>55P03</c>, and the error names who holds the lock, instead of waiting silently. The run's
    /// <see cref="CodeMigrationsOptions.DdlLockTimeout"/> by default (5 s); <c>"0"</c> waits forever.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not an interval PostgreSQL accepts.</exception>
    public string LockTimeout
    {
        get => _lockTimeout;
        init => _lockTimeout = Execution.MigrationTimeouts.IsValidInterval(value)
            ? value
            : throw new ArgumentException($"The history's lock timeout '{value}' is not an interval: {Execution.MigrationTimeouts.IntervalRule}.", nameof(value));
    }

    private readonly string _lockTimeout = "5s";

    /// <summary>The quoted, schema-qualified table name, e.g. <c>"public"."migration_history"</c>.</summary>
    public string QualifiedName => _qualifiedName;

    /// <summary>The advisory-lock key of this history table: runners on one table exclude each other, others do not.</summary>
    public long LockKey { get; }

    /// <summary>Quotes a configured name as a PostgreSQL identifier: <c>my "odd" name</c> becomes <c>"my ""odd"" name"</c>.</summary>
    /// <param name="name">The name to quote.</param>
    /// <returns>The quoted identifier.</returns>
    /// <exception cref="ArgumentException">The name holds a NUL character, which no identifier can.</exception>
    public static string QuoteIdentifier(string name)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("An identifier cannot contain a NUL character.", nameof(name));
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Whether the history table exists; reads the catalog only, so it needs no privilege beyond connecting.</summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns><see langword="true"/> when the table exists.</returns>
    public async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _qualifiedName });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Creates the schema and the table when missing. Call it holding the migration lock, which makes it race-free.</summary>
    /// <param name="connection">An open connection to the database; its transaction, if one is open, holds the creation.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>A task that completes when the table exists.</returns>
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
    /// <param name="includeSchema">Whether to create the schema too (<c>CREATE SCHEMA IF NOT EXISTS</c>).</param>
    /// <returns>The statements, each ending with a semicolon.</returns>
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

    /// <summary>
    /// Creates the history table's schema, and only the schema, when missing: what a run's first migration finds in
    /// place, for a scratch database that imitates a run without writing a history.
    /// </summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>Whether the schema was created (and so is for <see cref="DropSchemaIfEmptyAsync"/> to remove).</returns>
    public async Task<bool> CreateSchemaIfMissingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var check = new NpgsqlCommand("SELECT to_regnamespace($1) IS NULL", connection);
        check.Parameters.Add(new NpgsqlParameter<string>(null!, QuoteIdentifier(_schema)));
        if (!(bool)(await check.ExecuteScalarAsync(cancellationToken))!)
            return false;
        await using var create = new NpgsqlCommand($"CREATE SCHEMA {QuoteIdentifier(_schema)}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>Drops the history table's schema when it is empty; leaves it, without an error, when anything is in it.</summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="cancellationToken">Cancels the drop.</param>
    /// <returns>A task that completes when the schema is dropped or left.</returns>
    public async Task DropSchemaIfEmptyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            // Without CASCADE: refused, and left alone, if something is still in it.
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {QuoteIdentifier(_schema)}", connection);
            await drop.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException)
        {
        }
    }

    /// <summary>
    /// Records migrations as <c>baseline</c> (in place already, never run by CodeMigrations) in one batch: in
    /// <paramref name="transaction"/>, or else in a transaction of its own, so that all are recorded or none. A version
    /// the table holds already is left as it is.
    /// </summary>
    /// <param name="connection">An open connection holding the migration lock.</param>
    /// <param name="entries">The migrations to record, with what another tool's history says of them.</param>
    /// <param name="transaction">The caller's transaction, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the batch: nothing is recorded.</param>
    /// <returns>The migrations recorded, in the order given.</returns>
    public async Task<IReadOnlyList<MigrationInfo>> RecordBaselineAsync(NpgsqlConnection connection, IReadOnlyList<BaselineEntry> entries,
        NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
            return [];
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var entry in entries)
            batch.BatchCommands.Add(RecordBaseline(entry).ToBatchCommand());
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return entries.Where((_, i) => batch.BatchCommands[i].RecordsAffected == 1).Select(e => e.Migration).ToList();
    }

    /// <summary>Replaces the stored checksums of applied migrations (accepting deliberate changes), in one transaction.</summary>
    internal async Task UpdateChecksumsAsync(NpgsqlConnection connection, IReadOnlyList<(long Version, string Checksum)> checksums,
        CancellationToken cancellationToken)
    {
        if (checksums.Count == 0)
            return;
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (version, checksum) in checksums)
            batch.BatchCommands.Add(new HistoryStatement($"UPDATE {_qualifiedName} SET checksum = $2 WHERE version = $1",
                HistoryStatement.Bigint(version), HistoryStatement.Text(checksum)).ToBatchCommand());
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Writes the mark of a migration without a transaction before it starts: it stays if the process dies.</summary>
    internal async Task MarkStartedAsync(NpgsqlConnection connection, MigrationInfo migration, MigrationDirection direction, string? checksum,
        CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, MarkStarted(migration, direction, checksum), cancellationToken);

    /// <summary>Clears the mark of a migration without a transaction that finished: applied (up) or removed (down).</summary>
    internal async Task MarkCompletedAsync(NpgsqlConnection connection, long version, MigrationDirection direction, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, MarkCompleted(version, direction), cancellationToken);

    /// <summary>Stores the error of a failed migration without a transaction on its mark.</summary>
    internal async Task MarkFailedAsync(NpgsqlConnection connection, long version, string error, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, new HistoryStatement($"UPDATE {_qualifiedName} SET error = $2 WHERE version = $1",
            HistoryStatement.Bigint(version), HistoryStatement.Text(error)), cancellationToken);

    /// <summary>Resolves a mark: keeps the row as applied, or removes it as not applied.</summary>
    /// <returns>Whether a marked row was found.</returns>
    internal async Task<bool> ResolveMarkAsync(NpgsqlConnection connection, long version, bool applied, CancellationToken cancellationToken)
    {
        var statement = new HistoryStatement(applied
            ? $"UPDATE {_qualifiedName} SET state = 'applied', error = NULL WHERE version = $1 AND state LIKE '%incomplete'"
            : $"DELETE FROM {_qualifiedName} WHERE version = $1 AND state LIKE '%incomplete'", HistoryStatement.Bigint(version));
        return await ExecuteAsync(connection, statement, cancellationToken) == 1;
    }

    /// <summary>
    /// Records an applied migration inside its own transaction. The execution time is measured by the database (from the
    /// transaction's start to this statement), so recording needs no extra round trip.
    /// </summary>
    internal HistoryStatement RecordApplied(MigrationInfo migration, string checksum) => new(
        $"INSERT INTO {_qualifiedName} (version, name, class_name, applied_at, execution_ms, checksum, state) " +
        "VALUES ($1, $2, $3, now(), round(extract(epoch FROM clock_timestamp() - now()) * 1000), $4, 'applied')",
        HistoryStatement.Bigint(migration.Version), HistoryStatement.Text(migration.Name), HistoryStatement.Text(migration.TypeFullName),
        HistoryStatement.Text(checksum));

    /// <summary>Removes a reverted migration's row inside its own transaction.</summary>
    internal HistoryStatement Remove(long version) =>
        new($"DELETE FROM {_qualifiedName} WHERE version = $1", HistoryStatement.Bigint(version));

    /// <summary>The mark of a migration without a transaction, written before its first statement.</summary>
    internal HistoryStatement MarkStarted(MigrationInfo migration, MigrationDirection direction, string? checksum) => direction == MigrationDirection.Up
        ? new($"INSERT INTO {_qualifiedName} (version, name, class_name, applied_at, checksum, state) VALUES ($1, $2, $3, now(), $4, 'up_incomplete')",
            HistoryStatement.Bigint(migration.Version), HistoryStatement.Text(migration.Name), HistoryStatement.Text(migration.TypeFullName),
            HistoryStatement.Text(checksum))
        : new($"UPDATE {_qualifiedName} SET state = 'down_incomplete', error = NULL WHERE version = $1", HistoryStatement.Bigint(migration.Version));

    /// <summary>
    /// Clears the mark of a migration without a transaction that finished: applied, with the time the database measured
    /// since its mark was written (up), or removed (down).
    /// </summary>
    internal HistoryStatement MarkCompleted(long version, MigrationDirection direction) => direction == MigrationDirection.Up
        ? new($"UPDATE {_qualifiedName} SET state = 'applied', error = NULL, execution_ms = round(extract(epoch FROM clock_timestamp() - applied_at) * 1000) " +
            "WHERE version = $1", HistoryStatement.Bigint(version))
        : Remove(version);

    /// <summary>A SQL condition that holds when <paramref name="version"/> has a row, for a script's guards.</summary>
    internal string ScriptIsRecorded(long version) =>
        $"EXISTS (SELECT 1 FROM {_qualifiedName} WHERE version = {HistoryStatement.Literal(version)})";

    private HistoryStatement RecordBaseline(BaselineEntry entry) => new(
        $"INSERT INTO {_qualifiedName} (version, name, class_name, applied_at, execution_ms, applied_by, checksum, state) " +
        "VALUES ($1, $2, $3, coalesce($4, now()), $5, coalesce($6, current_user), $7, 'baseline') ON CONFLICT (version) DO NOTHING",
        HistoryStatement.Bigint(entry.Migration.Version), HistoryStatement.Text(entry.Migration.Name), HistoryStatement.Text(entry.Migration.TypeFullName),
        HistoryStatement.TimestampTz(entry.AppliedAt), HistoryStatement.Bigint(entry.ExecutionTime is { } time ? (long)time.TotalMilliseconds : null),
        HistoryStatement.Text(entry.AppliedBy), HistoryStatement.Text(entry.Checksum));

    private async Task<int> ExecuteAsync(NpgsqlConnection connection, HistoryStatement statement, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(BoundedByLockTimeout());
        batch.BatchCommands.Add(statement.ToBatchCommand());
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands[1].RecordsAffected;
    }

    /// <summary>
    /// Sets <see cref="LockTimeout"/> for the rest of the batch's transaction (a batch without one runs in an implicit
    /// transaction of its own): the statements after it never wait silently on another session's lock of the table.
    /// </summary>
    private NpgsqlBatchCommand BoundedByLockTimeout()
    {
        var command = new NpgsqlBatchCommand("SELECT set_config('lock_timeout', $1, true)");
        command.Parameters.Add(new NpgsqlParameter<string>(null!, _lockTimeout));
        return command;
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
