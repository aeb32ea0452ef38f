namespace CodeMigrations;

/// <summary>A migration a run applied or reverted, and how long it took.</summary>
/// <param name="Migration">The migration.</param>
/// <param name="Duration">Its wall-clock time, as the runner measured it.</param>
public sealed record MigrationOutcome(MigrationInfo Migration, TimeSpan Duration);

/// <summary>What an up or down run did.</summary>
/// <param name="Direction">Up (applied) or down (reverted).</param>
/// <param name="Migrations">The migrations carried out, in the order they ran; empty when there was nothing to do.</param>
/// <param name="Duration">The whole run's time, lock and history included.</param>
public sealed record MigrationRunResult(MigrationDirection Direction, IReadOnlyList<MigrationOutcome> Migrations, TimeSpan Duration)
{
    /// <summary>Whether this was a dry run: everything was rolled back.</summary>
    public bool DryRun { get; init; }

    /// <summary>A dry run's migrations that were not tried: the first runs without a transaction, the rest come after it.</summary>
    public IReadOnlyList<MigrationInfo> NotDryRun { get; init; } = [];
}

/// <summary>Where a migration stands.</summary>
public enum MigrationState
{
    /// <summary>Known to the code and not applied.</summary>
    Pending,

    /// <summary>Applied, and its class is known.</summary>
    Applied,

    /// <summary>Recorded as applied by <c>baseline</c> (it predates the tool's use on this database); never run by CodeMigrations.</summary>
    Baseline,

    /// <summary>Applied according to the history table, but no class in the loaded assemblies has its version.</summary>
    Missing,

    /// <summary>A migration without a transaction failed or was interrupted while applying: runs are blocked until it is resolved.</summary>
    FailedUp,

    /// <summary>A migration without a transaction failed or was interrupted while reverting: runs are blocked until it is resolved.</summary>
    FailedDown,

    /// <summary>
    /// A migration without a transaction is being applied now: its mark has no error and a run holds the migration lock
    /// (<see cref="MigrationStatus.RunningIn"/> says which).
    /// </summary>
    RunningUp,

    /// <summary>A migration without a transaction is being reverted now: as <see cref="RunningUp"/>.</summary>
    RunningDown,
}

/// <summary>One line of <c>status</c>.</summary>
/// <param name="Version">The version.</param>
/// <param name="Name">The description (from the class, else from the history row).</param>
/// <param name="ClassName">The class's full name, from the code or, for a missing one, from the history row.</param>
/// <param name="State">Applied, pending, missing or failed.</param>
/// <param name="AppliedAt">When it was applied; <see langword="null"/> when pending.</param>
/// <param name="ExecutionTime">How long applying took; <see langword="null"/> when pending or unfinished.</param>
/// <param name="AppliedBy">The database user that applied it.</param>
/// <param name="Error">For a failed migration without a transaction, PostgreSQL's error; <see langword="null"/> if it was interrupted.</param>
/// <param name="IrreversibleReason">Why the migration cannot be reverted, when it is marked <see cref="IrreversibleAttribute"/>.</param>
public sealed record MigrationStatus(
    long Version,
    string Name,
    string? ClassName,
    MigrationState State,
    DateTimeOffset? AppliedAt,
    TimeSpan? ExecutionTime,
    string? AppliedBy,
    string? Error,
    string? IrreversibleReason = null)
{
    /// <summary>For a migration that is running (<see cref="MigrationState.RunningUp"/>, <see cref="MigrationState.RunningDown"/>), the session of the run that holds the lock.</summary>
    public History.MigrationLockHolder? RunningIn { get; init; }
}

/// <summary>How to resolve the failed mark of a migration that runs without a transaction.</summary>
public enum MigrationResolution
{
    /// <summary>Its changes are fully in place (completed by hand): record it as applied.</summary>
    Applied,

    /// <summary>None of its changes remain (undone by hand): remove the mark, so it counts as not applied.</summary>
    NotApplied,
}
