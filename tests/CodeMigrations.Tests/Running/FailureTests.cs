namespace CodeMigrations.Tests.Running;

public sealed class FailureTests
{
    public static class SecondStatementFails
    {
        [Migration(1)]
        public sealed class Good : Migration
        {
            public override void Up() => Execute("CREATE TABLE good (id int)");

            public override void Down() => Execute("DROP TABLE good");
        }

        [Migration(2)]
        public sealed class Bad : Migration
        {
            public override void Up()
            {
                Execute("CREATE TABLE first_effect (id int)");
                Execute("""
                    INSERT INTO first_effect VALUES (1);
                    INSERT INTO no_such_table
                        VALUES (1);
                    """);
            }

            public override void Down() => Execute("DROP TABLE first_effect");
        }

        [Migration(3)]
        public sealed class NeverReached : Migration
        {
            public override void Up() => Execute("CREATE TABLE never (id int)");

            public override void Down() => Execute("DROP TABLE never");
        }
    }

    [Test]
    public async Task A_failing_statement_leaves_no_trace_of_its_migration_and_the_ones_before_stay_applied()
    {
        await using var test = await TestRunner.CreateAsync(typeof(SecondStatementFails));

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;

        Assert.That(await test.TableExistsAsync("first_effect"), Is.False, "the first statement's effect was rolled back");
        Assert.That(await test.TableExistsAsync("never"), Is.False, "the run stopped at the failure");
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
        Assert.That(error.Migration.Type, Is.EqualTo(typeof(SecondStatementFails.Bad)));
        Assert.That(error.SqlState, Is.EqualTo("42P01"));
        Assert.That(error.Message, Does.StartWith("Migration 2 Bad failed while applying, at step 2 of 2 (SQL: INSERT INTO first_effect VALUES (1); INSERT INTO no_such_table VALUES (1);), line 2 of the step:"));
        Assert.That(error.Message, Does.Contain("42P01: relation \"no_such_table\" does not exist (position 13)"));
        Assert.That(error.Message, Does.Contain("statement: INSERT INTO no_such_table VALUES (1)"));
        Assert.That(error.Message, Does.Contain("rolled back: none of its changes remain and no history row was written"));
    }

    [Test]
    public async Task A_failure_carries_its_step_statement_line_and_postgresql_error_as_data()
    {
        await using var test = await TestRunner.CreateAsync(typeof(SecondStatementFails));

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;

        var failed = error.FailedStep!;
        Assert.That((failed.Number, failed.Count, failed.Line), Is.EqualTo((2, 2, 2)));
        Assert.That(failed.Step, Is.InstanceOf<SqlStep>());
        Assert.That(failed.Statement?.Text.ReplaceLineEndings("\n"), Is.EqualTo("INSERT INTO no_such_table\n    VALUES (1)"));
        Assert.That(failed.Statement?.Line, Is.EqualTo(2));
        Assert.That((error.PostgresError?.SqlState, error.PostgresError?.Position), Is.EqualTo(("42P01", 13)));
    }

    public static class ParameterisedStepFails
    {
        [Migration(1)]
        public sealed class Bad : Migration
        {
            public override void Up()
            {
                Execute("CREATE TABLE settings (key text PRIMARY KEY, value text)");
                Execute("INSERT INTO settings VALUES (@key, @value)", new { key = "theme", value = "dark" });
                Execute("INSERT INTO settings VALUES (@key, @value)", new { key = "theme", value = "light" });
            }

            public override void Down() => Execute("DROP TABLE settings");
        }
    }

    [Test]
    public async Task A_failure_in_a_migration_with_parameters_is_rolled_back_the_same_way()
    {
        await using var test = await TestRunner.CreateAsync(typeof(ParameterisedStepFails));

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.SqlState, Is.EqualTo("23505"));
        Assert.That(error.Message, Does.Contain("at step 3 of 3").And.Contain("duplicate key value"));
        Assert.That(await test.TableExistsAsync("settings"), Is.False);
        Assert.That(await test.AppliedVersionsAsync(), Is.Empty);
    }

    public static class ConcurrentIndexInTransaction
    {
        [Migration(1)]
        public sealed class CreateTable : Migration
        {
            public override void Up() => Execute("CREATE TABLE docs (id int, title text)");

            public override void Down() => Execute("DROP TABLE docs");
        }

        [Migration(2)]
        public sealed class IndexConcurrently : Migration
        {
            public override void Up() => Execute("""
                -- a comment mentioning CREATE INDEX CONCURRENTLY is fine
                CREATE INDEX CONCURRENTLY ix_docs_title ON docs (title);
                """);

            public override void Down() => Execute("DROP INDEX ix_docs_title");
        }
    }

    [Test]
    public async Task A_transactional_migration_with_CREATE_INDEX_CONCURRENTLY_fails_before_anything_runs()
    {
        await using var test = await TestRunner.CreateAsync(typeof(ConcurrentIndexInTransaction));

        var error = (await Assert.ThrowsAsync<InvalidMigrationException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain("Migration 2 IndexConcurrently cannot run in a transaction")
            .And.Contain("CREATE INDEX CONCURRENTLY").And.Contain("UseTransaction = false"));
        Assert.That(await test.TableExistsAsync("docs"), Is.False, "nothing ran, not even the migration before it");
    }

    public static class ThrowsWhileDescribing
    {
        [Migration(1)]
        public sealed class Throws : Migration
        {
            public override void Up() => throw new InvalidOperationException("config value missing");

            public override void Down()
            {
            }
        }
    }

    [Test]
    public async Task An_Up_that_throws_while_describing_its_steps_is_reported_without_running_anything()
    {
        await using var test = await TestRunner.CreateAsync(typeof(ThrowsWhileDescribing));

        var error = (await Assert.ThrowsAsync<InvalidMigrationException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain("Migration 1 Throws threw while describing its Up steps: InvalidOperationException: config value missing"));
    }

    public static class ExecuteOutsideUp
    {
        [Migration(1)]
        public sealed class CallsExecuteInConstructor : Migration
        {
            public CallsExecuteInConstructor() => Execute("SELECT 1");

            public override void Up()
            {
            }

            public override void Down()
            {
            }
        }
    }

    [Test]
    public async Task Calling_Execute_outside_Up_or_Down_is_refused_with_a_clear_message()
    {
        await using var test = await TestRunner.CreateAsync(typeof(ExecuteOutsideUp));

        var error = (await Assert.ThrowsAsync<InvalidMigrationException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain("Execute can only be called from Up() or Down()"));
    }
}
