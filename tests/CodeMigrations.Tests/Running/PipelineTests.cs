using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tests.Running;

/// <summary>
/// Consecutive plain-SQL migrations go to PostgreSQL as one pipeline, each in its own transaction: these tests hold the
/// pipeline to the same guarantees and the same progress reports as one migration at a time.
/// </summary>
public sealed class PipelineTests
{
    private sealed class Recorder : IMigrationObserver
    {
        public List<string> Events { get; } = [];

        public Action<MigrationInfo>? AfterCompleted { get; set; }

        public void OnMigrationStarting(MigrationInfo migration, MigrationDirection direction) => Events.Add($"start {migration.Version}");

        public void OnMigrationCompleted(MigrationInfo migration, MigrationDirection direction, TimeSpan duration)
        {
            Events.Add($"done {migration.Version}");
            AfterCompleted?.Invoke(migration);
        }

        public void OnMigrationFailed(MigrationInfo migration, MigrationDirection direction, TimeSpan duration, Exception error) =>
            Events.Add($"failed {migration.Version} {error.GetType().Name}");
    }

    public static class Mixed
    {
        [Migration(1)]
        public sealed class First : Migration
        {
            public override void Up() => Execute("CREATE TABLE log (n int); INSERT INTO log VALUES (1)");

            public override void Down() => Execute("DROP TABLE log");
        }

        [Migration(2)]
        public sealed class ReturnsRows : Migration
        {
            // Statements that return rows must not be mistaken for the start of the next migration.
            public override void Up() => Execute("SELECT n FROM log; SELECT 1, 2 FROM generate_series(1, 3); INSERT INTO log VALUES (2)");

            public override void Down() => Execute("DELETE FROM log WHERE n = 2");
        }

        [Migration(3)]
        public sealed class WithParameters : Migration
        {
            public override void Up() => Execute("INSERT INTO log VALUES (@n)", new { n = 3 });

            public override void Down() => Execute("DELETE FROM log WHERE n = 3");
        }

        [Migration(4)]
        public sealed class Fourth : Migration
        {
            public override void Up() => Execute("INSERT INTO log VALUES (4)");

            public override void Down() => Execute("DELETE FROM log WHERE n = 4");
        }

        [Migration(5, UseTransaction = false)]
        public sealed class WithoutTransaction : Migration
        {
            public override void Up() => Execute("CREATE INDEX CONCURRENTLY ix_log_n ON log (n)");

            public override void Down() => Execute("DROP INDEX CONCURRENTLY ix_log_n");
        }

        [Migration(6)]
        public sealed class Last : Migration
        {
            public override void Up() => Execute("INSERT INTO log VALUES (6)");

            public override void Down() => Execute("DELETE FROM log WHERE n = 6");
        }
    }

    [Test]
    public async Task Pipelined_and_other_migrations_run_in_order_and_report_each_one_as_it_commits()
    {
        var recorder = new Recorder();
        await using var test = await TestRunner.CreateAsync(typeof(Mixed), register: s => s.AddSingleton<IMigrationObserver>(recorder));

        var result = await test.Runner.UpAsync();

        Assert.That(result.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(recorder.Events, Is.EqualTo(Enumerable.Range(1, 6).SelectMany(v => new[] { $"start {v}", $"done {v}" })));
        Assert.That(await test.QueryAsync<int>("SELECT n FROM log ORDER BY ctid"), Is.EqualTo(new[] { 1, 2, 3, 4, 6 }));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(await test.QueryAsync<string>("SELECT state FROM public.migration_history ORDER BY version"), Is.All.EqualTo("applied"));

        recorder.Events.Clear();
        await test.Runner.DownAsync(target: 0);

        Assert.That(recorder.Events, Is.EqualTo(Enumerable.Range(1, 6).Reverse().SelectMany(v => new[] { $"start {v}", $"done {v}" })));
        Assert.That(await test.TableExistsAsync("log"), Is.False);
        Assert.That(await test.AppliedVersionsAsync(), Is.Empty);
    }

    public static class FailsAtCommit
    {
        [Migration(1)]
        public sealed class Parents : Migration
        {
            public override void Up() => Execute("CREATE TABLE parent (id int PRIMARY KEY)");

            public override void Down() => Execute("DROP TABLE parent");
        }

        [Migration(2)]
        public sealed class OrphanChild : Migration
        {
            // The deferred foreign key is checked only at COMMIT, after the history row went in.
            public override void Up() => Execute("""
                CREATE TABLE child (parent_id int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);
                INSERT INTO child VALUES (42);
                """);

            public override void Down() => Execute("DROP TABLE child");
        }

        [Migration(3)]
        public sealed class NeverReached : Migration
        {
            public override void Up() => Execute("CREATE TABLE never (id int)");

            public override void Down() => Execute("DROP TABLE never");
        }
    }

    [Test]
    public async Task A_migration_that_fails_at_its_commit_is_rolled_back_and_the_run_stops_there()
    {
        var recorder = new Recorder();
        await using var test = await TestRunner.CreateAsync(typeof(FailsAtCommit), register: s => s.AddSingleton<IMigrationObserver>(recorder));

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.Migration.Version, Is.EqualTo(2));
        Assert.That(error.SqlState, Is.EqualTo("23503"));
        Assert.That(error.Message, Does.StartWith("Migration 2 OrphanChild failed while applying, at its COMMIT:")
            .And.Contain("rolled back: none of its changes remain and no history row was written"));
        Assert.That(recorder.Events, Is.EqualTo(new[] { "start 1", "done 1", "start 2", "failed 2 MigrationFailedException" }));
        Assert.That(await test.TableExistsAsync("parent"), Is.True);
        Assert.That(await test.TableExistsAsync("child"), Is.False);
        Assert.That(await test.TableExistsAsync("never"), Is.False);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
    }

    public static class SlowSecond
    {
        [Migration(1)]
        public sealed class Quick : Migration
        {
            public override void Up() => Execute("CREATE TABLE quick (id int)");

            public override void Down() => Execute("DROP TABLE quick");
        }

        [Migration(2)]
        public sealed class Slow : Migration
        {
            public override void Up() => Execute("CREATE TABLE slow (id int); SELECT pg_sleep(60)");

            public override void Down() => Execute("DROP TABLE slow");
        }

        [Migration(3)]
        public sealed class After : Migration
        {
            public override void Up() => Execute("CREATE TABLE after_slow (id int)");

            public override void Down() => Execute("DROP TABLE after_slow");
        }
    }

    [Test]
    [CancelAfter(50_000)]
    public async Task Cancelling_mid_pipeline_rolls_back_the_migration_in_flight_and_keeps_the_ones_before_it(CancellationToken testToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(testToken);
        var recorder = new Recorder { AfterCompleted = m => cancel.CancelAfter(TimeSpan.FromMilliseconds(300)) };
        await using var test = await TestRunner.CreateAsync(typeof(SlowSecond), register: s => s.AddSingleton<IMigrationObserver>(recorder));

        Assert.That(async () => await test.Runner.UpAsync(cancellationToken: cancel.Token), Throws.InstanceOf<OperationCanceledException>());

        Assert.That(testToken.IsCancellationRequested, Is.False, "the cancellation stopped the sleeping statement");
        Assert.That(recorder.Events, Is.EqualTo(new[] { "start 1", "done 1", "start 2", "failed 2 OperationCanceledException" }));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
        Assert.That(await test.TableExistsAsync("slow"), Is.False);
        Assert.That(await test.TableExistsAsync("after_slow"), Is.False);

        // Nothing is left behind that blocks the next run.
        await test.QueryScalarAsync<int>("SELECT 1");
        Assert.That(await test.QueryScalarAsync<long>("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = current_database()"), Is.Zero);
    }
}
