using System.Diagnostics;
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
}
