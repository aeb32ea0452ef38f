using System.Net;
using System.Text.RegularExpressions;

namespace CodeMigrations.Hosting.Tests;

/// <summary>The web example as real processes on a real database: what each on-start mode does before the app serves.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class WebAppStartupTests
{
    private static readonly long[] BlogVersions = [20240105090000, 20240105091500, 20240112140000, 20240120103000, 20240120104500];

    [Test]
    public async Task Four_instances_started_at_once_on_an_empty_database_apply_each_migration_once_and_all_serve()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => WebAppProcess.Start(database, "Migrate")).ToList();
        try
        {
            var health = await Task.WhenAll(instances.Select(i => i.WaitUntilServingAsync()));

            Assert.That(health, Has.All.EqualTo((HttpStatusCode.OK, "Healthy")), () => string.Join("\n----\n", instances.Select(i => i.Output)));
            Assert.That(await Sql.AppliedVersionsAsync(database), Is.EqualTo(BlogVersions));
            var output = string.Join("\n", instances.Select(i => i.Output));
            foreach (var version in BlogVersions)
                Assert.That(Regex.Matches(output, $"Applied migration {version} "), Has.Count.EqualTo(1), $"{version} applied once in all:\n{output}");
            Assert.That(output, Does.Not.Contain("fail:").And.Not.Contain("duplicate key").And.Not.Contain("23505").And.Not.Contain("lock timeout"));
            var posts = await instances[3].GetAsync("/posts");
            Assert.That(posts.Body, Does.Contain("notes-on-the-analytical-engine"));
        }
        finally
        {
            foreach (var instance in instances)
                await instance.DisposeAsync();
        }
    }

    [Test]
    public async Task Wait_holds_the_start_without_writing_until_another_instance_migrates_then_serves()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var waiting = WebAppProcess.Start(database, "Wait", new Dictionary<string, string>
        {
            ["CodeMigrations__WaitPollInterval"] = "00:00:00.200",
            ["CodeMigrations__WaitTimeout"] = "00:01:00",
        });

        await WaitForOutputAsync(waiting, "Waiting for 5 migration(s)");
        await Task.Delay(1000);
        Assert.That(await waiting.TryGetAsync("/health"), Is.Null, "serves while the migrations are missing");
        Assert.That(waiting.HasExited, Is.False, waiting.Output);
        Assert.That(await Sql.HistoryExistsAsync(database), Is.False, "Wait created the history table");

        await using var migrating = WebAppProcess.Start(database, "Migrate");
        Assert.That(await migrating.WaitUntilServingAsync(), Is.EqualTo((HttpStatusCode.OK, "Healthy")), migrating.Output);
        Assert.That(await waiting.WaitUntilServingAsync(timeout: TimeSpan.FromSeconds(20)), Is.EqualTo((HttpStatusCode.OK, "Healthy")), waiting.Output);
        Assert.That(waiting.Output, Does.Not.Contain("Applied migration"));
    }

    [Test]
    public async Task Wait_with_nobody_migrating_exits_non_zero_after_its_timeout_with_what_it_waited_for()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var waiting = WebAppProcess.Start(database, "Wait", new Dictionary<string, string>
        {
            ["CodeMigrations__WaitPollInterval"] = "00:00:00.200",
            ["CodeMigrations__WaitTimeout"] = "00:00:04",
        });

        var exitCode = await waiting.WaitForExitAsync();

        Assert.That(exitCode, Is.EqualTo(1), waiting.Output);
        Assert.That(waiting.Output, Does.Contain("Gave up after 00:00:04 (CodeMigrations:WaitTimeout) waiting for 5 migration(s)")
            .And.Contain("20240105090000 Create authors")
            .And.Contain("CodeMigrations:OnStartup=Migrate"));
        Assert.That(await Sql.HistoryExistsAsync(database), Is.False);
    }

    [Test]
    public async Task A_failing_migration_stops_the_start_names_the_migration_and_sqlstate_and_keeps_the_earlier_ones()
    {
        var database = await TestServer.CreateDatabaseAsync();
        // CreatePosts, the second migration, then fails: 42P07, relation "posts" already exists.
        await Sql.ExecuteAsync(database, "CREATE TABLE posts (id int)");
        await using var instance = WebAppProcess.Start(database, "Migrate");

        var exitCode = await instance.WaitForExitAsync();

        Assert.That(exitCode, Is.EqualTo(1), instance.Output);
        Assert.That(instance.Output, Does.Contain("Hosting failed to start").And.Contain("SQLSTATE 42P07"));
        // The full error (migration, step, statement, SQLSTATE) appears once, from the runner.
        Assert.That(Regex.Matches(instance.Output, "Migration 20240105091500 CreatePosts failed while applying, at step 1 of 1"), Has.Count.EqualTo(1), instance.Output);
        Assert.That(instance.Output, Does.Contain("statement: CREATE TABLE posts").And.Not.Contain("Unhandled exception"));
        Assert.That(await Sql.AppliedVersionsAsync(database), Is.EqualTo(new[] { 20240105090000L }));
    }

    [Test]
    public async Task None_serves_at_once_and_its_health_check_reports_the_pending_count_without_writing()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var instance = WebAppProcess.Start(database, "None");

        var health = await instance.WaitUntilServingAsync();

        Assert.That(health, Is.EqualTo((HttpStatusCode.ServiceUnavailable, "Unhealthy: 5 pending migrations")), instance.Output);
        Assert.That(await Sql.HistoryExistsAsync(database), Is.False);
    }

    [Test]
    public async Task A_bad_mode_stops_the_start_with_a_message_naming_the_key()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var instance = WebAppProcess.Start(database, "Sometimes");

        var exitCode = await instance.WaitForExitAsync();

        Assert.That(exitCode, Is.EqualTo(1), instance.Output);
        Assert.That(instance.Output, Does.Contain("CodeMigrations:OnStartup").And.Not.Contain("Unhandled exception"));
        Assert.That(await Sql.HistoryExistsAsync(database), Is.False);
    }

    private static async Task WaitForOutputAsync(WebAppProcess process, string text)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!process.Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited || clock.Elapsed > WebAppProcess.DefaultTimeout)
                Assert.Fail($"The web app never printed '{text}'.\n{process.Output}");
            await Task.Delay(50);
        }
    }
}
