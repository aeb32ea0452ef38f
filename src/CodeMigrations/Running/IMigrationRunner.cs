namespace CodeMigrations;

/// <summary>Applies, reverts, checks and reports migrations against the configured database.</summary>
/// <remarks>
/// Every command that writes takes a PostgreSQL advisory lock for the whole run, reads the history only once it holds
/// the lock, and runs each migration in its own transaction together with its history row.
/// </remarks>
public interface IMigrationRunner
{
    /// <summary>Applies pending migrations, oldest first: all of them, or up to and including <paramref name="target"/>.</summary>
    /// <param name="target">The last version to apply; it must name a known migration.</param>
    /// <param name="cancellationToken">Cancels the run: the migration in flight is rolled back and the lock released.</param>
    /// <exception cref="InvalidMigrationSetException">The migration classes are not a valid set; nothing touched the database.</exception>
    /// <exception cref="UnknownMigrationTargetException">No migration has version <paramref name="target"/>.</exception>
    /// <exception cref="MigrationValidationException">An applied migration changed, or pending ones are out of order; nothing ran.</exception>
    /// <exception cref="MigrationFailedException">A migration failed; it left no trace, the ones before it stay applied.</exception>
    /// <exception cref="MigrationBlockedException">A migration without a transaction failed earlier and is not resolved.</exception>
    Task<MigrationRunResult> UpAsync(long? target = null, CancellationToken cancellationToken = default);

    /// <summary>Applies pending migrations with <paramref name="options"/> (target, dry run, out-of-order).</summary>
    Task<MigrationRunResult> UpAsync(MigrationRunOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reverts applied migrations, newest first: those above <paramref name="target"/> (0 reverts all), or the newest
    /// <paramref name="steps"/>; the newest one when neither is given.
    /// </summary>
    /// <exception cref="MissingMigrationException">An applied version to revert has no class; nothing was reverted.</exception>
    /// <exception cref="IrreversibleMigrationException">The run would cross an irreversible migration; nothing was reverted.</exception>
    /// <exception cref="ArgumentException">Both a target and steps were given, or steps is below 1.</exception>
    Task<MigrationRunResult> DownAsync(long? target = null, int? steps = null, CancellationToken cancellationToken = default);

    /// <summary>Reverts with <paramref name="options"/> (target or steps, dry run).</summary>
    Task<MigrationRunResult> DownAsync(MigrationRunOptions options, CancellationToken cancellationToken = default);

    /// <summary>Reverts the newest <paramref name="steps"/> applied migrations and applies them again, under one lock (for development).</summary>
    Task<MigrationRedoResult> RedoAsync(int steps = 1, CancellationToken cancellationToken = default);

    /// <summary>Every migration known to the code or recorded in history, oldest first. Reads only; creates nothing.</summary>
    Task<IReadOnlyList<MigrationStatus>> GetStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Compares history and code: applied migrations whose checksum changed, applied versions without a class, pending
    /// migrations older than the newest applied one, unresolved failed marks. Reads only. Empty when all agree.
    /// </summary>
    Task<IReadOnlyList<MigrationValidationFinding>> ValidateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Accepts the current code of applied migrations as correct: stores their current checksums where they differ or
    /// were never recorded. For deliberate, harmless edits (formatting, comments) only.
    /// </summary>
    /// <returns>The versions whose stored checksum changed.</returns>
    Task<IReadOnlyList<long>> AcceptChecksumsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adopts an existing database: records every migration up to and including <paramref name="version"/> that is not
    /// in the history as applied (state <c>baseline</c>) without running it.
    /// </summary>
    /// <returns>The migrations recorded.</returns>
    Task<IReadOnlyList<MigrationInfo>> BaselineAsync(long version, CancellationToken cancellationToken = default);

    /// <summary>Renders the SQL that up or down would run, with transaction boundaries and history statements. Changes nothing.</summary>
    Task<MigrationScript> ScriptAsync(MigrationDirection direction, MigrationScriptOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves the failed mark of a migration that runs without a transaction, after the user completed or undid its
    /// statements by hand. Until then every up and down is refused.
    /// </summary>
    /// <exception cref="MigrationException">The version carries no failed mark.</exception>
    Task ResolveAsync(long version, MigrationResolution resolution, CancellationToken cancellationToken = default);
}
