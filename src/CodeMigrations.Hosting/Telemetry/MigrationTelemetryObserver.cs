using System.Collections.Concurrent;
using System.Diagnostics;
using CodeMigrations.History;

namespace CodeMigrations.Hosting.Telemetry;

/// <summary>
/// Turns the runner's progress (<see cref="IMigrationObserver"/>) into spans and measurements, so the runner itself
/// knows nothing of telemetry.
/// </summary>
internal sealed class MigrationTelemetryObserver : IMigrationObserver
{
    private readonly MigrationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(long Version, MigrationDirection Direction), Activity> _running = new();
    private long _waitingSince;

    public MigrationTelemetryObserver(MigrationMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
    }

    public void OnWaitingForLock(MigrationLockHolder? holder) =>
        Interlocked.CompareExchange(ref _waitingSince, _time.GetTimestamp(), 0);

    public void OnMigrationStarting(MigrationInfo migration, MigrationDirection direction)
    {
        EndLockWait();
        var current = Activity.Current;
        var activity = MigrationTelemetry.Source.StartActivity(MigrationTelemetry.MigrationActivityName);
        // Started from the runner's callbacks: keep it off Activity.Current, whose flow the runner owns.
        Activity.Current = current;
        if (activity is null)
            return;
        activity.DisplayName = $"{(direction == MigrationDirection.Up ? "apply" : "revert")} {migration.Version} {migration.Name}";
        activity.SetTag("codemigrations.version", migration.Version);
        activity.SetTag("codemigrations.name", migration.Name);
        activity.SetTag("codemigrations.direction", Direction(direction));
        _running[(migration.Version, direction)] = activity;
    }

    public void OnMigrationCompleted(MigrationInfo migration, MigrationDirection direction, TimeSpan duration)
    {
        (direction == MigrationDirection.Up ? _metrics.Applied : _metrics.Reverted).Add(1, Tag("codemigrations.direction", Direction(direction)));
        _metrics.Duration.Record(duration.TotalSeconds, Tag("codemigrations.direction", Direction(direction)), Tag("codemigrations.outcome", "success"));
        if (_running.TryRemove((migration.Version, direction), out var activity))
        {
            activity.SetTag("codemigrations.outcome", "success");
            activity.Stop();
        }
    }

    public void OnMigrationFailed(MigrationInfo migration, MigrationDirection direction, TimeSpan duration, Exception error)
    {
        var outcome = error is OperationCanceledException ? "cancelled" : "failed";
        _metrics.Failed.Add(1, Tag("codemigrations.direction", Direction(direction)), Tag("codemigrations.outcome", outcome));
        _metrics.Duration.Record(duration.TotalSeconds, Tag("codemigrations.direction", Direction(direction)), Tag("codemigrations.outcome", outcome));
        if (_running.TryRemove((migration.Version, direction), out var activity))
        {
            activity.SetTag("codemigrations.outcome", outcome);
            if ((error as MigrationFailedException)?.SqlState is { } sqlState)
                activity.SetTag("db.response.status_code", sqlState);
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
            activity.AddException(error);
            activity.Stop();
        }
    }

    /// <summary>Records the lock wait that ended, if the run waited: called when work starts and when the run ends.</summary>
    public void EndLockWait()
    {
        var since = Interlocked.Exchange(ref _waitingSince, 0);
        if (since != 0)
            _metrics.LockWait.Record(_time.GetElapsedTime(since).TotalSeconds);
    }

    private static string Direction(MigrationDirection direction) => direction == MigrationDirection.Up ? "up" : "down";

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);
}
