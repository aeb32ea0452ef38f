using System.Globalization;
using System.Text.RegularExpressions;
using CodeMigrations.Testing;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests.Pooling;

/// <summary>
/// Runners through a real PgBouncer in transaction pooling mode, with a plain connection string: a server connection goes
/// back to the pool after every transaction, so nothing a run needs may live in the session.
/// </summary>
public sealed partial class PgBouncerTests
{
    private PgBouncerProcess _bouncer = null!;

    [OneTimeSetUp]
    public async Task StartPgBouncerAsync() =>
        // A pool of 3 server connections for 8 runners: they really share them.
        _bouncer = await PgBouncerProcess.StartAsync(await TestPostgres.GetServerAsync(), poolSize: 3);

    [OneTimeTearDown]
    public async Task StopPgBouncerAsync() => await _bouncer.DisposeAsync();

    [Test]
    public async Task Eight_runners_at_once_apply_each_migration_exactly_once_and_leave_no_advisory_lock_behind()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var pooled = new TestDatabase(_bouncer.Through(database.ConnectionString));

        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => HostProcess.RunAsync(pooled, "pooled", "up")));

        var report = string.Join("\n", runs.Select(r => r.ToString())) + "\n--- PgBouncer ---\n" + _bouncer.Log;
        Assert.That(runs.Select(r => r.ExitCode), Is.All.EqualTo(0), report);
        Assert.That(runs.Sum(AppliedBy), Is.EqualTo(30), report);
        var all = Enumerable.Range(1001, 30).Select(v => (long)v).ToArray();
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(all));
        Assert.That(await database.QueryAsync<long>("SELECT version FROM pooled_effects ORDER BY version"), Is.EqualTo(all),
            "each migration's statements ran exactly once");
        Assert.That(await database.AdvisoryLocksAsync(), Is.Zero, "no advisory lock is left on a pooled server connection");

        var again = await HostProcess.RunAsync(HostProcess.TestHostPath, HostProcess.Environment(pooled.ConnectionString, "pooled"),
            ["up", "--lock-timeout", "10"], TimeSpan.FromSeconds(40));
        Assert.That(again.ExitCode, Is.EqualTo(0), again.ToString());
        Assert.That(AppliedBy(again), Is.Zero, again.ToString());
        Assert.That(await database.AdvisoryLocksAsync(), Is.Zero);
    }

    [Test]
    public async Task A_run_waiting_through_the_pooler_for_another_one_goes_on_once_it_is_done()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var pooled = new TestDatabase(_bouncer.Through(database.ConnectionString));
        await using var slow = HostProcess.Start(pooled, "slow", "up");
        await slow.WaitForOutputAsync("→ 301 SleepInTransaction …");
        var holder = await database.QueryAsync<(string State, bool NoSnapshot)>("""
            SELECT a.state, a.backend_xmin IS NULL AND a.backend_xid IS NULL
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """);
        Assert.That(holder, Is.EqualTo(new[] { ("idle in transaction", true) }),
            "the lock is held by an idle transaction of its own, which holds no snapshot and no transaction id (so it holds back no vacuum)");

        var waiting = await HostProcess.RunAsync(pooled, "slow", "up", "--lock-timeout", "1");

        Assert.That(waiting.ExitCode, Is.EqualTo(1), waiting.ToString());
        Assert.That(waiting.Stdout, Does.Contain("waiting for the migration lock, held by pid"), waiting.ToString());
        Assert.That(waiting.Stderr, Does.StartWith("Another migration run held the migration lock for longer than the lock timeout (1 s)"), waiting.ToString());
        await slow.InterruptAsync();
        await slow.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.That(await database.AdvisoryLocksAsync(), Is.Zero, "an interrupted run through the pooler leaves no lock behind");
    }

    [Test]
    public async Task A_migration_without_a_transaction_is_refused_through_the_pooler_before_anything_runs_and_runs_on_a_direct_connection()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var pooled = new TestDatabase(_bouncer.Through(database.ConnectionString));

        var refused = await HostProcess.RunAsync(pooled, "pooled,pooled-nontransactional", "up");

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("1031").And.Contain("without a transaction").And.Contain("pooler"), refused.ToString());
        Assert.That(await database.AppliedVersionsAsync(), Is.Empty, "nothing ran");
        Assert.That(await database.AdvisoryLocksAsync(), Is.Zero);

        var direct = await HostProcess.RunAsync(database, "pooled,pooled-nontransactional", "up");
        Assert.That(direct.ExitCode, Is.EqualTo(0), direct.ToString());
        Assert.That(await database.AppliedVersionsAsync(), Has.Length.EqualTo(31));
    }

    [Test]
    public async Task Through_statement_pooling_which_allows_no_transaction_the_run_fails_before_anything_runs_saying_so()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var statementPooling = await PgBouncerProcess.StartAsync(await TestPostgres.GetServerAsync(), poolSize: 3, poolMode: "statement");
        var pooled = new TestDatabase(statementPooling.Through(database.ConnectionString));

        var run = await HostProcess.RunAsync(pooled, "pooled", "up");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.Contain("statement pooling"), run.ToString());
        Assert.That(await database.AppliedVersionsAsync(), Is.Empty);
        Assert.That(await database.AdvisoryLocksAsync(), Is.Zero);
    }

    private static int AppliedBy(HostResult run) =>
        AppliedCount().Match(run.Stdout) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"Applied (\d+) migrations? in")]
    private static partial Regex AppliedCount();
}
