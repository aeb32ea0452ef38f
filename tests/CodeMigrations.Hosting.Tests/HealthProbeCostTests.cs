using System.Collections.Concurrent;
using System.Diagnostics;
using CodeMigrations.Hosting.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CodeMigrations.Hosting.Tests;

/// <summary>
/// What a probe costs the database: counted from Npgsql's own tracing (one activity per command it sends), for this
/// test's database only.
/// </summary>
public sealed class HealthProbeCostTests
{
    [Test]
    public async Task A_probe_sends_one_statement_before_and_after_the_migrations_and_when_history_and_code_disagree()
    {
        var database = await TestServer.CreateDatabaseAsync();
        using var host = TestHosts.Build(TestHosts.Settings(database, "None"));

        Assert.That(await StatementsOfOneProbeAsync(host, database), Is.EqualTo((HealthStatus.Unhealthy, 1)), "no history table yet");

        using (var migrating = TestHosts.Build(TestHosts.Settings(database)))
            await migrating.StartAsync();
        Assert.That(await StatementsOfOneProbeAsync(host, database), Is.EqualTo((HealthStatus.Healthy, 1)), "the first probe that compares checksums");
        Assert.That(await StatementsOfOneProbeAsync(host, database), Is.EqualTo((HealthStatus.Healthy, 1)), "and every one after it");

        await Sql.ExecuteAsync(database, "UPDATE migration_history SET checksum = repeat('0', 64) WHERE version = 1");
        Assert.That(await StatementsOfOneProbeAsync(host, database), Is.EqualTo((HealthStatus.Unhealthy, 1)), "a changed migration");
    }

    private static async Task<(HealthStatus Status, int Statements)> StatementsOfOneProbeAsync(IHost host, string connectionString)
    {
        var databaseName = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var statements = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var tags = activity.TagObjects.ToList();
                var forThisDatabase = tags.Any(t => Equals(t.Value, databaseName));
                var text = tags.FirstOrDefault(t => t.Key is "db.statement" or "db.query.text").Value as string;
                if (forThisDatabase && text is not null)
                    statements.Add(text);
            },
        };
        ActivitySource.AddActivityListener(listener);

        var check = host.Services.GetRequiredService<CodeMigrationsHealthCheck>();
        var registration = new HealthCheckRegistration("codemigrations", check, failureStatus: null, tags: null);
        var result = await check.CheckHealthAsync(new HealthCheckContext { Registration = registration });
        return (result.Status, statements.Count);
    }
}
