namespace CodeMigrations.Hosting;

/// <summary>
/// <see cref="MigrationStartupMode.Wait"/> gave up: the database still lacked migrations this build knows when
/// <see cref="CodeMigrationsStartupOptions.WaitTimeout"/> ran out. The host does not start.
/// </summary>
public sealed class MigrationWaitTimeoutException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="pending">The migrations still not applied.</param>
    /// <param name="message">What happened and what to do.</param>
    public MigrationWaitTimeoutException(IReadOnlyList<MigrationStatus> pending, string message)
        : base(message) => Pending = pending;

    /// <summary>The migrations that were still not applied when the wait ended.</summary>
    public IReadOnlyList<MigrationStatus> Pending { get; }
}
