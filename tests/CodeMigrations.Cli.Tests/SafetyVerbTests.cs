using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>validate, accept-checksums, baseline, redo, script, new, --dry-run and the timeout options, on the "ok" set (101-103; 103 is a code step).</summary>
public sealed class SafetyVerbTests
{
    [Test]
    public async Task Validate_passes_on_agreement_and_an_edited_migration_is_refused_until_its_checksum_is_accepted()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up", "--to", "102");

        var valid = await HostProcess.RunAsync(database, "ok", "validate");
        Assert.That(valid.ExitCode, Is.EqualTo(0), valid.ToString());
        Assert.That(valid.Stdout, Is.EqualTo("Valid: the history and the code agree.\n"));

        await database.ScalarAsync<int>("UPDATE migration_history SET checksum = repeat('0', 64) WHERE version = 101");
        var invalid = await HostProcess.RunAsync(database, "ok", "validate");
        Assert.That(invalid.ExitCode, Is.EqualTo(1), invalid.ToString());
        Assert.That(invalid.Stdout, Does.Contain("Applied migration 101 CreateSideEffects has changed since it was applied").And.Contain("1 finding."));

        var up = await HostProcess.RunAsync(database, "ok", "up");
        Assert.That(up.ExitCode, Is.EqualTo(1), up.ToString());
        Assert.That(up.Stderr, Does.Contain("Nothing was applied: the history and the code disagree"));
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 101, 102 }));

        var accept = await HostProcess.RunAsync(database, "ok", "accept-checksums");
        Assert.That(accept.ExitCode, Is.EqualTo(0), accept.ToString());
        Assert.That(accept.Stdout, Does.Contain("Accepted the current code of 1 migration: 101."));
        Assert.That((await HostProcess.RunAsync(database, "ok", "up")).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public async Task A_dry_run_reports_what_would_apply_and_changes_nothing()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok", "up", "--dry-run");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Dry run: 3 migrations would apply").And.Contain("everything was rolled back, nothing changed."));
        Assert.That(await database.TableExistsAsync("migration_history"), Is.False);
    }

    [Test]
    public async Task A_dry_run_that_fails_says_that_nothing_stays()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok,failing", "up", "--dry-run");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stdout, Does.Contain("Dry run: 3 migrations ran before the failure in the dry run's transaction, which was rolled back: nothing changed."));
        Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("stay applied"));
        Assert.That(await database.TableExistsAsync("migration_history"), Is.False);
        Assert.That(await database.TableExistsAsync("notes"), Is.False);
    }

    [Test]
    public async Task Script_writes_the_sql_and_exits_2_when_a_code_step_cannot_be_scripted_unless_allowed()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var refused = await HostProcess.RunAsync(database, "ok", "script", "up");
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Stdout, Does.Contain("BEGIN;").And.Contain("COMMIT;").And.Contain("-- NOT SCRIPTED: 103 SeedNotes"));
        Assert.That(refused.Stderr, Does.Contain("--allow-code-steps"));

        var file = Path.Combine(Path.GetTempPath(), $"cm-script-{Guid.NewGuid():N}.sql");
        var allowed = await HostProcess.RunAsync(database, "ok", "script", "up", "--to", "102", "--idempotent", "--output", file);
        Assert.That(allowed.ExitCode, Is.EqualTo(0), allowed.ToString());
        Assert.That(File.ReadAllText(file), Does.Contain("\\if :codemigrations_todo").And.Not.Contain("SeedNotes"));
        File.Delete(file);
        Assert.That(await database.TableExistsAsync("migration_history"), Is.False, "script changes nothing");
    }

    [Test]
    public async Task Baseline_records_without_running_and_redo_reapplies_the_newest()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var baseline = await HostProcess.RunAsync(database, "ok", "baseline", "101");
        Assert.That(baseline.ExitCode, Is.EqualTo(0), baseline.ToString());
        Assert.That(baseline.Stdout, Does.Contain("recorded 1 migration up to 101 as applied, without running them"));
        await database.ScalarAsync<int>("CREATE TABLE side_effects (version bigint)"); // what 101 would have created
        var up = await HostProcess.RunAsync(database, "ok", "up");
        Assert.That(up.ExitCode, Is.EqualTo(0), up.ToString());
        Assert.That(up.Stdout, Does.Not.Contain("101 CreateSideEffects"));

        var redo = await HostProcess.RunAsync(database, "ok", "redo");
        Assert.That(redo.ExitCode, Is.EqualTo(0), redo.ToString());
        Assert.That(redo.Stdout, Does.Contain("← 103 SeedNotes").And.Contain("→ 103 SeedNotes").And.Contain("Redone 1 migration"));
    }

    [Test]
    public async Task New_writes_a_timestamped_class_and_refuses_a_name_that_is_not_an_identifier()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"cm-new-{Guid.NewGuid():N}");

        var created = await HostProcess.RunAsync(null, "ok", "new", "AddTags", "--dir", folder);
        var refused = await HostProcess.RunAsync(null, "ok", "new", "add-tags", "--dir", folder);

        Assert.That(created.ExitCode, Is.EqualTo(0), created.ToString());
        var file = Directory.GetFiles(folder).Single();
        Assert.That(Path.GetFileName(file), Does.Match(@"^\d{14}_AddTags\.cs$"));
        Assert.That(File.ReadAllText(file), Does.Contain("public sealed class AddTags : Migration"));
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("'add-tags' is not a valid C# class name"));
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task A_timeout_option_that_is_not_an_interval_is_bad_usage()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok", "up", "--ddl-lock-timeout", "soon");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain("--ddl-lock-timeout 'soon' is not an interval"));
        Assert.That(await database.TableExistsAsync("migration_history"), Is.False);
    }

    [TestCase("--ddl-lock-timeout", "99999999999s")]
    [TestCase("--statement-timeout", "25d")]
    public async Task A_timeout_longer_than_PostgreSQL_accepts_is_bad_usage_before_anything_is_created(string option, string value)
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok", "up", option, value);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain($"{option} '{value}' is not an interval PostgreSQL accepts").And.Contain("at most 2147483647ms"));
        Assert.That(await database.TableExistsAsync("migration_history"), Is.False);
    }

    [TestCase("down", "--to", "999")]
    [TestCase("down", "--to", "101")]
    [TestCase("resolve", "401", "--applied")]
    [TestCase("redo")]
    [TestCase("accept-checksums")]
    public async Task A_command_with_nothing_to_change_on_a_never_migrated_database_creates_nothing(params string[] args)
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "ok,nontransactional", args);

        Assert.That(run.ExitCode, Is.AnyOf(0, 1, 2), run.ToString());
        Assert.That(await database.TableExistsAsync("migration_history"), Is.False, run.ToString());
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), Is.Zero, run.ToString());
    }
}
