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
    // A pipeline is cut at these sizes: the batch stays a bounded amount of memory, and nothing is lost by it (a round trip
    // per 200 migrations).
    private const int MaxPipelinedMigrations = 200;
    private const long MaxPipelinedSqlChars = 4_000_000;

    private readonly CodeMigrationsOptions _options;
    private readonly MigrationCatalogSource _catalog;
    private readonly MigrationConnectionFactory _connections;
    private readonly MigrationHistory _history;
    private readonly MigrationActivator _activator;
    private readonly IServiceScopeFactory _scopes;
    private readonly IMigrationObserver[] _observers;
    private readonly ILogger _logger;

    public MigrationRunner(CodeMigrationsOptions options, MigrationCatalogSource catalog, MigrationConnectionFactory connections,
        MigrationActivator activator, IServiceScopeFactory scopes, IEnumerable<IMigrationObserver> observers, ILogger logger)
    {
        _options = options;
        _catalog = catalog;
        _connections = connections;
        _history = new MigrationHistory(options.HistorySchema, options.HistoryTable);
        _activator = activator;
        _scopes = scopes;
        _observers = observers.ToArray();
        _logger = logger;
    }

    public Task<MigrationRunResult> UpAsync(long? target = null, CancellationToken cancellationToken = default) =>
        UpAsync(new MigrationRunOptions { Target = target }, cancellationToken);

    public async Task<MigrationRunResult> UpAsync(MigrationRunOptions options, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateUpTarget(catalog, options.Target);
        ValidateOptions();
        var run = Stopwatch.StartNew();
        await using var scope = _scopes.CreateAsyncScope();
        // Describing every migration (creating it, calling Up, hashing its steps) needs no database: it runs on another
        // core while this one connects, takes the lock and reads the history. Applied ones are checked against their
        // recorded checksums, pending ones are run from it.
        var described = _options.ValidateChecksumsOnUp
            ? Task.Run(() => _activator.DescribeUpEach(catalog.Migrations, scope.ServiceProvider), cancellationToken)
            : null;
        try
        {
            return await InSessionAsync(async session =>
            {
                var rows = session.Rows;
                var plan = MigrationPlanner.PlanUp(catalog, rows, options.Target).Migrations;
                var findings = new List<MigrationValidationFinding>();
                if (!options.AllowOutOfOrder)
                    findings.AddRange(MigrationPlanner.FindOutOfOrder(plan, rows).Select(m => OutOfOrder(m, rows)));

                var descriptions = described is null ? null : await described;
                if (descriptions is not null)
                    findings.AddRange(CompareChecksums(catalog, rows, descriptions));
                if (findings.Count > 0)
                    throw Refuse(findings);

                if (plan.Count == 0)
                {
                    LogMessages.NothingToDo(_logger, MigrationDirection.Up);
                    return new MigrationRunResult(MigrationDirection.Up, [], run.Elapsed) { DryRun = options.DryRun };
                }

                var prepared = plan
                    .Select(m => descriptions?[m.Version].Prepared?.ThrowIfNotRunnable(MigrationDirection.Up)
                        ?? _activator.Prepare(m, MigrationDirection.Up, scope.ServiceProvider))
                    .ToList();
                return await ExecuteAsync(session, scope.ServiceProvider, prepared, MigrationDirection.Up, options.DryRun, run, cancellationToken);
            }, cancellationToken, createHistory: !options.DryRun);
        }
        finally
        {
            if (described is not null)
                await described.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    public Task<MigrationRunResult> DownAsync(long? target = null, int? steps = null, CancellationToken cancellationToken = default) =>
        DownAsync(new MigrationRunOptions { Target = target, Steps = steps }, cancellationToken);

    public async Task<MigrationRunResult> DownAsync(MigrationRunOptions options, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateDownArguments(catalog, null, options.Target, options.Steps);
        ValidateOptions();
        var run = Stopwatch.StartNew();
        await using var scope = _scopes.CreateAsyncScope();
        return await InSessionAsync(async session =>
        {
            var plan = MigrationPlanner.PlanDown(catalog, session.Rows, options.Target, options.Steps).Migrations;
            if (plan.Count == 0)
            {
                LogMessages.NothingToDo(_logger, MigrationDirection.Down);
                return new MigrationRunResult(MigrationDirection.Down, [], run.Elapsed) { DryRun = options.DryRun };
            }

            var prepared = Prepare(plan, scope.ServiceProvider, MigrationDirection.Down);
            return await ExecuteAsync(session, scope.ServiceProvider, prepared, MigrationDirection.Down, options.DryRun, run, cancellationToken);
        }, cancellationToken, createHistory: !options.DryRun);
    }

    public async Task<MigrationRedoResult> RedoAsync(int steps = 1, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateDownArguments(catalog, null, null, steps);
        ValidateOptions();
        await using var scope = _scopes.CreateAsyncScope();
        return await InSessionAsync(async session =>
        {
            var plan = MigrationPlanner.PlanDown(catalog, session.Rows, null, steps).Migrations;
            var down = Prepare(plan, scope.ServiceProvider, MigrationDirection.Down);
            var up = Prepare(plan.Reverse().ToList(), scope.ServiceProvider, MigrationDirection.Up);
            var reverted = await ExecuteAsync(session, scope.ServiceProvider, down, MigrationDirection.Down, false, Stopwatch.StartNew(), cancellationToken);
            var applied = await ExecuteAsync(session, scope.ServiceProvider, up, MigrationDirection.Up, false, Stopwatch.StartNew(), cancellationToken);
            return new MigrationRedoResult(reverted, applied);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<MigrationStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        // Loading the migrations is CPU work and reading the history mostly waits on the server: do both at once. An
        // invalid set is still the error reported, before any database failure.
        var catalog = Task.Run(() => _catalog.Catalog, CancellationToken.None);
        List<HistoryRow> rows;
        try
        {
            rows = await HistorySession.ReadAsync(_connections, _history, cancellationToken);
        }
        catch
        {
            await catalog;
            throw;
        }

        return MigrationStatusReport.Build(await catalog, rows);
    }

    public async Task<IReadOnlyList<MigrationValidationFinding>> ValidateAsync(CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        await using var scope = _scopes.CreateAsyncScope();
        var described = Task.Run(() => _activator.DescribeUpEach(catalog.Migrations, scope.ServiceProvider), cancellationToken);
        var rows = await HistorySession.ReadAsync(_connections, _history, cancellationToken);
        var applied = rows.Select(r => r.Version).ToHashSet();
        var findings = new List<MigrationValidationFinding>();
        foreach (var row in rows.Where(r => r.IsIncomplete))
        {
            findings.Add(new MigrationValidationFinding(row.Version, row.ClassName ?? row.Name, MigrationValidationProblem.FailedMark,
                $"{row.Version} {ShortName(catalog, row)} runs without a transaction and {(row.Error is null ? "was interrupted" : $"failed ({row.Error})")} while " +
                $"{(row.State == HistoryState.UpIncomplete ? "applying" : "reverting")}: complete or undo it by hand, then run 'resolve {row.Version} --applied' or '--not-applied'."));
        }

        foreach (var row in rows.Where(r => !catalog.Contains(r.Version)))
        {
            findings.Add(new MigrationValidationFinding(row.Version, row.ClassName ?? row.Name, MigrationValidationProblem.MissingClass,
                $"{row.Version} {row.ClassName ?? row.Name} is applied but no class in the loaded assemblies has this version: restore the class (or load its assembly), or it can never be reverted."));
        }

        var pending = catalog.Migrations.Where(m => !applied.Contains(m.Version)).ToList();
        findings.AddRange(MigrationPlanner.FindOutOfOrder(pending, rows).Select(m => OutOfOrder(m, rows)));
        findings.AddRange(CompareChecksums(catalog, rows, await described));
        findings.Sort((a, b) => a.Version.CompareTo(b.Version));
        return findings;
    }

    public async Task<IReadOnlyList<long>> AcceptChecksumsAsync(CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        await using var scope = _scopes.CreateAsyncScope();
        return await InSessionAsync(async session =>
        {
            var rows = session.Rows;
            var descriptions = _activator.DescribeUpEach(rows.Select(r => catalog.Find(r.Version)).OfType<MigrationInfo>().ToList(), scope.ServiceProvider);
            var changed = rows
                .Where(r => descriptions.TryGetValue(r.Version, out var d) && d.Prepared is { } p && p.Checksum != r.Checksum)
                .Select(r => (r.Version, descriptions[r.Version].Prepared!.Checksum))
                .ToList();
            await _history.UpdateChecksumsAsync(session.Connection, changed, cancellationToken);

            return (IReadOnlyList<long>)changed.Select(c => c.Version).ToList();
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<MigrationInfo>> BaselineAsync(long version, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateUpTarget(catalog, version);
        await using var scope = _scopes.CreateAsyncScope();
        return await InSessionAsync(async session =>
        {
            var rows = session.Rows;
            MigrationPlanner.PlanUp(catalog, rows, null); // refuses while a failed mark is unresolved
            var applied = rows.Select(r => r.Version).ToHashSet();
            var toRecord = catalog.Migrations.Where(m => m.Version <= version && !applied.Contains(m.Version)).ToList();
            if (toRecord.Count == 0)
                return (IReadOnlyList<MigrationInfo>)[];
            var descriptions = _activator.DescribeUpEach(toRecord, scope.ServiceProvider);
            // One transaction: the baseline is recorded whole or not at all.
            return await _history.RecordBaselineAsync(session.Connection,
                toRecord.Select(m => new BaselineEntry(m, descriptions[m.Version].Prepared?.Checksum)).ToList(), null, cancellationToken);
        }, cancellationToken);
    }

    public async Task<MigrationScript> ScriptAsync(MigrationDirection direction, MigrationScriptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = _catalog.Catalog;
        if (direction == MigrationDirection.Up)
            MigrationPlanner.ValidateUpTarget(catalog, options.Target);
        else
            MigrationPlanner.ValidateDownArguments(catalog, null, options.Target, null);
        ValidateOptions();

        IReadOnlyList<HistoryRow> rows = options.FromHistory
            ? await HistorySession.ReadAsync(_connections, _history, cancellationToken)
            : direction == MigrationDirection.Up
                ? []
                : catalog.Migrations.Select(m => new HistoryRow(m.Version, m.Name, m.TypeFullName, default, null, "", null, HistoryState.Applied, null)).ToList();
        var plan = direction == MigrationDirection.Up
            ? MigrationPlanner.PlanUp(catalog, rows, options.Target).Migrations
            : MigrationPlanner.PlanDown(catalog, rows, options.Target, null).Migrations;
        await using var scope = _scopes.CreateAsyncScope();
        var prepared = Prepare(plan, scope.ServiceProvider, direction);
        return MigrationScriptWriter.Write(_history, _options, _connections.Target, prepared, direction, options.Idempotent);
    }

    public async Task ResolveAsync(long version, MigrationResolution resolution, CancellationToken cancellationToken = default)
    {
        await InSessionAsync(async session =>
        {
            var row = session.Rows.FirstOrDefault(r => r.Version == version);
            if (row is null || !row.IsIncomplete)
            {
                throw new MigrationException(
                    $"Version {version} has no failed mark to resolve: it is {(row is null ? "not in the history" : "applied")}. " +
                    "Only a migration without a transaction that failed or was interrupted needs resolving; 'status' shows them.");
            }

            await _history.ResolveMarkAsync(session.Connection, version, resolution == MigrationResolution.Applied, cancellationToken);
            LogMessages.MarkResolved(_logger, version, resolution);
            return 0;
        }, cancellationToken);
    }

    private async Task<MigrationRunResult> ExecuteAsync(HistorySession session, IServiceProvider services, IReadOnlyList<PreparedMigration> prepared,
        MigrationDirection direction, bool dryRun, Stopwatch run, CancellationToken cancellationToken)
    {
        var connection = session.Connection;
        var executor = new MigrationExecutor(services, _options.CommandTimeout, _options);
        var outcomes = new List<MigrationOutcome>(prepared.Count);
        if (!dryRun)
        {
            for (var i = 0; i < prepared.Count;)
            {
                var end = i;
                var size = 0L;
                while (end < prepared.Count && end - i < MaxPipelinedMigrations && size < MaxPipelinedSqlChars && MigrationExecutor.CanPipeline(prepared[end]))
                    size += SqlLength(prepared[end++]);
                if (end == i)
                {
                    outcomes.Add(await RunOneAsync(connection, executor, prepared[i++], direction, null, cancellationToken));
                    continue;
                }

                await RunPipelineAsync(connection, executor, prepared.Skip(i).Take(end - i).ToList(), direction, outcomes, cancellationToken);
                i = end;
            }

            return new MigrationRunResult(direction, outcomes, run.Elapsed);
        }

        // A dry run: the real migrations, in the session's one transaction, which is never committed. A database never
        // migrated gets the history table too, inside it.
        var notRun = new List<MigrationInfo>();
        var transaction = await session.BeginTransactionAsync(cancellationToken);
        foreach (var migration in prepared)
        {
            if (notRun.Count > 0 || !migration.Info.UseTransaction)
            {
                notRun.Add(migration.Info);
                continue;
            }

            outcomes.Add(await RunOneAsync(connection, executor, migration, direction, transaction, cancellationToken));
        }

        return new MigrationRunResult(direction, outcomes, run.Elapsed) { DryRun = true, NotDryRun = notRun };
    }

    private async Task<MigrationOutcome> RunOneAsync(NpgsqlConnection connection, MigrationExecutor executor, PreparedMigration migration,
        MigrationDirection direction, NpgsqlTransaction? dryRun, CancellationToken cancellationToken)
    {
        var info = migration.Info;
        foreach (var observer in _observers)
            observer.OnMigrationStarting(info, direction);
        var clock = Stopwatch.StartNew();
        try
        {
            if (info.UseTransaction)
            {
                await executor.ExecuteInTransactionAsync(connection, migration, direction, [Bookkeeping(migration, direction)], cancellationToken, dryRun);
            }
            else
            {
                await RunWithoutTransactionAsync(connection, executor, migration, direction, cancellationToken);
            }
        }
        catch (Exception e)
        {
            Failed(info, direction, clock.Elapsed, e);
            throw;
        }

        return Completed(info, direction, clock.Elapsed);
    }

    /// <summary>
    /// Runs consecutive plain-SQL transactional migrations as one pipeline (see <see cref="MigrationExecutor.ExecutePipelineAsync"/>):
    /// one round trip for all of them instead of one each, with the same guarantees, progress reported as each commits.
    /// </summary>
    private async Task RunPipelineAsync(NpgsqlConnection connection, MigrationExecutor executor, IReadOnlyList<PreparedMigration> migrations,
        MigrationDirection direction, List<MigrationOutcome> outcomes, CancellationToken cancellationToken)
    {
        var bookkeeping = new List<NpgsqlBatchCommand>(migrations.Count);
        foreach (var migration in migrations)
            bookkeeping.Add(Bookkeeping(migration, direction));

        var clock = new Stopwatch();
        var current = -1;
        try
        {
            await executor.ExecutePipelineAsync(connection, migrations, direction, bookkeeping,
                starting: index =>
                {
                    current = index;
                    foreach (var observer in _observers)
                        observer.OnMigrationStarting(migrations[index].Info, direction);
                    clock.Restart();
                },
                completed: index =>
                {
                    current = -1;
                    outcomes.Add(Completed(migrations[index].Info, direction, clock.Elapsed));
                },
                cancellationToken);
        }
        catch (Exception e) when (current >= 0)
        {
            Failed(migrations[current].Info, direction, clock.Elapsed, e);
            throw;
        }
    }

    /// <summary>The history statement that commits with a migration: its row inserted (up) or deleted (down).</summary>
    private NpgsqlBatchCommand Bookkeeping(PreparedMigration migration, MigrationDirection direction) =>
        direction == MigrationDirection.Up
            ? _history.RecordApplied(migration.Info, migration.Checksum).ToBatchCommand()
            : _history.Remove(migration.Info.Version).ToBatchCommand();

    private MigrationOutcome Completed(MigrationInfo info, MigrationDirection direction, TimeSpan elapsed)
    {
        if (direction == MigrationDirection.Up)
            LogMessages.MigrationApplied(_logger, info.Version, info.Name, (long)elapsed.TotalMilliseconds);
        else
            LogMessages.MigrationReverted(_logger, info.Version, info.Name, (long)elapsed.TotalMilliseconds);
        foreach (var observer in _observers)
            observer.OnMigrationCompleted(info, direction, elapsed);
        return new MigrationOutcome(info, elapsed);
    }

    private void Failed(MigrationInfo info, MigrationDirection direction, TimeSpan elapsed, Exception e)
    {
        foreach (var observer in _observers)
            observer.OnMigrationFailed(info, direction, elapsed, e);
        if (e is OperationCanceledException)
            LogMessages.MigrationCancelled(_logger, info.Version, info.Name, direction);
        else
            LogMessages.MigrationFailed(_logger, e, info.Version, info.Name, direction);
    }

    private static long SqlLength(PreparedMigration migration)
    {
        var length = 0L;
        foreach (var step in migration.Steps)
            length += step is SqlStep sql ? sql.Sql.Length : 0;
        return length;
    }

    private async Task RunWithoutTransactionAsync(NpgsqlConnection connection, MigrationExecutor executor, PreparedMigration migration,
        MigrationDirection direction, CancellationToken cancellationToken)
    {
        // The mark goes in before the first statement and stays if the process dies: a half-done migration without a
        // transaction is never re-run silently.
        await _history.MarkStartedAsync(connection, migration.Info, direction, direction == MigrationDirection.Up ? migration.Checksum : null, cancellationToken);
        try
        {
            await executor.ExecuteWithoutTransactionAsync(connection, migration, direction, cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException)
        {
            // Cancelled: the mark stays without an error, so status shows it as interrupted.
            throw;
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

        await _history.MarkCompletedAsync(connection, migration.Info.Version, direction, CancellationToken.None);
    }

    private Task<T> InSessionAsync<T>(Func<HistorySession, Task<T>> work, CancellationToken cancellationToken, bool createHistory = true) =>
        HistorySession.RunAsync(_connections, _history, _options.LockTimeout, holder =>
        {
            LogMessages.WaitingForLock(_logger, holder);
            foreach (var observer in _observers)
                observer.OnWaitingForLock(holder);
        }, createHistory, work, cancellationToken);

    private void ValidateOptions()
    {
        foreach (var (name, value) in new[] { ("DdlLockTimeout", _options.DdlLockTimeout), ("StatementTimeout", _options.StatementTimeout) })
        {
            if (!MigrationTimeouts.IsValidInterval(value))
                throw new MigrationException($"CodeMigrationsOptions.{name} is \"{value}\": use a number with a unit PostgreSQL understands, such as \"500ms\", \"5s\", \"10min\", or \"0\" for none.");
        }
    }

    private List<PreparedMigration> Prepare(IReadOnlyList<MigrationInfo> plan, IServiceProvider services, MigrationDirection direction) =>
        // Every planned migration is described and checked before the first one runs: one that cannot run fails the
        // run while nothing has changed yet.
        plan.Select(m => _activator.Prepare(m, direction, services)).ToList();

    private static IEnumerable<MigrationValidationFinding> CompareChecksums(MigrationCatalog catalog, IReadOnlyList<HistoryRow> rows,
        Dictionary<long, UpDescription> descriptions)
    {
        foreach (var row in rows)
        {
            // Rows without a checksum (baselines of undescribable classes, older rows) cannot be compared: they pass.
            if (row.Checksum is null || row.IsIncomplete || catalog.Find(row.Version) is not { } migration || !descriptions.TryGetValue(row.Version, out var described))
                continue;
            if (described.Error is { } error)
            {
                yield return new MigrationValidationFinding(row.Version, migration.TypeFullName, MigrationValidationProblem.Unreadable,
                    $"Applied migration {migration} can no longer be checked: {error.Message}");
            }
            else if (described.Prepared!.Checksum != row.Checksum)
            {
                yield return new MigrationValidationFinding(row.Version, migration.TypeFullName, MigrationValidationProblem.ChecksumMismatch,
                    $"Applied migration {migration} has changed since it was applied (checksum {row.Checksum[..12]}… recorded, {described.Prepared.Checksum[..12]}… now): " +
                    "the database does not have what the code now says. Restore the original Up and put the change in a new migration; " +
                    "if the edit is harmless (formatting, comments), accept it with 'accept-checksums'.");
            }
        }
    }

    private static MigrationValidationFinding OutOfOrder(MigrationInfo migration, IReadOnlyList<HistoryRow> rows) =>
        new(migration.Version, migration.TypeFullName, MigrationValidationProblem.OutOfOrder,
            $"Pending migration {migration} is older than the newest applied one ({rows.Max(r => r.Version)}): it would run out of order " +
            "(typically a branch merged after newer migrations were deployed). Check that it does not depend on or conflict with the newer ones, " +
            "then apply it with --allow-out-of-order, or give it a newer version.");

    private static MigrationValidationException Refuse(List<MigrationValidationFinding> findings) =>
        new(findings, $"Nothing was applied: the history and the code disagree ({findings.Count} finding{(findings.Count > 1 ? "s" : "")}):{Environment.NewLine}" +
            string.Join(Environment.NewLine, findings.Select(f => "  - " + f.Message)));

    private static string ShortName(MigrationCatalog catalog, HistoryRow row) => catalog.Find(row.Version)?.TypeName ?? row.ClassName ?? row.Name;
}
