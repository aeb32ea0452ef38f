namespace CodeMigrations.Fleet;

/// <summary>
/// Builds the services of one target of a fleet: a container in which <c>AddCodeMigrations</c> registered that
/// database alone (its own data source, lock and history), with the observer given. The fleet disposes what it returns
/// (when it is <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>) once the target is done.
/// </summary>
/// <remarks>
/// What is the same for every target need not be made again for each: register one
/// <see cref="Loading.MigrationCatalogSource"/> and one <see cref="Execution.MigrationActivator(bool)"/> made with
/// <c>shareDescriptions: true</c> as instances in every target's container (before <c>AddCodeMigrations</c>, which
/// keeps them), and the migrations are loaded once and each one's Up described once for the whole fleet.
/// </remarks>
public interface IMigrationTargetServices
{
    /// <summary>The services for <paramref name="target"/>; they must provide <see cref="IMigrationRunner"/> and <see cref="Running.MigrationConnectionFactory"/>.</summary>
    /// <param name="target">The database.</param>
    /// <param name="observer">The observer to register for the target's migrations, if any.</param>
    /// <returns>A service provider for that target only.</returns>
    IServiceProvider Create(MigrationTarget target, IMigrationObserver? observer);
}

/// <summary>One target's work in a fleet run: the verb's single-database operation.</summary>
/// <param name="target">The target.</param>
/// <param name="services">Its services (see <see cref="IMigrationTargetServices"/>).</param>
/// <param name="cancellationToken">Cancelled by Ctrl+C or the caller.</param>
/// <returns>What it did.</returns>
public delegate Task<MigrationTargetWork> MigrationTargetOperation(MigrationTarget target, IServiceProvider services, CancellationToken cancellationToken);

/// <summary>Runs one operation on many databases, each with its own data source, lock, history and outcome.</summary>
public interface IMigrationFleet
{
    /// <summary>
    /// Runs <paramref name="operation"/> on every target, at most <see cref="MigrationFleetOptions.MaxParallelism"/> at once.
    /// One failing target never stops another; cancelling stops starting new targets (reported skipped) and cancels
    /// those in flight (reported failed, their migration in flight rolled back). Never throws for a target's failure.
    /// </summary>
    /// <param name="targets">The databases, in the order results are returned.</param>
    /// <param name="options">Parallelism and what to skip.</param>
    /// <param name="operation">The work on one database.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>One result per target, in the order of <paramref name="targets"/>.</returns>
    Task<IReadOnlyList<MigrationTargetResult>> RunAsync(IReadOnlyList<MigrationTarget> targets, MigrationFleetOptions options,
        MigrationTargetOperation operation, CancellationToken cancellationToken = default);
}
