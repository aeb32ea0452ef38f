using System.Diagnostics;
using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Planning;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Running;

/// <summary>
/// Carries out plans: for each command it loads the catalog, opens a history session (connection, lock, history),
/// has the planner and the validator decide, the activator prepare the migrations, and the executor run each one with
/// the history's statement in the same transaction. It decides nothing itself and writes no SQL. This file holds the
/// commands; MigrationRunner.CarryOut.cs how a prepared plan is carried out.
/// </summary>
internal sealed partial class MigrationRunner : IMigrationRunner
{
    private readonly CodeMigrationsOptions _options;
    private readonly MigrationCatalogSource _catalog;
    private readonly MigrationConnectionFactory _connections;
    private readonly MigrationHistory _history;
    private readonly MigrationActivator _activator;
    private readonly MigrationExecutor _executor;
    private readonly IServiceScopeFactory _scopes;
    private readonly MigrationRunReporter _reporter;

    public MigrationRunner(CodeMigrationsOptions options, MigrationCatalogSource catalog, MigrationConnectionFactory connections, MigrationHistory history,
        MigrationActivator activator, MigrationExecutor executor, IServiceScopeFactory scopes, MigrationRunReporter reporter)
    {
        _options = options;
        _catalog = catalog;
        _connections = connections;
        _history = history;
        _activator = activator;
        _executor = executor;
        _scopes = scopes;
        _reporter = reporter;
    }

    public Task<MigrationRunResult> UpAsync(long? target = null, CancellationToken cancellationToken = default) =>
        UpAsync(new MigrationRunOptions { Target = target }, cancellationToken);

    public async Task<MigrationRunResult> UpAsync(MigrationRunOptions options, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateUpTarget(catalog, options.Target);
        MigrationValidator.ThrowIfInvalid(_options);
        var run = Stopwatch.StartNew();
        await using var scope = _scopes.CreateAsyncScope();
        // Applied migrations are checked against their recorded checksums, unless the history records that this very
        // build was checked against it as it is now (a no-op `up` then creates no migration it does not run).
        var build = _options.ValidateChecksumsOnUp && !options.DryRun ? MigrationBuild.Identify(catalog, _options.Assemblies) : null;
        return await InSessionAsync(async session =>
        {
            var plan = MigrationPlanner.PlanUp(catalog, session.Rows, options.Target).Migrations;
            var checkedBefore = build is not null && session.Rows.Count > 0 && string.Equals(await _history.ReadValidatedBuildAsync(session.Connection, cancellationToken), build, StringComparison.Ordinal);
            var descriptions = _options.ValidateChecksumsOnUp && !checkedBefore ? _activator.DescribeUpEach(catalog.Migrations, scope.ServiceProvider) : null;
            MigrationValidator.ThrowIfUnsafeToApply(catalog, session.Rows, plan, descriptions, options.AllowOutOfOrder);
            var prepared = plan
                .Select(m => descriptions?[m.Version].Prepared?.ThrowIfNotRunnable(MigrationDirection.Up)
                    ?? _activator.Prepare(m, MigrationDirection.Up, scope.ServiceProvider))
                .ToList();
            // Decided and prepared: only now does the run write, so a refusal leaves the database as it was.
            if (!options.DryRun)
                await session.EnsureTableAsync(cancellationToken);
            var result = await CarryOutAsync(session, scope.ServiceProvider, prepared, MigrationDirection.Up, options.DryRun, run, cancellationToken);
            if (build is not null && (!checkedBefore || prepared.Count > 0))
                await _history.RecordValidatedBuildAsync(session.Connection, build, cancellationToken);
            return result;
        }, cancellationToken);
    }

    public Task<MigrationRunResult> DownAsync(long? target = null, int? steps = null, CancellationToken cancellationToken = default) =>
        DownAsync(new MigrationRunOptions { Target = target, Steps = steps }, cancellationToken);

    public async Task<MigrationRunResult> DownAsync(MigrationRunOptions options, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateDownArguments(catalog, null, options.Target, options.Steps);
        MigrationValidator.ThrowIfInvalid(_options);
        var run = Stopwatch.StartNew();
        await using var scope = _scopes.CreateAsyncScope();
        return await InSessionAsync(async session =>
        {
            var plan = MigrationPlanner.PlanDown(catalog, session.Rows, options.Target, options.Steps).Migrations;
            var prepared = Prepare(plan, MigrationDirection.Down, scope.ServiceProvider);
            return await CarryOutAsync(session, scope.ServiceProvider, prepared, MigrationDirection.Down, options.DryRun, run, cancellationToken);
        }, cancellationToken);
    }

    public async Task<MigrationRedoResult> RedoAsync(int steps = 1, CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        MigrationPlanner.ValidateDownArguments(catalog, null, null, steps);
        MigrationValidator.ThrowIfInvalid(_options);
        await using var scope = _scopes.CreateAsyncScope();
        return await InSessionAsync(async session =>
        {
            var plan = MigrationPlanner.PlanDown(catalog, session.Rows, null, steps).Migrations;
            var down = Prepare(plan, MigrationDirection.Down, scope.ServiceProvider);
            var up = Prepare(plan.Reverse().ToList(), MigrationDirection.Up, scope.ServiceProvider);
            var reverted = await RunAsync(session, scope.ServiceProvider, down, MigrationDirection.Down, Stopwatch.StartNew(), cancellationToken);
            var applied = await RunAsync(session, scope.ServiceProvider, up, MigrationDirection.Up, Stopwatch.StartNew(), cancellationToken);
            return new MigrationRedoResult(reverted, applied);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<MigrationStatus>> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        // Loading the migrations is CPU work and reading the history mostly waits on the server: do both at once. An
        // invalid set is still the error reported, before any database failure.
        var catalog = Task.Run(() => _catalog.Catalog, CancellationToken.None);
        List<HistoryRow> rows;
        MigrationLockHolder? holder = null;
        try
        {
            rows = await HistorySession.ReadAsync(_connections, _history, cancellationToken);
            if (MigrationStatusReport.MayBeInFlight(rows))
                holder = await HistorySession.FindLockHolderAsync(_connections, _history, cancellationToken);
        }
        catch
        {
            await catalog;
            throw;
        }

        return MigrationStatusReport.Build(await catalog, rows, holder);
    }

    public async Task<IReadOnlyList<MigrationValidationFinding>> ValidateAsync(CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        await using var scope = _scopes.CreateAsyncScope();
        var described = Task.Run(() => _activator.DescribeUpEach(catalog.Migrations, scope.ServiceProvider), cancellationToken);
        var rows = await HistorySession.ReadAsync(_connections, _history, cancellationToken);
        return MigrationValidator.Validate(catalog, rows, await described);
    }

    public async Task<IReadOnlyList<long>> AcceptChecksumsAsync(CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        await using var scope = _scopes.CreateAsyncScope();
        return await InSessionAsync(async session =>
        {
            var applied = session.Rows.Select(r => catalog.Find(r.Version)).OfType<MigrationInfo>().ToList();
            var changed = MigrationValidator.ChecksumsToAccept(session.Rows, _activator.DescribeUpEach(applied, scope.ServiceProvider));
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
            var toRecord = MigrationPlanner.PlanBaseline(catalog, session.Rows, version);
            var descriptions = _activator.DescribeUpEach(toRecord, scope.ServiceProvider);
            await session.EnsureTableAsync(cancellationToken);
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
        MigrationValidator.ThrowIfInvalid(_options);

        var rows = options.FromHistory ? await HistorySession.ReadAsync(_connections, _history, cancellationToken) : null;
        var plan = MigrationPlanner.PlanScript(catalog, direction, rows, options.Target).Migrations;
        await using var scope = _scopes.CreateAsyncScope();
        var prepared = Prepare(plan, direction, scope.ServiceProvider);
        return MigrationScriptWriter.Write(_history, _options, _connections.Target, prepared, direction, options.Idempotent);
    }

    public async Task ResolveAsync(long version, MigrationResolution resolution, CancellationToken cancellationToken = default)
    {
        await InSessionAsync(async session =>
        {
            MigrationValidator.ThrowIfNothingToResolve(session.Rows, version);
            await _history.ResolveMarkAsync(session.Connection, version, resolution == MigrationResolution.Applied, cancellationToken);
            _reporter.MarkResolved(version, resolution);
            return 0;
        }, cancellationToken);
    }

    // The table is read if it exists; work that writes creates it once it has decided to (HistorySession.EnsureTableAsync).
    // Down, redo, resolve and accept-checksums never need to: without a table there is nothing for them to change.
    private Task<T> InSessionAsync<T>(Func<HistorySession, Task<T>> work, CancellationToken cancellationToken) =>
        HistorySession.RunAsync(_connections, _history, _options.LockTimeout, _reporter.WaitingForLock, createTable: false, work, cancellationToken);

    // Every planned migration is created, described and checked before the first one runs: one that cannot run fails
    // the run while nothing has changed yet.
    private List<PreparedMigration> Prepare(IReadOnlyList<MigrationInfo> plan, MigrationDirection direction, IServiceProvider services) =>
        plan.Select(m => _activator.Prepare(m, direction, services)).ToList();
}
