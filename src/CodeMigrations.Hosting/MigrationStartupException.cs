namespace CodeMigrations.Hosting;

/// <summary>
/// A migration failed while the host started (<see cref="MigrationStartupMode.Migrate"/>), so the host does not start. The
/// runner has already logged the failure in full (migration, step, statement, SQLSTATE); this exception's message
/// repeats only the essentials, and carries the runner's exception in <see cref="Failure"/> rather than as its
/// <see cref="Exception.InnerException"/>, so that the host's "Hosting failed to start" does not log it a second time.
/// </summary>
public sealed class MigrationStartupException : MigrationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">The runner's exception.</param>
    public MigrationStartupException(MigrationFailedException failure)
        : base(BuildMessage(failure)) => Failure = failure;

    /// <summary>The runner's exception: which migration failed, where, and PostgreSQL's error.</summary>
    public MigrationFailedException Failure { get; }

    private static string BuildMessage(MigrationFailedException failure) =>
        $"The application did not start: migration {failure.Migration} failed while {(failure.Direction == MigrationDirection.Up ? "applying" : "reverting")}" +
        (failure.SqlState is { } sqlState ? $" (SQLSTATE {sqlState})" : "") +
        " during CodeMigrations:OnStartup=Migrate; the migration runner logged the error above. Fix the migration, or the database, and start again.";
}
