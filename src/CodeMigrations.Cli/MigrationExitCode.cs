namespace CodeMigrations.Cli;

/// <summary>The exit codes of <see cref="MigrationCli.RunAsync(string[], MigrationCliOptions)"/>.</summary>
public static class MigrationExitCode
{
    /// <summary>The command did what was asked (including "nothing to do").</summary>
    public const int Success = 0;

    /// <summary>
    /// A migration failed, the database could not be reached or used, runs are blocked by an unresolved failure,
    /// the lock was not free in time, or the command was cancelled (Ctrl+C).
    /// </summary>
    public const int Failure = 1;

    /// <summary>
    /// Bad usage: an unknown verb or option, a target that names no migration, no database configured; or an invalid
    /// migration set (duplicate versions and the other loader errors) or a migration that cannot run as written.
    /// </summary>
    public const int Usage = 2;
}
