using System.Diagnostics;
using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Running;
using CodeMigrations.Schema;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Verification;

/// <summary>
/// Finds drift: builds the expected schema on a scratch database by applying, in order, the migrations the target's
/// history lists as applied, snapshots both, and reports the differences both ways. The target is only read.
/// </summary>
public sealed class DriftDetector
{
    private readonly ScratchRunParts _parts;

    /// <summary>Creates a detector for the database, migrations and history table of <paramref name="options"/>.</summary>
    /// <param name="options">The target database, the assemblies, the type filter, the history table.</param>
    /// <param name="services">Creates migrations whose constructors take services; <see langword="null"/> when none do.</param>
    public DriftDetector(CodeMigrationsOptions options, IServiceProvider? services = null) => _parts = ScratchRunParts.For(options, services);

    internal DriftDetector(ScratchRunParts parts) => _parts = parts;

    /// <summary>Compares the target database with what its applied migrations produce; see <see cref="DriftDetector"/>.</summary>
    /// <param name="options">The scratch database to use instead of a created one.</param>
    /// <param name="cancellationToken">Stops the run; the created scratch database is dropped all the same.</param>
    /// <returns>The differences; <see cref="DriftReport.HasDrift"/> tells whether there are any.</returns>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set; nothing touched a database.</exception>
    /// <exception cref="MigrationDatabaseException">A database could not be created, reached or read.</exception>
    /// <exception cref="MigrationException">
    /// An applied migration failed on the scratch database, so the expected schema cannot be built; or the scratch
    /// database named in the options holds the history table.
    /// </exception>
    public async Task<DriftReport> DetectAsync(DriftOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DriftOptions();
        var catalog = _parts.Catalog.Catalog;
        var clock = Stopwatch.StartNew();
        var snapshotOptions = SchemaSnapshotOptions.For(_parts.Options);
        await using var lease = _parts.LeaseConnections();
        var connections = lease.Factory;
        await using var target = await connections.OpenAsync(cancellationToken);
        var notes = new List<string>();
        List<HistoryRow> rows;
        SchemaSnapshot found;
        var stage = $"Reading the history and the schema of {connections.Target}";
        try
        {
            var hasHistory = await _parts.History.ExistsAsync(target, cancellationToken);
            rows = hasHistory ? await _parts.History.ReadAsync(target, cancellationToken) : [];
            if (!hasHistory)
                notes.Add($"The database has no history table {_parts.History.QualifiedName}: no migration counts as applied.");
            found = await SchemaSnapshot.CaptureAsync(target, snapshotOptions, cancellationToken);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MigrationDatabaseException($"{stage} failed: {MigrationExecutor.DescribeError(e)}", e);
        }

        var toApply = Plan(catalog, rows, notes);

        var scratch = options.ScratchConnectionString is { } given
            ? await ScratchDatabase.OpenAsync(given, _parts.Options.ApplicationName, _parts.History, cancellationToken)
            : await ScratchDatabase.CreateAsync(target, "drift", cancellationToken);
        SchemaSnapshot expected;
        try
        {
            expected = await BuildExpectedAsync(scratch, toApply, snapshotOptions, notes, cancellationToken);
        }
        catch (NpgsqlException e) when (!cancellationToken.IsCancellationRequested)
        {
            await scratch.CloseAsync();
            throw new MigrationDatabaseException(
                $"Building the expected schema on the scratch database {scratch.Name} failed: {MigrationExecutor.DescribeError(e)}", e);
        }
        catch
        {
            await scratch.CloseAsync();
            throw;
        }

        if (await scratch.CloseAsync() is { } dropProblem)
            notes.Add(dropProblem);
        return new DriftReport(SchemaDiff.Compare(expected, found), toApply.Select(m => m.Version).ToList(), notes, scratch.Name, clock.Elapsed);
    }

    /// <summary>The known migrations the history lists as applied, oldest first; notes what cannot be rebuilt.</summary>
    private static List<MigrationInfo> Plan(MigrationCatalog catalog, List<HistoryRow> rows, List<string> notes)
    {
        var toApply = new List<MigrationInfo>();
        foreach (var row in rows.OrderBy(r => r.Version))
        {
            // Applied rows, and baseline rows (in place before the tool), both describe the schema the database has.
            if (row.State is HistoryState.UpIncomplete or HistoryState.DownIncomplete)
            {
                var state = row.State == HistoryState.UpIncomplete ? "failed or was interrupted while applying" : "failed or was interrupted while reverting";
                notes.Add($"Migration {row.Version} {row.Name} {state} (it runs without a transaction) and is not resolved: it was left out of " +
                    "the expected schema, so whatever part of it ran shows as drift.");
                continue;
            }

            if (catalog.Find(row.Version) is { } migration)
            {
                toApply.Add(migration);
            }
            else
            {
                notes.Add($"Version {row.Version} ({row.ClassName ?? row.Name}) is applied, but no migration class has that version: " +
                    "what it created shows as drift.");
            }
        }

        return toApply;
    }

    private async Task<SchemaSnapshot> BuildExpectedAsync(ScratchDatabase scratch, List<MigrationInfo> toApply, SchemaSnapshotOptions snapshotOptions,
        List<string> notes, CancellationToken cancellationToken)
    {
        var connection = scratch.Connection;
        // The runner creates the history table's schema before the first migration runs; so do we, or that schema
        // would show as drift.
        var createdSchema = await _parts.History.CreateSchemaIfMissingAsync(connection, cancellationToken);

        await using var runner = _parts.CreateMigrations();
        var applied = new List<MigrationInfo>(toApply.Count);
        foreach (var migration in toApply)
        {
            try
            {
                await runner.RunAsync(connection, migration, MigrationDirection.Up, cancellationToken);
            }
            catch (Exception e) when (e is MigrationFailedException or InvalidMigrationException)
            {
                var reason = e is MigrationFailedException failed ? MigrationVerifier.DescribeFailure(failed) : e.Message;
                if (!scratch.IsOwned)
                    await MigrationVerifier.RevertAllAsync(connection, runner, applied, cancellationToken);
                throw new MigrationException(
                    $"Could not build the expected schema: applied migration {migration} failed on the scratch database {scratch.Name}: {reason}. " +
                    "Drift cannot be measured until the applied migrations run on an empty database.", e);
            }

            applied.Add(migration);
        }

        var expected = await SchemaSnapshot.CaptureCoreAsync(connection, snapshotOptions, prepare: false, cancellationToken);
        if (!scratch.IsOwned)
        {
            if (await MigrationVerifier.RevertAllAsync(connection, runner, applied, cancellationToken) is { } cleanup)
                notes.Add(cleanup);
            else if (createdSchema)
                await _parts.History.DropSchemaIfEmptyAsync(connection, cancellationToken);
        }

        return expected;
    }
}
