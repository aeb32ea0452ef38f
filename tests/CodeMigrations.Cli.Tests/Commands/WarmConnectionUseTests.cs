using CodeMigrations.Cli.Output;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests.Commands;

/// <summary>Whether a command runs on the data source warmed from the command line's connection string (in this process).</summary>
public sealed class WarmConnectionUseTests
{
    [Test]
    public async Task A_configuration_naming_another_application_connects_as_configured_not_on_the_warmed_data_source()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var (exitCode, output) = await RunUpAsync(database, o => o.ApplicationName = "deploy-42");

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(await database.ScalarAsync<string>("SELECT name FROM seen_application"), Is.EqualTo("deploy-42"));
    }

    [Test]
    public async Task The_command_lines_connection_string_connects_with_the_default_application_name()
    {
        var database = await TestServer.CreateDatabaseAsync();

        var (exitCode, output) = await RunUpAsync(database, _ => { });

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(await database.ScalarAsync<string>("SELECT name FROM seen_application"), Is.EqualTo("CodeMigrations"));
    }

    [Test]
    public async Task The_command_runs_on_the_warmed_connection_instead_of_opening_a_second_one()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var applicationName = "warm-" + Guid.NewGuid().ToString("N")[..8];

        var (exitCode, output) = await RunUpAsync(database, _ => { }, $";Application Name={applicationName}", typeof(CountOwnConnections));

        Assert.That(exitCode, Is.EqualTo(0), output);
        Assert.That(await database.ScalarAsync<long>("SELECT connections FROM own_connections"), Is.EqualTo(1L),
            "the migration's connection is the only one its run opened");
    }

    private static async Task<(int ExitCode, string Output)> RunUpAsync(TestDatabase database, Action<CodeMigrationsOptions> configure,
        string connectionStringSuffix = "", Type? migration = null)
    {
        migration ??= typeof(RecordApplicationName);
        using var output = new StringWriter();
        var exitCode = await MigrationCli.RunAsync(["up", "--connection", database.ConnectionString + connectionStringSuffix], new MigrationCliOptions
        {
            Assemblies = { migration.Assembly },
            ConfigureMigrations = o =>
            {
                o.TypeFilter = t => t == migration;
                configure(o);
            },
        }, new CliConsole(output, output, false, false));
        return (exitCode, output.ToString());
    }

    [Migration(1)]
    public sealed class RecordApplicationName : Migration
    {
        public override void Up() => Execute("CREATE TABLE seen_application AS SELECT current_setting('application_name') AS name");

        public override void Down() => Execute("DROP TABLE seen_application");
    }

    [Migration(1)]
    public sealed class CountOwnConnections : Migration
    {
        public override void Up() => Execute("""
            CREATE TABLE own_connections AS
            SELECT count(*) AS connections FROM pg_stat_activity WHERE application_name = current_setting('application_name')
            """);

        public override void Down() => Execute("DROP TABLE own_connections");
    }
}
