using CodeMigrations.Execution;
using CodeMigrations.Running;
using Npgsql;

namespace CodeMigrations.History;

/// <summary>
/// One connection that holds the migration lock and has read the history under it: the session in which every command
/// that writes the history works (up, down, redo, baseline, accept-checksums, resolve, import-history). It opens the
/// connection, takes the lock, ensures or reads the table, and at the end rolls back what its transaction left
/// uncommitted, releases the lock and closes the connection.
/// </summary>
public sealed class HistorySession
{
    private NpgsqlTransaction? _transaction;

    private HistorySession(NpgsqlConnection connection, MigrationHistory history, IReadOnlyList<HistoryRow> rows, bool throughPooler)
    {
        Connection = connection;
        History = history;
        Rows = rows;
        ThroughPooler = throughPooler;
    }

    /// <summary>The session's connection; it holds the migration lock.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The history table the session locks and reads.</summary>
    public MigrationHistory History { get; }

    /// <summary>
    /// Whether <see cref="Connection"/> goes through a connection pooler (PgBouncer and the like): the lock is then held
    /// by a transaction on a connection of its own, and a migration without a transaction is refused (its statements and
    /// session settings would land on whichever server connection the pooler picks).
    /// </summary>
    public bool ThroughPooler { get; }

    /// <summary>The history as read once the lock was held, oldest version first; empty when the table does not exist.</summary>
    public IReadOnlyList<HistoryRow> Rows { get; }

    /// <summary>
    /// What the work is doing now, named in the message of a database error ("Running migrations failed on ..."): a
    /// command with several stages sets it before each.
    /// </summary>
    public string Stage { get; set; } = "Running migrations";

    /// <summary>
    /// Opens a session, runs <paramref name="work"/> in it, and ends it: the work's uncommitted transaction is rolled
    /// back, the lock released (closing the connection releases it too, should that fail) and the connection closed.
    /// </summary>
    /// <param name="connections">Opens the session's connection.</param>
    /// <param name="history">The history table to lock and read.</param>
    /// <param name="lockTimeout">How long to wait for another run to release the lock.</param>
    /// <param name="onWaiting">Told who holds the lock while waiting for it, every few seconds; <see langword="null"/> to wait silently.</param>
    /// <param name="createTable">
    /// Create the table when missing (a command that writes it); else read it only if it exists (a dry run, an import
    /// that creates it inside its own transaction).
    /// </param>
    /// <param name="work">What to do holding the lock.</param>
    /// <param name="cancellationToken">Cancels the wait, the read and the work.</param>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <returns>The work's result.</returns>
    /// <exception cref="MigrationDatabaseException">The database failed: the message names the stage (<see cref="Stage"/>) and the database.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another run held the lock for longer than <paramref name="lockTimeout"/>.</exception>
    public static async Task<T> RunAsync<T>(MigrationConnectionFactory connections, MigrationHistory history, TimeSpan lockTimeout,
        Action<MigrationLockHolder?>? onWaiting, bool createTable, Func<HistorySession, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var stage = "Taking the migration lock";
        HistorySession? session = null;
        try
        {
            await using var lease = await MigrationLockLease.AcquireAsync(connections, connection, history.LockKey, lockTimeout, onWaiting ?? (_ => { }),
                cancellationToken);
            try
            {
                stage = $"Creating or reading the history table {history.QualifiedName}";
                if (createTable)
                    await history.CreateIfMissingAsync(connection, cancellationToken);
                var rows = createTable || await history.ExistsAsync(connection, cancellationToken)
                    ? await history.ReadAsync(connection, cancellationToken)
                    : [];
                session = new HistorySession(connection, history, rows, lease.ThroughPooler);
                return await work(session);
            }
            finally
            {
                if (session?._transaction is { } transaction)
                {
                    await MigrationExecutor.RollBackQuietlyAsync(transaction);
                    await transaction.DisposeAsync();
                }
            }
        }
        catch (NpgsqlException e) when (e is not PostgresException { SqlState: "57014" } || !cancellationToken.IsCancellationRequested)
        {
            var lockers = await DescribeLockersAsync(connection, history, e);
            throw new MigrationDatabaseException($"{session?.Stage ?? stage} failed on {connections.Target}: {MigrationExecutor.DescribeError(e)}{lockers}", e);
        }
    }

    /// <summary>
    /// Reads the history without the lock, for commands that only read (status, validate, script): a consistent
    /// snapshot, perhaps a moment old. Empty when the table does not exist; creates nothing.
    /// </summary>
    /// <param name="connections">Opens the connection.</param>
    /// <param name="history">The history table.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows, oldest version first.</returns>
    /// <exception cref="MigrationDatabaseException">The database could not be reached or read.</exception>
    public static async Task<List<HistoryRow>> ReadAsync(MigrationConnectionFactory connections, MigrationHistory history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(history);
        await using var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            return await history.ExistsAsync(connection, cancellationToken) ? await history.ReadAsync(connection, cancellationToken) : [];
        }
        catch (NpgsqlException e)
        {
            var lockers = await DescribeLockersAsync(connection, history, e);
            throw new MigrationDatabaseException($"Reading the history table failed on {connections.Target}: {MigrationExecutor.DescribeError(e)}{lockers}", e);
        }
    }

    /// <summary>
    /// Who holds the migration lock of <paramref name="history"/> now, if anyone: the run whose migration without a
    /// transaction is in flight, when its mark has no error yet.
    /// </summary>
    /// <param name="connections">Opens the connection.</param>
    /// <param name="history">The history table whose lock to look for.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The holder, or <see langword="null"/> when no session holds the lock.</returns>
    /// <exception cref="MigrationDatabaseException">The database could not be reached or read.</exception>
    public static async Task<MigrationLockHolder?> FindLockHolderAsync(MigrationConnectionFactory connections, MigrationHistory history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(history);
        await using var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            return await MigrationLock.FindHolderAsync(connection, history.LockKey, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new MigrationDatabaseException($"Looking for the run that holds the migration lock failed on {connections.Target}: {MigrationExecutor.DescribeError(e)}", e);
        }
    }

    // A history statement that gave up waiting for a lock (lock_timeout, 55P03) says who holds the table.
    private static async Task<string> DescribeLockersAsync(NpgsqlConnection connection, MigrationHistory history, NpgsqlException error) =>
        error is PostgresException { SqlState: "55P03" } && connection.State == System.Data.ConnectionState.Open
            ? await HistoryTableLockers.DescribeAsync(connection, history, CancellationToken.None)
            : string.Empty;

    /// <summary>
    /// Creates the history table when missing, for work that has decided to write it: a session opened without
    /// <c>createTable</c> decides first, so a refusal leaves a never-migrated database as it found it.
    /// </summary>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>A task that completes when the table exists.</returns>
    public async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        var stage = Stage;
        Stage = $"Creating the history table {History.QualifiedName}";
        await History.CreateIfMissingAsync(Connection, cancellationToken);
        Stage = stage;
    }

    /// <summary>
    /// Begins the session's one transaction and creates the history table in it when missing, for work that must
    /// commit or roll back whole (an import, a dry run). What is not committed when the session ends is rolled back.
    /// </summary>
    /// <param name="cancellationToken">Cancels the begin and the creation.</param>
    /// <returns>The transaction; commit it to keep the work.</returns>
    /// <exception cref="InvalidOperationException">The session has begun its transaction already.</exception>
    public async Task<NpgsqlTransaction> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not null)
            throw new InvalidOperationException("The history session has begun its transaction already.");
        _transaction = await Connection.BeginTransactionAsync(cancellationToken);
        await History.CreateIfMissingAsync(Connection, cancellationToken);
        return _transaction;
    }

    /// <summary>
    /// Refuses, before anything runs, a plan holding a migration without a transaction when <see cref="ThroughPooler"/>:
    /// its statements would each run on whichever server connection the pooler picks, and its session-wide lock and
    /// statement timeouts would stay on a pooled connection for other clients.
    /// </summary>
    /// <exception cref="MigrationDatabaseException">The plan holds such a migration; the message names it and how to run it.</exception>
    internal void ThrowIfRunsWithoutTransactionThroughPooler(IEnumerable<MigrationInfo> plan, MigrationDirection direction)
    {
        if (!ThroughPooler)
            return;
        var without = plan.Where(m => !m.UseTransaction).ToList();
        if (without.Count == 0)
            return;
        var verb = direction == MigrationDirection.Up ? "up" : "down";
        throw new MigrationDatabaseException(
            $"{(without.Count == 1 ? "Migration" : "Migrations")} {string.Join(", ", without)} {(without.Count == 1 ? "runs" : "run")} without a transaction, " +
            "which CodeMigrations does not run through a connection pooler (this connection goes through one, such as PgBouncer: the server process " +
            "answering is not the one it was opened with). There each statement, and the session's lock and statement timeouts, may land on another " +
            $"pooled server connection. Nothing was run. Run {verb} with a connection string to the PostgreSQL server itself (its host and port " +
            "instead of the pooler's); the other migrations run through the pooler as before.");
    }
}
