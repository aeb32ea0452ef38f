using CodeMigrations.History;
using Npgsql;

namespace CodeMigrations.Tests.Running;

public sealed class ConcurrencyTests
{
    public static class Counted
    {
        public abstract class CountedMigration : Migration
        {
            private long Version => ((MigrationAttribute)Attribute.GetCustomAttribute(GetType(), typeof(MigrationAttribute))!).Version;

            public override void Up() => Execute($"CREATE TABLE IF NOT EXISTS runs (version bigint); INSERT INTO runs VALUES ({Version}); SELECT pg_sleep(0.02)");

            public override void Down() => Execute($"DELETE FROM runs WHERE version = {Version}");
        }

        [Migration(1)] public sealed class M1 : CountedMigration;
        [Migration(2)] public sealed class M2 : CountedMigration;
        [Migration(3)] public sealed class M3 : CountedMigration;
        [Migration(4)] public sealed class M4 : CountedMigration;
        [Migration(5)] public sealed class M5 : CountedMigration;
        [Migration(6)] public sealed class M6 : CountedMigration;
    }

    [Test]
    public async Task Several_runners_started_at_once_apply_each_migration_exactly_once()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        var runners = Enumerable.Range(0, 6).Select(_ => TestRunner.For(connectionString, typeof(Counted))).ToList();

        var results = await Task.WhenAll(runners.Select(r => Task.Run(() => r.Runner.UpAsync())));

        Assert.That(results.Sum(r => r.Migrations.Count), Is.EqualTo(6), "every migration was applied by exactly one runner");
        var runs = await runners[0].QueryAsync<long>("SELECT version FROM runs ORDER BY version");
        Assert.That(runs, Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6 }));
        foreach (var runner in runners)
            await runner.DisposeAsync();
    }

    public sealed class RecordingObserver : IMigrationObserver
    {
        public List<MigrationLockHolder?> Holders { get; } = [];

        public void OnWaitingForLock(MigrationLockHolder? holder) => Holders.Add(holder);
    }

    [Test]
    public async Task A_runner_that_cannot_get_the_lock_reports_who_holds_it_and_gives_up_after_the_timeout()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Counted), o => o.LockTimeout = TimeSpan.FromSeconds(1));
        var observer = new RecordingObserver();
        await using var waiting = TestRunner.For(test.ConnectionString, typeof(Counted), o => o.LockTimeout = TimeSpan.FromSeconds(1),
            services => services.Add(new Microsoft.Extensions.DependencyInjection.ServiceDescriptor(typeof(IMigrationObserver), observer)));
        await using var holder = new NpgsqlConnection(test.ConnectionString + ";Application Name=deploy-42");
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", holder))
        {
            take.Parameters.Add(new NpgsqlParameter<long>(null!, new MigrationHistory("public", "migration_history").LockKey));
            await take.ExecuteScalarAsync();
        }

        var error = (await Assert.ThrowsAsync<MigrationLockTimeoutException>(() => waiting.Runner.UpAsync()))!;

        Assert.That(error.Message, Does.Contain("application 'deploy-42'").And.Contain($"pid {holder.ProcessID}").And.Contain("pg_terminate_backend"));
        Assert.That(observer.Holders, Is.Not.Empty);
        Assert.That(observer.Holders[0]!.Pid, Is.EqualTo(holder.ProcessID));
        Assert.That(await test.TableExistsAsync("runs"), Is.False);
    }

    [Test]
    public async Task A_waiting_runner_proceeds_when_the_lock_is_released_and_applies_only_what_is_still_pending()
    {
        await using var first = await TestRunner.CreateAsync(typeof(Counted));
        await using var second = first.Sibling(typeof(Counted));
        await using var holder = new NpgsqlConnection(first.ConnectionString);
        await holder.OpenAsync();
        var key = new MigrationHistory("public", "migration_history").LockKey;
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({key})", holder))
            await take.ExecuteScalarAsync();

        var waiting = second.Runner.UpAsync(target: 3);
        await Task.Delay(300);
        Assert.That(waiting.IsCompleted, Is.False, "the runner waits while another holds the lock");
        await first.Runner.GetStatusAsync(); // status takes no lock
        await using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({key})", holder))
            await release.ExecuteScalarAsync();

        var result = await waiting;
        Assert.That(result.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 1, 2, 3 }));
        Assert.That((await first.Runner.UpAsync()).Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 4, 5, 6 }));
    }

    public static class Slow
    {
        [Migration(1)]
        public sealed class Quick : Migration
        {
            public override void Up() => Execute("CREATE TABLE quick (id int)");

            public override void Down() => Execute("DROP TABLE quick");
        }

        [Migration(2)]
        public sealed class Sleeps : Migration
        {
            public override void Up() => Execute("CREATE TABLE sleepy (id int); SELECT pg_sleep(30)");

            public override void Down() => Execute("DROP TABLE sleepy");
        }
    }

    [Test]
    public async Task Cancelling_rolls_back_the_migration_in_flight_and_releases_the_lock()
    {
        await using var test = await TestRunner.CreateAsync(typeof(Slow));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(1500));

        await Assert.CatchAsync<OperationCanceledException>(() => test.Runner.UpAsync(cancellationToken: cancel.Token));

        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
        Assert.That(await test.TableExistsAsync("sleepy"), Is.False);
        await using var next = test.Sibling(typeof(Slow), o => o.LockTimeout = TimeSpan.Zero);
        Assert.That((await next.Runner.DownAsync()).Migrations, Has.Count.EqualTo(1), "the lock was released: another runner gets it at once");
    }
}
