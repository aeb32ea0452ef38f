using CodeMigrations.Cli.Commands;
using CodeMigrations.Cli.Output;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests.Output;

/// <summary>The pure parts of the CLI: durations, the status summary, and which error gives which exit code.</summary>
public sealed class FormattingTests
{
    [TestCase(0.4, "0 ms")]
    [TestCase(12, "12 ms")]
    [TestCase(999.4, "999 ms")]
    [TestCase(1240, "1.24 s")]
    [TestCase(123_000, "2 min 03 s")]
    public void Durations_read_in_the_unit_that_fits(double milliseconds, string expected) =>
        Assert.That(Durations.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));

    [Test]
    public void The_status_summary_counts_each_state_and_explains_missing_and_failed_ones()
    {
        MigrationStatus Line(long version, MigrationState state) => new(version, "x", "X", state, null, null, null, null);

        Assert.That(StatusTable.Summary([Line(1, MigrationState.Applied), Line(2, MigrationState.Pending)]), Is.EqualTo("1 applied, 1 pending."));
        Assert.That(StatusTable.Summary([Line(1, MigrationState.Applied)]), Is.EqualTo("1 applied, 0 pending: the database is up to date."));
        var troubled = StatusTable.Summary([Line(1, MigrationState.Missing), Line(2, MigrationState.FailedDown)]);
        Assert.That(troubled, Does.StartWith("0 applied, 0 pending, 1 missing, 1 failed."));
        Assert.That(troubled, Does.Contain("down refuses to revert it").And.Contain("blocked until each FAILED migration is resolved"));
    }

    [Test]
    public void Status_shows_why_a_migration_is_irreversible_in_the_table_and_the_json()
    {
        MigrationStatus[] lines =
        [
            new(1, "CreateUsers", "CreateUsers", MigrationState.Applied, null, null, null, null),
            new(2, "DropLegacy", "DropLegacy", MigrationState.Pending, null, null, null, null, "drops the legacy column and its data"),
        ];
        var output = new StringWriter();

        StatusTable.Write(new CliConsole(output, TextWriter.Null, outputColour: false, errorColour: false), lines);
        var json = new StringWriter();
        StatusJson.Write(json, lines);

        Assert.That(output.ToString().Split(Environment.NewLine), Has.Exactly(1).EqualTo("         irreversible: drops the legacy column and its data; down cannot revert it"));
        Assert.That(output.ToString().Split("irreversible:").Length, Is.EqualTo(2), "only the irreversible migration has the line");
        Assert.That(json.ToString(), Does.Contain("\"irreversible\": null").And.Contain("\"irreversible\": \"drops the legacy column and its data\""));
    }

    [Test]
    public void A_description_with_line_breaks_stays_on_its_row_of_the_status_table()
    {
        MigrationStatus[] lines =
        [
            new(1, "first line\nsecond\r\n\tthird", "A", MigrationState.Applied, null, null, null, null),
            new(2, "B", "B", MigrationState.Pending, null, null, null, null, "drops\ndata"),
            new(3, "C", "C", MigrationState.Pending, null, null, null, null),
        ];
        var output = new StringWriter();

        StatusTable.Write(new CliConsole(output, TextWriter.Null, outputColour: false, errorColour: false), lines);

        var rows = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(rows, Has.Length.EqualTo(6), "a header, three rows, one irreversible line and the summary");
        Assert.That(rows[1], Does.Contain(@"first line\nsecond\r\n\tthird"));
        Assert.That(rows[3], Does.Contain(@"irreversible: drops\ndata; down cannot revert it"));
    }

    private static readonly MigrationInfo Info = new(7, "Seven", typeof(FormattingTests), true);

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return new TestCaseData(new InvalidMigrationSetException(["two classes"]), 2);
        yield return new TestCaseData(new InvalidMigrationException(Info, "cannot run"), 2);
        yield return new TestCaseData(new UnknownMigrationTargetException(9, "no such target"), 2);
        yield return new TestCaseData(new ArgumentException("both given"), 2);
        yield return new TestCaseData(new MigrationCliUsageException("set it up"), 2);
        yield return new TestCaseData(new MigrationFailedException(Info, MigrationDirection.Up, "failed", new InvalidOperationException()), 1);
        yield return new TestCaseData(new MigrationBlockedException([7], "blocked"), 1);
        yield return new TestCaseData(new MissingMigrationException([7], "missing"), 1);
        yield return new TestCaseData(new MigrationLockTimeoutException("lock"), 1);
        yield return new TestCaseData(new MigrationDatabaseException("unreachable"), 1);
        yield return new TestCaseData(new InvalidOperationException("a bug"), 1);
    }

    [TestCaseSource(nameof(Errors))]
    public void Each_kind_of_error_maps_to_its_exit_code(Exception error, int exitCode) =>
        Assert.That(ErrorReport.Classify(error).ExitCode, Is.EqualTo(exitCode));

    [Test]
    public void An_argument_exceptions_message_loses_the_parameter_name()
    {
        var (_, message) = ErrorReport.Classify(new ArgumentOutOfRangeException("steps", 0, "The number of steps to revert must be at least 1."));

        Assert.That(message, Is.EqualTo("The number of steps to revert must be at least 1."));
    }
}
