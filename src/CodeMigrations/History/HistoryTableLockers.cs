using System.Globalization;
using System.Text;
using Npgsql;

namespace CodeMigrations.History;

/// <summary>
/// Names the sessions that hold a lock on the history table, for the message of a history statement that gave up
/// waiting (<c>55P03</c>): who (pid, user, application), which lock, and for how long their transaction has been open.
/// Never the text of their statement, which may hold a secret.
/// </summary>
internal static class HistoryTableLockers
{
    /// <summary>
    /// A sentence naming who holds a lock on <paramref name="history"/>'s table and how to end the wait; empty when
    /// nobody does any more, or when the catalog cannot be read.
    /// </summary>
    public static async Task<string> DescribeAsync(NpgsqlConnection connection, MigrationHistory history, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.pid, a.usename::text, a.application_name, l.mode,
                   extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'relation' AND l.relation = to_regclass($1) AND l.granted AND l.pid <> pg_backend_pid()
            ORDER BY a.xact_start NULLS LAST
            LIMIT 5
            """;
        var holders = new List<string>();
        var pids = new List<int>();
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<string>(null!, history.QualifiedName));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var pid = reader.GetInt32(0);
                pids.Add(pid);
                var who = new StringBuilder().Append(CultureInfo.InvariantCulture, $"pid {pid}");
                if (!reader.IsDBNull(1))
                    who.Append(CultureInfo.InvariantCulture, $", user {reader.GetString(1)}");
                if (!reader.IsDBNull(2) && reader.GetString(2).Length > 0)
                    who.Append(CultureInfo.InvariantCulture, $", application '{Sql.SqlComment.Line(reader.GetString(2))}'");
                who.Append(CultureInfo.InvariantCulture, $", holding {reader.GetString(3)}");
                if (!reader.IsDBNull(4))
                    who.Append(CultureInfo.InvariantCulture, $" in a transaction open for {reader.GetInt64(4)} s");
                holders.Add(who.ToString());
            }
        }
        catch (NpgsqlException)
        {
            return string.Empty;
        }

        if (holders.Count == 0)
            return string.Empty;
        return $". The history table {history.QualifiedName} is locked by another session ({string.Join("; ", holders)}), " +
            $"and this run waited {history.LockTimeout} for it (the DdlLockTimeout option, --ddl-lock-timeout). " +
            $"Wait for that transaction to end, or end it with SELECT pg_terminate_backend({pids[0]}), then run again.";
    }
}
