using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;

namespace CodeMigrations.Packaging.Tests;

/// <summary>
/// The packages as a user meets them: a new console project outside the repository adds CodeMigrations and
/// CodeMigrations.Cli from the packed folder, writes a one-line Program.cs and two migrations, builds, and migrates a
/// real database with the program it built.
/// </summary>
public sealed class ConsumeTests
{
    private const string Program = """
        return await CodeMigrations.Cli.MigrationCli.RunAsync(args, typeof(Program).Assembly);

        """;

    private const string Migrations = """
        using CodeMigrations;
        using Dapper;

        namespace Shop;

        [Migration(20260101090000)]
        public sealed class CreateProducts : Migration
        {
            public override void Up() => Execute("CREATE TABLE products (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, price numeric(10, 2) NOT NULL)");

            public override void Down() => Execute("DROP TABLE products");
        }

        [Migration(20260101091500)]
        public sealed class SeedProducts : Migration
        {
            public override void Up() => Execute(context => context.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO products (name, price) VALUES (@Name, @Price)",
                new[] { new { Name = "tea", Price = 3.50m }, new { Name = "coffee", Price = 4.20m } },
                context.Transaction, cancellationToken: context.CancellationToken)), "insert the first products");

            public override void Down() => Execute("DELETE FROM products WHERE name IN ('tea', 'coffee')");
        }

        """;

    [Test]
    public async Task A_console_project_outside_the_repository_installs_the_packages_and_migrates_up_and_down_with_them()
    {
        var clock = Stopwatch.StartNew();
        var database = await TestServer.CreateDatabaseAsync();
        await using var project = await FreshProject.CreateAsync("Shop");
        var created = clock.Elapsed;

        // One restore for both: the second add restores what the first only wrote into the project.
        await SucceedsAsync(project.DotnetAsync("add", "package", "CodeMigrations", "--version", PackedPackages.Version, "--no-restore"));
        await SucceedsAsync(project.DotnetAsync("add", "package", "CodeMigrations.Cli", "--version", PackedPackages.Version));
        foreach (var id in new[] { "codemigrations", "codemigrations.cli" })
        {
            var metadata = Path.Combine(project.PackagesFolder, id, PackedPackages.Version, ".nupkg.metadata");
            Assert.That(metadata, Does.Exist, $"{id} was restored into the project's own package folder");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metadata));
            Assert.That(json.RootElement.GetProperty("source").GetString(), Is.EqualTo(PackedPackages.Folder), $"{id} came from the packed folder");
        }

        var added = clock.Elapsed;

        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Program.cs"), Program);
        await File.WriteAllTextAsync(Path.Combine(project.Directory, "Migrations.cs"), Migrations);
        await SucceedsAsync(project.DotnetAsync("build", "--no-restore"));
        var built = clock.Elapsed;

        var host = Path.Combine(project.Directory, "bin", "Debug", "net10.0", "Shop.dll");
        project.Environment["CODEMIGRATIONS_CONNECTION"] = database.ConnectionString;

        var up = await SucceedsAsync(project.DotnetAsync(host, "up"));
        Assert.That(up.Stdout, Does.Match(@"✓ 20260101090000 CreateProducts \(\d+ ms\)\n"));
        Assert.That(up.Stdout, Does.Match(@"✓ 20260101091500 SeedProducts \(\d+ ms\)\n"));
        Assert.That(up.Stdout, Does.Contain("Applied 2 migrations in "));
        Assert.That(up.Stderr, Is.Empty);
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 20260101090000, 20260101091500 }));
        Assert.That(await database.QueryAsync<string>("SELECT name || ' ' || price FROM products ORDER BY id"), Is.EqualTo(new[] { "tea 3.50", "coffee 4.20" }),
            "the Dapper code step ran in the consumer's build");

        var status = await SucceedsAsync(project.DotnetAsync(host, "status"));
        Assert.That(status.Stdout, Does.Match(@"\n20260101090000\s+Create products\s+applied\s"));
        Assert.That(status.Stdout, Does.Match(@"\n20260101091500\s+Seed products\s+applied\s"));
        Assert.That(status.Stdout, Does.EndWith("\n2 applied, 0 pending: the database is up to date.\n"));

        var down = await SucceedsAsync(project.DotnetAsync(host, "down", "--to", "0"));
        Assert.That(down.Stdout, Does.Contain("Reverted 2 migrations in "));
        Assert.That(await database.AppliedVersionsAsync(), Is.Empty);
        Assert.That(await database.TableExistsAsync("public.products"), Is.False);

        var after = await SucceedsAsync(project.DotnetAsync(host, "status"));
        Assert.That(after.Stdout, Does.Match(@"\n20260101091500\s+Seed products\s+pending\n"));
        Assert.That(after.Stdout, Does.EndWith("\n0 applied, 2 pending.\n"));

        await TestContext.Progress.WriteLineAsync(
            $"Consume test: fresh project {created.TotalSeconds:0.0} s, two packages added {(added - created).TotalSeconds:0.0} s, " +
            $"build {(built - added).TotalSeconds:0.0} s, up/status/down/status {(clock.Elapsed - built).TotalSeconds:0.0} s " +
            $"(total {clock.Elapsed.TotalSeconds:0.0} s, after packing in {PackedPackages.PackTime.TotalSeconds:0.0} s).");
    }

    private static async Task<ProcessResult> SucceedsAsync(Task<ProcessResult> run)
    {
        var result = await run;
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result;
    }
}
