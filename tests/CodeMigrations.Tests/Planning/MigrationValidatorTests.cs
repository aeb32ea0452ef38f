using CodeMigrations.Execution;
using CodeMigrations.History;
using CodeMigrations.Loading;
using CodeMigrations.Planning;

namespace CodeMigrations.Tests.Planning;

public sealed class MigrationValidatorTests
{
    public static class Set
    {
        [Migration(1)]
        public sealed class One : Migration
        {
            public override void Up() => Execute("CREATE TABLE one (id int)");

            public override void Down() => Execute("DROP TABLE one");
        }

        [Migration(2)]
        public sealed class Two : Migration
        {
            public override void Up() => Execute("CREATE TABLE two (id int)");

            public override void Down() => Execute("DROP TABLE two");
        }

        [Migration(3)]
        public sealed class Three : Migration
        {
            public override void Up() => Execute("CREATE TABLE three (id int)");

            public override void Down() => Execute("DROP TABLE three");
        }
    }

    private static readonly MigrationInfo One = new(1, "One", typeof(Set.One), UseTransaction: true);
    private static readonly MigrationInfo Two = new(2, "Two", typeof(Set.Two), UseTransaction: true);
    private static readonly MigrationInfo Three = new(3, "Three", typeof(Set.Three), UseTransaction: true);
    private static readonly MigrationCatalog Catalog = new([One, Two, Three]);
    private static readonly Dictionary<long, UpDescription> Descriptions = new MigrationActivator().DescribeUpEach(Catalog.Migrations, new NoServices());
    private static readonly string Changed = new('0', 64);

    [Test]
    public void Up_is_refused_when_an_applied_migration_changed_naming_both_checksums()
    {
        var error = Assert.Throws<MigrationValidationException>(() =>
            MigrationValidator.ThrowIfUnsafeToApply(Catalog, [Row(1, Changed)], [Two, Three], Descriptions, allowOutOfOrder: false))!;

        Assert.That(error.Findings.Select(f => (f.Version, f.Problem)), Is.EqualTo(new[] { (1L, MigrationValidationProblem.ChecksumMismatch) }));
        Assert.That(error.Message, Does.StartWith("Nothing was applied: the history and the code disagree (1 finding):")
            .And.Contain($"checksum 000000000000… recorded, {Checksum(1)[..12]}… now"));
    }

    [TestCase("")]
    [TestCase("abc")]
    [TestCase("edited by hand")]
    public void A_recorded_checksum_edited_by_hand_is_a_mismatch_whatever_its_length(string recorded)
    {
        var findings = MigrationValidator.Validate(Catalog, [Row(1, recorded), Row(2, Checksum(2)), Row(3, Checksum(3))], Descriptions);

        Assert.That(findings.Select(f => (f.Version, f.Problem)), Is.EqualTo(new[] { (1L, MigrationValidationProblem.ChecksumMismatch) }));
        Assert.That(findings[0].Message, Does.Contain(recorded.Length > 12 ? $"checksum {recorded[..12]}… recorded" : $"checksum '{recorded}' recorded"));
    }

    [Test]
    public void Up_is_refused_for_pending_migrations_older_than_the_newest_applied_unless_allowed()
    {
        IReadOnlyList<HistoryRow> history = [Row(3, Checksum(3))];

        var error = Assert.Throws<MigrationValidationException>(() =>
            MigrationValidator.ThrowIfUnsafeToApply(Catalog, history, [One, Two], Descriptions, allowOutOfOrder: false))!;

        Assert.That(error.Findings.Select(f => (f.Version, f.Problem)),
            Is.EqualTo(new[] { (1L, MigrationValidationProblem.OutOfOrder), (2L, MigrationValidationProblem.OutOfOrder) }));
        Assert.DoesNotThrow(() => MigrationValidator.ThrowIfUnsafeToApply(Catalog, history, [One, Two], Descriptions, allowOutOfOrder: true));
    }

    [Test]
    public void Rows_without_a_checksum_and_unresolved_marks_are_not_compared() =>
        Assert.DoesNotThrow(() => MigrationValidator.ThrowIfUnsafeToApply(Catalog,
            [Row(1, null), Row(2, Changed, HistoryState.UpIncomplete)], [], Descriptions, allowOutOfOrder: false));

    [Test]
    public void Validate_reports_changes_order_marks_and_missing_classes_by_version()
    {
        var findings = MigrationValidator.Validate(Catalog, [Row(1, Changed), Row(3, null, HistoryState.UpIncomplete), Row(9, null)], Descriptions);

        Assert.That(findings.Select(f => (f.Version, f.Problem)), Is.EqualTo(new[]
        {
            (1L, MigrationValidationProblem.ChecksumMismatch),
            (2L, MigrationValidationProblem.OutOfOrder),
            (3L, MigrationValidationProblem.FailedMark),
            (9L, MigrationValidationProblem.MissingClass),
        }));
        Assert.That(findings[2].Message, Does.StartWith("3 Three runs without a transaction and was interrupted while applying"));
    }

    [Test]
    public void An_applied_migration_that_can_no_longer_be_described_is_reported_as_unreadable()
    {
        var descriptions = new Dictionary<long, UpDescription> { [1] = new(null, new InvalidMigrationException(One, "it threw")) };

        var findings = MigrationValidator.Validate(Catalog, [Row(1, Changed), Row(2, Checksum(2)), Row(3, Checksum(3))], descriptions);

        Assert.That(findings.Single().Problem, Is.EqualTo(MigrationValidationProblem.Unreadable));
        Assert.That(findings.Single().Message, Is.EqualTo("Applied migration 1 One can no longer be checked: it threw"));
    }

    [Test]
    public void Accepting_checksums_stores_those_that_differ_or_were_never_recorded() =>
        Assert.That(MigrationValidator.ChecksumsToAccept([Row(1, Changed), Row(2, Checksum(2)), Row(3, null)], Descriptions),
            Is.EqualTo(new[] { (1L, Checksum(1)), (3L, Checksum(3)) }));

    [Test]
    public void Resolving_a_version_without_a_failed_mark_is_refused_saying_where_it_stands()
    {
        IReadOnlyList<HistoryRow> history = [Row(1, null), Row(2, null, HistoryState.DownIncomplete)];

        Assert.That(Assert.Throws<MigrationException>(() => MigrationValidator.ThrowIfNothingToResolve(history, 1))!.Message,
            Does.StartWith("Version 1 has no failed mark to resolve: it is applied."));
        Assert.That(Assert.Throws<MigrationException>(() => MigrationValidator.ThrowIfNothingToResolve(history, 5))!.Message,
            Does.StartWith("Version 5 has no failed mark to resolve: it is not in the history."));
        Assert.DoesNotThrow(() => MigrationValidator.ThrowIfNothingToResolve(history, 2));
    }

    [Test]
    public void A_timeout_that_is_not_an_interval_is_refused_naming_the_option() =>
        Assert.That(Assert.Throws<MigrationException>(() => MigrationValidator.ThrowIfInvalid(new CodeMigrationsOptions { StatementTimeout = "soon" }))!.Message,
            Does.StartWith("CodeMigrationsOptions.StatementTimeout is \"soon\": use a number with a unit"));

    private static string Checksum(long version) => Descriptions[version].Prepared!.Checksum;

    private static HistoryRow Row(long version, string? checksum, HistoryState state = HistoryState.Applied) =>
        new(version, $"M{version}", $"Set.M{version}", default, null, "test", checksum, state, null);

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
