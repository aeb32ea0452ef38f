namespace CodeMigrations.Hosting;

/// <summary>What an application does with its migrations while the host starts (<c>CodeMigrations:OnStartup</c>).</summary>
public enum MigrationStartupMode
{
    /// <summary>
    /// Apply pending migrations before the host serves, under the migration lock: several instances started at once apply
    /// each migration exactly once, and all of them start.
    /// </summary>
    Migrate,

    /// <summary>
    /// Never migrate: hold the start until the database has every migration this build knows (applied by another instance,
    /// CI or the console host), up to <see cref="CodeMigrationsStartupOptions.WaitTimeout"/>. Reads only.
    /// </summary>
    Wait,

    /// <summary>Never migrate: start only if the history and the code agree (the <c>validate</c> rules). Reads only.</summary>
    Validate,

    /// <summary>Do nothing at start; the health check still reports pending migrations.</summary>
    None,
}
