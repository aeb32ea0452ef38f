using CodeMigrations.Schema;

namespace CodeMigrations.Verification;

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

/// <summary>What <c>verify</c> found, migration by migration.</summary>
public sealed class VerificationResult
{
    internal VerificationResult(IReadOnlyList<MigrationVerification> migrations, IReadOnlyList<MigrationInfo> notVerified,
        string scratchDatabase, IReadOnlyList<string> notes, TimeSpan duration, IReadOnlyList<MigrationInfo>? appliedOnly = null)
    {
        Migrations = migrations;
        NotVerified = notVerified;
        ScratchDatabase = scratchDatabase;
        Notes = notes;
        Duration = duration;
        AppliedOnly = appliedOnly ?? [];
    }

    /// <summary>Each migration verified, oldest first.</summary>
    public IReadOnlyList<MigrationVerification> Migrations { get; }

    /// <summary>
    /// The migrations left unverified: those after an Up that failed on its own (the schema they expect does not exist),
    /// or after a failure that could not be undone (a migration without a transaction on a scratch database given by
    /// the user, which cannot be rebuilt).
    /// </summary>
    public IReadOnlyList<MigrationInfo> NotVerified { get; }

    /// <summary>The migrations below <see cref="VerificationOptions.From"/>: applied plainly to build the schema, not judged.</summary>
    public IReadOnlyList<MigrationInfo> AppliedOnly { get; }

    /// <summary>The scratch database's name.</summary>
    public string ScratchDatabase { get; }

    /// <summary>Remarks that are not verification problems, e.g. a scratch database that could not be dropped or emptied.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The whole run's time, creating and dropping the scratch database included.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether every migration was verified and passed (notes do not count as failures).</summary>
    public bool Succeeded => NotVerified.Count == 0 && Migrations.All(m => m.Succeeded);

    /// <summary>Whether any migration has a note (<see cref="MigrationVerification.Notes"/>): what <c>verify --strict</c> fails on too.</summary>
    public bool HasNotes => Migrations.Any(m => m.Notes.Count > 0);

    /// <summary>How many migrations had each outcome; outcomes no migration had are left out.</summary>
    public IReadOnlyDictionary<MigrationVerificationOutcome, int> OutcomeCounts =>
        MigrationVerificationCodes.Outcomes
            .Select(o => (Outcome: o, Count: Migrations.Count(m => m.Outcome == o)))
            .Where(c => c.Count > 0)
            .ToDictionary(c => c.Outcome, c => c.Count);

    /// <summary>How many migrations had each note; notes no migration had are left out.</summary>
    public IReadOnlyDictionary<MigrationVerificationNote, int> NoteCounts =>
        Enum.GetValues<MigrationVerificationNote>()
            .Select(n => (Note: n, Count: Migrations.Count(m => m.Notes.Contains(n))))
            .Where(c => c.Count > 0)
            .ToDictionary(c => c.Note, c => c.Count);

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

    /// <summary>
    /// "Verified 6 migrations in 1.2 s: all ok", or the count of each outcome and note: "Verified 233 migrations in
    /// 5.1 s: 220 ok, 2 irreversible, 8 down-differs, 3 up-again-fails; notes: 10 column-order-only; 0 not verified".
    /// </summary>
    /// <returns>One line.</returns>
    public override string ToString()
    {
        var counts = OutcomeCounts;
        var noteCounts = NoteCounts;
        var summary = counts.Keys.All(o => o == MigrationVerificationOutcome.Ok) && noteCounts.Count == 0 && NotVerified.Count == 0
            ? "all ok"
            : string.Join(", ", counts.Select(c => $"{c.Value} {c.Key.ToCode()}"))
              + (noteCounts.Count > 0 ? "; notes: " + string.Join(", ", noteCounts.Select(c => $"{c.Value} {c.Key.ToCode()}")) : "")
              + (NotVerified.Count > 0 ? $"; {NotVerified.Count} not verified" : "");
        var from = AppliedOnly.Count > 0 ? $" (after applying {AppliedOnly.Count} older one{(AppliedOnly.Count == 1 ? "" : "s")} plainly)" : "";
        return $"Verified {Migrations.Count} migration{(Migrations.Count == 1 ? "" : "s")}{from} in {Duration.TotalSeconds:0.0} s: {summary}";
    }
}
