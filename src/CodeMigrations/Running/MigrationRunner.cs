using System.Diagnostics;
using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Logging;
using CodeMigrations.Planning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CodeMigrations.Running;

/// <summary>
/// Coordinates a run: loads the catalog, takes the lock, reads the history, plans, and has the executor carry out each
/// migration with the history's bookkeeping in the same transaction.
/// </summary>
internal sealed class MigrationRunner : IMigrationRunner
{
    private readonly CodeMigrationsOptions _options;
    private readonly MigrationCatalogSource _catalog;
    private readonly MigrationConnectionFactory _connections;
    private readonly MigrationHistory _history;
    private readonly IServiceScopeFactory _scopes;
    private readonly IMigrationObserver[] _observers;
    private readonly ILogger _logger;

    public MigrationRunner(CodeMigrationsOptions options, MigrationCatalogSource catalog, MigrationConnectionFactory connections,
        IServiceScopeFactory scopes, IEnumerable<IMigrationObserver> observers, ILogger logger)
    {
        _options = options;
        _catalog = catalog;
        _connections = connections;
        _history = new MigrationHistory(options.HistorySchema, options.HistoryTable);
        _scopes = scopes;
        _observers = observers.ToArray();
        _logger = logger;
    }

    public async Task<MigrationRunResult> UpAsync(long? target = null, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateUpTarget(catalog, target);
        return await RunAsync(MigrationDirection.Up, rows => MigrationPlanner.PlanUp(catalog, rows, target), cancellationToken);
    }

    public async Task<MigrationRunResult> DownAsync(long? target = null, int? steps = null, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateDownArguments(catalog, null, target, steps);
        return await RunAsync(MigrationDirection.Down, rows => MigrationPlanner.PlanDown(catalog, rows, target, steps), cancellationToken);
    }

    public async Task<IReadOnlyList<MigrationStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        await using var connection = await _connections.OpenAsync(cancellationToken);
        List<HistoryRow> rows;
        try
        {
            rows = await _history.ExistsAsync(connection, cancellationToken)
                ? await _history.ReadAsync(connection, cancellationToken)
                : [];
        }
        catch (NpgsqlException e)
        {
            throw DatabaseFailure("Reading the history table", e);
        }

        return MigrationStatusReport.Build(catalog, rows);
    }

    public async Task ResolveAsync(long version, MigrationResolution resolution, CancellationToken cancellationToken = default)
    {
        await WithLockAsync(async (connection, rows) =>
        {
            var row = rows.FirstOrDefault(r => r.Version == version);
            if (row is null || row.State == HistoryState.Applied)
            {
                throw new MigrationException(
                    $"Version {version} has no failed mark to resolve: it is {(row is null ? "not in the history" : "applied")}. " +
                    "Only a migration without a transaction that failed or was interrupted needs resolving; 'status' shows them.");
            }

            await _history.ResolveMarkAsync(connection, version, resolution == MigrationResolution.Applied, cancellationToken);
            LogMessages.MarkResolved(_logger, version, resolution);
            return 0;
        }, cancellationToken);
    }

    private Task<MigrationRunResult> RunAsync(MigrationDirection direction, Func<IReadOnlyList<HistoryRow>, MigrationPlan> plan, CancellationToken cancellationToken)
    {
        var run = Stopwatch.StartNew();
        return WithLockAsync(async (connection, rows) =>
        {
            var migrations = plan(rows).Migrations;
            if (migrations.Count == 0)
            {
                LogMessages.NothingToDo(_logger, direction);
                return new MigrationRunResult(direction, [], run.Elapsed);
            }

            await using var scope = _scopes.CreateAsyncScope();
            // Describe and check every planned migration before the first one runs: a migration that cannot run fails
            // the run while nothing has changed yet.
            var prepared = migrations
                .Select(m => PreparedMigration.Prepare(m, Create(scope.ServiceProvider, m), direction))
                .ToList();
            var executor = new MigrationExecutor(scope.ServiceProvider, _options.CommandTimeout);
            var outcomes = new List<MigrationOutcome>(prepared.Count);
            foreach (var migration in prepared)
                outcomes.Add(await RunOneAsync(connection, executor, migration, direction, cancellationToken));
            return new MigrationRunResult(direction, outcomes, run.Elapsed);
        }, cancellationToken);
    }

    private async Task<MigrationOutcome> RunOneAsync(NpgsqlConnection connection, MigrationExecutor executor, PreparedMigration migration,
        MigrationDirection direction, CancellationToken cancellationToken)
    {
        var info = migration.Info;
        foreach (var observer in _observers)
            observer.OnMigrationStarting(info, direction);
        var clock = Stopwatch.StartNew();
        try
        {
            if (info.UseTransaction)
            {
                var bookkeeping = direction == MigrationDirection.Up
                    ? _history.CreateRecordAppliedCommand(info, migration.Checksum)
                    : _history.CreateRemoveCommand(info.Version);
                await executor.ExecuteInTransactionAsync(connection, migration, direction, [bookkeeping], cancellationToken);
            }
            else
            {
                await RunWithoutTransactionAsync(connection, executor, migration, direction, clock, cancellationToken);
            }
        }
        catch (Exception e)
        {
            foreach (var observer in _observers)
                observer.OnMigrationFailed(info, direction, clock.Elapsed, e);
            if (e is OperationCanceledException)
                LogMessages.MigrationCancelled(_logger, info.Version, info.Name, direction);
            else
                LogMessages.MigrationFailed(_logger, e, info.Version, info.Name, direction);
            throw;
        }

        var elapsed = clock.Elapsed;
        if (direction == MigrationDirection.Up)
            LogMessages.MigrationApplied(_logger, info.Version, info.Name, (long)elapsed.TotalMilliseconds);
        else
            LogMessages.MigrationReverted(_logger, info.Version, info.Name, (long)elapsed.TotalMilliseconds);
        foreach (var observer in _observers)
            observer.OnMigrationCompleted(info, direction, elapsed);
        return new MigrationOutcome(info, elapsed);
    }

    private async Task RunWithoutTransactionAsync(NpgsqlConnection connection, MigrationExecutor executor, PreparedMigration migration,
        MigrationDirection direction, Stopwatch clock, CancellationToken cancellationToken)
    {
        // The mark goes in before the first statement and stays if the process dies: a half-done migration without a
        // transaction is never re-run silently.
        await _history.MarkStartedAsync(connection, migration.Info, direction, migration.Checksum, cancellationToken);
        try
        {
            await executor.ExecuteWithoutTransactionAsync(connection, migration, direction, cancellationToken);
        }
        catch (Exception e)
        {
            var error = e is MigrationFailedException { InnerException: { } inner } ? MigrationExecutor.DescribeError(inner) : MigrationExecutor.DescribeError(e);
            try
            {
                await _history.MarkFailedAsync(connection, migration.Info.Version, error, CancellationToken.None);
            }
            catch (Exception markError) when (markError is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone. The mark itself stays (written before the start); only the error text is lost.
            }

            throw;
        }

        await _history.MarkCompletedAsync(connection, migration.Info.Version, direction, clock.Elapsed, CancellationToken.None);
    }

    private async Task<T> WithLockAsync<T>(Func<NpgsqlConnection, List<HistoryRow>, Task<T>> action, CancellationToken cancellationToken)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken);
        var stage = "Taking the migration lock";
        try
        {
            await MigrationLock.AcquireAsync(connection, _history.LockKey, _options.LockTimeout, holder =>
            {
                LogMessages.WaitingForLock(_logger, holder);
                foreach (var observer in _observers)
                    observer.OnWaitingForLock(holder);
            }, cancellationToken);
            try
            {
                stage = $"Creating or reading the history table {_history.QualifiedName}";
                await _history.CreateIfMissingAsync(connection, cancellationToken);
                var rows = await _history.ReadAsync(connection, cancellationToken);
                stage = "Running migrations";
                return await action(connection, rows);
            }
            finally
            {
                await ReleaseQuietlyAsync(connection);
            }
        }
        catch (NpgsqlException e) when (e is not PostgresException { SqlState: "57014" } || !cancellationToken.IsCancellationRequested)
        {
            throw DatabaseFailure(stage, e);
        }
    }

    private async Task ReleaseQuietlyAsync(NpgsqlConnection connection)
    {
        try
        {
            await MigrationLock.ReleaseAsync(connection, _history.LockKey);
        }
        catch (NpgsqlException)
        {
            // Closing the connection releases a session lock on the server.
        }
    }

    private MigrationDatabaseException DatabaseFailure(string stage, NpgsqlException e) =>
        new($"{stage} failed on {_connections.Target}: {MigrationExecutor.DescribeError(e)}", e);

    private static Migration Create(IServiceProvider services, MigrationInfo info)
    {
        try
        {
            return (Migration)ActivatorUtilities.CreateInstance(services, info.Type);
        }
        catch (Exception e)
        {
            var cause = e is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner : e;
            throw new InvalidMigrationException(info, $"Migration {info} could not be created: {cause.Message} Nothing was run.", cause);
        }
    }
}
