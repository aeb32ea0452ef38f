using CodeMigrations.Linting;

namespace CodeMigrations.Tests.Linting;

public sealed class MigrationLinterTests
{
    [Test]
    public void A_finding_names_the_migration_the_step_the_statement_and_what_it_does()
    {
        var report = MigrationLinter.Lint([new MigrationLintInput(20240101, "AddNameIndex", ["SELECT 1", "\n  CREATE INDEX accounts_name ON accounts (name);\nSELECT 2"], [])]);

        var finding = report.Findings.Single();
        Assert.Multiple(() =>
        {
            Assert.That(finding.Version, Is.EqualTo(20240101));
            Assert.That(finding.ClassName, Is.EqualTo("AddNameIndex"));
            Assert.That(finding.Rule, Is.SameAs(LintRules.CreateIndexNonConcurrently));
            Assert.That(finding.Step, Is.EqualTo(2));
            Assert.That(finding.Statement, Is.EqualTo("CREATE INDEX accounts_name ON accounts (name)"));
            Assert.That(finding.Message, Does.Contain("table accounts").And.Contain("SHARE lock").And.Contain("CONCURRENTLY"));
            Assert.That(finding.Suppressed, Is.False);
        });
    }

    [Test]
    public void An_allowance_suppresses_its_rule_only_with_its_reason()
    {
        var report = MigrationLinter.Lint([new MigrationLintInput(1, "Shrink", ["ALTER TABLE t ALTER COLUMN c TYPE int; DROP TABLE old"],
            [new LintAllowance("changing-column-type", "the table has 10 rows")])]);

        Assert.That(report.Findings.Select(f => (f.Rule.Id, f.SuppressedBecause)), Is.EqualTo(new (string, string?)[]
        {
            ("changing-column-type", "the table has 10 rows"),
            ("dropping-table", null),
        }));
    }

    [Test]
    public void Code_steps_are_skipped_and_listed()
    {
        var report = MigrationLinter.Lint([new MigrationLintInput(3, "Backfill", ["CREATE TABLE t (id int)", null], [])]);

        Assert.That(report.SkippedSteps.Select(s => (s.Version, s.ClassName, s.Step)), Is.EqualTo(new[] { (3L, "Backfill", 2) }));
    }

    [Test]
    public void An_allowance_naming_no_rule_is_a_problem_that_names_the_migration() =>
        Assert.That(MigrationLinter.Lint([new MigrationLintInput(4, "Typo", [], [new LintAllowance("drop-table", "x")])]).Problems.Single(),
            Does.Contain("4 Typo").And.Contain("\"drop-table\"").And.Contain("dropping-table"));

    [Test]
    public void Statements_inside_a_function_body_are_not_linted_as_statements() =>
        Assert.That(MigrationLinter.Lint([new MigrationLintInput(5, "Fn", ["""
            CREATE FUNCTION wipe() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM accounts; END;
            CREATE FUNCTION wipe2() RETURNS void AS $$ DELETE FROM accounts $$ LANGUAGE sql
            """], [])]).Findings, Is.Empty);
}
