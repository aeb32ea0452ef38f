using Npgsql;

namespace CodeMigrations.Execution;

/// <summary>
/// Decides whether a failed migration runs again: only one in a transaction (it rolled back whole) whose statement gave
/// up waiting for a lock (SQLSTATE 55P03), while it has retries left; and how long to pause first: about 1 s, 2 s, 4 s
/// ... (at most 30 s), each between half and the whole of that, so runners that collided do not collide again.
/// </summary>
public static class LockRetryPolicy
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    /// <summary>How many retries <paramref name="migration"/> gets: its attribute's, else the run's.</summary>
    /// <param name="migration">The migration.</param>
    /// <param name="options">The run's configuration.</param>
    /// <returns>The number of retries; 0 for a migration without a transaction, which is never retried automatically.</returns>
    public static int RetriesFor(MigrationInfo migration, CodeMigrationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(migration);
        ArgumentNullException.ThrowIfNull(options);
        return migration.UseTransaction ? Math.Max(0, migration.DdlLockRetries ?? options.DdlLockRetries) : 0;
    }

    /// <summary>Whether <paramref name="error"/> is a migration that gave up waiting for a lock and rolled back whole.</summary>
    /// <param name="error">What the migration threw.</param>
    /// <returns><see langword="true"/> for a lock timeout of a migration in a transaction.</returns>
    public static bool IsLockTimeout(Exception error) =>
        error is MigrationFailedException { Migration.UseTransaction: true, InnerException: PostgresException { SqlState: "55P03" } };

    /// <summary>The pause before retry number <paramref name="retry"/> (1 for the first).</summary>
    /// <param name="retry">Which retry comes next, from 1.</param>
    /// <param name="random">The source of jitter.</param>
    /// <returns>The pause.</returns>
    public static TimeSpan PauseBefore(int retry, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var ceiling = Math.Min(LongestPause.TotalMilliseconds, FirstPause.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (random.NextDouble() / 2)));
    }
}
