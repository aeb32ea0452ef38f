using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CodeMigrations.Hosting.Telemetry;

/// <summary>
/// The names CodeMigrations reports telemetry under, with the in-box <see cref="ActivitySource"/> and <see cref="Meter"/>
/// (no dependency: an exporter such as OpenTelemetry subscribes by name). Spans: <c>codemigrations.startup</c> (the
/// on-start run) and one <c>codemigrations.migration</c> per migration applied or reverted. Instruments:
/// <c>codemigrations.migrations.applied</c>, <c>.reverted</c>, <c>.failed</c> (counters),
/// <c>codemigrations.migration.duration</c> and <c>codemigrations.lock.wait</c> (histograms, seconds). Tags carry the
/// version, name, direction and outcome; never the connection string.
/// </summary>
public static class MigrationTelemetry
{
    /// <summary>The name of the activity source and of the meter: <c>CodeMigrations</c>.</summary>
    public const string Name = "CodeMigrations";

    /// <summary>The span of the on-start run.</summary>
    public const string StartupActivityName = "codemigrations.startup";

    /// <summary>The span of one migration applied or reverted.</summary>
    public const string MigrationActivityName = "codemigrations.migration";

    internal static readonly ActivitySource Source = new(Name);
}

/// <summary>The instruments, created from the host's <see cref="IMeterFactory"/> so that each host (and each test) has its own.</summary>
internal sealed class MigrationMetrics
{
    public MigrationMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(MigrationTelemetry.Name) ?? new Meter(MigrationTelemetry.Name);
        Applied = meter.CreateCounter<long>("codemigrations.migrations.applied", "{migration}", "Migrations applied");
        Reverted = meter.CreateCounter<long>("codemigrations.migrations.reverted", "{migration}", "Migrations reverted");
        Failed = meter.CreateCounter<long>("codemigrations.migrations.failed", "{migration}", "Migrations that failed or were cancelled");
        Duration = meter.CreateHistogram<double>("codemigrations.migration.duration", "s", "How long each migration ran");
        LockWait = meter.CreateHistogram<double>("codemigrations.lock.wait", "s", "How long a run waited for another run's migration lock");
    }

    public Counter<long> Applied { get; }

    public Counter<long> Reverted { get; }

    public Counter<long> Failed { get; }

    public Histogram<double> Duration { get; }

    public Histogram<double> LockWait { get; }
}
