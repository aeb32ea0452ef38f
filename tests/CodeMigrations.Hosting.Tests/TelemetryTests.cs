using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodeMigrations.Hosting.Telemetry;
using CodeMigrations.Hosting.Tests.Sets;
using CodeMigrations.Hosting.Tests.Sets.Failing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CodeMigrations.Hosting.Tests;

/// <summary>The spans and measurements of an on-start up that applies two migrations and fails on the third.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class TelemetryTests
{
    [Test]
    public async Task An_up_with_a_failure_reports_a_span_per_run_and_per_migration_and_counts_them()
    {
        var database = await TestServer.CreateDatabaseAsync();
        using var root = new Activity("test").Start();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MigrationTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Other tests run at the same time: only this test's trace.
            ActivityStopped = activity => { if (activity.TraceId == root.TraceId) spans.Enqueue(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        using var host = TestHosts.Build(TestHosts.Settings(database),
            configure: o => o.TypeFilter = t => t.Namespace == typeof(CreateFirstTable).Namespace || t == typeof(DivideByZero));
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var applied = new MetricCollector<long>(meters, MigrationTelemetry.Name, "codemigrations.migrations.applied");
        using var failed = new MetricCollector<long>(meters, MigrationTelemetry.Name, "codemigrations.migrations.failed");
        using var duration = new MetricCollector<double>(meters, MigrationTelemetry.Name, "codemigrations.migration.duration");

        var error = await Assert.ThrowsAsync<MigrationStartupException>(() => host.StartAsync());

        var run = spans.Single(s => s.OperationName == MigrationTelemetry.StartupActivityName);
        var migrations = spans.Where(s => s.OperationName == MigrationTelemetry.MigrationActivityName).OrderBy(s => (long)s.GetTagItem("codemigrations.version")!).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(error!.Failure.SqlState, Is.EqualTo("22012"));
            Assert.That(run.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(run.GetTagItem("codemigrations.on_startup"), Is.EqualTo("Migrate"));
            Assert.That(run.GetTagItem("codemigrations.outcome"), Is.EqualTo("failed"));
            Assert.That(migrations.Select(s => s.GetTagItem("codemigrations.version")), Is.EqualTo(new object[] { 1L, 2L, 3L }));
            Assert.That(migrations.Select(s => s.GetTagItem("codemigrations.outcome")), Is.EqualTo(new[] { "success", "success", "failed" }));
            Assert.That(migrations.Select(s => s.ParentSpanId), Has.All.EqualTo(run.SpanId));
            Assert.That(migrations.Select(s => s.GetTagItem("codemigrations.direction")), Has.All.EqualTo("up"));
            Assert.That(migrations[2].Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(migrations[2].GetTagItem("db.response.status_code"), Is.EqualTo("22012"));
            Assert.That(migrations[2].GetTagItem("codemigrations.name"), Is.Not.Null);
            Assert.That(applied.GetMeasurementSnapshot().EvaluateAsCounter(), Is.EqualTo(2));
            Assert.That(failed.GetMeasurementSnapshot().Select(m => m.Tags["codemigrations.outcome"]), Is.EqualTo(new[] { "failed" }));
            Assert.That(duration.GetMeasurementSnapshot(), Has.Count.EqualTo(3));
        });
        Assert.That(spans.SelectMany(s => s.Tags).Select(t => t.Value), Has.None.Contains("Password"));
    }
}
