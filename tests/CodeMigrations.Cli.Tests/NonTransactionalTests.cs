using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>A migration without a transaction fails half-way: status shows it, runs are blocked, resolve unblocks them.</summary>
public sealed class NonTransactionalTests
{
    [Test]
    public async Task A_failure_without_a_transaction_shows_in_status_blocks_runs_and_resolve_not_applied_unblocks_them()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var up = await HostProcess.RunAsync(database, "ok,nontransactional", "up");
        Assert.That(up.ExitCode, Is.EqualTo(1), up.ToString());
        Assert.That(up.Stderr, Does.Contain("Migration 401 IndexMissingTableConcurrently failed while applying")
            .And.Contain("42P01").And.Contain("'resolve 401 --applied' or 'resolve 401 --not-applied'"));
        Assert.That(await database.TableExistsAsync("nt_effect"), Is.True, "the statement before the failure stays in effect");

        var status = await HostProcess.RunAsync(database, "ok,nontransactional", "status");
        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        Assert.That(status.Stdout, Does.Match(@"\n401\s+Index missing table concurrently\s+FAILED \(up\)"));
        Assert.That(status.Stdout, Does.Contain("error: 42P01: relation \"no_such_table\" does not exist"));
        Assert.That(status.Stdout, Does.Contain("'resolve 401 --applied' or 'resolve 401 --not-applied'"));
        Assert.That(status.Stdout, Does.Contain("3 applied, 0 pending, 1 failed."));

        var json = await HostProcess.RunAsync(database, "ok,nontransactional", "status", "--json");
        Assert.That(json.Stdout, Does.Contain("\"state\": \"failedUp\"").And.Contain("\"error\": \"42P01: relation"));

        var blocked = await HostProcess.RunAsync(database, "ok,nontransactional", "up");
        Assert.That(blocked.ExitCode, Is.EqualTo(1), blocked.ToString());
        Assert.That(blocked.Stderr, Does.StartWith("Migrations are blocked").And.Contain("resolve VERSION --not-applied"));
        var blockedDown = await HostProcess.RunAsync(database, "ok,nontransactional", "down");
        Assert.That(blockedDown.ExitCode, Is.EqualTo(1), blockedDown.ToString());

        // The user undoes the statement that ran, then records it.
        await database.ExecuteAsync("DROP TABLE nt_effect");
        var resolve = await HostProcess.RunAsync(database, "ok,nontransactional", "resolve", "401", "--not-applied");
        Assert.That(resolve.ExitCode, Is.EqualTo(0), resolve.ToString());
        Assert.That(resolve.Stdout, Is.EqualTo("Resolved 401: its mark is removed, so it counts as not applied and the next up runs it again.\n"));
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102, 103 }));

        var again = await HostProcess.RunAsync(database, "ok,nontransactional", "resolve", "401", "--not-applied");
        Assert.That(again.ExitCode, Is.EqualTo(2), "nothing left to resolve is bad usage: " + again);
        Assert.That(again.Stderr, Does.Contain("Version 401 has no failed mark to resolve"));
    }

    [Test]
    public async Task Resolve_applied_records_a_failed_migration_as_applied()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "nontransactional", "up");

        // The user completes it by hand (here: an index on the table that does exist), then records it.
        var resolve = await HostProcess.RunAsync(database, "nontransactional", "resolve", "401", "--applied");

        Assert.That(resolve.ExitCode, Is.EqualTo(0), resolve.ToString());
        Assert.That(resolve.Stdout, Is.EqualTo("Resolved 401: recorded as applied.\n"));
        var status = await HostProcess.RunAsync(database, "nontransactional", "status");
        Assert.That(status.Stdout, Does.Match(@"\n401\s+Index missing table concurrently\s+applied"));
        var up = await HostProcess.RunAsync(database, "nontransactional", "up");
        Assert.That(up.ExitCode, Is.EqualTo(0), up.ToString());
        Assert.That(up.Stdout, Does.Contain("nothing to apply"));
    }

    [Test]
    public async Task Status_calls_a_migration_without_a_transaction_in_flight_running_and_names_the_run()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var run = HostProcess.Start(database, "slow-nontransactional", "up");
        await run.WaitForOutputAsync("→ 302 SleepWithoutTransaction …");

        var status = await HostProcess.RunAsync(database, "slow-nontransactional", "status");
        var json = await HostProcess.RunAsync(database, "slow-nontransactional", "status", "--json");

        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        Assert.That(status.Stdout, Does.Contain("running (up)").And.Contain("running: being applied now, without a transaction, by the run holding the migration lock (pid ")
            .And.Contain("0 applied, 0 pending, 1 running.").And.Not.Contain("FAILED"), status.ToString());
        Assert.That(json.Stdout, Does.Contain("\"state\": \"runningUp\"").And.Contain("\"runningIn\": \"pid "), json.ToString());

        await run.InterruptAsync();
        await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var after = await HostProcess.RunAsync(database, "slow-nontransactional", "status");
        Assert.That(after.Stdout, Does.Contain("FAILED (up)").And.Not.Contain("running"), "once the run is gone, the mark is a failure to resolve");
    }
}
