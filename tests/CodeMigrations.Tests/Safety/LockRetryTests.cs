using CodeMigrations.Execution;
using CodeMigrations.Tests.Running;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CodeMigrations.Tests.Safety;

/// <summary>A migration in a transaction that gives up waiting for a lock rolled back whole, so it runs again after a pause.</summary>
public sealed class LockRetryTests
{
    public static class BusyTable
    {
        [Migration(1)]
        public sealed class CreateBusy : Migration
        {
            public override void Up() => Execute("CREATE TABLE busy (id int)");

            public override void Down() => Execute("DROP TABLE busy");
        }

        [Migration(2, DdlLockTimeout = "500ms")]
        public sealed class AlterBusy : Migration
        {
            public override void Up() => Execute("ALTER TABLE busy ADD COLUMN extra int");

            public override void Down() => Execute("ALTER TABLE busy DROP COLUMN extra");
        }
    }

    private sealed class RetryRecorder : IMigrationObserver
    {
        public List<(long Version, int Retry, int Retries)> Retries { get; } = [];

        public void OnMigrationRetrying(MigrationInfo migration, MigrationDirection direction, int retry, int retries, TimeSpan pause, Exception error) =>
            Retries.Add((migration.Version, retry, retries));
    }

    [Test]
    public async Task A_migration_that_hits_its_lock_timeout_runs_again_after_the_table_is_released_and_succeeds()
    {
        var recorder = new RetryRecorder();
        await using var test = await TestRunner.CreateAsync(typeof(BusyTable), o => o.DdlLockRetries = 4, s => s.AddSingleton<IMigrationObserver>(recorder));
        await test.Runner.UpAsync(target: 1);
        await using var busy = new NpgsqlConnection(test.ConnectionString);
        await busy.OpenAsync();
        var transaction = await busy.BeginTransactionAsync();
        await busy.ExecuteAsync("SELECT * FROM busy", transaction: transaction); // holds ACCESS SHARE until released
        var release = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await transaction.RollbackAsync();
        });

        var result = await test.Runner.UpAsync();
        await release;

        Assert.That(result.Migrations.Select(m => m.Migration.Version), Is.EqualTo(new long[] { 2 }));
        Assert.That(recorder.Retries, Is.Not.Empty, "it hit the lock timeout at least once");
        Assert.That(recorder.Retries, Has.All.Matches<(long Version, int Retry, int Retries)>(r => r.Version == 2 && r.Retries == 4));
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(await test.QueryScalarAsync<bool>("SELECT EXISTS (SELECT FROM information_schema.columns WHERE table_name = 'busy' AND column_name = 'extra')"), Is.True);
    }

    [Test]
    public async Task Without_retries_a_lock_timeout_fails_the_run_at_once()
    {
        var recorder = new RetryRecorder();
        await using var test = await TestRunner.CreateAsync(typeof(BusyTable), o => o.DdlLockRetries = 0, s => s.AddSingleton<IMigrationObserver>(recorder));
        await test.Runner.UpAsync(target: 1);
        await using var busy = new NpgsqlConnection(test.ConnectionString);
        await busy.OpenAsync();
        await using var transaction = await busy.BeginTransactionAsync();
        await busy.ExecuteAsync("SELECT * FROM busy", transaction: transaction);

        var error = (await Assert.ThrowsAsync<MigrationFailedException>(() => test.Runner.UpAsync()))!;

        Assert.That(error.SqlState, Is.EqualTo("55P03"));
        Assert.That(recorder.Retries, Is.Empty);
        Assert.That(await test.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public void Only_a_migration_in_a_transaction_gets_retries_and_its_attribute_wins()
    {
        var options = new CodeMigrationsOptions { DdlLockRetries = 3 };
        var plain = new MigrationInfo(1, "plain", typeof(BusyTable.AlterBusy), UseTransaction: true);
        var own = new MigrationInfo(2, "own", typeof(BusyTable.AlterBusy), UseTransaction: true) { DdlLockRetries = 1 };
        var without = new MigrationInfo(3, "without", typeof(BusyTable.AlterBusy), UseTransaction: false) { DdlLockRetries = 5 };

        Assert.That(LockRetryPolicy.RetriesFor(plain, options), Is.EqualTo(3));
        Assert.That(LockRetryPolicy.RetriesFor(own, options), Is.EqualTo(1));
        Assert.That(LockRetryPolicy.RetriesFor(without, options), Is.Zero);
    }

    [TestCase(1, 500, 1000)]
    [TestCase(2, 1000, 2000)]
    [TestCase(3, 2000, 4000)]
    [TestCase(10, 15000, 30000)]
    public void Pauses_grow_with_jitter_and_stay_under_half_a_minute(int retry, int atLeastMs, int atMostMs)
    {
        var random = new Random(retry);
        for (var i = 0; i < 100; i++)
        {
            var pause = LockRetryPolicy.PauseBefore(retry, random);
            Assert.That(pause.TotalMilliseconds, Is.InRange(atLeastMs, atMostMs));
        }
    }
}
