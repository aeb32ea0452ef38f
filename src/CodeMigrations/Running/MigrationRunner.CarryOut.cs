using System.Diagnostics;
using CodeMigrations.Execution;
using CodeMigrations.History;
using Npgsql;

namespace CodeMigrations.Running;

/// <summary>How the runner carries out a prepared plan in a history session: pipelines, one migration at a time, marks, dry runs.</summary>
internal sealed partial class MigrationRunner
{
    private async Task<MigrationRunResult> CarryOutAsync(HistorySession session, IServiceProvider services, IReadOnlyList<PreparedMigration> prepared,
        MigrationDirection direction, bool dryRun, Stopwatch run, CancellationToken cancellationToken)
    {
        if (prepared.Count == 0)
        {
            _reporter.NothingToDo(direction);
            return new MigrationRunResult(direction, [], run.Elapsed) { DryRun = dryRun };
        }

        return dryRun
            ? await DryRunAsync(session, services, prepared, direction, run, cancellationToken)
            : await RunAsync(session, services, prepared, direction, run, cancellationToken);
    }

    private async Task<MigrationRunResult> RunAsync(HistorySession session, IServiceProvider services, IReadOnlyList<PreparedMigration> prepared,
        MigrationDirection direction, Stopwatch run, CancellationToken cancellationToken)
    {
        session.ThrowIfRunsWithoutTransactionThroughPooler(prepared.Select(m => m.Info), direction);
        var outcomes = new List<MigrationOutcome>(prepared.Count);
        var retries = new Dictionary<long, int>();
        try
        {
            var remaining = prepared;
            while (remaining.Count > 0)
            {
                try
                {
                    foreach (var segment in PipelinePolicy.Split(remaining, _options.DurableEach))
                    {
                        if (segment.Pipelined)
                            await RunPipelineAsync(session.Connection, segment, direction, outcomes, cancellationToken);
                        else
                            outcomes.Add(await RunOneAsync(session.Connection, services, segment.Migrations[0], direction, null, segment.Durable[0], cancellationToken));
                    }

                    remaining = [];
                }
                catch (MigrationFailedException e) when (LockRetryPolicy.IsLockTimeout(e)
                    && retries.GetValueOrDefault(e.Migration.Version) < LockRetryPolicy.RetriesFor(e.Migration, _options))
                {
                    // It rolled back whole: pause, then carry on from it (the ones before it are committed).
                    var retry = retries[e.Migration.Version] = retries.GetValueOrDefault(e.Migration.Version) + 1;
                    var pause = LockRetryPolicy.PauseBefore(retry, Random.Shared);
                    _reporter.Retrying(e.Migration, direction, retry, LockRetryPolicy.RetriesFor(e.Migration, _options), pause, e);
                    await Task.Delay(pause, cancellationToken);
                    remaining = remaining.SkipWhile(m => m.Info.Version != e.Migration.Version).ToList();
                }
            }
        }
        catch when (!_options.DurableEach && outcomes.Count > 0)
        {
            // The run ends without its last durable commit: the commits it made wait for the disk before the lock is released.
            await MigrationExecutor.MakeCommitsDurableQuietlyAsync(session.Connection);
            throw;
        }

        return new MigrationRunResult(direction, outcomes, run.Elapsed);
    }

    /// <summary>
    /// The real migrations, in the session's one transaction, which the session rolls back when it ends (a database
    /// never migrated gets the history table in it too). A migration without a transaction cannot be dry-run: the run
    /// stops before it.
    /// </summary>
    private async Task<MigrationRunResult> DryRunAsync(HistorySession session, IServiceProvider services, IReadOnlyList<PreparedMigration> prepared,
        MigrationDirection direction, Stopwatch run, CancellationToken cancellationToken)
    {
        var transaction = await session.BeginTransactionAsync(cancellationToken);
        var outcomes = new List<MigrationOutcome>(prepared.Count);
        var notRun = new List<MigrationInfo>();
        foreach (var migration in prepared)
        {
            if (notRun.Count > 0 || !migration.Info.UseTransaction)
                notRun.Add(migration.Info);
            else
                outcomes.Add(await RunOneAsync(session.Connection, services, migration, direction, transaction, durable: true, cancellationToken));
        }

        return new MigrationRunResult(direction, outcomes, run.Elapsed) { DryRun = true, NotDryRun = notRun };
    }

    private async Task<MigrationOutcome> RunOneAsync(NpgsqlConnection connection, IServiceProvider services, PreparedMigration migration,
        MigrationDirection direction, NpgsqlTransaction? dryRun, bool durable, CancellationToken cancellationToken)
    {
        var info = migration.Info;
        _reporter.Starting(info, direction);
        var clock = Stopwatch.StartNew();
        try
        {
            if (info.UseTransaction)
                await _executor.ExecuteInTransactionAsync(connection, migration, direction, [Bookkeeping(migration, direction)], services, durable, cancellationToken, dryRun);
            else
                await RunWithoutTransactionAsync(connection, services, migration, direction, cancellationToken);
        }
        catch (Exception e)
        {
            _reporter.Failed(info, direction, clock.Elapsed, e);
            throw;
        }

        return _reporter.Completed(info, direction, clock.Elapsed);
    }

    /// <summary>
    /// Runs consecutive plain-SQL transactional migrations as one pipeline (see <c>MigrationExecutor.ExecutePipelineAsync</c>):
    /// one round trip for all of them instead of one each, with the same guarantees, progress reported as each commits.
    /// </summary>
    private async Task RunPipelineAsync(NpgsqlConnection connection, PipelineSegment segment, MigrationDirection direction,
        List<MigrationOutcome> outcomes, CancellationToken cancellationToken)
    {
        var migrations = segment.Migrations;
        var bookkeeping = migrations.Select(m => Bookkeeping(m, direction)).ToList();
        var clock = new Stopwatch();
        var current = -1;
        try
        {
            await _executor.ExecutePipelineAsync(connection, migrations, direction, bookkeeping, segment.Durable,
                starting: index =>
                {
                    current = index;
                    _reporter.Starting(migrations[index].Info, direction);
                    clock.Restart();
                },
                completed: index =>
                {
                    current = -1;
                    outcomes.Add(_reporter.Completed(migrations[index].Info, direction, clock.Elapsed));
                },
                cancellationToken);
        }
        catch (Exception e) when (current >= 0)
        {
            _reporter.Failed(migrations[current].Info, direction, clock.Elapsed, e);
            throw;
        }
    }

    /// <summary>The history statement that commits with a migration: its row inserted (up) or deleted (down).</summary>
    private NpgsqlBatchCommand Bookkeeping(PreparedMigration migration, MigrationDirection direction) =>
        (direction == MigrationDirection.Up ? _history.RecordApplied(migration.Info, migration.Checksum) : _history.Remove(migration.Info.Version)).ToBatchCommand();

    private async Task RunWithoutTransactionAsync(NpgsqlConnection connection, IServiceProvider services, PreparedMigration migration,
        MigrationDirection direction, CancellationToken cancellationToken)
    {
        // The mark goes in before the first statement and stays if the process dies: a half-done migration without a
        // transaction is never re-run silently.
        await _history.MarkStartedAsync(connection, migration.Info, direction, direction == MigrationDirection.Up ? migration.Checksum : null, cancellationToken);
        try
        {
            await _executor.ExecuteWithoutTransactionAsync(connection, migration, direction, services, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException)
        {
            // Cancelled: the mark stays without an error, so status shows it as interrupted.
            throw;
        }
        catch (Exception e)
        {
            var error = MigrationExecutor.DescribeError(e is MigrationFailedException { InnerException: { } inner } ? inner : e);
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

        await _history.MarkCompletedAsync(connection, migration.Info.Version, direction, CancellationToken.None);
    }
}
