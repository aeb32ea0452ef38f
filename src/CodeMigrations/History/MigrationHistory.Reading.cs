using Npgsql;

namespace CodeMigrations.History;

// The reads of the history table: every row for a run, and a one-statement summary for a health probe.
public sealed partial class MigrationHistory
{
    /// <summary>
    /// Reads what a health probe needs of every row, in one statement and one round trip, even when the table does not
    /// exist (then no rows): version, name, class name, state and checksum. The other fields of the rows returned are
    /// left empty (<c>AppliedAt</c> default, <c>AppliedBy</c> empty, no execution time, no error). Reads the table only
    /// if <c>to_regclass</c> finds it, so it creates nothing and needs no privilege the table's readers lack.
    /// </summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, oldest version first; empty when the table does not exist.</returns>
    /// <exception cref="MigrationDatabaseException">A row holds a state this version does not know.</exception>
    public async Task<List<HistoryRow>> ReadSummaryAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // A missing table cannot be named in a statement that is parsed, so the table is read by query_to_xml, which runs
        // the query it is given only when to_regclass finds the table. $1 is the quoted name: the query text built from it
        // holds a quoted identifier, never raw configuration.
        const string sql = """
            SELECT x.version, x.name, x.class_name, x.state, x.checksum
            FROM xmltable('/table/row' PASSING query_to_xml(
                    CASE WHEN to_regclass($1::text) IS NULL THEN 'SELECT 1 WHERE false'
                         ELSE 'SELECT version, name, class_name, state, checksum FROM ' || $1::text END,
                    false, false, '')
                COLUMNS version bigint, name text, class_name text, state text, checksum text) AS x
            ORDER BY x.version
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<string>(null!, _qualifiedName));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<HistoryRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new HistoryRow(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? string.Empty : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                default,
                null,
                string.Empty,
                reader.IsDBNull(4) ? null : reader.GetString(4),
                ParseState(reader.GetString(3)),
                null));
        }

        return rows;
    }

    /// <summary>Reads every row, oldest version first.</summary>
    /// <param name="connection">An open connection to a database that has the table.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="MigrationDatabaseException">A row holds a state this version does not know.</exception>
    public async Task<List<HistoryRow>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(BoundedByLockTimeout());
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {Columns} FROM {_qualifiedName} ORDER BY version"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
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
}
