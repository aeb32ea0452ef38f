using CodeMigrations.Running;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CodeMigrations.Hosting.HealthChecks;

/// <summary>
/// Healthy when the database has every migration this build knows and history and code agree; otherwise the
/// registration's failure status (Unhealthy by default), with the counts in <see cref="HealthCheckResult.Data"/>:
/// <c>pending</c>, <c>failedMarks</c>, <c>checksumMismatches</c>, <c>missingVersions</c>. Register it with
/// <c>AddHealthChecks().AddCodeMigrations()</c>.
/// </summary>
/// <remarks>
/// A probe is one statement (<see cref="MigrationStatusProbe"/>): it reads the history without the lock and without
/// writing anything. What the build knows (its migrations and their checksums) is computed once per process and kept.
/// </remarks>
public sealed class CodeMigrationsHealthCheck : IHealthCheck
{
    private readonly MigrationStatusProbe _probe;

    /// <summary>Creates the check over the application's probe (registered by <c>AddCodeMigrations</c>).</summary>
    /// <param name="probe">Reads the history and compares it with the build's migrations.</param>
    public CodeMigrationsHealthCheck(MigrationStatusProbe probe) => _probe = probe ?? throw new ArgumentNullException(nameof(probe));

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var summary = await _probe.ProbeAsync(cancellationToken);
            var counts = new MigrationHealthCounts(summary.Pending, summary.FailedMarks, summary.ChecksumMismatches, summary.MissingVersions);
            var data = counts.ToData();
            return counts.IsUpToDate
                ? HealthCheckResult.Healthy($"Up to date: {summary.Applied} migration(s) applied", data)
                : new HealthCheckResult(context.Registration.FailureStatus, counts.Describe(), data: data);
        }
        catch (MigrationException e)
        {
            // The runner's messages never carry the connection string's password.
            return new HealthCheckResult(context.Registration.FailureStatus, "Cannot read the migration history: " + e.Message, e);
        }
    }
}
