using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Planning;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Running;

/// <summary>
/// Tells, cheaply and as often as a health probe asks, whether the database has every migration this build knows and
/// whether history and code agree: one statement per probe (<see cref="MigrationHistory.ReadSummaryAsync"/>), without
/// the lock, writing nothing. What the build knows is computed once per process and kept: the catalog, and the
/// checksums of the migrations (which creates and describes each one, so it happens only on the first probe that finds
/// an applied migration with a recorded checksum).
/// </summary>
public sealed class MigrationStatusProbe
{
    private readonly MigrationCatalogSource _catalog;
    private readonly MigrationConnectionFactory _connections;
    private readonly MigrationHistory _history;
    private readonly Lazy<IReadOnlyDictionary<long, UpDescription>> _descriptions;

    /// <summary>A probe over the configured migrations and history table (registered by <c>AddCodeMigrations</c>).</summary>
    /// <param name="catalog">The migrations this build knows.</param>
    /// <param name="connections">Opens the connection each probe uses.</param>
    /// <param name="history">The history table.</param>
    /// <param name="activator">Creates the migrations once, to compute their checksums.</param>
    /// <param name="scopes">The scope the migrations are created in, disposed once their checksums are known.</param>
    public MigrationStatusProbe(MigrationCatalogSource catalog, MigrationConnectionFactory connections, MigrationHistory history,
        MigrationActivator activator, IServiceScopeFactory scopes)
    {
        ArgumentNullException.ThrowIfNull(activator);
        ArgumentNullException.ThrowIfNull(scopes);
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _connections = connections ?? throw new ArgumentNullException(nameof(connections));
        _history = history ?? throw new ArgumentNullException(nameof(history));
        // Two probes at once compute it once; a failure (a migration's constructor throws) is kept, as the build is.
        _descriptions = new Lazy<IReadOnlyDictionary<long, UpDescription>>(() =>
        {
            using var scope = scopes.CreateScope();
            return activator.DescribeUpEach(catalog.Catalog.Migrations, scope.ServiceProvider);
        });
    }

    /// <summary>Reads the history (one statement) and compares it with what this build knows.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counts: applied, pending, failed marks, checksum mismatches, applied versions without a class.</returns>
    /// <exception cref="InvalidMigrationSetException">The build's migrations are invalid.</exception>
    /// <exception cref="MigrationDatabaseException">The database could not be reached or read.</exception>
    public async Task<MigrationStatusSummary> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var catalog = _catalog.Catalog;
        List<HistoryRow> rows;
        await using (var connection = await _connections.OpenAsync(cancellationToken))
        {
            try
            {
                rows = await _history.ReadSummaryAsync(connection, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                throw new MigrationDatabaseException($"Reading the history table failed on {_connections.Target}: {MigrationExecutor.DescribeError(e)}", e);
            }
        }

        var status = MigrationStatusReport.Build(catalog, rows);
        var mismatches = rows.Any(r => r.Checksum is not null && !r.IsIncomplete && catalog.Contains(r.Version))
            ? MigrationValidator.Validate(catalog, rows, _descriptions.Value).Count(f => f.Problem == MigrationValidationProblem.ChecksumMismatch)
            : 0;
        return new MigrationStatusSummary(
            Applied: status.Count(s => s.State is MigrationState.Applied or MigrationState.Baseline),
            Pending: status.Count(s => s.State == MigrationState.Pending),
            FailedMarks: status.Count(s => s.State is MigrationState.FailedUp or MigrationState.FailedDown),
            ChecksumMismatches: mismatches,
            MissingVersions: status.Count(s => s.State == MigrationState.Missing));
    }
}
