namespace CodeMigrations;

/// <summary>Applies, reverts and reports migrations against the configured database.</summary>
/// <remarks>
/// Every up and down takes a PostgreSQL advisory lock for the whole run, reads the history only once it holds the
/// lock, and runs each migration in its own transaction together with its history row.
/// </remarks>
public interface IMigrationRunner
{
    /// <summary>Applies pending migrations, oldest first: all of them, or up to and including <paramref name="target"/>.</summary>
    /// <param name="target">The last version to apply; it must name a known migration.</param>
    /// <param name="cancellationToken">Cancels the run: the migration in flight is rolled back and the lock released.</param>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set; nothing touched the database.</exception>
    /// <exception cref="UnknownMigrationTargetException">No migration has version <paramref name="target"/>.</exception>
    /// <exception cref="MigrationFailedException">A migration failed; it left no trace, the ones before it stay applied.</exception>
    /// <exception cref="MigrationBlockedException">A migration without a transaction failed earlier and is not resolved.</exception>
    Task<MigrationRunResult> UpAsync(long? target = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reverts applied migrations, newest first: those above <paramref name="target"/> (0 reverts all), or the newest
    /// <paramref name="steps"/>; the newest one when neither is given.
    /// </summary>
    /// <exception cref="MissingMigrationException">An applied version to revert has no class; nothing was reverted.</exception>
    /// <exception cref="ArgumentException">Both a target and steps were given, or steps is below 1.</exception>
    Task<MigrationRunResult> DownAsync(long? target = null, int? steps = null, CancellationToken cancellationToken = default);

    /// <summary>Every migration known to the code or recorded in history, oldest first. Reads only; creates nothing.</summary>
    Task<IReadOnlyList<MigrationStatus>> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves the failed mark of a migration that runs without a transaction, after the user completed or undid its
    /// statements by hand. Until then every up and down is refused.
    /// </summary>
    /// <exception cref="MigrationException">The version carries no failed mark.</exception>
    Task ResolveAsync(long version, MigrationResolution resolution, CancellationToken cancellationToken = default);
}
