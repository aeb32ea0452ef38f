using System.Text.Json;
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

    [Test]
    public async Task Verify_json_gives_one_object_per_migration_with_its_outcome_and_differences_as_data()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "wrong-down", "verify", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var entries = json.RootElement.EnumerateArray().ToList();
        Assert.That(entries.Select(e => $"{e.GetProperty("version").GetInt64()} {e.GetProperty("outcome").GetString()}"),
            Is.EqualTo(new[] { "701 ok", "702 down-differs" }));
        Assert.That(entries[1].GetProperty("className").GetString(), Is.EqualTo("CodeMigrations.TestHost.Sets.WrongDown.IndexWidgetNames"));
        var difference = entries[1].GetProperty("differences").EnumerateArray().Single();
        Assert.That(difference.GetProperty("after").GetString(), Is.EqualTo("down"));
        Assert.That(difference.GetProperty("change").GetString(), Is.EqualTo("unexpected"));
        Assert.That(difference.GetProperty("kind").GetString(), Is.EqualTo("index"));
        Assert.That(difference.GetProperty("name").GetString(), Is.EqualTo("ix_widgets_name"));
        Assert.That(difference.GetProperty("expected").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Verify_passes_a_column_order_note_and_fails_it_with_strict()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var plain = await HostProcess.RunAsync(database, "notes", "verify");
        var strict = await HostProcess.RunAsync(database, "notes", "verify", "--strict");
        var json = await HostProcess.RunAsync(database, "notes", "verify", "--json");

        Assert.That(plain.ExitCode, Is.EqualTo(0), plain.ToString());
        Assert.That(plain.Stdout, Does.Contain("1302 DropMemberNicknames: ok [column-order-only]")
            .And.Contain("note: Migration 1302 DropMemberNicknames: column-order-only: column order of table members differs: expected id, nickname, email, found id, email, nickname.")
            .And.Contain(": 2 ok; notes: 1 column-order-only"));
        Assert.That(strict.ExitCode, Is.EqualTo(1), strict.ToString());
        using var document = JsonDocument.Parse(json.Stdout);
        var note = document.RootElement[1];
        Assert.That(note.GetProperty("notes").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { "column-order-only" }));
        var difference = note.GetProperty("differences")[0];
        Assert.That((difference.GetProperty("after").GetString(), difference.GetProperty("property").GetString(), difference.GetProperty("found").GetString()),
            Is.EqualTo(("note", "column order", "id, email, nickname")));
    }

    [Test]
    public async Task Verify_from_a_version_applies_the_older_ones_plainly_and_judges_only_the_rest()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var run = await HostProcess.RunAsync(database, "wrong-down", "verify", "--from", "702");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stdout, Does.Not.Contain("701 CreateWidgets").And.Contain("✗ 702 IndexWidgetNames: down-differs, 1 difference")
            .And.Contain("Verified 1 migration (after applying 1 older one plainly) in "));
    }

    [Test]
    public async Task Drift_and_validate_json_give_one_object_per_finding()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await HostProcess.RunAsync(database, "ok,wrong-down", "up");
        await database.ScalarAsync<int>("ALTER TABLE notes ADD COLUMN added_by_hand text");

        var drift = await HostProcess.RunAsync(database, "ok,wrong-down", "drift", "--json");
        var validate = await HostProcess.RunAsync(database, "ok", "validate", "--json");

        Assert.That(drift.ExitCode, Is.EqualTo(1), drift.ToString());
        using (var json = JsonDocument.Parse(drift.Stdout))
        {
            var difference = json.RootElement.EnumerateArray().Single();
            Assert.That((difference.GetProperty("change").GetString(), difference.GetProperty("kind").GetString(), difference.GetProperty("name").GetString()),
                Is.EqualTo(("unexpected", "column", "notes.added_by_hand")));
            Assert.That(difference.TryGetProperty("after", out _), Is.False);
        }

        Assert.That(validate.ExitCode, Is.EqualTo(1), validate.ToString());
        using (var json = JsonDocument.Parse(validate.Stdout))
        {
            Assert.That(json.RootElement.EnumerateArray().Select(f => $"{f.GetProperty("version").GetInt64()} {f.GetProperty("problem").GetString()}"),
                Is.EqualTo(new[] { "701 missing-class", "702 missing-class" }));
            Assert.That(json.RootElement[0].GetProperty("message").GetString(), Does.Contain("701"));
        }
    }
}
