using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CodeMigrations.Running;
using Microsoft.Extensions.DependencyInjection;

namespace CodeMigrations.Tests.Running;

public sealed class ConnectionTests
{
    private const string Password = "s3cret-Pa55word";

    [Test]
    public async Task An_unreachable_server_fails_within_the_connect_timeout_without_showing_the_password()
    {
        using var services = new ServiceCollection().AddCodeMigrations(o =>
        {
            o.ConnectionString = $"Host=127.0.0.1;Port=1;Database=app;Username=deploy;Password={Password};Timeout=3";
            o.Assemblies.Add(typeof(RunnerTests.Shop).Assembly);
            o.TypeFilter = t => t.DeclaringType == typeof(RunnerTests.Shop);
        }).BuildServiceProvider();
        var clock = Stopwatch.StartNew();

        var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => services.GetRequiredService<IMigrationRunner>().UpAsync()))!;

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(error.Message, Does.StartWith("Could not connect to PostgreSQL (Host=127.0.0.1;Port=1;Database=app;Username=deploy)"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public async Task A_wrong_password_is_reported_without_showing_it()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        using var services = new ServiceCollection().AddCodeMigrations(o =>
        {
            o.ConnectionString = connectionString + $";Username=nobody_here;Password={Password}";
            o.Assemblies.Add(typeof(RunnerTests.Shop).Assembly);
            o.TypeFilter = t => t.DeclaringType == typeof(RunnerTests.Shop);
        }).BuildServiceProvider();

        var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => services.GetRequiredService<IMigrationRunner>().GetStatusAsync()))!;

        Assert.That(error.Message, Does.Contain("Username=nobody_here").And.Contain("28"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public async Task A_malformed_connection_string_is_reported_without_echoing_its_values()
    {
        using var services = new ServiceCollection().AddCodeMigrations(o =>
        {
            o.ConnectionString = $"Host=x;Pasword={Password}";
            o.Assemblies.Add(typeof(RunnerTests.Shop).Assembly);
            o.TypeFilter = t => t.DeclaringType == typeof(RunnerTests.Shop);
        }).BuildServiceProvider();

        var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => services.GetRequiredService<IMigrationRunner>().GetStatusAsync()))!;

        Assert.That(error.Message, Does.StartWith("The connection string is not valid"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public async Task A_connection_started_early_is_the_one_the_first_open_returns_and_the_next_open_is_a_new_one()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var connections = new MigrationConnectionFactory(new CodeMigrationsOptions { ConnectionString = connectionString });

        connections.StartOpening(CancellationToken.None);
        await using var first = await connections.OpenAsync(CancellationToken.None);
        await using var second = await connections.OpenAsync(CancellationToken.None);

        Assert.That(first.FullState, Is.EqualTo(System.Data.ConnectionState.Open));
        Assert.That(second.FullState, Is.EqualTo(System.Data.ConnectionState.Open));
        Assert.That(second, Is.Not.SameAs(first));
        Assert.That(first.ProcessID, Is.Not.EqualTo(second.ProcessID));
    }

    [Test]
    public async Task A_connection_started_early_reports_an_unreachable_server_like_any_other_open_without_the_password()
    {
        await using var connections = new MigrationConnectionFactory(new CodeMigrationsOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port=1;Database=app;Username=deploy;Password={Password};Timeout=3",
        });

        connections.StartOpening(CancellationToken.None);
        var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => connections.OpenAsync(CancellationToken.None)))!;

        Assert.That(error.Message, Does.StartWith("Could not connect to PostgreSQL (Host=127.0.0.1;Port=1;Database=app;Username=deploy)"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public async Task A_connection_started_early_but_never_used_is_closed_on_dispose()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        var applicationName = "early-" + Guid.NewGuid().ToString("N")[..8];
        var connections = new MigrationConnectionFactory(new CodeMigrationsOptions { ConnectionString = connectionString + $";Application Name={applicationName}" });

        connections.StartOpening(CancellationToken.None);
        await Task.Delay(200); // well under way, or open
        await connections.DisposeAsync();

        await using var observer = new Npgsql.NpgsqlConnection(connectionString);
        await observer.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{applicationName}'", observer);
        var clock = Stopwatch.StartNew();
        while ((long)(await count.ExecuteScalarAsync())! > 0 && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50);
        Assert.That(await count.ExecuteScalarAsync(), Is.EqualTo(0L));
    }

    [Test]
    public async Task Disposing_a_connection_started_early_does_not_wait_for_a_server_that_never_answers()
    {
        // Accepts the TCP connection and never answers the start-up message: only the connect timeout would end the wait.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var connections = new MigrationConnectionFactory(new CodeMigrationsOptions { ConnectionString = $"Host=127.0.0.1;Port={port};Username=deploy;Timeout=60" });
        connections.StartOpening(CancellationToken.None);
        using var accepted = await silent.AcceptTcpClientAsync();
        var clock = Stopwatch.StartNew();

        await connections.DisposeAsync();

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task A_connection_started_before_the_factory_on_the_same_connection_string_is_taken_over()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        var options = new CodeMigrationsOptions { ConnectionString = connectionString };
        await using var early = EarlyConnection.Start(connectionString, options.ApplicationName)!;
        await using var connections = new MigrationConnectionFactory(options);

        Assert.That(connections.Adopt(early, CancellationToken.None), Is.True);
        await using var first = await connections.OpenAsync(CancellationToken.None);
        await using var second = await connections.OpenAsync(CancellationToken.None);

        Assert.That(early.Take(), Is.Null, "the factory took the early connection");
        Assert.That(first.FullState, Is.EqualTo(System.Data.ConnectionState.Open));
        Assert.That(second.FullState, Is.EqualTo(System.Data.ConnectionState.Open));
        await using var name = new Npgsql.NpgsqlCommand("SELECT current_setting('application_name')", first);
        Assert.That(await name.ExecuteScalarAsync(), Is.EqualTo("CodeMigrations"));
    }

    [Test]
    public async Task A_connection_started_before_the_factory_on_another_connection_string_is_not_taken_over()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        var options = new CodeMigrationsOptions { ConnectionString = connectionString, ApplicationName = "deploy-42" };
        await using var early = EarlyConnection.Start(connectionString, CodeMigrationsOptions.DefaultApplicationName)!;
        await using var connections = new MigrationConnectionFactory(options);

        Assert.That(connections.Adopt(early, CancellationToken.None), Is.False);
        await using var connection = await connections.OpenAsync(CancellationToken.None);

        Assert.That(early.Take(), Is.Not.Null, "still the caller's");
        await using var name = new Npgsql.NpgsqlCommand("SELECT current_setting('application_name')", connection);
        Assert.That(await name.ExecuteScalarAsync(), Is.EqualTo("deploy-42"));
    }

    [Test]
    public async Task A_connection_started_before_the_factory_is_not_taken_over_when_a_data_source_is_given()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString + ";Application Name=given-data-source");
        await using var early = EarlyConnection.Start(connectionString, CodeMigrationsOptions.DefaultApplicationName)!;
        await using var connections = new MigrationConnectionFactory(new CodeMigrationsOptions { DataSource = dataSource });

        Assert.That(connections.Adopt(early, CancellationToken.None), Is.False);
        await using var connection = await connections.OpenAsync(CancellationToken.None);

        await using var name = new Npgsql.NpgsqlCommand("SELECT current_setting('application_name')", connection);
        Assert.That(await name.ExecuteScalarAsync(), Is.EqualTo("given-data-source"));
    }

    [Test]
    public void No_early_connection_starts_on_a_malformed_connection_string() =>
        Assert.That(EarlyConnection.Start($"Host=x;Pasword={Password}", CodeMigrationsOptions.DefaultApplicationName), Is.Null);
}
