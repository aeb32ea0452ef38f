using System.Text.RegularExpressions;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>Several hosts on one database: the migration lock keeps every migration to one run.</summary>
public sealed partial class ConcurrencyTests
{
    [Test]
    public async Task Two_hosts_started_at_once_apply_each_migration_exactly_once()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var runs = await Task.WhenAll(HostProcess.RunAsync(database, "ok", "up"), HostProcess.RunAsync(database, "ok", "up"));

        Assert.That(runs.Select(r => r.ExitCode), Is.All.EqualTo(0), string.Join("\n", runs.Select(r => r.ToString())));
        var applied = runs.Sum(r => AppliedCount().Match(r.Stdout) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
        Assert.That(applied, Is.EqualTo(3), string.Join("\n", runs.Select(r => r.ToString())));
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102, 103 }));
        Assert.That(await database.QueryAsync<long>("SELECT version FROM side_effects ORDER BY version"), Is.EqualTo(new long[] { 101, 102, 103 }),
            "each migration's statements ran once");
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM notes"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_run_that_cannot_get_the_lock_names_the_holder_and_gives_up_after_the_lock_timeout_with_exit_1()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var slow = HostProcess.Start(database, "slow", "up");
        await slow.WaitForOutputAsync("→ 301 SleepInTransaction …");

        var waiting = await HostProcess.RunAsync(database, "slow", "up", "--lock-timeout", "1");

        Assert.That(waiting.ExitCode, Is.EqualTo(1), waiting.ToString());
        Assert.That(waiting.Stdout, Does.Match(@"^… waiting for the migration lock, held by pid \d+, application 'CodeMigrations', client 127\.0\.0\.1, user \w+"));
        Assert.That(waiting.Stdout, Does.Contain("giving up after 1.00 s."));
        Assert.That(waiting.Stderr, Does.StartWith("Another migration run held the migration lock for longer than the lock timeout (1 s)"));
        await slow.InterruptAsync();
        await slow.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    [GeneratedRegex(@"Applied (\d+) migrations? in")]
    private static partial Regex AppliedCount();
}
