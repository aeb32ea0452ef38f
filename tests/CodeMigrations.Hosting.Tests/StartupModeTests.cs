using CodeMigrations.Hosting.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CodeMigrations.Hosting.Tests;

/// <summary>The on-start modes and the health check in-process, on a real database.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class StartupModeTests
{
    [Test]
    public async Task Migrate_applies_through_the_shared_data_source_before_start_completes()
    {
        var database = await TestServer.CreateDatabaseAsync();
        using var host = TestHosts.Build(TestHosts.Settings(connectionString: null), s => s.AddNpgsqlDataSource(database));

        await host.StartAsync();

        Assert.That(await Sql.AppliedVersionsAsync(database), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That((await CheckAsync(host)).Status, Is.EqualTo(HealthStatus.Healthy));
        await host.StopAsync();
    }

    [Test]
    public async Task Validate_and_None_start_on_an_empty_database_without_writing_to_it()
    {
        var database = await TestServer.CreateDatabaseAsync();
        foreach (var mode in new[] { "Validate", "None" })
        {
            using var host = TestHosts.Build(TestHosts.Settings(database, mode));
            await host.StartAsync();
            await host.StopAsync();
        }

        Assert.That(await Sql.HistoryExistsAsync(database), Is.False);
    }

    [Test]
    public async Task Validate_refuses_to_start_when_an_applied_version_has_no_class()
    {
        var database = await TestServer.CreateDatabaseAsync();
        using (var migrating = TestHosts.Build(TestHosts.Settings(database)))
            await migrating.StartAsync();
        using var host = TestHosts.Build(TestHosts.Settings(database, "Validate"), configure: o => o.TypeFilter = t => t == typeof(Sets.CreateFirstTable));

        var error = await Assert.ThrowsAsync<MigrationValidationException>(() => host.StartAsync());

        Assert.That(error!.Message, Does.Contain("OnStartup=Validate").And.Contain("2 "));
    }

    [Test]
    public async Task Stopping_the_host_during_start_cancels_the_wait()
    {
        var database = await TestServer.CreateDatabaseAsync();
        using var host = TestHosts.Build(TestHosts.Settings(database, "Wait"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.That(async () => await host.StartAsync(stop.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task Stopping_the_host_during_start_rolls_back_the_migration_in_flight()
    {
        var database = await TestServer.CreateDatabaseAsync();
        using var host = TestHosts.Build(TestHosts.Settings(database),
            configure: o => o.TypeFilter = t => t.Namespace == typeof(Sets.CreateFirstTable).Namespace || t == typeof(Sets.Slow.SlowTable));
        using var stop = new CancellationTokenSource();

        var start = host.StartAsync(stop.Token);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (await Sql.ScalarAsync<long>(database, "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()") == 0)
        {
            Assert.That(start.IsCompleted || clock.Elapsed > TimeSpan.FromSeconds(30), Is.False, "the slow migration never ran");
            await Task.Delay(50);
        }

        stop.Cancel();

        Assert.That(async () => await start, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await Sql.AppliedVersionsAsync(database), Is.EqualTo(new[] { 1L, 2L }));
        Assert.That(await Sql.ScalarAsync<bool>(database, "SELECT to_regclass('slow_table') IS NULL"), Is.True);
    }

    [Test]
    public async Task The_health_check_counts_pending_missing_and_changed_migrations()
    {
        var database = await TestServer.CreateDatabaseAsync();
        using (var migrating = TestHosts.Build(TestHosts.Settings(database)))
            await migrating.StartAsync();
        // A version applied by a newer build, and a changed checksum of an applied one.
        await Sql.ExecuteAsync(database, """
            INSERT INTO migration_history (version, name, class_name, checksum) VALUES (3, 'From a newer build', 'Newer', 'x');
            UPDATE migration_history SET checksum = repeat('0', 64) WHERE version = 1;
            DELETE FROM migration_history WHERE version = 2;
            """);
        using var host = TestHosts.Build(TestHosts.Settings(database, "None"));

        var result = await CheckAsync(host);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Is.EqualTo("1 pending migration, 1 checksum mismatch, 1 applied version without a class"));
        Assert.That(result.Data, Is.EquivalentTo(new Dictionary<string, object>
        {
            ["pending"] = 1,
            ["failedMarks"] = 0,
            ["checksumMismatches"] = 1,
            ["missingVersions"] = 1,
        }));
    }

    [Test]
    public async Task The_health_check_reports_an_unreachable_database_without_its_password()
    {
        using var host = TestHosts.Build(TestHosts.Settings("Host=127.0.0.1;Port=1;Database=x;Username=u;Password=secret-pw;Timeout=2", "None"));

        var result = await CheckAsync(host);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Does.StartWith("Cannot read the migration history"));
        Assert.That(result.Description + result.Exception, Does.Not.Contain("secret-pw"));
    }

    private static Task<HealthCheckResult> CheckAsync(IHost host)
    {
        var check = host.Services.GetRequiredService<CodeMigrationsHealthCheck>();
        var registration = new HealthCheckRegistration("codemigrations", check, failureStatus: null, tags: null);
        return check.CheckHealthAsync(new HealthCheckContext { Registration = registration });
    }
}
