using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>schema, verify and drift as real processes.</summary>
public sealed class VerificationVerbTests
{
    [Test]
    public async Task Verify_passes_correct_downs_and_names_the_migration_whose_down_forgets_an_index()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var ok = await HostProcess.RunAsync(database, "ok", "verify");
        var wrong = await HostProcess.RunAsync(database, "wrong-down", "verify");

        Assert.That(ok.ExitCode, Is.EqualTo(0), ok.ToString());
        Assert.That(ok.Stdout, Does.Contain("✓ 101 CreateSideEffects: ok").And.Contain("Verified 3 migrations"));
        Assert.That(wrong.ExitCode, Is.EqualTo(1), wrong.ToString());
        Assert.That(wrong.Stdout, Does.Contain("✓ 701 CreateWidgets: ok").And.Contain("✗ 702 IndexWidgetNames").And.Contain("ix_widgets_name"));
        Assert.That(await database.TableExistsAsync("migration_history"), Is.False, "verify works on a scratch database, never the target");
    }

    [Test]
    public async Task Drift_reports_a_column_added_by_hand_and_schema_prints_the_tables()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok", "up");

        var clean = await HostProcess.RunAsync(database, "ok", "drift");
        await database.ScalarAsync<int>("ALTER TABLE notes ADD COLUMN added_by_hand text");
        var drifted = await HostProcess.RunAsync(database, "ok", "drift");
        var schema = await HostProcess.RunAsync(database, "ok", "schema");

        Assert.That(clean.ExitCode, Is.EqualTo(0), clean.ToString());
        Assert.That(clean.Stdout, Does.StartWith("No drift"));
        Assert.That(drifted.ExitCode, Is.EqualTo(1), drifted.ToString());
        Assert.That(drifted.Stdout, Does.Contain("+ ").And.Contain("notes.added_by_hand"));
        Assert.That(schema.ExitCode, Is.EqualTo(0), schema.ToString());
        Assert.That(schema.Stdout, Does.Contain("table notes").And.Contain("column notes.added_by_hand").And.Not.Contain("migration_history"));
    }
}
