using Microsoft.Extensions.Logging;

namespace CodeMigrations.Hosting.Logging;

// Event ids 100+ so that they never collide with the core's (CodeMigrations.Logging.LogMessages).
internal static partial class HostingLogMessages
{
    [LoggerMessage(101, LogLevel.Information, "CodeMigrations on start: {Mode}")]
    public static partial void Starting(ILogger logger, MigrationStartupMode mode);

    [LoggerMessage(102, LogLevel.Information, "Applied {Count} migration(s) on start in {ElapsedMilliseconds} ms")]
    public static partial void Migrated(ILogger logger, int count, long elapsedMilliseconds);

    [LoggerMessage(103, LogLevel.Information,
        "Waiting for {Count} migration(s) this build knows to be applied elsewhere (OnStartup=Wait never migrates): {Pending}; giving up after {WaitTimeout}")]
    public static partial void Waiting(ILogger logger, int count, string pending, TimeSpan waitTimeout);

    [LoggerMessage(104, LogLevel.Information, "The database has every migration this build knows; starting after waiting {ElapsedMilliseconds} ms")]
    public static partial void WaitOver(ILogger logger, long elapsedMilliseconds);

    [LoggerMessage(105, LogLevel.Information, "History and code agree (OnStartup=Validate); starting")]
    public static partial void Validated(ILogger logger);
}
