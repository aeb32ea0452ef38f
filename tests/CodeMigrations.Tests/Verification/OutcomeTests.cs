using CodeMigrations.Schema;
using CodeMigrations.Verification;

namespace CodeMigrations.Tests.Verification;

[Parallelizable(ParallelScope.All)]
public sealed class OutcomeTests
{
    [Test]
    public async Task Every_migration_after_a_failure_is_judged_and_gets_one_outcome_of_its_own()
    {
        var result = await new MigrationVerifier(MigrationVerifierTests.Options(typeof(EveryOutcome))).VerifyAsync();

        Assert.That(result.Migrations.Select(m => $"{m.Migration.Version} {m.Outcome.ToCode()}"), Is.EqualTo(new[]
        {
            "1 ok", "2 down-failed", "3 down-differs", "4 up-again-fails", "5 up-again-differs", "6 down-failed", "7 irreversible",
            "8 ok", "9 ok", "10 ok", "11 up-failed",
        }));
        Assert.That(result.NotVerified.Select(m => m.Version), Is.EqualTo(new long[] { 12 }), "only after an Up that fails on its own");
        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.ToString(), Does.Match(
            @"^Verified 11 migrations in \d+\.\d s: 4 ok, 1 irreversible, 2 down-failed, 1 down-differs, 1 up-again-fails, 1 up-again-differs, 1 up-failed; " +
            "notes: 1 column-order-only, 2 time-literals-only; 1 not verified$"));
    }

    [Test]
    public async Task Each_outcome_names_what_went_wrong()
    {
        var result = await new MigrationVerifier(MigrationVerifierTests.Options(typeof(EveryOutcome))).VerifyAsync();
        string[] Problems(long version) => result.Migrations.Single(m => m.Migration.Version == version).Problems.Select(p => p.ToString()).ToArray();

        Assert.That(Problems(2), Is.EqualTo(new[]
        {
            "Migration 2 AddIsbn: Down failed: at step 1 of 1 (SQL: ALTER TABLE book DROP COLUMN isbn): 42P01: relation \"book\" does not exist",
        }));
        Assert.That(Problems(3), Is.EqualTo(new[]
        {
            "Migration 3 IndexTitles: Down does not restore the schema from before Up: index ix_books_title exists but should not.",
        }));
        Assert.That(Problems(4).Single(), Does.StartWith("Migration 4 SeedTheme: Up failed when applied again after Down: ").And.Contain("23505"));
        Assert.That(Problems(5), Is.EqualTo(new[]
        {
            "Migration 5 StampBooks: Up applied again after Down gives another schema than the first time: comment of table books differs: expected build 1, found build 2.",
        }));
        Assert.That(Problems(6).Single(), Does.StartWith("Migration 6 IndexEmails: Down failed: ").And.Contain("ix_books_mail"));
        Assert.That(Problems(11).Single(), Does.StartWith("Migration 11 IndexAuthors: Up failed: ").And.Contain("author_id"));
    }

    [Test]
    public async Task A_column_put_last_and_a_folded_time_literal_are_notes_not_failures()
    {
        var result = await new MigrationVerifier(MigrationVerifierTests.Options(typeof(FalseAlarms.ColumnReaddedLast))).VerifyAsync();
        var literals = await new MigrationVerifier(MigrationVerifierTests.Options(typeof(FalseAlarms.TimeLiteralView))).VerifyAsync();

        Assert.That(result.Succeeded, Is.True, string.Join("; ", result.Problems));
        Assert.That(result.HasNotes, Is.True);
        var dropNickname = result.Migrations[1];
        Assert.That(dropNickname.Outcome, Is.EqualTo(MigrationVerificationOutcome.Ok));
        Assert.That(dropNickname.Notes, Is.EqualTo(new[] { MigrationVerificationNote.ColumnOrderOnly }));
        Assert.That(dropNickname.NoteLines, Is.EqualTo(new[]
        {
            "Migration 2 DropNickname: column-order-only: column order of table users differs: expected id, nickname, email, found id, email, nickname.",
        }));
        Assert.That(dropNickname.ToString(), Does.Match(@"^2 DropNickname: ok \[column-order-only\] \(\d+ ms\)$"));

        Assert.That(literals.Succeeded, Is.True, string.Join("; ", literals.Problems));
        // The first migration's Up, applied again, folds another literal into its view; the second one's Down rebuilds that view.
        Assert.That(literals.Migrations.Select(m => m.Notes.Count), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(literals.Migrations[1].Notes, Is.EqualTo(new[] { MigrationVerificationNote.TimeLiteralsOnly }));
        Assert.That(literals.Migrations[1].NotedDifferences[0].Property, Is.EqualTo("definition"));
        Assert.That(literals.ToString(), Does.EndWith(": 2 ok; notes: 2 time-literals-only"));
    }

    [Test]
    public async Task Verify_from_a_version_applies_the_older_migrations_plainly_and_judges_only_that_one_and_later()
    {
        var result = await new MigrationVerifier(MigrationVerifierTests.Options(typeof(EveryOutcome))).VerifyAsync(new VerificationOptions { From = 9 });

        Assert.That(result.AppliedOnly.Select(m => m.Version), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6, 7, 8 }));
        Assert.That(result.Migrations.Select(m => $"{m.Migration.Version} {m.Outcome.ToCode()}"), Is.EqualTo(new[] { "9 ok", "10 ok", "11 up-failed" }));
        Assert.That(result.ToString(), Does.StartWith("Verified 3 migrations (after applying 8 older ones plainly) in "));
    }

    [Test]
    public void Verify_from_a_version_after_a_failing_up_says_the_schema_cannot_be_built()
    {
        var verifier = new MigrationVerifier(MigrationVerifierTests.Options(typeof(EveryOutcome)));

        Assert.That(async () => await verifier.VerifyAsync(new VerificationOptions { From = 12 }), Throws.InstanceOf<MigrationException>()
            .With.Message.StartsWith("Could not build the schema to verify from: migration 11 IndexAuthors, older than the version to start at, failed"));
    }

    [Test]
    public void Time_literals_folded_at_creation_are_normalised_and_other_literals_are_not()
    {
        const string first = "SELECT id FROM events WHERE (happened_at > ('2026-11-30 03:21:00.123456'::timestamp without time zone - '1 mon'::interval));";
        const string second = "SELECT id FROM events WHERE (happened_at > ('2026-11-30 03:21:07.9'::timestamp without time zone - '1 mon'::interval));";

        Assert.That(TimeLiterals.OnlyDiffer(first, second), Is.True);
        Assert.That(TimeLiterals.OnlyDiffer(first, first), Is.False, "equal values do not differ at all");
        Assert.That(TimeLiterals.OnlyDiffer(first, second.Replace("id FROM", "id, kind FROM", StringComparison.Ordinal)), Is.False);
        Assert.That(TimeLiterals.OnlyDiffer("'2024-01-01'::date", "'2024-01-02'::date"), Is.True);
        Assert.That(TimeLiterals.OnlyDiffer("'5'::integer", "'6'::integer"), Is.False);
    }
}
