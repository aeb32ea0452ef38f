using System.Diagnostics;
using Npgsql;

namespace CodeMigrations.History;

/// <summary>Who holds the migration lock, as <c>pg_locks</c> and <c>pg_stat_activity</c> tell it.</summary>
/// <param name="Pid">The backend process id of the holder.</param>
/// <param name="ApplicationName">The holder's <c>application_name</c>.</param>
/// <param name="ClientAddress">The holder's client address, or <see langword="null"/> for a local socket.</param>
/// <param name="User">The holder's database user.</param>
/// <param name="Since">When the holder's session started.</param>
public sealed record MigrationLockHolder(int Pid, string? ApplicationName, string? ClientAddress, string? User, DateTimeOffset? Since)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"pid {Pid}, application '{ApplicationName}', client {ClientAddress ?? "local socket"}, user {User}" +
        (Since is { } since ? $", connected since {since:u}" : "");
}

/// <summary>
/// A PostgreSQL session-level advisory lock held for a whole run on the run's connection, so that concurrent runners
/// never apply a migration twice. It covers migrations without a transaction too, and PostgreSQL releases it if the
/// connection dies. Through a connection pooler the session is not the client's, and a session lock is never taken
/// there: <see cref="MigrationLockLease"/> holds a transaction-scoped one instead (see the README, "Poolers").
/// </summary>
public static class MigrationLock
{
    private static readonly TimeSpan MaxPollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HolderReportInterval = TimeSpan.FromSeconds(10);

    /// <summary>Takes the lock, polling while another runner holds it, and reporting who that is.</summary>
    /// <exception cref="MigrationLockTimeoutException">The lock was not free within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// The connection goes through a connection pooler, where a session lock would stay on a pooled server connection.
    /// </exception>
    public static async Task AcquireAsync(NpgsqlConnection connection, long key, TimeSpan timeout,
        Action<MigrationLockHolder?> onWaiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (await TryAcquireSessionLockAsync(connection, key, cancellationToken) is not { } first)
        {
            throw new InvalidOperationException(
                "The connection goes through a connection pooler (its server process is not the one it was opened with): a session lock taken " +
                "there would stay on a pooled server connection. Use MigrationLockLease, which holds the lock in a transaction there.");
        }

        await PollAsync(first, ct => TryAcquireAsync(connection, key, ct), ct => FindHolderAsync(connection, key, ct), timeout, onWaiting,
            cancellationToken);
    }

    /// <summary>
    /// Polls <paramref name="tryAcquire"/> until it takes the lock, with a growing interval, telling
    /// <paramref name="onWaiting"/> who holds it now and then.
    /// </summary>
    internal static async Task PollAsync(bool acquired, Func<CancellationToken, Task<bool>> tryAcquire,
        Func<CancellationToken, Task<MigrationLockHolder?>> findHolder, TimeSpan timeout, Action<MigrationLockHolder?> onWaiting,
        CancellationToken cancellationToken)
    {
        if (acquired)
            return;

        var waited = Stopwatch.StartNew();
        var poll = TimeSpan.FromMilliseconds(50);
        var lastReport = TimeSpan.MinValue;
        MigrationLockHolder? holder = null;
        while (true)
        {
            if (lastReport == TimeSpan.MinValue || waited.Elapsed - lastReport >= HolderReportInterval)
            {
                holder = await findHolder(cancellationToken);
                onWaiting(holder);
                lastReport = waited.Elapsed;
            }

            if (waited.Elapsed >= timeout)
            {
                throw new MigrationLockTimeoutException(
                    $"Another migration run held the migration lock for longer than the lock timeout ({timeout.TotalSeconds:0.#} s)" +
                    (holder is null ? "." : $": {holder}.") +
                    " Wait for it to finish and try again, raise the lock timeout, or, if that session is stuck, end it with SELECT pg_terminate_backend(pid).");
            }

            await Task.Delay(poll, cancellationToken);
            poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, MaxPollInterval.Ticks));
            if (await tryAcquire(cancellationToken))
                return;
        }
    }

    /// <summary>Releases the lock; a broken connection releases it on the server side anyway.</summary>
    public static async Task ReleaseAsync(NpgsqlConnection connection, long key)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
            return;
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long>(null!, key));
        await command.ExecuteScalarAsync(CancellationToken.None);
    }

    /// <summary>
    /// The first try, in one round trip: takes the session lock only when the server process answering is the one the
    /// connection was opened with, that is, when no pooler stands between (a pooler hands the client a made-up process id
    /// of its own). Returns whether the lock was taken, or <see langword="null"/> through a pooler, where nothing was taken.
    /// </summary>
    internal static async Task<bool?> TryAcquireSessionLockAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        // CockroachDB answers pg_try_advisory_lock with true and locks nothing: asked first, in the same round trip.
        await using var command = new NpgsqlCommand(
            "SELECT CASE WHEN version() LIKE '%CockroachDB%' THEN NULL WHEN pg_backend_pid() = $2 THEN pg_try_advisory_lock($1) END, " +
            "version() LIKE '%CockroachDB%'", connection);
        command.Parameters.Add(new NpgsqlParameter<long>(null!, key));
        command.Parameters.Add(new NpgsqlParameter<int>(null!, connection.ProcessID));
        try
        {
            bool? taken;
            bool stub;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                taken = reader.IsDBNull(0) ? null : reader.GetBoolean(0);
                stub = reader.GetBoolean(1);
            }

            if (stub)
                throw await AdvisoryLockProbe.DescribeStubAsync(connection, cancellationToken);
            return taken;
        }
        catch (PostgresException e) when (AdvisoryLockProbe.IsMissing(e))
        {
            throw await AdvisoryLockProbe.DescribeAsync(connection, e, cancellationToken);
        }
    }

    private static async Task<bool> TryAcquireAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long>(null!, key));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Who holds the lock of <paramref name="key"/> in the connection's database, session or transaction lock alike.</summary>
    internal static async Task<MigrationLockHolder?> FindHolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        // A bigint advisory key appears in pg_locks split in two: classid holds the high 32 bits, objid the low 32 bits.
        await using var command = new NpgsqlCommand("""
            SELECT a.pid, a.application_name, host(a.client_addr), a.usename::text, a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = $1 AND l.objid::bigint = $2
            LIMIT 1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<long>(null!, (key >> 32) & 0xFFFFFFFFL));
        command.Parameters.Add(new NpgsqlParameter<long>(null!, key & 0xFFFFFFFFL));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new MigrationLockHolder(
            reader.GetInt32(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
    }
}
