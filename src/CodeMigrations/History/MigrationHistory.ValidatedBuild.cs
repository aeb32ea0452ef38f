using Npgsql;

namespace CodeMigrations.History;

// The record, next to the history, of the build whose migrations were last checked against it: what lets a no-op `up`
// skip creating and describing every applied migration. One small table per schema, one row per history table.
public sealed partial class MigrationHistory
{
    /// <summary>
    /// The table, in the history's schema, that records the build last checked against each history table: a cache that
    /// lets a no-op <c>up</c> skip describing applied migrations. Like the history table, it is no part of the schema a
    /// snapshot compares.
    /// </summary>
    public const string ValidatedBuildTable = "codemigrations_validated_build";

    private string ValidatedBuildName => $"{QuoteIdentifier(_schema)}.{QuoteIdentifier(ValidatedBuildTable)}";

    // A digest of everything in the history a checksum check depends on: each row's version, state and checksum. Any
    // write to the history (a run, accept-checksums, baseline, resolve, a hand edit) changes it, and so voids the record.
    private string HistoryDigestSql =>
        $"(SELECT encode(sha256(convert_to(coalesce(string_agg(version::text || ':' || state || ':' || coalesce(checksum, ''), ',' ORDER BY version), ''), 'UTF8')), 'hex') FROM {_qualifiedName})";

    /// <summary>
    /// The build whose applied migrations were checked against the history as it is now: recorded by
    /// <see cref="RecordValidatedBuildAsync"/> and still valid only while the history has not changed since.
    /// </summary>
    /// <param name="connection">An open connection, outside a transaction (a missing record table is an error it absorbs).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The build's identity, or <see langword="null"/> when none is recorded or the history changed since.</returns>
    internal async Task<string?> ReadValidatedBuildAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT build FROM {ValidatedBuildName} WHERE history_table = $1 AND history_digest = {HistoryDigestSql}", connection);
        command.Parameters.Add(new NpgsqlParameter<string>(null!, _qualifiedName));
        try
        {
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InsufficientPrivilege)
        {
            // A database migrated by an older version, or a role that may not read the record: every applied migration is checked.
            return null;
        }
    }

    /// <summary>
    /// Records that <paramref name="build"/>'s migrations agree with the history as it is now, creating the record table
    /// when missing. A cache, not a guarantee: it commits without waiting for the disk, and a role that may not create or
    /// write the table goes without it (every <c>up</c> then checks every applied migration, as before).
    /// </summary>
    /// <param name="connection">An open connection holding the migration lock, outside a transaction.</param>
    /// <param name="build">The identity of the build (see <c>MigrationBuild</c>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is written or given up.</returns>
    internal async Task RecordValidatedBuildAsync(NpgsqlConnection connection, string build, CancellationToken cancellationToken)
    {
        try
        {
            await WriteValidatedBuildAsync(connection, build, create: false, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            try
            {
                await WriteValidatedBuildAsync(connection, build, create: true, cancellationToken);
            }
            catch (PostgresException denied) when (denied.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
        }
    }

    private async Task WriteValidatedBuildAsync(NpgsqlConnection connection, string build, bool create, CancellationToken cancellationToken)
    {
        // One implicit transaction: the table (when missing), then the row, committed without waiting for the disk.
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('synchronous_commit', 'off', true)"));
        if (create)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                $"CREATE TABLE IF NOT EXISTS {ValidatedBuildName} (history_table text PRIMARY KEY, build text NOT NULL, history_digest text NOT NULL, validated_at timestamptz NOT NULL)"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                $"COMMENT ON TABLE {ValidatedBuildName} IS 'CodeMigrations: the build whose migrations were last checked against each history table (a cache: safe to delete).'"));
        }

        var write = new NpgsqlBatchCommand(
            $"INSERT INTO {ValidatedBuildName} (history_table, build, history_digest, validated_at) VALUES ($1, $2, {HistoryDigestSql}, now()) " +
            "ON CONFLICT (history_table) DO UPDATE SET build = excluded.build, history_digest = excluded.history_digest, validated_at = excluded.validated_at");
        write.Parameters.Add(new NpgsqlParameter<string>(null!, _qualifiedName));
        write.Parameters.Add(new NpgsqlParameter<string>(null!, build));
        batch.BatchCommands.Add(write);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
