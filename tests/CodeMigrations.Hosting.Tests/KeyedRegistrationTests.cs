using CodeMigrations.Hosting.Tests.Sets;
using CodeMigrations.Verification;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodeMigrations.Hosting.Tests;

/// <summary>Two databases registered with keys in one container: each migrated on start, checked and verified on its own.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class KeyedRegistrationTests
{
    [Test]
    public async Task Each_keyed_database_is_migrated_on_start_and_its_health_check_reports_that_database_alone()
    {
        var billing = await TestServer.CreateDatabaseAsync();
        var catalog = await TestServer.CreateDatabaseAsync();
        using var host = Build(billing, catalog);

        await host.StartAsync();

        Assert.That(await Sql.AppliedVersionsAsync(billing), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(await Sql.AppliedVersionsAsync(catalog), Is.EqualTo(new[] { 1L }));
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.That(report.Entries.Keys, Is.EquivalentTo(new[] { "codemigrations-billing", "codemigrations-catalog" }));
        Assert.That(report.Entries["codemigrations-billing"].Description, Is.EqualTo("Up to date: 2 migration(s) applied"));
        Assert.That(report.Entries["codemigrations-catalog"].Description, Is.EqualTo("Up to date: 1 migration(s) applied"));

        // Taking a version out of one database's history makes that database's check fail, and only that one.
        await Sql.ExecuteAsync(catalog, "DELETE FROM public.migration_history WHERE version = 1");
        report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.That(report.Entries["codemigrations-catalog"].Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(report.Entries["codemigrations-catalog"].Data["pending"], Is.EqualTo(1));
        Assert.That(report.Entries["codemigrations-billing"].Status, Is.EqualTo(HealthStatus.Healthy));
        await host.StopAsync();
    }

    [Test]
    public async Task Each_keyed_database_has_its_own_start_up_mode()
    {
        var billing = await TestServer.CreateDatabaseAsync();
        var catalog = await TestServer.CreateDatabaseAsync();
        using var host = Build(billing, catalog, catalogMode: MigrationStartupMode.None);

        await host.StartAsync();

        Assert.That(await Sql.AppliedVersionsAsync(billing), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(await Sql.HistoryExistsAsync(catalog), Is.False);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.That(report.Entries["codemigrations-catalog"].Data["pending"], Is.EqualTo(1));
        await host.StopAsync();
    }

    [Test]
    public async Task A_keyed_database_that_fails_to_migrate_stops_the_start_with_its_own_error()
    {
        var billing = await TestServer.CreateDatabaseAsync();
        var catalog = await TestServer.CreateDatabaseAsync();
        using var host = Build(billing, catalog, catalogFilter: t => t == typeof(CreateFirstTable) || t == typeof(Sets.Failing.DivideByZero));

        var error = await Assert.ThrowsAsync<MigrationStartupException>(() => host.StartAsync());

        Assert.That(error!.Failure.Migration.TypeFullName, Is.EqualTo(typeof(Sets.Failing.DivideByZero).FullName));
        Assert.That(await Sql.AppliedVersionsAsync(catalog), Is.EqualTo(new[] { 1L }));
    }

    [Test]
    public async Task Keyed_verification_detects_drift_in_its_own_database_only()
    {
        var billing = await TestServer.CreateDatabaseAsync();
        var catalog = await TestServer.CreateDatabaseAsync();
        using var host = Build(billing, catalog);
        await host.StartAsync();
        await Sql.ExecuteAsync(catalog, "CREATE TABLE made_by_hand (id int)");

        var billingDrift = await host.Services.GetRequiredKeyedService<DriftDetector>("billing").DetectAsync();
        var catalogDrift = await host.Services.GetRequiredKeyedService<DriftDetector>("catalog").DetectAsync();

        Assert.That(billingDrift.HasDrift, Is.False);
        Assert.That(billingDrift.AppliedVersions, Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(catalogDrift.Lines, Is.EqualTo(new[] { "table made_by_hand is in the database, but the migrations do not create it" }));
        Assert.That(host.Services.GetKeyedService<MigrationVerifier>("billing"), Is.Not.Null);
        Assert.That(host.Services.GetKeyedService<MigrationVerifier>("catalog"), Is.Not.SameAs(host.Services.GetKeyedService<MigrationVerifier>("billing")));
        await host.StopAsync();
    }

    [Test]
    public void Registering_the_start_up_twice_for_one_key_is_refused()
    {
        var services = new ServiceCollection();
        services.AddCodeMigrationsOnStartup("billing");

        var error = Assert.Throws<InvalidOperationException>(() => services.AddCodeMigrationsOnStartup("billing"));

        Assert.That(error!.Message, Does.Contain("'billing'"));
    }

    private static IHost Build(string billing, string catalog, MigrationStartupMode catalogMode = MigrationStartupMode.Migrate, Func<Type, bool>? catalogFilter = null) =>
        new HostBuilder()
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices(s =>
            {
                s.AddCodeMigrations("billing", o =>
                {
                    o.ConnectionString = billing;
                    o.Assemblies.Add(typeof(CreateFirstTable).Assembly);
                    o.TypeFilter = t => t.Namespace == typeof(CreateFirstTable).Namespace;
                }).AddCodeMigrationsVerification("billing");
                s.AddCodeMigrations("catalog", o =>
                {
                    o.ConnectionString = catalog;
                    o.Assemblies.Add(typeof(CreateFirstTable).Assembly);
                    o.TypeFilter = catalogFilter ?? (t => t == typeof(CreateFirstTable));
                }).AddCodeMigrationsVerification("catalog");
                s.AddCodeMigrationsOnStartup("billing");
                s.AddCodeMigrationsOnStartup("catalog", o => o.OnStartup = catalogMode);
                s.AddHealthChecks().AddKeyedCodeMigrations("billing").AddKeyedCodeMigrations("catalog");
            })
            .Build();
}
