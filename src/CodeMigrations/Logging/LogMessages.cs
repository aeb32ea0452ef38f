using CodeMigrations.History;
using Microsoft.Extensions.Logging;

namespace CodeMigrations.Logging;

internal static partial class LogMessages
{
    [LoggerMessage(1, LogLevel.Information, "Applied migration {Version} {Name} in {ElapsedMilliseconds} ms")]
    public static partial void MigrationApplied(ILogger logger, long version, string name, long elapsedMilliseconds);

    [LoggerMessage(2, LogLevel.Information, "Reverted migration {Version} {Name} in {ElapsedMilliseconds} ms")]
    public static partial void MigrationReverted(ILogger logger, long version, string name, long elapsedMilliseconds);

    [LoggerMessage(3, LogLevel.Error, "Migration {Version} {Name} failed while running {Direction}")]
    public static partial void MigrationFailed(ILogger logger, Exception exception, long version, string name, MigrationDirection direction);

    [LoggerMessage(4, LogLevel.Warning, "Waiting for the migration lock, held by {Holder}")]
    public static partial void WaitingForLock(ILogger logger, MigrationLockHolder? holder);

    [LoggerMessage(5, LogLevel.Information, "Database is up to date: no migration to run {Direction}")]
    public static partial void NothingToDo(ILogger logger, MigrationDirection direction);

    [LoggerMessage(6, LogLevel.Warning, "Migration {Version} {Name} was cancelled while running {Direction}")]
    public static partial void MigrationCancelled(ILogger logger, long version, string name, MigrationDirection direction);

    [LoggerMessage(7, LogLevel.Information, "Resolved the failed mark of migration {Version} as {Resolution}")]
    public static partial void MarkResolved(ILogger logger, long version, MigrationResolution resolution);

    [LoggerMessage(8, LogLevel.Warning, "Migration {Version} {Name} gave up waiting for a lock and rolled back; retry {Retry} of {Retries} in {PauseMs} ms")]
    public static partial void MigrationRetrying(ILogger logger, long version, string name, int retry, int retries, long pauseMs);
}
