namespace CodeMigrations.History;

/// <summary>One row of the history table.</summary>
/// <param name="Version">The migration's version (primary key).</param>
/// <param name="Name">The migration's description when it was applied.</param>
/// <param name="ClassName">The full name of the migration class when it was applied.</param>
/// <param name="AppliedAt">When it started, as the database clock saw it.</param>
/// <param name="ExecutionTime">How long it ran, measured by the database; <see langword="null"/> while incomplete.</param>
/// <param name="AppliedBy">The database user that applied it.</param>
/// <param name="Checksum">SHA-256 of its Up steps (see <c>MigrationChecksum</c>); <see langword="null"/> when unknown.</param>
/// <param name="State">Applied, or a mark left by a migration without a transaction that did not finish.</param>
/// <param name="Error">The error of a failed migration without a transaction; <see langword="null"/> if it was interrupted.</param>
public sealed record HistoryRow(
    long Version,
    string Name,
    string? ClassName,
    DateTimeOffset AppliedAt,
    TimeSpan? ExecutionTime,
    string AppliedBy,
    string? Checksum,
    HistoryState State,
    string? Error)
{
    /// <summary>A mark left by a migration without a transaction that did not finish.</summary>
    public bool IsIncomplete => State is HistoryState.UpIncomplete or HistoryState.DownIncomplete;
}

/// <summary>
/// A migration to record as <c>baseline</c>: in place already, never run by CodeMigrations (see
/// <see cref="MigrationHistory.RecordBaselineAsync"/>).
/// </summary>
/// <param name="Migration">The migration.</param>
/// <param name="Checksum">The checksum <c>up</c> would record; <see langword="null"/> when the class cannot be described.</param>
public sealed record BaselineEntry(MigrationInfo Migration, string? Checksum)
{
    /// <summary>When it was applied, as another tool's history says; <see langword="null"/> records the current time.</summary>
    public DateTimeOffset? AppliedAt { get; init; }

    /// <summary>How long it took, as another tool's history says; <see langword="null"/> when unknown.</summary>
    public TimeSpan? ExecutionTime { get; init; }

    /// <summary>Who applied it, as another tool's history says; <see langword="null"/> records the current database user.</summary>
    public string? AppliedBy { get; init; }
}

/// <summary>The <c>state</c> column of the history table.</summary>
public enum HistoryState
{
    /// <summary><c>applied</c>: the migration ran completely.</summary>
    Applied,

    /// <summary><c>baseline</c>: recorded as applied by <c>baseline</c>, for a database that predates the tool; never run by us.</summary>
    Baseline,

    /// <summary><c>up_incomplete</c>: a migration without a transaction started applying and did not finish.</summary>
    UpIncomplete,

    /// <summary><c>down_incomplete</c>: a migration without a transaction started reverting and did not finish.</summary>
    DownIncomplete,
}
