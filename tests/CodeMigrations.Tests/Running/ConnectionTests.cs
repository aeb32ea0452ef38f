using System.Diagnostics;
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
    public async Task Each_open_is_a_connection_of_its_own_named_after_the_application()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var connections = new MigrationConnectionFactory(new CodeMigrationsOptions { ConnectionString = connectionString });

        await using var first = await connections.OpenAsync(CancellationToken.None);
        await using var second = await connections.OpenAsync(CancellationToken.None);

        Assert.That(first.FullState, Is.EqualTo(System.Data.ConnectionState.Open));
        Assert.That(second.FullState, Is.EqualTo(System.Data.ConnectionState.Open));
        Assert.That(first.ProcessID, Is.Not.EqualTo(second.ProcessID));
        await using var name = new Npgsql.NpgsqlCommand("SELECT current_setting('application_name')", first);
        Assert.That(await name.ExecuteScalarAsync(), Is.EqualTo(CodeMigrationsOptions.DefaultApplicationName));
    }

    [Test]
    public async Task The_configured_application_name_applies_unless_the_connection_string_names_one()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var configured = new MigrationConnectionFactory(new CodeMigrationsOptions { ConnectionString = connectionString, ApplicationName = "deploy-42" });
        await using var named = new MigrationConnectionFactory(new CodeMigrationsOptions
        {
            ConnectionString = connectionString + ";Application Name=from-the-string",
            ApplicationName = "deploy-42",
        });

        Assert.That(await ApplicationNameAsync(configured), Is.EqualTo("deploy-42"));
        Assert.That(await ApplicationNameAsync(named), Is.EqualTo("from-the-string"));
    }

    [Test]
    public async Task A_given_data_source_is_used_as_it_is_and_stays_its_owners()
    {
        var connectionString = await TestServer.CreateDatabaseAsync();
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString + ";Application Name=given-data-source");
        var connections = new MigrationConnectionFactory(new CodeMigrationsOptions { DataSource = dataSource, ApplicationName = "deploy-42" });

        Assert.That(await ApplicationNameAsync(connections), Is.EqualTo("given-data-source"));
        await connections.DisposeAsync();

        await using var afterwards = await dataSource.OpenConnectionAsync();
        Assert.That(afterwards.FullState, Is.EqualTo(System.Data.ConnectionState.Open), "the factory did not dispose it");
    }

    [Test]
    public async Task An_unreachable_server_behind_a_given_data_source_is_reported_without_the_password()
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create($"Host=127.0.0.1;Port=1;Database=app;Username=deploy;Password={Password};Timeout=3");
        await using var connections = new MigrationConnectionFactory(new CodeMigrationsOptions { DataSource = dataSource });

        var error = (await Assert.ThrowsAsync<MigrationDatabaseException>(() => connections.OpenAsync(CancellationToken.None)))!;

        Assert.That(error.Message, Does.StartWith("Could not connect to PostgreSQL (Host=127.0.0.1;Port=1;Database=app;Username=deploy)"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public async Task Up_reports_an_invalid_set_before_an_unreachable_server()
    {
        // The set is checked before anything touches the database: its error comes first, never a connection failure.
        using var services = new ServiceCollection().AddCodeMigrations(o =>
        {
            o.ConnectionString = "Host=127.0.0.1;Port=1;Database=app;Username=deploy;Timeout=3";
            o.Assemblies.Add(typeof(Safety.SafetyTests.BadTimeout).Assembly);
            o.TypeFilter = t => t.DeclaringType == typeof(Safety.SafetyTests.BadTimeout);
        }).BuildServiceProvider();

        var error = (await Assert.ThrowsAsync<InvalidMigrationSetException>(() => services.GetRequiredService<IMigrationRunner>().UpAsync()))!;

        Assert.That(error.Message, Does.Contain("five minutes"));
    }

    [Test]
    public async Task Up_to_an_unknown_version_is_refused_before_an_unreachable_server_is_reported()
    {
        using var services = new ServiceCollection().AddCodeMigrations(o =>
        {
            o.ConnectionString = "Host=127.0.0.1;Port=1;Database=app;Username=deploy;Timeout=3";
            o.Assemblies.Add(typeof(RunnerTests.Shop).Assembly);
            o.TypeFilter = t => t.DeclaringType == typeof(RunnerTests.Shop);
        }).BuildServiceProvider();

        var error = await Assert.ThrowsAsync(Is.InstanceOf<MigrationException>().And.Not.InstanceOf<MigrationDatabaseException>(),
            () => services.GetRequiredService<IMigrationRunner>().UpAsync(target: 424242));

        Assert.That(error!.Message, Does.Contain("424242"));
    }

    private static async Task<object?> ApplicationNameAsync(MigrationConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync(CancellationToken.None);
        await using var name = new Npgsql.NpgsqlCommand("SELECT current_setting('application_name')", connection);
        return await name.ExecuteScalarAsync();
    }
}
