using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>Ctrl+C (SIGINT) and SIGTERM: the migration in flight is rolled back, the lock released, exit code 1.</summary>
public sealed class CancellationTests
{
    [TestCase("INT")]
    [TestCase("TERM")]
    public async Task A_signal_during_a_migration_rolls_it_back_releases_the_lock_and_exits_1(string signal)
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var host = HostProcess.Start(database, "ok,slow", "up");
        await host.WaitForOutputAsync("→ 301 SleepInTransaction …");

        if (signal == "INT")
            await host.InterruptAsync();
        else
            await host.TerminateAsync();
        var run = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stdout, Does.Contain("✗ 301 SleepInTransaction cancelled after "));
        Assert.That(run.Stderr, Does.Contain("Cancelled: the migration in flight was rolled back and the lock released."));
        Assert.That(run.Stderr, Does.Contain("3 migrations applied before the cancellation stay applied."));
        Assert.That(run.Output, Does.Not.Contain("   at "));
        Assert.That(await database.TableExistsAsync("slow_effect"), Is.False, "nothing of the interrupted migration remains");
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102, 103 }));
        Assert.That(await database.AdvisoryLocksAsync(), Is.Zero, "the migration lock is released");

        // A lock timeout of 0 fails at once if anyone holds the lock.
        var next = await HostProcess.RunAsync(database, "ok", "up", "--lock-timeout", "0");
        Assert.That(next.ExitCode, Is.EqualTo(0), next.ToString());
        Assert.That(next.Stdout, Is.EqualTo("Database is up to date: nothing to apply.\n"));
    }

    [Test]
    public async Task A_signal_while_waiting_for_the_lock_exits_1_saying_nothing_changed()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var holder = HostProcess.Start(database, "slow", "up");
        await holder.WaitForOutputAsync("→ 301 SleepInTransaction …");
        await using var waiter = HostProcess.Start(database, "slow", "up");
        await waiter.WaitForOutputAsync("… waiting for the migration lock");

        await waiter.InterruptAsync();
        var run = await waiter.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stderr, Does.Contain("Cancelled before any migration ran: nothing changed."));
        await holder.InterruptAsync();
        await holder.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }
}
