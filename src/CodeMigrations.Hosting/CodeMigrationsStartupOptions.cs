namespace CodeMigrations.Hosting;

/// <summary>
/// What happens to the migrations while the host starts. Bound from the <c>CodeMigrations</c> configuration section
/// (<c>OnStartup</c>, <c>WaitTimeout</c>, <c>WaitPollInterval</c>); what code sets in
/// <c>AddCodeMigrationsOnStartup</c> is applied after it, so it wins.
/// </summary>
public sealed class CodeMigrationsStartupOptions
{
    /// <summary>The on-start mode; default <see cref="MigrationStartupMode.Migrate"/>. Key <c>CodeMigrations:OnStartup</c>.</summary>
    public MigrationStartupMode OnStartup { get; set; } = MigrationStartupMode.Migrate;

    /// <summary>
    /// <see cref="MigrationStartupMode.Wait"/> only: how long to wait for the migrations before the start fails. Default
    /// 5 minutes. Key <c>CodeMigrations:WaitTimeout</c>, in the configuration's TimeSpan format (<c>00:05:00</c>).
    /// </summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <see cref="MigrationStartupMode.Wait"/> only: how often the history is read again; default 1 second (one small
    /// query each time). Key <c>CodeMigrations:WaitPollInterval</c>.
    /// </summary>
    public TimeSpan WaitPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
