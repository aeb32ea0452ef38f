using System.Text.Json;
using NUnit.Framework;

namespace CodeMigrations.Packaging.Tests;

/// <summary>
/// The <c>codemigrations</c> tool as a user gets it: installed from the packed folder into a tool path, run as a real
/// process over a class library of migrations (a Dapper code step, a constructor with a service registered through
/// <c>IMigrationServices</c>) that references the packed <c>CodeMigrations</c>, against a fresh database per test.
/// The tool is installed and the library built once, for all the tests.
/// </summary>
[NonParallelizable]
public sealed class ToolTests
{
    private const string LibraryName = "Shop.Migrations";

    private FreshProject _library = null!;
    private string _tool = null!;
    private string _assembly = null!;
    private Task<string>? _slowAssembly;

    [OneTimeSetUp]
    public async Task InstallTheToolAndBuildTheLibraryAsync()
    {
        _library = await FreshProject.CreateAsync(LibraryName, "classlib");
        var toolPath = Path.Combine(Path.GetDirectoryName(_library.Directory)!, "tools");
        // The project's nuget.config maps CodeMigrations* to the packed folder (so no --add-source, which NuGet refuses
        // next to package source mapping); its NUGET_PACKAGES keeps a cached package of the same version out.
        Succeeded(await _library.DotnetAsync("tool", "install", "CodeMigrations.Tool", "--tool-path", toolPath, "--version", PackedPackages.Version));
        _tool = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "codemigrations.exe" : "codemigrations");

        File.Delete(Path.Combine(_library.Directory, "Class1.cs"));
        await File.WriteAllTextAsync(Path.Combine(_library.Directory, "Migrations.cs"), Migrations);
        Succeeded(await _library.DotnetAsync("add", "package", "CodeMigrations", "--version", PackedPackages.Version));
        Succeeded(await _library.DotnetAsync("add", "package", "Dapper", "--version", "2.1.86"));
        Succeeded(await _library.DotnetAsync("build"));
        _assembly = Path.Combine(_library.Directory, "bin", "Debug", "net10.0", LibraryName + ".dll");
        Assert.That(File.Exists(Path.Combine(_library.Directory, "bin", "Debug", "net10.0", LibraryName + ".runtimeconfig.json")), Is.False,
            "a class library has no runtimeconfig.json: the tool writes one");
    }

    [OneTimeTearDown]
    public async Task DeleteAsync()
    {
        if (_library is not null)
            await _library.DisposeAsync();
    }

    [Test]
    public async Task Up_status_and_down_run_a_class_library_with_its_own_dependencies_and_services()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var up = await CodeMigrationsAsync(database, "up", "--assembly", _assembly);
        Assert.That(up.ExitCode, Is.EqualTo(0), up.ToString());
        Assert.That(up.Stdout, Does.Contain("✓ 1 CreateNotes (").And.Contain("✓ 2 AddGreeting (").And.Contain("Applied 2 migrations in "), up.ToString());
        Assert.That(up.Stderr, Is.Empty, up.ToString());
        Assert.That(await database.QueryAsync<string>("SELECT text FROM notes ORDER BY id"),
            Is.EqualTo(new[] { "written by a Dapper code step", "hello from a service registered by IMigrationServices" }));

        // --assembly anywhere on the command line, and the host's own options around it.
        var status = await CodeMigrationsAsync(database, "--assembly", _assembly, "status", "--json");
        Assert.That(status.ExitCode, Is.EqualTo(0), status.ToString());
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            var rows = json.RootElement.EnumerateArray().Select(r => (r.GetProperty("version").GetInt64(), r.GetProperty("className").GetString(), r.GetProperty("state").GetString()));
            Assert.That(rows, Is.EqualTo(new[] { (1L, "Shop.Migrations.CreateNotes", "applied"), (2L, "Shop.Migrations.AddGreeting", "applied") }));
        }

        var down = await CodeMigrationsAsync(database, "down", "--to", "0", "--assembly", _assembly);
        Assert.That(down.ExitCode, Is.EqualTo(0), down.ToString());
        Assert.That(down.Stdout, Does.Contain("✓ 2 AddGreeting (").And.Contain("✓ 1 CreateNotes (").And.Contain("Reverted 2 migrations in "), down.ToString());
        Assert.That(await database.TableExistsAsync("public.notes"), Is.False);
        Assert.That(await database.AppliedVersionsAsync(), Is.Empty);

        // Past loading, exit codes and messages are the console host's: a target that names no migration is bad usage.
        var unknown = await CodeMigrationsAsync(database, "up", "--to", "7", "--assembly", _assembly);
        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.ToString());
        Assert.That(unknown.Stderr, Does.StartWith("Target 7 names no migration."), unknown.ToString());
        Assert.That(await database.AppliedVersionsAsync(), Is.Empty);
    }

    [Test]
    public async Task With_project_the_tool_builds_it_first_in_the_configuration_asked_for()
    {
        var database = await TestServer.CreateDatabaseAsync();
        // A migration the Debug build in the set-up does not have: only a build makes it appear.
        var added = Path.Combine(_library.Directory, "AddedLater.cs");
        await File.WriteAllTextAsync(added, """
            using CodeMigrations;

            namespace Shop.Migrations;

            [Migration(3)]
            public sealed class AddedLater : Migration
            {
                public override void Up() => Execute("CREATE TABLE added_later (id int)");
                public override void Down() => Execute("DROP TABLE added_later");
            }
            """);
        try
        {
            var up = await CodeMigrationsAsync(database, "up", "--project", _library.Directory, "--configuration", "Release");

            Assert.That(up.ExitCode, Is.EqualTo(0), up.ToString());
            Assert.That(up.Stdout, Does.Contain("✓ 3 AddedLater (").And.Contain("Applied 3 migrations in "), up.ToString());
            Assert.That(up.Output, Does.Not.Contain("Build succeeded"), "the build's output shows only when it fails");
            Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2, 3 }));
            Assert.That(File.Exists(Path.Combine(_library.Directory, "bin", "Release", "net10.0", LibraryName + ".dll")), Is.True);
        }
        finally
        {
            File.Delete(added);
        }
    }

    [TestCase("INT", true, "Cancelling")]
    [TestCase("TERM", false, "Terminating")]
    public async Task A_signal_during_a_migration_rolls_it_back_and_releases_the_lock_through_the_launcher(string signal, bool wholeGroup, string note)
    {
        // INT to the whole group is a terminal's Ctrl+C: the host gets it once, from the terminal. TERM goes to the
        // launcher alone, which passes it on.
        var assembly = await (_slowAssembly ??= BuildWithSlowMigrationAsync());
        var database = await TestServer.CreateDatabaseAsync();
        _library.Environment["CODEMIGRATIONS_CONNECTION"] = database.ConnectionString;
        await using var tool = RunningProcess.Start(_tool, ["up", "--assembly", assembly], _library.Directory, _library.Environment.AsReadOnly());
        await tool.WaitForOutputAsync("→ 4 SleepInTransaction …", TimeSpan.FromMinutes(1));

        await tool.SignalAsync(signal, wholeGroup);
        var run = await tool.WaitForExitAsync(TimeSpan.FromSeconds(30), $"codemigrations up, then SIG{signal}");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Stdout, Does.Contain("✗ 4 SleepInTransaction cancelled after "), run.ToString());
        Assert.That(run.Stderr, Does.StartWith($"{note}: rolling back the migration in flight and releasing the lock…"), run.ToString());
        Assert.That(run.Stderr, Does.Contain("Cancelled: the migration in flight was rolled back and the lock released."), run.ToString());
        Assert.That(await database.TableExistsAsync("public.slow_effect"), Is.False, "nothing of the interrupted migration remains");
        Assert.That(await database.AppliedVersionsAsync(), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(await database.AdvisoryLocksAsync(), Is.Zero, "the migration lock is released");
    }

    [Test]
    public async Task A_missing_assembly_is_one_line_on_standard_error_and_exit_code_2()
    {
        var missing = Path.Combine(_library.Directory, "bin", "Debug", "net10.0", "Missing.dll");

        var run = await CodeMigrationsAsync(null, "status", "--assembly", missing);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stdout, Is.Empty, run.ToString());
        Assert.That(run.Stderr, Is.EqualTo($"The assembly {missing} does not exist: build the project that holds the migrations (dotnet build), " +
            "or let the tool build it with --project PATH.csproj.\n"));
    }

    [Test]
    public async Task An_assembly_built_with_an_older_CodeMigrations_is_refused_naming_both_versions()
    {
        // The launcher reads the deps file only: a copy of the build that records an older CodeMigrations is enough.
        var copy = Path.Combine(Path.GetDirectoryName(_library.Directory)!, "older");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_assembly)!))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
        var deps = Path.Combine(copy, LibraryName + ".deps.json");
        var text = await File.ReadAllTextAsync(deps);
        Assert.That(text, Does.Contain($"\"CodeMigrations/{PackedPackages.Version}\""));
        await File.WriteAllTextAsync(deps, text.Replace($"\"CodeMigrations/{PackedPackages.Version}\"", "\"CodeMigrations/0.0.1\"", StringComparison.Ordinal));

        var run = await CodeMigrationsAsync(null, "status", "--assembly", Path.Combine(copy, LibraryName + ".dll"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.StartWith($"{LibraryName}.dll uses CodeMigrations 0.0.1, older than the {PackedPackages.Version} this codemigrations tool was built with: "), run.ToString());
        Assert.That(run.Stderr, Does.Contain($"dotnet add package CodeMigrations --version {PackedPackages.Version}").And.Contain("--version 0.0.1"), run.ToString());
    }

    [TestCase("--assembly", "a.dll", "--project", "b", ExpectedResult = "Give either --assembly PATH.dll (run a built assembly) or --project PATH (build it first), not both.\n")]
    [TestCase("--assembly=a.dll", "--assembly", "b.dll", ExpectedResult = "--assembly is given twice ('a.dll' and 'b.dll'): give it once.\n")]
    [TestCase("--assembly", "a.dll", "--configuration", "Release",
        ExpectedResult = "--configuration chooses what --project builds; with --assembly the assembly is already built: leave it out.\n")]
    [TestCase("--project", ExpectedResult = "--project needs a value: --project PATH.\n")]
    public async Task<string> The_tools_own_options_misused_are_one_line_and_exit_code_2(params string[] toolOptions)
    {
        var run = await CodeMigrationsAsync(null, ["status", .. toolOptions]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stdout, Is.Empty, run.ToString());
        return run.Stderr;
    }

    [Test]
    public async Task Help_needs_no_assembly_and_shows_where_the_migrations_can_come_from()
    {
        var outside = Path.GetDirectoryName(_tool)!; // no .csproj there

        var help = await _library.RunAsync(_tool, "--help");
        var nowhere = await CodeMigrationsIn(outside, "status");

        Assert.That(help.ExitCode, Is.EqualTo(0), help.ToString());
        Assert.That(help.Stdout, Does.Contain("Usage:\n  codemigrations [command] [options]"));
        Assert.That(help.Stdout, Does.Contain("--assembly PATH.dll").And.Contain("--project PATH").And.Contain("IMigrationServices"));
        Assert.That(help.Stdout, Does.Contain("  up ").And.Contain("  status ").And.Contain("--connection"));
        Assert.That(nowhere.ExitCode, Is.EqualTo(2), nowhere.ToString());
        Assert.That(nowhere.Stderr, Does.StartWith("Where are the migrations? Give --assembly PATH.dll"), nowhere.ToString());
    }

    /// <summary>The library with a migration that sleeps in its transaction, built in a configuration of its own.</summary>
    private async Task<string> BuildWithSlowMigrationAsync()
    {
        var file = Path.Combine(_library.Directory, "SleepInTransaction.cs");
        await File.WriteAllTextAsync(file, """
            using CodeMigrations;

            namespace Shop.Migrations;

            [Migration(4)]
            public sealed class SleepInTransaction : Migration
            {
                public override void Up()
                {
                    Execute("CREATE TABLE slow_effect (id int)");
                    Execute("SELECT pg_sleep(60)");
                }

                public override void Down() => Execute("DROP TABLE slow_effect");
            }
            """);
        try
        {
            Succeeded(await _library.DotnetAsync("build", "--configuration", "Slow"));
            return Path.Combine(_library.Directory, "bin", "Slow", "net10.0", LibraryName + ".dll");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private Task<ProcessResult> CodeMigrationsAsync(TestDatabase? database, params string[] args)
    {
        _library.Environment["CODEMIGRATIONS_CONNECTION"] = database?.ConnectionString;
        return _library.RunAsync(_tool, args);
    }

    private async Task<ProcessResult> CodeMigrationsIn(string folder, params string[] args) =>
        await CommandRunner.RunAsync(_tool, args, folder, _library.Environment.AsReadOnly(), TimeSpan.FromMinutes(1));

    private static void Succeeded(ProcessResult result) => Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());

    private const string Migrations = """
        using CodeMigrations;
        using Dapper;
        using Microsoft.Extensions.DependencyInjection;

        namespace Shop.Migrations;

        public interface IGreeting
        {
            string Text { get; }
        }

        public sealed class Greeting : IGreeting
        {
            public string Text => "hello from a service registered by IMigrationServices";
        }

        public sealed class MigrationServices : IMigrationServices
        {
            public static void ConfigureServices(IServiceCollection services) => services.AddSingleton<IGreeting, Greeting>();
        }

        [Migration(1)]
        public sealed class CreateNotes : Migration
        {
            public override void Up()
            {
                Execute("CREATE TABLE notes (id int PRIMARY KEY, text text NOT NULL)");
                Execute(async context => await context.Connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO notes VALUES (1, @text)", new { text = "written by a Dapper code step" }, context.Transaction,
                    cancellationToken: context.CancellationToken)), "seed with Dapper");
            }

            public override void Down() => Execute("DROP TABLE notes");
        }

        [Migration(2)]
        public sealed class AddGreeting : Migration
        {
            private readonly IGreeting _greeting;

            public AddGreeting(IGreeting greeting) => _greeting = greeting;

            public override void Up() => Execute("INSERT INTO notes VALUES (2, @text)", new { text = _greeting.Text });

            public override void Down() => Execute("DELETE FROM notes WHERE id = 2");
        }
        """;
}
