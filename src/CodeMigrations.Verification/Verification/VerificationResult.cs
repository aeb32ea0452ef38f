using CodeMigrations.Schema;

namespace CodeMigrations.Verification;

/// <summary>What verifying one migration found.</summary>
public enum MigrationVerificationOutcome
{
    /// <summary>Down restored the schema from before Up, and Up applied again gave the schema of the first Up.</summary>
    Ok,

    /// <summary>After Up and Down, the schema differs from the one before Up: Down does not undo everything Up did.</summary>
    DownLeavesDifferences,

    /// <summary>Down restored the schema, but Up applied again gave a different schema than the first time.</summary>
    UpDiffersAfterDown,

    /// <summary>Down failed (or could not be described); it was rolled back, so the next migration is still verified.</summary>
    DownFailed,

    /// <summary>Up failed when applied again after Down: Down leaves something (often data) that Up trips over.</summary>
    UpFailedAfterDown,

    /// <summary>The first Up itself failed; verification stops there.</summary>
    UpFailed,

    /// <summary>
    /// The migration is declared <see cref="IrreversibleAttribute"/>: Up was applied and Down was not run. Not a problem;
    /// the next migration is verified from there.
    /// </summary>
    Irreversible,
}

/// <summary>One problem <c>verify</c> found, as one sentence naming the migration.</summary>
public sealed class VerificationProblem
{
    internal VerificationProblem(MigrationInfo? migration, MigrationVerificationOutcome outcome, SchemaDifference? difference, string message)
    {
        Migration = migration;
        Outcome = outcome;
        Difference = difference;
        Message = message;
    }

    /// <summary>The migration at fault; <see langword="null"/> for a problem of the run as a whole (migrations left unverified).</summary>
    public MigrationInfo? Migration { get; }

    /// <summary>What kind of problem it is; for migrations left unverified, what stopped the verification.</summary>
    public MigrationVerificationOutcome Outcome { get; }

    /// <summary>The schema difference, for <see cref="MigrationVerificationOutcome.DownLeavesDifferences"/> and <see cref="MigrationVerificationOutcome.UpDiffersAfterDown"/>.</summary>
    public SchemaDifference? Difference { get; }

    /// <summary>
    /// The sentence, e.g. "Migration 3 CreateOrders: Down does not restore the schema from before Up: index
    /// ix_orders_customer exists but should not."
    /// </summary>
    public string Message { get; }

    /// <summary>The <see cref="Message"/>.</summary>
    /// <returns>The message.</returns>
    public override string ToString() => Message;
}

/// <summary>The verification of one migration: Up, Down, Up again, with a schema snapshot after each.</summary>
public sealed class MigrationVerification
{
    internal MigrationVerification(MigrationInfo migration, MigrationVerificationOutcome outcome, IReadOnlyList<SchemaDifference> downDifferences,
        IReadOnlyList<SchemaDifference> reapplyDifferences, string? error, TimeSpan duration)
    {
        Migration = migration;
        Outcome = outcome;
        DownDifferences = downDifferences;
        ReapplyDifferences = reapplyDifferences;
        Error = error;
        Duration = duration;
    }

    /// <summary>The migration.</summary>
    public MigrationInfo Migration { get; }

    /// <summary>The outcome; when there are several problems, the most serious.</summary>
    public MigrationVerificationOutcome Outcome { get; }

    /// <summary>How the schema after Up and Down differs from the schema before Up (expected: before Up; found: after Down).</summary>
    public IReadOnlyList<SchemaDifference> DownDifferences { get; }

    /// <summary>How the schema after Up again differs from the one after the first Up (expected: first Up; found: Up again).</summary>
    public IReadOnlyList<SchemaDifference> ReapplyDifferences { get; }

    /// <summary>For a failure, what PostgreSQL or the migration reported: one line, naming the step.</summary>
    public string? Error { get; }

    /// <summary>How long Up, Down, Up again and the snapshots took.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether the migration passed.</summary>
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

            if (Outcome == MigrationVerificationOutcome.UpFailedAfterDown)
                problems.Add(new(Migration, Outcome, null, $"{name}: Up failed when applied again after Down: {Error}"));

            foreach (var difference in ReapplyDifferences)
            {
                problems.Add(new(Migration, MigrationVerificationOutcome.UpDiffersAfterDown, difference,
                    $"{name}: Up applied again after Down gives another schema than the first time: {difference}."));
            }

            return problems;
        }
    }

    /// <summary>"3 CreateOrders: ok (12 ms)", or the outcome and the number of differences.</summary>
    /// <returns>One line.</returns>
    public override string ToString()
    {
        var outcome = Outcome switch
        {
            MigrationVerificationOutcome.Ok => "ok",
            MigrationVerificationOutcome.DownLeavesDifferences => $"Down leaves {DownDifferences.Count} difference{(DownDifferences.Count == 1 ? "" : "s")}",
            MigrationVerificationOutcome.UpDiffersAfterDown => $"Up again gives {ReapplyDifferences.Count} difference{(ReapplyDifferences.Count == 1 ? "" : "s")}",
            MigrationVerificationOutcome.DownFailed => "Down failed",
            MigrationVerificationOutcome.UpFailedAfterDown => "Up failed after Down",
            MigrationVerificationOutcome.Irreversible => $"irreversible, Down not verified ({Migration.IrreversibleReason})",
            _ => "Up failed",
        };
        return $"{Migration}: {outcome} ({Duration.TotalMilliseconds:0} ms)";
    }
}

/// <summary>What <c>verify</c> found, migration by migration.</summary>
public sealed class VerificationResult
{
    internal VerificationResult(IReadOnlyList<MigrationVerification> migrations, IReadOnlyList<MigrationInfo> notVerified,
        string scratchDatabase, IReadOnlyList<string> notes, TimeSpan duration)
    {
        Migrations = migrations;
        NotVerified = notVerified;
        ScratchDatabase = scratchDatabase;
        Notes = notes;
        Duration = duration;
    }

    /// <summary>Each migration verified, oldest first.</summary>
    public IReadOnlyList<MigrationVerification> Migrations { get; }

    /// <summary>
    /// The migrations left unverified because verification stopped: after an Up that failed (the first time, or again
    /// after Down), or a Down without a transaction that failed, the scratch schema is not the one later migrations expect.
    /// </summary>
    public IReadOnlyList<MigrationInfo> NotVerified { get; }

    /// <summary>The scratch database's name.</summary>
    public string ScratchDatabase { get; }

    /// <summary>Remarks that are not verification problems, e.g. a scratch database that could not be dropped or emptied.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The whole run's time, creating and dropping the scratch database included.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether every migration was verified and passed.</summary>
    public bool Succeeded => NotVerified.Count == 0 && Migrations.All(m => m.Succeeded);

    /// <summary>Every problem, one sentence each, in migration order; empty when <see cref="Succeeded"/>.</summary>
    public IReadOnlyList<VerificationProblem> Problems
    {
        get
        {
            var problems = Migrations.SelectMany(m => m.Problems).ToList();
            if (NotVerified.Count > 0)
            {
                var stoppedAt = Migrations.Count > 0 ? $" after migration {Migrations[^1].Migration} failed" : "";
                var cause = Migrations.Count > 0 ? Migrations[^1].Outcome : MigrationVerificationOutcome.UpFailed;
                problems.Add(new VerificationProblem(null, cause, null,
                    $"{NotVerified.Count} migration{(NotVerified.Count == 1 ? " was" : "s were")} not verified because verification stopped{stoppedAt}: " +
                    string.Join(", ", NotVerified.Take(5)) + (NotVerified.Count > 5 ? ", …" : "") + "."));
            }

            return problems;
        }
    }

    /// <summary>"Verified 6 migrations in 1.2 s: all ok", or how many failed.</summary>
    /// <returns>One line.</returns>
    public override string ToString()
    {
        var failed = Migrations.Count(m => !m.Succeeded);
        var summary = failed == 0 && NotVerified.Count == 0
            ? "all ok"
            : $"{failed} failed" + (NotVerified.Count > 0 ? $", {NotVerified.Count} not verified" : "");
        return $"Verified {Migrations.Count} migration{(Migrations.Count == 1 ? "" : "s")} in {Duration.TotalSeconds:0.0} s: {summary}";
    }
}
