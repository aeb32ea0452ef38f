using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CodeMigrations.Cli.Database;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace CodeMigrations.Cli.Tests.Database;

/// <summary>The data source the console host builds from the command line's connection string and warms before the parse.</summary>
public sealed class WarmDataSourceTests
{
    private const string Password = "s3cret-Pa55word";

    [Test]
    public async Task Its_first_connection_opens_before_anyone_asks_and_is_the_one_the_first_open_gets()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var applicationName = UniqueName();
        await using var warm = WarmDataSource.Start(database.ConnectionString + $";Application Name={applicationName}", "unused")!;

        await warm.WarmUp;
        var warmed = await database.QueryAsync<int>("SELECT pid FROM pg_stat_activity WHERE application_name = @applicationName", new { applicationName });
        var dataSource = await warm.GetDataSourceAsync(CancellationToken.None);
        await using var first = await dataSource.OpenConnectionAsync();
        await using var second = await dataSource.OpenConnectionAsync();

        Assert.That(warmed, Has.Count.EqualTo(1), "one connection, open and idle in the pool");
        Assert.That(first.ProcessID, Is.EqualTo(warmed[0]), "the first open took the warmed connection");
        Assert.That(second.FullState, Is.EqualTo(System.Data.ConnectionState.Open));
        Assert.That(second.ProcessID, Is.Not.EqualTo(first.ProcessID));
    }

    [Test]
    public async Task It_connects_with_the_application_name_it_is_started_with_unless_the_string_names_one()
    {
        var database = await TestServer.CreateDatabaseAsync();
        await using var unnamed = WarmDataSource.Start(database.ConnectionString, CodeMigrationsOptions.DefaultApplicationName)!;
        await using var named = WarmDataSource.Start(database.ConnectionString + ";Application Name=from-the-string", CodeMigrationsOptions.DefaultApplicationName)!;

        Assert.That(await ApplicationNameAsync(unnamed), Is.EqualTo("CodeMigrations"));
        Assert.That(await ApplicationNameAsync(named), Is.EqualTo("from-the-string"));
        Assert.That(named.ApplicationName, Is.EqualTo("from-the-string"));
    }

    [Test]
    public void It_serves_a_configuration_that_connects_exactly_as_it_does_and_no_other()
    {
        const string connectionString = "Host=db;Database=app;Username=deploy";
        using var given = Npgsql.NpgsqlDataSource.Create(connectionString);
        var unnamed = WarmDataSource.Start(connectionString, CodeMigrationsOptions.DefaultApplicationName)!;
        var named = WarmDataSource.Start(connectionString + ";Application Name=deploy", CodeMigrationsOptions.DefaultApplicationName)!;
        try
        {
            Assert.That(unnamed.Serves(new CodeMigrationsOptions { ConnectionString = connectionString }), Is.True);
            Assert.That(unnamed.Serves(new CodeMigrationsOptions { ConnectionString = connectionString, ApplicationName = "deploy-42" }), Is.False, "another application name");
            Assert.That(unnamed.Serves(new CodeMigrationsOptions { ConnectionString = connectionString + ";Database=other" }), Is.False, "another string");
            Assert.That(unnamed.Serves(new CodeMigrationsOptions { ConnectionString = connectionString, DataSource = given }), Is.False, "a data source of their own");
            Assert.That(named.Serves(new CodeMigrationsOptions { ConnectionString = connectionString + ";Application Name=deploy", ApplicationName = "deploy-42" }), Is.True,
                "the string's own application name applies either way");
        }
        finally
        {
            unnamed.DisposeAsync().AsTask().GetAwaiter().GetResult();
            named.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [Test]
    public async Task A_warm_up_nobody_used_is_closed_on_dispose()
    {
        var database = await TestServer.CreateDatabaseAsync();
        var applicationName = UniqueName();
        var warm = WarmDataSource.Start(database.ConnectionString + $";Application Name={applicationName}", "unused")!;

        await warm.WarmUp;
        await warm.DisposeAsync();

        const string count = "SELECT count(*) FROM pg_stat_activity WHERE application_name = @applicationName";
        var clock = Stopwatch.StartNew();
        while (await database.ScalarAsync<long>(count, new { applicationName }) > 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
        Assert.That(await database.ScalarAsync<long>(count, new { applicationName }), Is.EqualTo(0L));
    }

    [Test]
    public async Task Disposing_it_does_not_wait_for_a_server_that_never_answers()
    {
        // Accepts the TCP connection and never answers the start-up message: only the connect timeout would end the wait.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var warm = WarmDataSource.Start($"Host=127.0.0.1;Port={port};Username=deploy;Timeout=60", CodeMigrationsOptions.DefaultApplicationName)!;
        using var accepted = await silent.AcceptTcpClientAsync();
        var clock = Stopwatch.StartNew();

        await warm.DisposeAsync();

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task A_failed_warm_up_is_silent_and_the_runner_reports_the_unreachable_server_without_the_password()
    {
        await using var warm = WarmDataSource.Start(
            $"Host=127.0.0.1;Port=1;Database=app;Username=deploy;Password={Password};Timeout=3", CodeMigrationsOptions.DefaultApplicationName)!;
        await warm.WarmUp;
        var dataSource = await warm.GetDataSourceAsync(CancellationToken.None);
        await using var services = new ServiceCollection().AddCodeMigrations(o =>
        {
            o.DataSource = dataSource;
            o.Assemblies.Add(typeof(WarmDataSourceTests).Assembly);
            o.TypeFilter = t => t == typeof(NothingToDo);
        }).BuildServiceProvider();

        var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => services.GetRequiredService<IMigrationRunner>().GetStatusAsync()))!;

        Assert.That(error.Message, Does.StartWith("Could not connect to PostgreSQL (Host=127.0.0.1;Port=1;Database=app;Username=deploy)"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public void Nothing_is_warmed_for_a_malformed_connection_string() =>
        Assert.That(WarmDataSource.Start($"Host=x;Pasword={Password}", CodeMigrationsOptions.DefaultApplicationName), Is.Null);

    private static string UniqueName() => "warm-" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<object?> ApplicationNameAsync(WarmDataSource warm)
    {
        await using var connection = await (await warm.GetDataSourceAsync(CancellationToken.None)).OpenConnectionAsync();
        await using var name = new Npgsql.NpgsqlCommand("SELECT current_setting('application_name')", connection);
        return await name.ExecuteScalarAsync();
    }

    [Migration(1)]
    public sealed class NothingToDo : Migration
    {
        public override void Up() => Execute("SELECT 1");

        public override void Down() => Execute("SELECT 1");
    }
}
