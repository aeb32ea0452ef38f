using CodeMigrations.Running;
using Npgsql;

namespace CodeMigrations.History;

/// <summary>
/// The migration lock as a run holds it, chosen by what stands between the run and the server:
/// <list type="bullet">
/// <item>a direct connection: a session advisory lock on the run's own connection, as ever (no extra connection, no
/// extra round trip: the first try also checks that no pooler answers);</item>
/// <item>through a connection pooler (PgBouncer and the like, whose server connection goes back to the pool after each
/// transaction): a transaction advisory lock, taken in a transaction kept open on a connection of its own for the whole
/// run. An open transaction pins its server connection in every pooling mode, the lock ends with the transaction, and
/// if the process dies, the pooler closes that server connection and the lock with it. No session lock is ever left on
/// a pooled server connection.</item>
/// </list>
/// </summary>
internal sealed class MigrationLockLease : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private NpgsqlConnection? _lockConnection;
    private NpgsqlTransaction? _lockTransaction;

    private MigrationLockLease(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>
    /// Whether the run's connection goes through a connection pooler: then nothing a run needs may live in its session
    /// (session settings, session locks), and migrations without a transaction are refused.
    /// </summary>
    public bool ThroughPooler => _lockConnection is not null;

    /// <summary>Takes the lock for a run on <paramref name="connection"/>, waiting while another run holds it.</summary>
    /// <exception cref="MigrationLockTimeoutException">Another run held the lock for longer than <paramref name="timeout"/>.</exception>
    /// <exception cref="MigrationDatabaseException">The server offers no advisory locks (to this user).</exception>
    public static async Task<MigrationLockLease> AcquireAsync(MigrationConnectionFactory connections, NpgsqlConnection connection, long key,
        TimeSpan timeout, Action<MigrationLockHolder?> onWaiting, CancellationToken cancellationToken)
    {
        var lease = new MigrationLockLease(connection, key);
        if (await MigrationLock.TryAcquireSessionLockAsync(connection, key, cancellationToken) is { } taken)
        {
            await MigrationLock.PollAsync(taken, ct => TryAcquireSessionLockAgainAsync(connection, key, ct),
                ct => MigrationLock.FindHolderAsync(connection, key, ct), timeout, onWaiting, cancellationToken);
            return lease;
        }

        lease._lockConnection = await connections.OpenAsync(cancellationToken);
        try
        {
            await MigrationLock.PollAsync(await lease.TryAcquireInTransactionAsync(cancellationToken), lease.TryAcquireInTransactionAsync,
                ct => MigrationLock.FindHolderAsync(lease._lockConnection, key, ct), timeout, onWaiting, cancellationToken);
            return lease;
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Releases the lock: the session lock is unlocked (closing the connection releases it too, should that fail), the
    /// lock transaction rolled back and its connection closed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_lockConnection is null)
        {
            try
            {
                await MigrationLock.ReleaseAsync(_connection, _key);
            }
            catch (NpgsqlException)
            {
                // Closing the connection releases a session lock on the server.
            }

            return;
        }

        if (_lockTransaction is not null)
        {
            await Execution.MigrationExecutor.RollBackQuietlyAsync(_lockTransaction);
            await _lockTransaction.DisposeAsync();
            _lockTransaction = null;
        }

        await _lockConnection.DisposeAsync();
    }

    private static async Task<bool> TryAcquireSessionLockAgainAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken) =>
        await MigrationLock.TryAcquireSessionLockAsync(connection, key, cancellationToken) ?? throw new MigrationDatabaseException(
            "The migration connection went through a connection pooler only after its first statement: the server process answering it changed. " +
            "Connect either to the server itself or through the pooler, not to something that switches between them.");

    /// <summary>
    /// Begins a transaction on the lock connection and tries the transaction lock in it: kept open when taken (immune to
    /// the server's idle-in-transaction and transaction timeouts, which would end it), rolled back when not.
    /// </summary>
    private async Task<bool> TryAcquireInTransactionAsync(CancellationToken cancellationToken)
    {
        var connection = _lockConnection!;
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    // transaction_timeout exists from PostgreSQL 17: set only the ones the server has.
                    new NpgsqlBatchCommand("SELECT count(set_config(name, '0', true)) FROM pg_settings " +
                        "WHERE name IN ('idle_in_transaction_session_timeout', 'transaction_timeout')"),
                    new NpgsqlBatchCommand("SELECT pg_try_advisory_xact_lock($1)") { Parameters = { new NpgsqlParameter<long>(null!, _key) } },
                    // Last, a statement that needs no snapshot: the extended protocol keeps the last portal (and a
                    // SELECT's snapshot with it, which holds back vacuum everywhere) until the next one or the
                    // transaction's end, and this transaction stays open for the whole run.
                    new NpgsqlBatchCommand("SET LOCAL idle_in_transaction_session_timeout = 0"),
                },
            };
            bool taken;
            try
            {
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                taken = reader.GetBoolean(0);
            }
            catch (PostgresException e) when (AdvisoryLockProbe.IsMissing(e))
            {
                await Execution.MigrationExecutor.RollBackQuietlyAsync(transaction);
                throw await AdvisoryLockProbe.DescribeAsync(connection, e, cancellationToken);
            }

            if (taken)
            {
                _lockTransaction = transaction;
                return true;
            }

            await transaction.RollbackAsync(cancellationToken);
        }
        catch
        {
            await Execution.MigrationExecutor.RollBackQuietlyAsync(transaction);
            await transaction.DisposeAsync();
            throw;
        }

        await transaction.DisposeAsync();
        return false;
    }
}
