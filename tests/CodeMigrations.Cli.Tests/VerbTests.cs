using System.Text.Json;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>up, down, status and their options, on the "ok" set: 101 and 102 (SQL), 103 (a code step with an injected service).</summary>
public sealed class VerbTests
{
    [Test]
    public async Task Up_applies_every_pending_migration_with_a_line_as_each_starts_and_finishes_and_a_summary()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok", "up");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(7), run.ToString());
        Assert.That(lines[0], Is.EqualTo("→ 101 CreateSideEffects …"));
        Assert.That(lines[1], Does.Match(@"^✓ 101 CreateSideEffects \(\d+ ms\)$"));
        Assert.That(lines[4], Is.EqualTo("→ 103 SeedNotes …"));
        Assert.That(lines[6], Does.Match(@"^Applied 3 migrations in \d+\.\d\d s\.$"));
        Assert.That(run.Stderr, Is.Empty);
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102, 103 }));
        Assert.That(await database.QueryAsync<string>("SELECT body FROM notes ORDER BY id"), Is.EqualTo(new[] { "first note", "second note" }),
            "the code step used the service the host registered");
    }

    [Test]
    public async Task Up_with_nothing_to_do_says_the_database_is_up_to_date()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up");

        var run = await HostProcess.RunAsync(database, "ok", "up");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Is.EqualTo("Database is up to date: nothing to apply.\n"));
    }

    [Test]
    public async Task Up_to_a_version_applies_up_to_and_including_it()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok", "up", "--to", "102");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Applied 2 migrations in "));
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102 }));
    }

    [Test]
    public async Task Down_reverts_the_newest_migration_by_default_then_steps_then_everything_with_to_0()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up");

        var one = await HostProcess.RunAsync(database, "ok", "down");
        Assert.That(one.ExitCode, Is.EqualTo(0), one.ToString());
        Assert.That(one.Stdout, Does.StartWith("← 103 SeedNotes …\n✓ 103 SeedNotes ("));
        Assert.That(one.Stdout, Does.Contain("Reverted 1 migration in "));
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102 }));

        var steps = await HostProcess.RunAsync(database, "ok", "down", "--steps", "1");
        Assert.That(steps.ExitCode, Is.EqualTo(0), steps.ToString());
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101 }));

        await HostProcess.RunAsync(database, "ok", "up");
        var all = await HostProcess.RunAsync(database, "ok", "down", "--to", "0");
        Assert.That(all.ExitCode, Is.EqualTo(0), all.ToString());
        Assert.That(all.Stdout, Does.Contain("Reverted 3 migrations in "));
        Assert.That(await database.AppliedVersionsAsync(), Is.Empty);
        Assert.That(await database.TableExistsAsync("notes"), Is.False);

        var nothing = await HostProcess.RunAsync(database, "ok", "down");
        Assert.That(nothing.ExitCode, Is.EqualTo(0), nothing.ToString());
        Assert.That(nothing.Stdout, Is.EqualTo("Nothing to revert: no migration is applied.\n"));
    }

    [Test]
    public async Task Down_to_a_version_reverts_the_migrations_above_it()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up");

        var run = await HostProcess.RunAsync(database, "ok", "down", "--to", "101");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("← 103 SeedNotes …").And.Contain("← 102 CreateNotes …").And.Contain("Reverted 2 migrations"));
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101 }));
    }

    [Test]
    public async Task Status_prints_an_aligned_table_and_a_summary_line()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up", "--to", "102");

        var run = await HostProcess.RunAsync(database, "ok", "status");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var lines = run.Stdout.Split('\n');
        Assert.That(lines[0], Does.Match(@"^version\s+name\s+state\s+applied_at\s+duration$"));
        Assert.That(lines[1], Does.Match(@"^101\s+Create side effects\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+ ms$"));
        Assert.That(lines[2], Does.Match(@"^102\s+Create notes\s+applied\s+"));
        Assert.That(lines[3], Does.Match(@"^103\s+Seed notes\s+pending$"));
        foreach (var column in new[] { "name", "state", "applied_at" })
        {
            var at = lines[0].IndexOf(column, StringComparison.Ordinal);
            var rows = lines.Skip(1).Take(column == "applied_at" ? 2 : 3).ToList(); // the pending row has no applied_at
            Assert.That(rows.Select(l => l[(at - 2)..at]), Is.All.EqualTo("  "), $"column {column} starts at {at} on every row");
            Assert.That(rows.Select(l => l[at]), Is.All.Not.EqualTo(' '), $"column {column} starts at {at} on every row");
        }

        Assert.That(lines[4], Is.Empty);
        Assert.That(lines[5], Is.EqualTo("2 applied, 1 pending."));
    }

    [Test]
    public async Task Status_on_an_up_to_date_database_says_so()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up");

        var run = await HostProcess.RunAsync(database, "ok", "status");

        Assert.That(run.Stdout, Does.EndWith("\n3 applied, 0 pending: the database is up to date.\n"), run.ToString());
    }

    [Test]
    public async Task Status_json_prints_only_a_json_array_with_camel_case_fields_iso_dates_and_durations_in_ms()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up", "--to", "101");

        var run = await HostProcess.RunAsync(database, "ok", "status", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.That(items, Has.Count.EqualTo(3));
        var applied = items[0];
        Assert.That(applied.GetProperty("version").GetInt64(), Is.EqualTo(101));
        Assert.That(applied.GetProperty("name").GetString(), Is.EqualTo("Create side effects"));
        Assert.That(applied.GetProperty("className").GetString(), Is.EqualTo("CodeMigrations.TestHost.Sets.Ok.CreateSideEffects"));
        Assert.That(applied.GetProperty("state").GetString(), Is.EqualTo("applied"));
        Assert.That(applied.GetProperty("appliedAt").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(5)));
        Assert.That(applied.GetProperty("durationMs").GetInt64(), Is.GreaterThanOrEqualTo(0));
        Assert.That(applied.GetProperty("appliedBy").GetString(), Is.Not.Empty);
        Assert.That(applied.GetProperty("error").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var pending = items[2];
        Assert.That(pending.GetProperty("state").GetString(), Is.EqualTo("pending"));
        Assert.That(pending.GetProperty("appliedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(pending.GetProperty("durationMs").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Status_shows_applied_versions_that_the_code_no_longer_has_as_missing_and_down_refuses_them_with_exit_1()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up");

        var status = await HostProcess.RunAsync(database, "failing", "status");

        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        Assert.That(status.Stdout, Does.Match(@"\n101\s+Create side effects\s+MISSING\s"));
        Assert.That(status.Stdout, Does.Match(@"\n201\s+Break on purpose\s+pending"));
        Assert.That(status.Stdout, Does.Contain("0 applied, 1 pending, 3 missing."));

        var down = await HostProcess.RunAsync(database, "failing", "down");
        Assert.That(down.ExitCode, Is.EqualTo(1), down.ToString());
        Assert.That(down.Stderr, Does.Contain("103 (CodeMigrations.TestHost.Sets.Ok.SeedNotes)").And.Contain("not in the loaded assemblies"));
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102, 103 }));
    }

    [Test]
    public async Task The_connection_option_wins_over_the_environment_variable_and_the_history_table_options_are_used()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var environment = HostProcess.Environment("Host=127.0.0.1;Port=1;Username=nobody;Timeout=3");

        var run = await HostProcess.RunAsync(HostProcess.TestHostPath, environment,
            ["up", "--connection", database.ConnectionString, "--history-schema", "deploy", "--history-table", "applied migrations", "--lock-timeout", "5"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(await database.QueryAsync<long>("""SELECT version FROM deploy."applied migrations" ORDER BY version"""),
            Is.EqualTo(new long[] { 101, 102, 103 }));
        Assert.That(await database.TableExistsAsync("public.migration_history"), Is.False);
    }
}
