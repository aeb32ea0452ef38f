using System.Text.Json;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>The example console host (examples/ConsoleHost) and its blog schema, as a user runs it.</summary>
public sealed class ExampleTests
{
    private const long IndexPostsByAuthor = 20240112140000;

    [Test]
    public async Task The_example_applies_reports_and_reverts_the_blog_schema_in_separate_invocations()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var environment = HostProcess.Environment(database.ConnectionString);

        var up = await HostProcess.RunAsync(HostProcess.ExamplePath, environment, ["up"]);
        Assert.That(up.ExitCode, Is.EqualTo(0), up.ToString());
        Assert.That(up.Stdout, Does.Contain("✓ 20240120104500 IndexPostSlugsConcurrently (").And.Contain("Applied 5 migrations in "));
        Assert.That(up.Stderr, Is.Empty, "with a connection configured, the example starts no database of its own");
        Assert.That(await database.QueryAsync<string>("SELECT slug FROM posts ORDER BY id"),
            Is.EqualTo(new[] { "notes-on-the-analytical-engine", "draft-poetical-science" }), "the data migration filled the slugs");
        Assert.That(await database.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'ux_posts_slug'::regclass"), Is.True);

        var status = await HostProcess.RunAsync(HostProcess.ExamplePath, environment, ["status"]);
        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        Assert.That(status.Stdout, Does.Contain("5 applied, 0 pending: the database is up to date."));

        var down = await HostProcess.RunAsync(HostProcess.ExamplePath, environment, ["down", "--to", IndexPostsByAuthor.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.That(down.ExitCode, Is.EqualTo(0), down.ToString());
        Assert.That(down.Stdout, Does.Contain("Reverted 2 migrations in "));
        Assert.That(await database.ColumnExistsAsync("posts", "slug"), Is.False);

        var after = await HostProcess.RunAsync(HostProcess.ExamplePath, environment, ["status"]);
        Assert.That(after.Stdout, Does.Match(@"\n20240120103000\s+Add post slugs\s+pending"));
        Assert.That(after.Stdout, Does.Contain("3 applied, 2 pending."));

        var all = await HostProcess.RunAsync(HostProcess.ExamplePath, environment, ["down", "--to", "0"]);
        Assert.That(all.ExitCode, Is.EqualTo(0), all.ToString());
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('migration_history', 'codemigrations_validated_build')"),
            Is.Zero, "every Down undid its Up");
    }

    [Test]
    public async Task The_example_without_a_connection_uses_its_own_local_postgresql_and_keeps_json_output_clean()
    {
        // The zero-setup path: examples/ConsoleHost/.pgdata (git-ignored), created on first use, started and stopped
        // around the command. status only reads, so a developer's own example data is left as it is.
        var run = await HostProcess.RunAsync(HostProcess.ExamplePath, HostProcess.Environment(null), ["status", "--json"], TimeSpan.FromMinutes(2));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stderr, Does.Match(@"^Using the example's local PostgreSQL \d+ in \S+ \((started for this command|already running); set CODEMIGRATIONS_CONNECTION to use your own server\)\.\n$"));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.That(json.RootElement.EnumerateArray().Select(e => e.GetProperty("className").GetString()),
            Has.Member("ConsoleHost.Migrations.IndexPostSlugsConcurrently"));
    }
}
