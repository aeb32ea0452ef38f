namespace CodeMigrations.Verification;

/// <summary>What verifying one migration found: one outcome per migration (see <see cref="MigrationVerificationCodes"/> for the names).</summary>
public enum MigrationVerificationOutcome
{
    /// <summary><c>ok</c>: Down restored the schema from before Up, and Up applied again gave the schema of the first Up.</summary>
    Ok,

    /// <summary><c>down-differs</c>: after Up and Down, the schema differs from the one before Up: Down does not undo everything Up did.</summary>
    DownLeavesDifferences,

    /// <summary><c>up-again-differs</c>: Down restored the schema, but Up applied again gave a different schema than the first time.</summary>
    UpDiffersAfterDown,

    /// <summary><c>down-failed</c>: Down failed (or could not be described). The schema after Up is restored and the next migration verified.</summary>
    DownFailed,

    /// <summary>
    /// <c>up-again-fails</c>: Up failed when applied again after Down: Down leaves something (often data) that Up trips
    /// over. The schema after the first Up is restored and the next migration verified.
    /// </summary>
    UpFailedAfterDown,

    /// <summary><c>up-failed</c>: the first Up itself failed; the migrations after it cannot be verified.</summary>
    UpFailed,

    /// <summary>
    /// <c>irreversible</c>: the migration is declared <see cref="IrreversibleAttribute"/>: Up was applied and Down was not
    /// run. Not a problem; the next migration is verified from there.
    /// </summary>
    Irreversible,
}

/// <summary>What a migration's round trip changed that is not a failure, but a reviewer wants to see.</summary>
public enum MigrationVerificationNote
{
    /// <summary><c>column-order-only</c>: the columns are the same but in another order (a Down that re-adds a column puts it last).</summary>
    ColumnOrderOnly,

    /// <summary>
    /// <c>time-literals-only</c>: a definition differs only in timestamp literals PostgreSQL folded when it was created
    /// (<c>'now'::timestamp</c> in a view).
    /// </summary>
    TimeLiteralsOnly,
}

/// <summary>The names <c>verify</c> prints and writes to JSON for outcomes and notes: <c>ok</c>, <c>down-differs</c>, <c>column-order-only</c>.</summary>
public static class MigrationVerificationCodes
{
    /// <summary>Every outcome, in the order the summary line counts them.</summary>
    public static IReadOnlyList<MigrationVerificationOutcome> Outcomes { get; } =
    [
        MigrationVerificationOutcome.Ok, MigrationVerificationOutcome.Irreversible, MigrationVerificationOutcome.DownFailed,
        MigrationVerificationOutcome.DownLeavesDifferences, MigrationVerificationOutcome.UpFailedAfterDown,
        MigrationVerificationOutcome.UpDiffersAfterDown, MigrationVerificationOutcome.UpFailed,
    ];

    /// <summary>The outcome's name: <c>ok</c>, <c>down-failed</c>, <c>down-differs</c>, <c>up-again-fails</c>, <c>up-again-differs</c>, <c>up-failed</c>, <c>irreversible</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>Its name.</returns>
    public static string ToCode(this MigrationVerificationOutcome outcome) => outcome switch
    {
        MigrationVerificationOutcome.Ok => "ok",
        MigrationVerificationOutcome.DownLeavesDifferences => "down-differs",
        MigrationVerificationOutcome.UpDiffersAfterDown => "up-again-differs",
        MigrationVerificationOutcome.DownFailed => "down-failed",
        MigrationVerificationOutcome.UpFailedAfterDown => "up-again-fails",
        MigrationVerificationOutcome.UpFailed => "up-failed",
        MigrationVerificationOutcome.Irreversible => "irreversible",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not an outcome."),
    };

    /// <summary>The note's name: <c>column-order-only</c> or <c>time-literals-only</c>.</summary>
    /// <param name="note">The note.</param>
    /// <returns>Its name.</returns>
    public static string ToCode(this MigrationVerificationNote note) => note switch
    {
        MigrationVerificationNote.ColumnOrderOnly => "column-order-only",
        MigrationVerificationNote.TimeLiteralsOnly => "time-literals-only",
        _ => throw new ArgumentOutOfRangeException(nameof(note), note, "Not a note."),
    };
}
