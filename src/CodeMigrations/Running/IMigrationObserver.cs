using CodeMigrations.History;

namespace CodeMigrations;

/// <summary>
/// Receives the progress of a run as it happens (the console host prints it). Register implementations in the service
/// collection; every method has an empty default.
/// </summary>
public interface IMigrationObserver
{
    /// <summary>Another run holds the migration lock; called when waiting starts and every few seconds after.</summary>
    /// <param name="holder">Who holds it, when PostgreSQL could tell.</param>
    void OnWaitingForLock(MigrationLockHolder? holder)
    {
    }

    /// <summary>A migration is about to run.</summary>
    void OnMigrationStarting(MigrationInfo migration, MigrationDirection direction)
    {
    }

    /// <summary>A migration finished and its history is recorded.</summary>
    void OnMigrationCompleted(MigrationInfo migration, MigrationDirection direction, TimeSpan duration)
    {
    }

    /// <summary>
    /// A migration in a transaction gave up waiting for a lock and rolled back whole; after <paramref name="pause"/> it
    /// runs again (<see cref="CodeMigrationsOptions.DdlLockRetries"/>).
    /// </summary>
    /// <param name="migration">The migration.</param>
    /// <param name="direction">Applying or reverting.</param>
    /// <param name="retry">Which retry comes next, from 1.</param>
    /// <param name="retries">How many retries it has in all.</param>
    /// <param name="pause">The pause before it.</param>
    /// <param name="error">The lock timeout.</param>
    void OnMigrationRetrying(MigrationInfo migration, MigrationDirection direction, int retry, int retries, TimeSpan pause, Exception error)
    {
    }

    /// <summary>A migration failed (or was cancelled); the run stops.</summary>
    void OnMigrationFailed(MigrationInfo migration, MigrationDirection direction, TimeSpan duration, Exception error)
    {
    }
}
