using Dapper;

namespace CodeMigrations.Tests.Running;

public sealed class NonTransactionalTests
{
    public static class ConcurrentIndex
    {
        [Migration(1)]
        public sealed class CreateDocs : Migration
        {
            public override void Up() => Execute("CREATE TABLE docs (id int, title text); INSERT INTO docs VALUES (1, 'a')");

            public override void Down() => Execute("DROP TABLE docs");
        }

        [Migration(2, UseTransaction = false)]
        public sealed class IndexTitles : Migration
        {
            public override void Up() => Execute("""
                CREATE INDEX CONCURRENTLY ix_docs_title ON docs (title);
                CREATE INDEX CONCURRENTLY ix_docs_id ON docs (id);
                """);

            public override void Down() => Execute("DROP INDEX CONCURRENTLY ix_docs_id; DROP INDEX CONCURRENTLY ix_docs_title;");
        }
    }

    [Test]
    public async Task A_migration_without_a_transaction_runs_each_concurrent_statement_on_its_own()
    {
        await using var test = await TestRunner.CreateAsync(typeof(ConcurrentIndex));

        await test.Runner.UpAsync();
        Assert.That(await test.TableExistsAsync("ix_docs_title"), Is.True);
        Assert.That(await test.TableExistsAsync("ix_docs_id"), Is.True);
        Assert.That((await test.Runner.GetStatusAsync()).Select(s => s.State), Is.All.EqualTo(MigrationState.Applied));

        await test.Runner.DownAsync();
        Assert.That(await test.TableExistsAsync("ix_docs_title"), Is.False);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
    }

    public static class HalfDone
    {
        [Migration(1)]
        public sealed class CreateDocs : Migration
        {
            public override void Up() => Execute("CREATE TABLE docs (id int, title text)");

            public override void Down() => Execute("DROP TABLE docs");
        }

        [Migration(2, UseTransaction = false)]
        public sealed class IndexThenFail : Migration
        {
            public override void Up() => Execute("""
                CREATE INDEX CONCURRENTLY ix_docs_title ON docs (title);
                CREATE INDEX CONCURRENTLY ix_docs_missing ON docs (no_such_column);
                """);

            public override void Down() => Execute("DROP INDEX CONCURRENTLY IF EXISTS ix_docs_title");
        }

        [Migration(3)]
        public sealed class Later : Migration
        {
            public override void Up() => Execute("CREATE TABLE later (id int)");

            public override void Down() => Execute("DROP TABLE later");
        }
    }

    [Test]
    public async Task A_failure_without_a_transaction_leaves_a_visible_mark_that_blocks_runs_until_resolved()
    {
        await using var test = await TestRunner.CreateAsync(typeof(HalfDone));

        var failure = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;
        Assert.That(failure.Message, Does.Contain("runs without a transaction, so the statements before this one remain in effect")
            .And.Contain("resolve 2 --applied"));
        Assert.That(await test.TableExistsAsync("ix_docs_title"), Is.True, "the first statement stays: there was no transaction");

        var status = await test.Runner.GetStatusAsync();
        Assert.That(status[1].State, Is.EqualTo(MigrationState.FailedUp));
        Assert.That(status[1].Error, Does.Contain("42703").And.Contain("no_such_column"));

        var blockedUp = (await Assert.ThrowsAsync<MigrationBlockedException>(() => test.Runner.UpAsync()))!;
        Assert.That(blockedUp.Message, Does.Contain("2 IndexThenFail, which runs without a transaction, failed while applying: 42703"));
        await Assert.ThrowsAsync<MigrationBlockedException>(() => test.Runner.DownAsync());
        Assert.That(await test.TableExistsAsync("later"), Is.False);

        // The user undoes the half-done index by hand and says so.
        await test.QueryScalarAsync<int>("DROP INDEX ix_docs_title");
        await test.Runner.ResolveAsync(2, MigrationResolution.NotApplied);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public async Task Resolving_as_applied_records_the_migration_and_unblocks_the_next_ones()
    {
        await using var test = await TestRunner.CreateAsync(typeof(HalfDone));
        await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync());

        await test.Runner.ResolveAsync(2, MigrationResolution.Applied);
        await test.Runner.UpAsync();

        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That((await test.Runner.GetStatusAsync()).Select(s => s.State), Is.All.EqualTo(MigrationState.Applied));
    }

    [Test]
    public async Task Resolving_a_version_without_a_mark_is_refused()
    {
        await using var test = await TestRunner.CreateAsync(typeof(HalfDone));
        await test.Runner.UpAsync(target: 1);

        var error = (await Assert.ThrowsAsync<MigrationException>(() => test.Runner.ResolveAsync(1, MigrationResolution.Applied)))!;

        Assert.That(error.Message, Does.Contain("Version 1 has no failed mark to resolve: it is applied"));
    }

    public static class KilledHalfway
    {
        [Migration(1, UseTransaction = false)]
        public sealed class DiesMidway : Migration
        {
            public override void Up()
            {
                Execute("CREATE TABLE before_death (id int)");
                // What a kill -9 of the host or a lost connection looks like to the database: the session ends mid-migration.
                Execute(context => context.Connection.ExecuteAsync("SELECT pg_terminate_backend(pg_backend_pid())"), "die");
                Execute("CREATE TABLE after_death (id int)");
            }

            public override void Down() => Execute("DROP TABLE IF EXISTS after_death; DROP TABLE IF EXISTS before_death");
        }
    }

    [Test]
    public async Task A_migration_without_a_transaction_whose_session_dies_stays_marked_and_is_never_rerun_silently()
    {
        await using var test = await TestRunner.CreateAsync(typeof(KilledHalfway));

        await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync());

        var status = (await test.Runner.GetStatusAsync()).Single();
        Assert.That(status.State, Is.EqualTo(MigrationState.FailedUp));
        Assert.That(status.Error, Is.Null, "the session died before the error could be written: it shows as interrupted");
        var blocked = (await Assert.ThrowsAsync<MigrationBlockedException>(() => test.Runner.UpAsync()))!;
        Assert.That(blocked.Message, Does.Contain("was interrupted"));
        Assert.That(await test.TableExistsAsync("after_death"), Is.False);
    }
}
