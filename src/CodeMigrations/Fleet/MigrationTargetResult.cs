namespace CodeMigrations.Fleet;

/// <summary>How one target of a fleet ended.</summary>
public enum MigrationTargetState
{
    /// <summary>The operation succeeded (for a check: found nothing wrong).</summary>
    Ok,

    /// <summary>The operation failed, found a problem, or was cancelled while in flight.</summary>
    Failed,

    /// <summary>The database could not be reached or refused the connection; nothing ran there.</summary>
    Unreachable,

    /// <summary>Not touched: it carries an unresolved failed mark, or the run was cancelled before it started.</summary>
    Skipped,
}

/// <summary>What the operation did on one target, as it reports it to the fleet.</summary>
/// <param name="Applied">How many migrations it applied.</param>
/// <param name="Reverted">How many migrations it reverted.</param>
/// <param name="Problem">What it found wrong (a check's findings, drift), which makes the target <see cref="MigrationTargetState.Failed"/>; <see langword="null"/> when all is well.</param>
public sealed record MigrationTargetWork(int Applied = 0, int Reverted = 0, string? Problem = null)
{
    /// <summary>Nothing to count, nothing wrong.</summary>
    public static MigrationTargetWork None { get; } = new();
}

/// <summary>The outcome of one target of a fleet run.</summary>
/// <param name="Target">The target.</param>
/// <param name="State">How it ended.</param>
/// <param name="Applied">How many migrations this run applied there.</param>
/// <param name="Reverted">How many migrations this run reverted there.</param>
/// <param name="FromVersion">The newest applied version before the run; 0 when none; <see langword="null"/> when it could not be read.</param>
/// <param name="ToVersion">The newest applied version after the run; 0 when none; <see langword="null"/> when it could not be read.</param>
/// <param name="Duration">The target's wall-clock time, connecting included.</param>
/// <param name="Error">What went wrong, without any password; <see langword="null"/> when <see cref="MigrationTargetState.Ok"/>.</param>
public sealed record MigrationTargetResult(
    MigrationTarget Target,
    MigrationTargetState State,
    int Applied,
    int Reverted,
    long? FromVersion,
    long? ToVersion,
    TimeSpan Duration,
    string? Error)
{
    /// <summary>The exception behind <see cref="Error"/>, when there was one (for a stack trace).</summary>
    public Exception? Exception { get; init; }
}
