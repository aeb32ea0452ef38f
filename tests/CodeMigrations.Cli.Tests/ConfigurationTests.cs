using System.Text.Json;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests;

/// <summary>
/// The console host reads the application's configuration (appsettings files in the working folder, environment
/// variables) under CODEMIGRATIONS_CONNECTION and the command line, so an app and its migration host share one.
/// </summary>
public sealed class ConfigurationTests
{
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=3";
    private string _folder = null!;

    [SetUp]
    public void CreateWorkingFolder() => _folder = Directory.CreateTempSubdirectory("codemigrations-config-").FullName;

    [TearDown]
    public void DeleteWorkingFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task An_appsettings_json_in_the_working_folder_gives_the_connection_and_the_history_table()
    {
        var database = await TestServer.CreateDatabaseAsync();
        WriteSettings("appsettings.json", new
        {
            ConnectionStrings = new { Default = database.ConnectionString },
            CodeMigrations = new { HistorySchema = "ops", HistoryTable = "deploy_history" },
        });

        var run = await RunAsync(Environment(), "up");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(await database.TableExistsAsync("ops.deploy_history"), Is.True);
        Assert.That(await database.TableExistsAsync("public.migration_history"), Is.False);
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM ops.deploy_history"), Is.EqualTo(3));
    }

    [Test]
    public async Task The_environments_file_and_then_environment_variables_override_appsettings_json()
    {
        var database = await TestServer.CreateDatabaseAsync();
        WriteSettings("appsettings.json", new
        {
            ConnectionStrings = new { Default = Unreachable, Other = Unreachable },
            CodeMigrations = new { HistoryTable = "from_base_file" },
        });
        WriteSettings("appsettings.Staging.json", new { CodeMigrations = new { HistoryTable = "from_staging_file", ConnectionStringName = "Other" } });
        var environment = Environment();
        environment["DOTNET_ENVIRONMENT"] = "Staging";
        environment["ConnectionStrings__Other"] = database.ConnectionString;

        var run = await RunAsync(environment, "up");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(await database.TableExistsAsync("public.from_staging_file"), Is.True);
        Assert.That(await database.TableExistsAsync("public.from_base_file"), Is.False);
    }

    [Test]
    public async Task CODEMIGRATIONS_CONNECTION_and_the_command_line_win_over_the_configuration()
    {
        var database = await TestServer.CreateDatabaseAsync();
        WriteSettings("appsettings.json", new
        {
            ConnectionStrings = new { Default = Unreachable },
            CodeMigrations = new { HistoryTable = "from_file", LockTimeout = "00:00:30" },
        });
        var environment = Environment(database.ConnectionString);

        var run = await RunAsync(environment, "up", "--history-table", "from_command_line");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(await database.TableExistsAsync("public.from_command_line"), Is.True);
        Assert.That(await database.TableExistsAsync("public.from_file"), Is.False);
    }

    [Test]
    public async Task The_configuration_applies_under_a_connection_given_on_the_command_line()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var environment = Environment();
        environment["CodeMigrations__HistoryTable"] = "from_environment";

        var run = await RunAsync(environment, "up", "--connection", database.ConnectionString);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(await database.TableExistsAsync("public.from_environment"), Is.True);
    }

    [TestCase("CodeMigrations__LockTimeout", "soon", "CodeMigrations:LockTimeout")]
    [TestCase("CodeMigrations__ValidateChecksumsOnUp", "maybe", "CodeMigrations:ValidateChecksumsOnUp")]
    [TestCase("CodeMigrations__LockTimeout", "-00:00:05", "CodeMigrations:LockTimeout")]
    [TestCase("CodeMigrations__DdlLockTimeout", "a while", "CodeMigrations:DdlLockTimeout")]
    [TestCase("CodeMigrations__HistoryTable", " ", "CodeMigrations:HistoryTable")]
    [TestCase("ConnectionStrings__Default", "Password=hunter2;Nonsense=1", "ConnectionStrings:Default")]
    public async Task A_bad_value_exits_2_naming_the_key_and_never_the_password(string variable, string value, string key)
    {
        var database = await TestServer.CreateDatabaseAsync();
        var environment = Environment(variable.StartsWith("ConnectionStrings", StringComparison.Ordinal) ? null : database.ConnectionString);
        environment[variable] = value;

        var run = await RunAsync(environment, "up", "--verbose");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain(key));
        Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("hunter2"));
        Assert.That(await database.TableExistsAsync("public.migration_history"), Is.False, "nothing touched the database");
    }

    [Test]
    public async Task A_password_in_the_configured_connection_is_never_printed()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var environment = Environment();
        environment["ConnectionStrings__Default"] = database.ConnectionString + ";Password=hunter2";

        var run = await RunAsync(environment, "status", "--verbose");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Stderr, Does.Contain("Database: "), "the verbose note names the database");
        Assert.That(run.Stdout + run.Stderr, Does.Not.Contain("hunter2"));
    }

    private Task<HostResult> RunAsync(Dictionary<string, string?> environment, params string[] args) =>
        HostProcess.RunAsync(HostProcess.TestHostPath, environment, args, workingDirectory: _folder);

    /// <summary>The test host's environment without any configuration the test did not set.</summary>
    private static Dictionary<string, string?> Environment(string? connectionString = null)
    {
        var environment = HostProcess.Environment(connectionString);
        foreach (var name in new[] { "DOTNET_ENVIRONMENT", "ASPNETCORE_ENVIRONMENT", "ConnectionStrings__Default" })
            environment[name] = null;
        return environment;
    }

    private void WriteSettings(string file, object settings) =>
        File.WriteAllText(Path.Combine(_folder, file), JsonSerializer.Serialize(settings));
}
