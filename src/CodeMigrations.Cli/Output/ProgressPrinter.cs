using System.Diagnostics;
using CodeMigrations.History;

namespace CodeMigrations.Cli.Output;

/// <summary>
/// Prints a run's progress as it happens: a line as each migration starts and as it finishes, with its duration, and
/// who holds the lock while waiting for it. Remembers what happened, so the command can summarise a failure or a
/// cancellation precisely.
/// </summary>
internal sealed class ProgressPrinter : IMigrationObserver
{
    private readonly CliConsole _console;
    private readonly TimeSpan _lockTimeout;
    private Stopwatch? _waitingSince;

    public ProgressPrinter(CliConsole console, TimeSpan lockTimeout)
    {
        _console = console;
        _lockTimeout = lockTimeout;
    }

    /// <summary>The migration that started and has not finished yet, if any.</summary>
    public MigrationInfo? InFlight { get; private set; }

    /// <summary>The migration that failed or was interrupted, if any.</summary>
    public MigrationInfo? Failed { get; private set; }

    /// <summary>How many migrations completed in this run.</summary>
    public int Completed { get; private set; }

    public void OnWaitingForLock(MigrationLockHolder? holder)
    {
        var who = holder is null ? "another session" : holder.ToString();
        if (_waitingSince is null)
        {
            _waitingSince = Stopwatch.StartNew();
            _console.WriteLine(
                $"{_console.Symbols.Ellipsis} waiting for the migration lock, held by {who}; giving up after {Durations.Format(_lockTimeout)}.",
                CliColour.Yellow);
        }
        else
        {
            _console.WriteLine($"{_console.Symbols.Ellipsis} still waiting for the migration lock ({Durations.Format(_waitingSince.Elapsed)}), held by {who}.", CliColour.Yellow);
        }
    }

    /// <summary>Called before each migration's line, to print what belongs with it (the lint warnings of <c>up</c>).</summary>
    public Action<MigrationInfo>? BeforeEach { get; set; }

    public void OnMigrationStarting(MigrationInfo migration, MigrationDirection direction)
    {
        BeforeEach?.Invoke(migration);
        InFlight = migration;
        var arrow = direction == MigrationDirection.Up ? _console.Symbols.Up : _console.Symbols.Down;
        _console.WriteLine($"{_console.Paint(arrow, CliColour.Cyan)} {migration} {_console.Symbols.Ellipsis}");
    }

    public void OnMigrationRetrying(MigrationInfo migration, MigrationDirection direction, int retry, int retries, TimeSpan pause, Exception error)
    {
        Failed = null;
        _console.WriteLine($"{_console.Symbols.Ellipsis} {migration} gave up waiting for a lock (lock_timeout) and rolled back whole; " +
            $"running it again in {Durations.Format(pause)} (retry {retry} of {retries}).", CliColour.Yellow);
    }

    public void OnMigrationCompleted(MigrationInfo migration, MigrationDirection direction, TimeSpan duration)
    {
        InFlight = null;
        Completed++;
        _console.WriteLine($"{_console.Paint(_console.Symbols.Done, CliColour.Green)} {migration} {_console.Paint($"({Durations.Format(duration)})", CliColour.Dim)}");
    }

    public void OnMigrationFailed(MigrationInfo migration, MigrationDirection direction, TimeSpan duration, Exception error)
    {
        InFlight = null;
        Failed = migration;
        var what = error is OperationCanceledException ? "cancelled" : "failed";
        _console.WriteLine($"{_console.Paint(_console.Symbols.Failed, CliColour.Red)} {migration} {what} after {Durations.Format(duration)}");
    }
}
