using CodeMigrations.History;
using CodeMigrations.Logging;
using Microsoft.Extensions.Logging;

namespace CodeMigrations.Running;

/// <summary>
/// Tells the log and every registered <see cref="IMigrationObserver"/> what a run does: waiting for the lock, each
/// migration starting, completed or failed, nothing to do, a mark resolved.
/// </summary>
internal sealed class MigrationRunReporter
{
    private readonly IMigrationObserver[] _observers;
    private readonly ILogger _logger;

    public MigrationRunReporter(IEnumerable<IMigrationObserver> observers, ILogger logger)
    {
        _observers = observers.ToArray();
        _logger = logger;
    }

    public void WaitingForLock(MigrationLockHolder? holder)
    {
        LogMessages.WaitingForLock(_logger, holder);
        foreach (var observer in _observers)
            observer.OnWaitingForLock(holder);
    }

    public void Starting(MigrationInfo migration, MigrationDirection direction)
    {
        foreach (var observer in _observers)
            observer.OnMigrationStarting(migration, direction);
    }

    public MigrationOutcome Completed(MigrationInfo migration, MigrationDirection direction, TimeSpan elapsed)
    {
        if (direction == MigrationDirection.Up)
            LogMessages.MigrationApplied(_logger, migration.Version, migration.Name, (long)elapsed.TotalMilliseconds);
        else
            LogMessages.MigrationReverted(_logger, migration.Version, migration.Name, (long)elapsed.TotalMilliseconds);
        foreach (var observer in _observers)
            observer.OnMigrationCompleted(migration, direction, elapsed);
        return new MigrationOutcome(migration, elapsed);
    }

    public void Failed(MigrationInfo migration, MigrationDirection direction, TimeSpan elapsed, Exception error)
    {
        foreach (var observer in _observers)
            observer.OnMigrationFailed(migration, direction, elapsed, error);
        if (error is OperationCanceledException)
            LogMessages.MigrationCancelled(_logger, migration.Version, migration.Name, direction);
        else
            LogMessages.MigrationFailed(_logger, error, migration.Version, migration.Name, direction);
    }

    public void Retrying(MigrationInfo migration, MigrationDirection direction, int retry, int retries, TimeSpan pause, Exception error)
    {
        LogMessages.MigrationRetrying(_logger, migration.Version, migration.Name, retry, retries, (long)pause.TotalMilliseconds);
        foreach (var observer in _observers)
            observer.OnMigrationRetrying(migration, direction, retry, retries, pause, error);
    }

    public void NothingToDo(MigrationDirection direction) => LogMessages.NothingToDo(_logger, direction);

    public void MarkResolved(long version, MigrationResolution resolution) => LogMessages.MarkResolved(_logger, version, resolution);
}
