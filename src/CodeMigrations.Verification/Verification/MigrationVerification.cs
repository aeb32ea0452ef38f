using CodeMigrations.Schema;

namespace CodeMigrations.Verification;

/// <summary>The verification of one migration: Up, Down, Up again, with a schema snapshot after each.</summary>
public sealed class MigrationVerification
{
    internal MigrationVerification(MigrationInfo migration, MigrationVerificationOutcome outcome, IReadOnlyList<SchemaDifference> downDifferences,
        IReadOnlyList<SchemaDifference> reapplyDifferences, string? error, TimeSpan duration, IReadOnlyList<SchemaDifference>? notedDifferences = null)
    {
        Migration = migration;
        Outcome = outcome;
        DownDifferences = downDifferences;
        ReapplyDifferences = reapplyDifferences;
        Error = error;
        Duration = duration;
        NotedDifferences = notedDifferences ?? [];
        Notes = NotedDifferences
            .Select(d => d.Property == SchemaDiff.ColumnOrder ? MigrationVerificationNote.ColumnOrderOnly : MigrationVerificationNote.TimeLiteralsOnly)
            .Distinct()
            .Order()
            .ToList();
    }

    /// <summary>The migration.</summary>
    public MigrationInfo Migration { get; }

    /// <summary>The outcome: exactly one per migration; when there are several problems, the one that comes first in the round trip.</summary>
    public MigrationVerificationOutcome Outcome { get; }

    /// <summary>How the schema after Up and Down differs from the schema before Up (expected: before Up; found: after Down).</summary>
    public IReadOnlyList<SchemaDifference> DownDifferences { get; }

    /// <summary>How the schema after Up again differs from the one after the first Up (expected: first Up; found: Up again).</summary>
    public IReadOnlyList<SchemaDifference> ReapplyDifferences { get; }

    /// <summary>
    /// What differs only in column order or in folded timestamp literals, after Down or after Up again: not failures.
    /// A column order is a <see cref="SchemaDifference"/> of property <c>column order</c>, the columns listed in order.
    /// </summary>
    public IReadOnlyList<SchemaDifference> NotedDifferences { get; }

    /// <summary>The kinds of <see cref="NotedDifferences"/>, each once: what a reviewer may want to look at. Not failures.</summary>
    public IReadOnlyList<MigrationVerificationNote> Notes { get; }

    /// <summary>For a failure, what PostgreSQL or the migration reported: one line, naming the step.</summary>
    public string? Error { get; }

    /// <summary>How long Up, Down, Up again and the snapshots took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether the migration passed (<c>ok</c> or <c>irreversible</c>, with or without notes).</summary>
    public bool Succeeded => Outcome is MigrationVerificationOutcome.Ok or MigrationVerificationOutcome.Irreversible;

    /// <summary>Every problem found, one sentence each; empty when it passed.</summary>
    public IReadOnlyList<VerificationProblem> Problems
    {
        get
        {
            var problems = new List<VerificationProblem>();
            var name = $"Migration {Migration}";
            switch (Outcome)
            {
                case MigrationVerificationOutcome.Ok or MigrationVerificationOutcome.Irreversible:
                    return problems;
                case MigrationVerificationOutcome.UpFailed:
                    problems.Add(new(Migration, Outcome, null, $"{name}: Up failed: {Error}"));
                    return problems;
                case MigrationVerificationOutcome.DownFailed:
                    problems.Add(new(Migration, Outcome, null, $"{name}: Down failed: {Error}"));
                    return problems;
            }

            foreach (var difference in DownDifferences)
            {
                problems.Add(new(Migration, MigrationVerificationOutcome.DownLeavesDifferences, difference,
                    $"{name}: Down does not restore the schema from before Up: {difference}."));
            }

            if (Error is not null)
                problems.Add(new(Migration, MigrationVerificationOutcome.UpFailedAfterDown, null, $"{name}: Up failed when applied again after Down: {Error}"));

            foreach (var difference in ReapplyDifferences)
            {
                problems.Add(new(Migration, MigrationVerificationOutcome.UpDiffersAfterDown, difference,
                    $"{name}: Up applied again after Down gives another schema than the first time: {difference}."));
            }

            return problems;
        }
    }

    /// <summary>
    /// Each noted difference as a sentence: "Migration 2 DropNickname: column-order-only: column order of table users
    /// differs: expected id, nickname, email, found id, email, nickname."
    /// </summary>
    public IReadOnlyList<string> NoteLines => NotedDifferences
        .Select(d => $"Migration {Migration}: " +
            $"{(d.Property == SchemaDiff.ColumnOrder ? MigrationVerificationNote.ColumnOrderOnly : MigrationVerificationNote.TimeLiteralsOnly).ToCode()}: {d}.")
        .ToList();

    /// <summary>"3 CreateOrders: ok (12 ms)", or the outcome and the number of differences; notes in brackets.</summary>
    /// <returns>One line.</returns>
    public override string ToString()
    {
        var outcome = Outcome switch
        {
            MigrationVerificationOutcome.DownLeavesDifferences => $"down-differs, {Count(DownDifferences.Count)}",
            MigrationVerificationOutcome.UpDiffersAfterDown => $"up-again-differs, {Count(ReapplyDifferences.Count)}",
            MigrationVerificationOutcome.Irreversible => $"irreversible, Down not verified ({Migration.IrreversibleReason})",
            _ => Outcome.ToCode(),
        };
        var notes = Notes.Count > 0 ? $" [{string.Join(", ", Notes.Select(n => n.ToCode()))}]" : "";
        return $"{Migration}: {outcome}{notes} ({Duration.TotalMilliseconds:0} ms)";
    }

    private static string Count(int differences) => $"{differences} difference{(differences == 1 ? "" : "s")}";
}
