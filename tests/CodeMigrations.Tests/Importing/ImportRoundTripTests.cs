using System.Diagnostics;
using System.Text;
using CodeMigrations.Importing;
using Dapper;
using Npgsql;

namespace CodeMigrations.Tests.Importing;

/// <summary>
/// Each fixture folder imported with a console host project, all five built in one <c>dotnet build</c>, then run as a
/// user would run them: up, the schema works, down refuses to cross the irreversible migrations, down to them restores
/// the schema they left. The import and import-history verbs are run through one of the built hosts.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ImportRoundTripTests
{
    private static readonly string CliProject = Path.GetFullPath(Path.Combine(ImportFixtures.Root, "../../../../src/CodeMigrations.Cli/CodeMigrations.Cli.csproj"));

    private static readonly Dictionary<MigrationSourceFormat, string> Hosts = new()
    {
        [MigrationSourceFormat.GolangMigrate] = "GolangShop",
        [MigrationSourceFormat.Dbmate] = "DbmateTickets",
        [MigrationSourceFormat.Diesel] = "DieselBlog",
        [MigrationSourceFormat.Flyway] = "FlywayCatalog",
        [MigrationSourceFormat.UpDown] = "UpdownDocs",
    };

    private TemporaryFolder? _root;

    [OneTimeSetUp]
    public async Task ImportAndBuildEveryFormatAsync()
    {
        _root = ImportFixtures.CreateTemporaryFolder();
        var solution = new StringBuilder("<Solution>\n");
        foreach (var (format, name) in Hosts)
        {
            var source = await MigrationSourceReader.ReadAsync(ImportFixtures.For(format), format);
            var result = await MigrationImportWriter.WriteAsync(source, new MigrationImportOptions { OutputDirectory = Path.Combine(_root.Path, name), CliProjectPath = CliProject });
            Assert.That(result.CreatedProject, Is.True);
            solution.Append("  <Project Path=\"").Append(name).Append('/').Append(name).Append(".csproj\" />\n");
        }

        await File.WriteAllTextAsync(Path.Combine(_root.Path, "Imported.slnx"), solution.Append("</Solution>\n").ToString());
        var clock = Stopwatch.StartNew();
        var build = await RunAsync("dotnet", ["build", "Imported.slnx", "-nologo", "-v:q", "-nodeReuse:false"], _root.Path, null, TimeSpan.FromMinutes(5));
        await TestContext.Progress.WriteLineAsync($"Built the five imported hosts in {clock.Elapsed.TotalSeconds:0.0} s.");
        Assert.That(build.ExitCode, Is.Zero, $"dotnet build of the generated projects failed:\n{build.Output}\n{build.Error}");
    }

    [OneTimeTearDown]
    public void DeleteTheGeneratedProjects() => _root?.Dispose();

    [TestCase(MigrationSourceFormat.GolangMigrate, 2L,
        "INSERT INTO accounts (email) VALUES ('ann@example.com'); INSERT INTO orders (account_id, total_cents) VALUES (1, 250), (1, 100)",
        "SELECT account_total(1)::text || ' ' || (SELECT count(*) FROM open_orders)", "350 2")]
    [TestCase(MigrationSourceFormat.Dbmate, 20240101090500L,
        "UPDATE tickets SET status = 'waiting', opened_at = now() - interval '10 days'",
        "SELECT close_stale_tickets(7)", "1")]
    [TestCase(MigrationSourceFormat.Diesel, 20240110081500L,
        "INSERT INTO posts (title, body) VALUES ('Hello', 'World')",
        "SELECT publish_post(1)", "True")]
    [TestCase(MigrationSourceFormat.Flyway, 1_0001_0000L,
        "INSERT INTO products (sku, kind, price, attributes) VALUES ('E-1', 'digital', 20, '{\"license\": \"x\"}')",
        "SELECT discounted(price, 25)::text || ' ' || deliverable FROM digital_products", "15.00 true")]
    [TestCase(MigrationSourceFormat.UpDown, 20230901001000L,
        "SELECT 1",
        "SELECT string_agg(email, ',') FROM editors", "admin@example.com")]
    public async Task An_imported_folder_builds_applies_works_and_reverts_down_to_its_irreversible_migrations(
        MigrationSourceFormat format, long lastIrreversible, string setUp, string probe, string expected)
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        var host = HostPath(format);

        var upToIrreversible = await RunHostAsync(host, connectionString, "up", "--to", lastIrreversible.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(upToIrreversible.ExitCode, Is.Zero, upToIrreversible.Error);
        var schemaBefore = await RunHostAsync(host, connectionString, "schema");

        var up = await RunHostAsync(host, connectionString, "up");
        Assert.That(up.ExitCode, Is.Zero, up.Error);
        Assert.That(up.Output, Does.Contain("Applied "));
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync(setUp);
            Assert.That(await connection.ExecuteScalarAsync<string>(probe), Is.EqualTo(expected));
        }

        var downAll = await RunHostAsync(host, connectionString, "down", "--to", "0");
        Assert.That(downAll.ExitCode, Is.EqualTo(1));
        Assert.That(downAll.Error, Does.Contain("irreversible").And.Contain("without a down migration").And.Contain("Nothing was reverted"));

        var down = await RunHostAsync(host, connectionString, "down", "--to", lastIrreversible.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(down.ExitCode, Is.Zero, down.Error);
        var schemaAfter = await RunHostAsync(host, connectionString, "schema");
        Assert.That(schemaAfter.Output, Is.EqualTo(schemaBefore.Output), "every reversible migration's down restores the schema exactly");
        Assert.That(schemaAfter.Output, Is.Not.Empty);
    }

    [Test]
    public async Task The_import_verb_prints_what_it_wrote_and_the_version_mapping()
    {
        using var folder = ImportFixtures.CreateTemporaryFolder();

        var import = await RunHostAsync(HostPath(MigrationSourceFormat.GolangMigrate), null,
            "import", "--from", ImportFixtures.For(MigrationSourceFormat.Flyway), "--format", "flyway", "--out", Path.Combine(folder.Path, "Catalog"), "--cli-project", CliProject);

        Assert.That(import.ExitCode, Is.Zero, import.Error);
        Assert.That(import.Output, Does.Contain("Imported 5 migrations from flyway").And.Contain("namespace Catalog:")
            .And.Contain("100010000  V100010000_CreateProducts.cs ← Sql/V1.1__create_products.sql  [irreversible: no down]")
            .And.Contain("Version mapping").And.Contain("  1.2.1 → 100020001")
            .And.Contain("Wrote 16 files.").And.Contain("Created the console host"));
        Assert.That(import.Error, Does.Contain("not imported: R__product_summary.sql is a Flyway repeatable migration"));
        Assert.That(File.Exists(Path.Combine(folder.Path, "Catalog", "Catalog.csproj")), Is.True);
    }

    [TestCase("import --from /no/such/folder --format flyway", "the folder /no/such/folder does not exist")]
    [TestCase("import --from . --format liquibase", "liquibase")]
    [TestCase("import --format flyway", "--from")]
    [TestCase("import-history --from sqitch", "sqitch")]
    public async Task Bad_import_arguments_exit_2_with_a_message(string arguments, string message)
    {
        var run = await RunHostAsync(HostPath(MigrationSourceFormat.GolangMigrate), null, arguments.Split(' '));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output + run.Error);
        Assert.That(run.Error, Does.Contain(message));
    }

    [Test]
    public async Task Import_history_adopts_a_database_golang_migrate_migrated_so_that_up_runs_only_the_rest()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        var host = HostPath(MigrationSourceFormat.GolangMigrate);
        // What golang-migrate left: the schema of versions 1 to 3, and its table saying 3. No CodeMigrations history.
        Assert.That((await RunHostAsync(host, connectionString, "up", "--to", "3")).ExitCode, Is.Zero);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.ExecuteAsync("""
                DROP TABLE public.migration_history;
                CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null);
                INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (3, true);
                """);
        }

        var dirty = await RunHostAsync(host, connectionString, "import-history", "--from", "golang-migrate");
        Assert.That(dirty.ExitCode, Is.EqualTo(1));
        Assert.That(dirty.Error, Does.Contain("marks version 3 as dirty").And.Contain("Nothing was recorded"));

        await using (var connection = new NpgsqlConnection(connectionString))
            await connection.ExecuteAsync("UPDATE schema_migrations SET dirty = false");
        var import = await RunHostAsync(host, connectionString, "import-history", "--from", "golang-migrate");
        Assert.That(import.ExitCode, Is.Zero, import.Error);
        Assert.That(import.Output, Does.Contain("1 CreateOrderStatus recorded as applied (baseline)")
            .And.Contain("Recorded 3 migrations from golang-migrate's schema_migrations as applied, without running them.")
            .And.Contain("2 migrations still pending (4, 5): 'up' applies them."));

        var up = await RunHostAsync(host, connectionString, "up");
        Assert.That(up.ExitCode, Is.Zero, up.Error);
        Assert.That(up.Output, Does.Contain("Applied 2 migrations"));
    }

    private string HostPath(MigrationSourceFormat format)
    {
        var name = Hosts[format];
        return Path.Combine(_root!.Path, name, "bin", "Debug", "net10.0", name + ".dll");
    }

    private static Task<ProcessResult> RunHostAsync(string dll, string? connectionString, params string[] args) =>
        RunAsync("dotnet", [dll, .. args], Path.GetDirectoryName(dll)!, connectionString, TimeSpan.FromMinutes(2));

    private static async Task<ProcessResult> RunAsync(string file, IReadOnlyList<string> args, string directory, string? connectionString, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // The test host's MSBuild and VSTest settings would steer a nested build; the host reads its database from here.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment.Remove("CODEMIGRATIONS_CONNECTION");
        start.Environment.Remove("NO_COLOR");
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (connectionString is not null)
            start.Environment["CODEMIGRATIONS_CONNECTION"] = connectionString;

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds} s.");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }

    private sealed record ProcessResult(int ExitCode, string Output, string Error);
}
